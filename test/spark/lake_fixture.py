"""A small raw data set, and the lake tables built from it the way production does.

Rows are shaped like the raw crawler's tables: every column a string, plus
partition_0..3 from Firehose's UTC arrival prefix YYYY/MM/DD/HH (which can be
later than the event itself). The scheduled day of most tests is 2019-06-06.

  ad-a  three impressions on the 6th: one clicked the same minute (the click
        delivered twice), one never clicked (the impression delivered twice),
        one at 23:59:50 clicked after midnight, i.e. on the 7th
  ad-b  two impressions on the 6th, never clicked
  ad-c  an impression on the 5th clicked on the 6th, and one on the 7th:
        nothing of ad-c belongs to the 6th
  ad-d  an impression at 23:59 on June 30, clicked on July 1, both delivered
        into July's partition
"""

import importlib
import importlib.util
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
GLUE_JOBS = REPO_ROOT / "jobs" / "glue"

# Glue puts a job's --extra-py-files on its Python path; the job scripts'
# folder stands in for that here, so `import lake_etl` finds the shared module.
if str(GLUE_JOBS) not in sys.path:
    sys.path.insert(0, str(GLUE_JOBS))

# The lake's Glue database as a stack names it (lakeDatabaseName in
# src/stacks/advertising/lake.ts): every job is given it, none writes it, so
# the tests use a name that is not the original's fixed `advertising`.
DATABASE = "advertising_51af3dc0_da77_11e4_872e_1234567db123"

IMPRESSION_COLUMNS = ["impression_id", "ad_id", "occurred_at", "partition_0", "partition_1", "partition_2", "partition_3"]
CLICK_COLUMNS = ["click_id", "impression_id", "ad_id", "occurred_at", "partition_0", "partition_1", "partition_2", "partition_3"]


def _arrived(year, month, day, hour):
    return ["%04d" % year, "%02d" % month, "%02d" % day, "%02d" % hour]


RAW_IMPRESSIONS = [
    ["i-a1", "ad-a", "2019-06-06 10:00:00", *_arrived(2019, 6, 6, 10)],
    ["i-a2", "ad-a", "2019-06-06 12:00:00", *_arrived(2019, 6, 6, 12)],
    ["i-a2", "ad-a", "2019-06-06 12:00:00", *_arrived(2019, 6, 6, 12)],
    ["i-a3", "ad-a", "2019-06-06 23:59:50", *_arrived(2019, 6, 7, 0)],
    ["i-b1", "ad-b", "2019-06-06 08:00:00", *_arrived(2019, 6, 6, 8)],
    ["i-b2", "ad-b", "2019-06-06 09:00:00", *_arrived(2019, 6, 6, 9)],
    ["i-c1", "ad-c", "2019-06-05 23:59:55", *_arrived(2019, 6, 6, 0)],
    ["i-c2", "ad-c", "2019-06-07 07:00:00", *_arrived(2019, 6, 7, 7)],
    ["i-d1", "ad-d", "2019-06-30 23:59:00", *_arrived(2019, 7, 1, 0)],
]

RAW_CLICKS = [
    ["c-a1", "i-a1", "ad-a", "2019-06-06 10:00:30", *_arrived(2019, 6, 6, 10)],
    ["c-a1", "i-a1", "ad-a", "2019-06-06 10:00:30", *_arrived(2019, 6, 6, 10)],
    ["c-a3", "i-a3", "ad-a", "2019-06-07 00:00:20", *_arrived(2019, 6, 7, 0)],
    ["c-c1", "i-c1", "ad-c", "2019-06-06 00:00:05", *_arrived(2019, 6, 6, 0)],
    ["c-d1", "i-d1", "ad-d", "2019-07-01 00:00:10", *_arrived(2019, 7, 1, 0)],
]

# The Glue catalog's lake tables (columns, partition keys, ORC), as Hive DDL.
LAKE_TABLES = {
    "impressions": "impression_id STRING, ad_id STRING, occurred_at TIMESTAMP",
    "clicks": "impression_id STRING, click_id STRING, ad_id STRING, occurred_at TIMESTAMP",
    "advertising": "ad_id STRING, impression_at TIMESTAMP, click_at TIMESTAMP",
}


def load_job(name: str):
    """Imports jobs/glue/<name>.py as a module, the way a test (not Glue) would."""
    path = GLUE_JOBS / (name + ".py")
    spec = importlib.util.spec_from_file_location("dataless_job_" + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lake_etl():
    """The Python jobs' shared module, imported as the jobs import it."""
    return importlib.import_module("lake_etl")


def raw_frame(spark, rows, columns):
    from pyspark.sql.types import StringType, StructField, StructType

    return spark.createDataFrame(rows, StructType([StructField(c, StringType()) for c in columns]))


def create_lake_table(spark, name: str, location: Path = None) -> None:
    """Creates <DATABASE>.<name> like the catalog declares it; external when given a location."""
    external = "EXTERNAL " if location is not None else ""
    where = " LOCATION '%s'" % location.as_uri() if location is not None else ""
    spark.sql(
        "CREATE %sTABLE %s.%s (%s) PARTITIONED BY (year INT, month INT) STORED AS ORC%s"
        % (external, DATABASE, name, LAKE_TABLES[name], where)
    )


def write_lake_files(spark, root: Path) -> None:
    """Runs the Python Glue transformations over the raw rows and writes their
    output as Glue does: ORC files in year=/month= folders, not yet catalogued."""
    for job, rows, columns, table in [
        ("impressions_etl", RAW_IMPRESSIONS, IMPRESSION_COLUMNS, "impressions"),
        ("clicks_etl", RAW_CLICKS, CLICK_COLUMNS, "clicks"),
    ]:
        lake = load_job(job).transform(raw_frame(spark, rows, columns))
        lake.write.partitionBy(*lake_etl().PARTITION_KEYS).orc(str(root / table))
