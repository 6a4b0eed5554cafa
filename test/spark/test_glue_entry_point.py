"""The Python jobs' shared Glue entry point, lake_etl.main, on a local Spark.

awsglue exists only inside Glue, so each test puts a small stand-in for the
five names main() imports into sys.modules (removed again afterwards). The
stand-in records what main() asks of Glue: which table it reads and under which
bookmark key, how it settles column types, what it writes where, and that it
commits. The rows themselves go through the real transformation.
"""

import sys
import types

import pytest

from lake_fixture import DATABASE, CLICK_COLUMNS, IMPRESSION_COLUMNS, RAW_CLICKS, RAW_IMPRESSIONS, lake_etl, load_job, raw_frame


def job_argv(dataset: str, job_name: str) -> list:
    """The command line Glue gives the job: its name and the template's DefaultArguments."""
    return [
        "script.py",
        "--JOB_NAME",
        job_name,
        "--database_name",
        DATABASE,
        "--raw_table_name",
        "raw_" + dataset,
        "--table_name",
        dataset,
    ]


class FakeGlue:
    """What the job asked of Glue, and the raw frame Glue hands it."""

    def __init__(self, raw):
        self.raw = raw
        self.calls = []

    def modules(self):
        glue = self

        class DynamicFrame:
            def __init__(self, frame, name=None):
                self.frame = frame
                self.name = name

            def resolveChoice(self, specs):
                glue.calls.append(("resolveChoice", specs))
                return self

            def toDF(self):
                return self.frame

            @classmethod
            def fromDF(cls, frame, context, name):
                assert isinstance(context, GlueContext)
                return cls(frame, name)

        class Reader:
            def from_catalog(self, **options):
                glue.calls.append(("read", options))
                return DynamicFrame(glue.raw)

        class Writer:
            def from_catalog(self, frame, **options):
                glue.calls.append(("write", frame.name, options))
                glue.written = frame.frame

        class Conf:
            def set(self, key, value):
                glue.calls.append(("conf", key, value))

        class GlueContext:
            def __init__(self, spark_context):
                self.spark_context = spark_context
                self.spark_session = types.SimpleNamespace(conf=Conf())
                self.create_dynamic_frame = Reader()
                self.write_dynamic_frame = Writer()

        class Job:
            def __init__(self, context):
                assert isinstance(context, GlueContext)

            def init(self, name, args):
                glue.calls.append(("init", name, dict(args)))

            def commit(self):
                glue.calls.append(("commit",))

        def getResolvedOptions(argv, names):
            pairs = dict(zip(argv[1::2], argv[2::2]))
            return {name: pairs["--" + name] for name in names}

        def module(name, **members):
            made = types.ModuleType(name)
            made.__dict__.update(members)
            return made

        return {
            "awsglue": module("awsglue"),
            "awsglue.context": module("awsglue.context", GlueContext=GlueContext),
            "awsglue.dynamicframe": module("awsglue.dynamicframe", DynamicFrame=DynamicFrame),
            "awsglue.job": module("awsglue.job", Job=Job),
            "awsglue.utils": module("awsglue.utils", getResolvedOptions=getResolvedOptions),
        }


def rows(frame):
    return sorted((tuple(row) for row in frame.collect()), key=repr)


@pytest.fixture
def fake_glue(monkeypatch):
    def install(raw):
        glue = FakeGlue(raw)
        for name, module in glue.modules().items():
            monkeypatch.setitem(sys.modules, name, module)
        return glue

    return install


def test_a_run_reads_new_raw_rows_and_writes_them_to_the_lake_table_under_stable_bookmark_keys(spark, fake_glue):
    # given new raw clicks waiting behind the bookmark
    clicks = load_job("clicks_etl")
    glue = fake_glue(raw_frame(spark, RAW_CLICKS, CLICK_COLUMNS))

    # when the clicks job runs
    lake_etl().main("clicks", clicks.MAPPING, job_argv("clicks", "ClicksPythonETLJob"))

    # then it pins UTC, reads raw_clicks, settles the mapped columns on their raw
    # types, writes the clicks table by year and month, and commits the bookmark
    expected_args = {
        "JOB_NAME": "ClicksPythonETLJob",
        "database_name": DATABASE,
        "raw_table_name": "raw_clicks",
        "table_name": "clicks",
    }
    assert glue.calls == [
        ("conf", "spark.sql.session.timeZone", "UTC"),
        ("init", "ClicksPythonETLJob", expected_args),
        ("read", {"database": DATABASE, "table_name": "raw_clicks", "transformation_ctx": "raw_clicks"}),
        (
            "resolveChoice",
            [
                ("impression_id", "cast:string"),
                ("click_id", "cast:string"),
                ("ad_id", "cast:string"),
                ("occurred_at", "cast:string"),
                ("partition_0", "cast:string"),
                ("partition_1", "cast:string"),
            ],
        ),
        (
            "write",
            "lake_clicks",
            {
                "database": DATABASE,
                "table_name": "clicks",
                "additional_options": {"partitionKeys": ["year", "month"]},
                "transformation_ctx": "lake_clicks",
            },
        ),
        ("commit",),
    ]
    # and what it wrote is the job's transformation of the raw rows
    assert rows(glue.written) == rows(clicks.transform(glue.raw))


def test_the_bookmark_keys_follow_the_data_set(spark, fake_glue):
    # given new raw impressions
    impressions = load_job("impressions_etl")
    glue = fake_glue(raw_frame(spark, RAW_IMPRESSIONS, IMPRESSION_COLUMNS))

    # when the impressions job runs
    lake_etl().main("impressions", impressions.MAPPING, job_argv("impressions", "ImpressionsPythonETLJob"))

    # then its source and sink are keyed raw_impressions and lake_impressions
    read = next(call for call in glue.calls if call[0] == "read")
    write = next(call for call in glue.calls if call[0] == "write")
    assert read[1]["transformation_ctx"] == "raw_impressions"
    assert (write[1], write[2]["transformation_ctx"]) == ("lake_impressions", "lake_impressions")


@pytest.mark.parametrize("columns", [IMPRESSION_COLUMNS, []], ids=["no-new-rows", "no-columns-yet"])
def test_a_run_with_nothing_new_writes_nothing_and_still_commits(spark, fake_glue, capsys, columns):
    # given no raw impressions behind the bookmark (or a raw table still without columns)
    impressions = load_job("impressions_etl")
    glue = fake_glue(raw_frame(spark, [], columns))

    # when the impressions job runs
    lake_etl().main("impressions", impressions.MAPPING, job_argv("impressions", "ImpressionsPythonETLJob"))

    # then nothing is written, the run says so, and the bookmark is committed
    assert [call[0] for call in glue.calls] == ["conf", "init", "read", "resolveChoice", "commit"]
    assert "impressions_etl: no new raw impressions since the last bookmark; nothing to write" in capsys.readouterr().out
