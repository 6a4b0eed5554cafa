"""Glue ETL (PySpark): crawled raw clicks -> the ORC `clicks` lake table.

Runs as a Glue `glueetl` job with job bookmarks enabled, so each run picks up
only the raw files that arrived since the last committed run.

Job arguments (Glue passes them as `--name value`):
  JOB_NAME        set by Glue itself
  database_name   Glue database holding both tables (`advertising`)
  raw_table_name  table the raw crawler made from the Firehose output (`raw_clicks`)
  table_name      ORC lake table, partitioned by year and month (`clicks`)

The transformation is `transform(raw) -> lake`, plain Spark with no Glue
import, so it runs (and is tested) on any Spark. Only `main()` touches awsglue.
"""

import sys

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

# The one column mapping of this job, in Glue's ApplyMapping shape:
# (raw column, raw type, lake column, lake type). The raw partitions are
# Firehose's UTC arrival prefix YYYY/MM/DD/HH; year and month come from it.
MAPPING = [
    ("impression_id", "string", "impression_id", "string"),
    ("click_id", "string", "click_id", "string"),
    ("ad_id", "string", "ad_id", "string"),
    ("occurred_at", "string", "occurred_at", "timestamp"),
    ("partition_0", "string", "year", "int"),
    ("partition_1", "string", "month", "int"),
]

PARTITION_KEYS = ["year", "month"]

JOB_ARGUMENTS = ["JOB_NAME", "database_name", "raw_table_name", "table_name"]


def transform(raw: DataFrame) -> DataFrame:
    """Maps raw rows onto the lake table's columns and types.

    `occurred_at` is a 'yyyy-MM-dd HH:mm:ss' UTC string; the cast reads it in
    the session time zone, which main() pins to UTC. A value that is not a
    timestamp becomes null rather than failing the whole run.
    """
    missing = [source for source, _, _, _ in MAPPING if source not in raw.columns]
    if missing:
        raise ValueError(
            "raw clicks lack column(s) %s; the raw crawler must have run over "
            "the Firehose output (found: %s)" % (", ".join(missing), ", ".join(raw.columns) or "none")
        )
    return raw.select(*[F.col(source).cast(kind).alias(target) for source, _, target, kind in MAPPING])


def main(argv=None):
    # Glue-only imports stay here so that importing this module needs pyspark alone.
    from awsglue.context import GlueContext
    from awsglue.dynamicframe import DynamicFrame
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
    from pyspark.context import SparkContext

    args = getResolvedOptions(sys.argv if argv is None else argv, JOB_ARGUMENTS)
    glue = GlueContext(SparkContext.getOrCreate())
    glue.spark_session.conf.set("spark.sql.session.timeZone", "UTC")
    job = Job(glue)
    job.init(args["JOB_NAME"], args)

    # transformation_ctx names are the bookmark keys: keep them stable.
    source = glue.create_dynamic_frame.from_catalog(
        database=args["database_name"],
        table_name=args["raw_table_name"],
        transformation_ctx="raw_clicks",
    )
    # A crawler can see one column with two types (a "choice"); settle every
    # mapped column on its raw type before leaving DynamicFrames.
    source = source.resolveChoice(specs=[(column, "cast:" + kind) for column, kind, _, _ in MAPPING])
    raw = source.toDF()
    if not raw.columns or not raw.head(1):
        print("clicks_etl: no new raw clicks since the last bookmark; nothing to write")
    else:
        lake = DynamicFrame.fromDF(transform(raw), glue, "lake_clicks")
        glue.write_dynamic_frame.from_catalog(
            frame=lake,
            database=args["database_name"],
            table_name=args["table_name"],
            additional_options={"partitionKeys": PARTITION_KEYS},
            transformation_ctx="lake_clicks",
        )
    job.commit()


if __name__ == "__main__":
    main()
