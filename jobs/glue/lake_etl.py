"""The steps every Glue PySpark raw-to-lake job shares (impressions_etl.py,
clicks_etl.py): the column mapping applied as a plain-Spark transformation,
and the Glue entry point around it.

Each job script states only its data set's name and its column mapping, then
hands both to this module. Glue puts this file on the job's Python path
(the jobs' `--extra-py-files` argument), so a job imports it as `lake_etl`.

A mapping is a list in Glue's ApplyMapping shape:
(raw column, raw type, lake column, lake type). The raw partitions are
Firehose's UTC arrival prefix YYYY/MM/DD/HH; year and month come from it.

Job arguments (Glue passes them as `--name value`):
  JOB_NAME        set by Glue itself
  database_name   Glue database holding both tables (the lake stack's, one per stack)
  raw_table_name  table the raw crawler made from the Firehose output (`raw_<dataset>`)
  table_name      ORC lake table, partitioned by year and month (`<dataset>`)

Only `main()` touches awsglue, and imports it lazily, so importing this
module (and any job) needs pyspark alone.
"""

import sys

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

PARTITION_KEYS = ["year", "month"]

JOB_ARGUMENTS = ["JOB_NAME", "database_name", "raw_table_name", "table_name"]


def transform(raw: DataFrame, dataset: str, mapping: list) -> DataFrame:
    """Maps raw rows of `dataset` onto the lake table's columns and types.

    `occurred_at` is a 'yyyy-MM-dd HH:mm:ss' UTC string; the cast reads it in
    the session time zone, which main() pins to UTC. A value that is not a
    timestamp becomes null rather than failing the whole run.
    """
    missing = [source for source, _, _, _ in mapping if source not in raw.columns]
    if missing:
        raise ValueError(
            "raw %s lack column(s) %s; the raw crawler must have run over "
            "the Firehose output (found: %s)" % (dataset, ", ".join(missing), ", ".join(raw.columns) or "none")
        )
    return raw.select(*[F.col(source).cast(kind).alias(target) for source, _, target, kind in mapping])


def main(dataset: str, mapping: list, argv=None) -> None:
    """Runs one bookmarked pass of the `dataset` job: new raw rows into the lake table."""
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
        transformation_ctx="raw_" + dataset,
    )
    # A crawler can see one column with two types (a "choice"); settle every
    # mapped column on its raw type before leaving DynamicFrames.
    source = source.resolveChoice(specs=[(column, "cast:" + kind) for column, kind, _, _ in mapping])
    raw = source.toDF()
    if not raw.columns or not raw.head(1):
        print("%s_etl: no new raw %s since the last bookmark; nothing to write" % (dataset, dataset))
    else:
        lake = DynamicFrame.fromDF(transform(raw, dataset, mapping), glue, "lake_" + dataset)
        glue.write_dynamic_frame.from_catalog(
            frame=lake,
            database=args["database_name"],
            table_name=args["table_name"],
            additional_options={"partitionKeys": PARTITION_KEYS},
            transformation_ctx="lake_" + dataset,
        )
    job.commit()
