"""The Glue ETL jobs' transformations, on plain Spark over raw rows shaped like
the raw crawler's tables (lake_fixture.py).

The Python jobs are imported as modules (no awsglue here), with their shared
module lake_etl on the path as Glue's --extra-py-files puts it; the Scala jobs'
plain-Spark objects were compiled by conftest.py and are called through the
JVM, so both languages are checked against the same data and expectations.
"""

import runpy
import sys

import pytest
from pyspark.sql import DataFrame

from lake_fixture import (
    CLICK_COLUMNS,
    GLUE_JOBS,
    IMPRESSION_COLUMNS,
    RAW_CLICKS,
    RAW_IMPRESSIONS,
    lake_etl,
    load_job,
    raw_frame,
)

IMPRESSIONS_SCHEMA = [
    ("impression_id", "string"),
    ("ad_id", "string"),
    ("occurred_at", "timestamp"),
    ("year", "int"),
    ("month", "int"),
]
CLICKS_SCHEMA = [
    ("impression_id", "string"),
    ("click_id", "string"),
    ("ad_id", "string"),
    ("occurred_at", "timestamp"),
    ("year", "int"),
    ("month", "int"),
]

JOBS = {
    "impressions_etl": (RAW_IMPRESSIONS, IMPRESSION_COLUMNS, IMPRESSIONS_SCHEMA, "ImpressionsLake"),
    "clicks_etl": (RAW_CLICKS, CLICK_COLUMNS, CLICKS_SCHEMA, "ClicksLake"),
}


def rows_of(frame: DataFrame) -> list:
    """Rows with timestamps as UTC text, sorted, for exact comparison."""
    text = frame.select(
        *[
            frame[name].cast("string").alias(name) if kind == "timestamp" else frame[name]
            for name, kind in frame.dtypes
        ]
    )
    return sorted((tuple(row) for row in text.collect()), key=repr)


def scala_transform(spark, scala_object: str, raw: DataFrame) -> DataFrame:
    lake_object = getattr(spark.sparkContext._jvm, scala_object)
    return DataFrame(lake_object.transform(raw._jdf), spark)


LAKE_IMPRESSIONS = [
    ("i-a1", "ad-a", "2019-06-06 10:00:00", 2019, 6),
    ("i-a2", "ad-a", "2019-06-06 12:00:00", 2019, 6),
    ("i-a2", "ad-a", "2019-06-06 12:00:00", 2019, 6),
    ("i-a3", "ad-a", "2019-06-06 23:59:50", 2019, 6),
    ("i-b1", "ad-b", "2019-06-06 08:00:00", 2019, 6),
    ("i-b2", "ad-b", "2019-06-06 09:00:00", 2019, 6),
    ("i-c1", "ad-c", "2019-06-05 23:59:55", 2019, 6),
    ("i-c2", "ad-c", "2019-06-07 07:00:00", 2019, 6),
    ("i-d1", "ad-d", "2019-06-30 23:59:00", 2019, 7),
]
LAKE_CLICKS = [
    ("i-a1", "c-a1", "ad-a", "2019-06-06 10:00:30", 2019, 6),
    ("i-a1", "c-a1", "ad-a", "2019-06-06 10:00:30", 2019, 6),
    ("i-a3", "c-a3", "ad-a", "2019-06-07 00:00:20", 2019, 6),
    ("i-c1", "c-c1", "ad-c", "2019-06-06 00:00:05", 2019, 6),
    ("i-d1", "c-d1", "ad-d", "2019-07-01 00:00:10", 2019, 7),
]


@pytest.mark.parametrize(
    "job, expected",
    [("impressions_etl", LAKE_IMPRESSIONS), ("clicks_etl", LAKE_CLICKS)],
)
def test_the_python_job_maps_raw_columns_to_the_lake_schema(spark, job, expected):
    # given the raw rows as the crawler types them (all strings)
    rows, columns, schema, _ = JOBS[job]
    raw = raw_frame(spark, rows, columns)

    # when the job's transformation runs
    lake = load_job(job).transform(raw)

    # then the lake table's columns come out in order with their types, the
    # raw day/hour partitions dropped, year/month taken from the arrival prefix
    assert lake.dtypes == schema
    assert rows_of(lake) == sorted(expected, key=repr)


def test_an_event_is_filed_under_the_month_it_arrived_in(spark):
    # given the impression at 23:59 on June 30 that Firehose delivered in July
    raw = raw_frame(spark, RAW_IMPRESSIONS, IMPRESSION_COLUMNS)

    # when it is transformed
    lake = load_job("impressions_etl").transform(raw).filter("impression_id = 'i-d1'")

    # then it keeps its June time but lands in July's partition
    assert rows_of(lake) == [("i-d1", "ad-d", "2019-06-30 23:59:00", 2019, 7)]


def test_a_malformed_time_becomes_null_instead_of_failing_the_run(spark):
    # given a raw impression whose time is not a timestamp
    raw = raw_frame(spark, [["i-x", "ad-x", "yesterday", "2019", "06", "06", "10"]], IMPRESSION_COLUMNS)

    # when it is transformed
    lake = load_job("impressions_etl").transform(raw)

    # then the row is kept with no time
    assert rows_of(lake) == [("i-x", "ad-x", None, 2019, 6)]


def test_a_raw_table_without_a_mapped_column_is_refused_by_name(spark):
    # given raw clicks missing click_id and the partitions
    raw = raw_frame(spark, [["i-1", "ad-1", "2019-06-06 10:00:00"]], ["impression_id", "ad_id", "occurred_at"])

    # when the clicks job transforms them, then the error names what is missing
    with pytest.raises(ValueError, match=r"raw clicks lack column\(s\) click_id, partition_0, partition_1"):
        load_job("clicks_etl").transform(raw)


def test_the_lake_is_written_in_year_and_month_partitions(spark, tmp_path):
    # given the transformed impressions
    job = load_job("impressions_etl")
    lake = job.transform(raw_frame(spark, RAW_IMPRESSIONS, IMPRESSION_COLUMNS))

    # when they are written with the jobs' partition keys, as the Glue sink does
    lake.write.partitionBy(*lake_etl().PARTITION_KEYS).orc(str(tmp_path / "impressions"))

    # then the files sit in year=/month= folders and read back whole
    folders = sorted(
        str(path.relative_to(tmp_path / "impressions")) for path in (tmp_path / "impressions").glob("year=*/month=*")
    )
    assert folders == ["year=2019/month=6", "year=2019/month=7"]
    assert rows_of(spark.read.orc(str(tmp_path / "impressions")).select(*lake.columns)) == rows_of(lake)


@pytest.mark.parametrize("job", sorted(JOBS))
def test_the_scala_job_transforms_exactly_like_the_python_job(spark, job):
    # given the same raw rows
    rows, columns, _, scala_object = JOBS[job]
    raw = raw_frame(spark, rows, columns)

    # when both languages' transformations run
    python_lake = load_job(job).transform(raw)
    scala_lake = scala_transform(spark, scala_object, raw)

    # then they agree on schema and rows
    assert scala_lake.dtypes == python_lake.dtypes
    assert rows_of(scala_lake) == rows_of(python_lake)


def test_the_scala_job_refuses_a_raw_table_without_a_mapped_column(spark):
    raw = raw_frame(spark, [["i-1", "ad-1", "2019-06-06 10:00:00"]], ["impression_id", "ad_id", "occurred_at"])
    with pytest.raises(Exception, match=r"raw impressions lack column\(s\) partition_0, partition_1"):
        scala_transform(spark, "ImpressionsLake", raw)


@pytest.mark.parametrize("job", sorted(JOBS))
def test_the_python_job_imports_without_glue_and_needs_it_only_to_run(job, monkeypatch):
    # given no awsglue on this machine, and lake_etl not imported yet
    assert "awsglue" not in sys.modules
    monkeypatch.delitem(sys.modules, "lake_etl", raising=False)

    # when the job (and with it lake_etl) is imported, then nothing from Glue was loaded
    module = load_job(job)
    assert "awsglue" not in sys.modules

    # and the shared Glue entry point is what asks for Glue
    with pytest.raises(ModuleNotFoundError, match="awsglue"):
        lake_etl().main(job.replace("_etl", ""), module.MAPPING, ["job", "--JOB_NAME", "test"])


@pytest.mark.parametrize("job", sorted(JOBS))
def test_run_as_a_glue_script_the_job_hands_its_data_set_and_mapping_to_the_shared_entry_point(job, monkeypatch):
    # given the shared entry point replaced by a recorder
    calls = []
    monkeypatch.setattr(lake_etl(), "main", lambda *args: calls.append(args))

    # when Glue runs the script as __main__
    ran = runpy.run_path(str(GLUE_JOBS / (job + ".py")), run_name="__main__")

    # then the entry point ran once, for this data set with this job's mapping
    assert calls == [(job.replace("_etl", ""), ran["MAPPING"])]
    assert ran["MAPPING"] == load_job(job).MAPPING
