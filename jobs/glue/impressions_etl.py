"""Glue ETL (PySpark): crawled raw impressions -> the ORC `impressions` lake table.

Runs as a Glue `glueetl` job with job bookmarks enabled, so each run picks up
only the raw files that arrived since the last committed run. Reads
`raw_impressions` and writes `impressions` (the job arguments are listed in lake_etl.py).

This file states what is particular to impressions: its column mapping. The steps
are shared with the other lake jobs in lake_etl.py, which Glue puts on the
Python path through the job's `--extra-py-files` argument.
"""

import lake_etl
from pyspark.sql import DataFrame

DATASET = "impressions"

# The one column mapping of this job, in Glue's ApplyMapping shape:
# (raw column, raw type, lake column, lake type). The raw partitions are
# Firehose's UTC arrival prefix YYYY/MM/DD/HH; year and month come from it.
MAPPING = [
    ("impression_id", "string", "impression_id", "string"),
    ("ad_id", "string", "ad_id", "string"),
    ("occurred_at", "string", "occurred_at", "timestamp"),
    ("partition_0", "string", "year", "int"),
    ("partition_1", "string", "month", "int"),
]


def transform(raw: DataFrame) -> DataFrame:
    """Maps raw impressions onto the lake table's columns and types (plain Spark)."""
    return lake_etl.transform(raw, DATASET, MAPPING)


if __name__ == "__main__":
    lake_etl.main(DATASET, MAPPING)
