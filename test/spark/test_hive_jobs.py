"""The Hive scripts of jobs/hive/, run as shipped on Spark SQL over a small lake.

The lake's impressions and clicks are produced by the Python Glue
transformations from the raw rows in lake_fixture.py and written as
uncatalogued year=/month= folders, as Glue leaves them; the extract's MSCK
REPAIR has to find them. Each test starts from an empty advertising table.
"""

from pathlib import Path

import pytest

from hive_script import run_hive_script
from lake_fixture import DATABASE, create_lake_table, write_lake_files

HIVE = Path(__file__).resolve().parents[2] / "jobs" / "hive"


def day(start: str, end: str) -> dict:
    """The variables a daily Hive job gets for the day starting at `start`: the
    stack's lake database and the day's parts."""
    year, month, _ = (int(part) for part in start.split("-"))
    return {"DATABASE": DATABASE, "PARTITION_YEAR": year, "PARTITION_MONTH": month, "DATE_START": start, "DATE_END": end}


JUNE_5 = day("2019-06-05", "2019-06-06")
JUNE_6 = day("2019-06-06", "2019-06-07")
JUNE_30 = day("2019-06-30", "2019-07-01")


@pytest.fixture(scope="module")
def lake_files(spark, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lake")
    write_lake_files(spark, root)
    return root


@pytest.fixture(scope="module")
def lake_database(spark, lake_files):
    spark.sql("DROP DATABASE IF EXISTS %s CASCADE" % DATABASE)
    spark.sql("CREATE DATABASE %s" % DATABASE)
    create_lake_table(spark, "impressions", lake_files / "impressions")
    create_lake_table(spark, "clicks", lake_files / "clicks")
    yield spark
    spark.sql("DROP DATABASE %s CASCADE" % DATABASE)


@pytest.fixture
def lake(lake_database):
    """The lake as Glue leaves it (files, no catalogued partition) and an empty
    advertising table."""
    spark = lake_database
    for table in ("impressions", "clicks"):
        # Metadata only: the tables are external, their files stay.
        spark.sql(
            "ALTER TABLE %s.%s DROP IF EXISTS "
            "PARTITION (year = 2019, month = 6), PARTITION (year = 2019, month = 7)" % (DATABASE, table)
        )
    spark.sql("DROP TABLE IF EXISTS %s.advertising" % DATABASE)
    create_lake_table(spark, "advertising")
    return spark


def extract(spark, variables):
    run_hive_script(spark, HIVE / "extract_advertising_data.hql", variables)


def advertising_rows(spark):
    return [
        tuple(row)
        for row in spark.sql(
            "SELECT ad_id, date_format(impression_at, 'yyyy-MM-dd HH:mm:ss'), "
            "date_format(click_at, 'yyyy-MM-dd HH:mm:ss'), year, month "
            "FROM %s.advertising ORDER BY ad_id, impression_at" % DATABASE
        ).collect()
    ]


def plain_output_table(spark, name: str, columns: str) -> dict:
    """A plain table standing in for the one Data Pipeline stages as ${output1}
    (the DynamoDB storage-handler table or the S3 CSV staging table), with the
    columns of that data node's format."""
    spark.sql("DROP TABLE IF EXISTS %s" % name)
    spark.sql("CREATE TABLE %s (%s) STORED AS ORC" % (name, columns))
    return {"output1": name}


JUNE_6_ROWS = [
    ("ad-a", "2019-06-06 10:00:00", "2019-06-06 10:00:30", 2019, 6),
    ("ad-a", "2019-06-06 12:00:00", None, 2019, 6),
    ("ad-a", "2019-06-06 23:59:50", "2019-06-07 00:00:20", 2019, 6),
    ("ad-b", "2019-06-06 08:00:00", None, 2019, 6),
    ("ad-b", "2019-06-06 09:00:00", None, 2019, 6),
]


class TestExtractAdvertisingData:
    def test_builds_one_row_per_impression_of_the_day_with_its_first_click(self, lake):
        # when the day is extracted
        extract(lake, JUNE_6)

        # then each impression of the 6th appears once, duplicates dropped, the
        # click after midnight attached, and nothing from the 5th or the 7th
        assert advertising_rows(lake) == JUNE_6_ROWS

    def test_rerunning_the_same_day_leaves_the_same_rows(self, lake):
        # given the day already extracted
        extract(lake, JUNE_6)

        # when it is extracted again
        extract(lake, JUNE_6)

        # then nothing is duplicated
        assert advertising_rows(lake) == JUNE_6_ROWS

    def test_keeps_the_other_days_of_the_month_partition(self, lake):
        # given the 5th and the 6th extracted
        extract(lake, JUNE_5)
        extract(lake, JUNE_6)

        # when the 6th is extracted again
        extract(lake, JUNE_6)

        # then the 5th is still there, once, beside the 6th
        june_5 = [("ad-c", "2019-06-05 23:59:55", "2019-06-06 00:00:05", 2019, 6)]
        assert advertising_rows(lake) == sorted(june_5 + JUNE_6_ROWS)

    def test_reads_events_delivered_into_the_next_month(self, lake):
        # when the last day of June is extracted (its last impression and the
        # click on it arrived after midnight, in July's partition)
        extract(lake, JUNE_30)

        # then the impression is filed under June with its click
        assert advertising_rows(lake) == [("ad-d", "2019-06-30 23:59:00", "2019-07-01 00:00:10", 2019, 6)]

    def test_catalogues_the_lake_partitions_glue_wrote(self, lake):
        # given lake tables with folders on disk but no catalogued partition
        assert lake.sql("SHOW PARTITIONS %s.impressions" % DATABASE).count() == 0

        # when the extract runs
        extract(lake, JUNE_6)

        # then the partitions Glue wrote are known to the catalog
        partitions = sorted(row[0] for row in lake.sql("SHOW PARTITIONS %s.impressions" % DATABASE).collect())
        assert partitions == ["year=2019/month=6", "year=2019/month=7"]


class TestLoadAdTrafficTable:
    COLUMNS = "ad_id STRING, day STRING, impressions BIGINT, clicks BIGINT"

    def traffic(self, spark, variables):
        output = plain_output_table(spark, "ad_traffic", self.COLUMNS)
        run_hive_script(spark, HIVE / "load_ad_traffic_table.hql", {**variables, **output})
        return [tuple(row) for row in spark.sql("SELECT * FROM ad_traffic ORDER BY ad_id, day").collect()]

    def test_counts_every_impression_and_click_per_ad_and_day(self, lake):
        # given the 6th extracted
        extract(lake, JUNE_6)

        # when the traffic of the 6th is loaded
        rows = self.traffic(lake, JUNE_6)

        # then ad-a has all three impressions and both clicks (one made after
        # midnight), ad-b is there with no clicks, and ad-c, with nothing shown
        # on the 6th, is absent
        assert rows == [("ad-a", "2019-06-06", 3, 2), ("ad-b", "2019-06-06", 2, 0)]

    def test_counts_only_the_scheduled_day(self, lake):
        # given the 5th and the 6th extracted
        extract(lake, JUNE_5)
        extract(lake, JUNE_6)

        # when the traffic of the 5th is loaded
        rows = self.traffic(lake, JUNE_5)

        # then only the 5th is counted, with the click made on the 6th
        assert rows == [("ad-c", "2019-06-05", 1, 1)]


class TestStageForRedshift:
    def stage(self, spark, script, columns, variables):
        output = plain_output_table(spark, "staging", columns)
        run_hive_script(spark, HIVE / script, {**variables, **output})
        return spark.sql("SELECT * FROM staging").collect()

    def test_stages_the_days_impressions(self, lake):
        # when the impressions of the 6th are staged
        rows = self.stage(
            lake,
            "stage_impressions_for_redshift.hql",
            "impression_id STRING, ad_id STRING, occurred_at TIMESTAMP",
            JUNE_6,
        )

        # then every lake row of the 6th is copied, including the one delivered
        # on the 7th, and none of the 5th or 7th
        assert sorted(row.impression_id for row in rows) == ["i-a1", "i-a2", "i-a2", "i-a3", "i-b1", "i-b2"]

    def test_stages_impressions_delivered_into_the_next_month(self, lake):
        rows = self.stage(
            lake,
            "stage_impressions_for_redshift.hql",
            "impression_id STRING, ad_id STRING, occurred_at TIMESTAMP",
            JUNE_30,
        )
        assert [row.impression_id for row in rows] == ["i-d1"]

    def test_stages_the_days_clicks(self, lake):
        # when the clicks of the 6th are staged
        rows = self.stage(
            lake,
            "stage_clicks_for_redshift.hql",
            "click_id STRING, impression_id STRING, ad_id STRING, occurred_at TIMESTAMP",
            JUNE_6,
        )

        # then the clicks made on the 6th are copied (whatever day their
        # impression was), and the click made on the 7th is not
        assert sorted(row.click_id for row in rows) == ["c-a1", "c-a1", "c-c1"]

    def test_stages_the_days_advertising_rows(self, lake):
        # given the 5th and the 6th extracted
        extract(lake, JUNE_5)
        extract(lake, JUNE_6)

        # when the advertising rows of the 6th are staged
        rows = self.stage(
            lake,
            "stage_advertising_for_redshift.hql",
            "ad_id STRING, impression_at TIMESTAMP, click_at TIMESTAMP",
            JUNE_6,
        )

        # then exactly the 6th's rows are copied
        staged = sorted(
            (row.ad_id, row.impression_at.strftime("%Y-%m-%d %H:%M:%S"), row.click_at and row.click_at.strftime("%Y-%m-%d %H:%M:%S"))
            for row in rows
        )
        assert staged == [row[:3] for row in JUNE_6_ROWS]
