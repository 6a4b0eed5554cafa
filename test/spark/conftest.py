"""One local SparkSession for the whole test/spark group.

Spark runs in-process on 127.0.0.1 (`local[2]`, no UI) with Hive support, a
Derby metastore and a warehouse in a temporary directory, so nothing is left
in the work tree. Time zones are pinned to UTC everywhere: the events are UTC
and Hive's ORC writer stamps timestamps with the JVM's zone.

Before the JVM starts, the plain-Spark part of each Scala Glue job (every
object above its `GlueApp` entry point) is compiled with the Scala compiler
that ships inside pyspark, and put on the driver's class path, so that the
Scala transformations can be run on the same data as the Python ones.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCALA_JOBS = ["jobs/glue/impressions_etl.scala", "jobs/glue/clicks_etl.scala"]
GLUE_ENTRY_POINT = "object GlueApp {"

# Spark binds and advertises the loopback address only.
os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
os.environ["TZ"] = "UTC"
time.tzset()
# The driver and the Python workers must be this interpreter (the venv's).
os.environ["PYSPARK_PYTHON"] = sys.executable
os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable


def spark_jars() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent / "jars"


def plain_spark_part(scala_source: str, path: str) -> str:
    """The Scala source above the Glue entry point: the part with no Glue import."""
    lines = scala_source.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith(GLUE_ENTRY_POINT):
            return "".join(lines[:index])
    raise AssertionError(
        "%s has no line starting with %r; the Glue entry point must be the last object "
        "so the tests can compile the rest against plain Spark" % (path, GLUE_ENTRY_POINT)
    )


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def spark_tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("spark")


@pytest.fixture(scope="session")
def scala_lake_classes(spark_tmp) -> Path:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not on PATH; the Spark tests need a Java 17 runtime")
    sources = spark_tmp / "scala-src"
    classes = spark_tmp / "scala-classes"
    sources.mkdir()
    classes.mkdir()
    files = []
    for job in SCALA_JOBS:
        target = sources / Path(job).name
        target.write_text(plain_spark_part((REPO_ROOT / job).read_text(), job))
        files.append(str(target))
    compiled = subprocess.run(
        [java, "-cp", str(spark_jars() / "*"), "scala.tools.nsc.Main", "-usejavacp", "-d", str(classes), *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if compiled.returncode != 0:
        pytest.fail("the Scala Glue jobs do not compile against Spark:\n" + compiled.stdout + compiled.stderr)
    return classes


@pytest.fixture(scope="session")
def spark(spark_tmp, scala_lake_classes):
    from pyspark.sql import SparkSession

    utc = "-Duser.timezone=UTC -Dderby.system.home=%s" % (spark_tmp / "derby")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("dataless-jobs-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", utc)
        .config("spark.executor.extraJavaOptions", utc)
        .config("spark.driver.extraClassPath", str(scala_lake_classes))
        .config("spark.sql.warehouse.dir", str(spark_tmp / "warehouse"))
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            "jdbc:derby:;databaseName=%s;create=true" % (spark_tmp / "metastore"),
        )
        # Write Hive ORC tables through Hive's own writer, as Hive on EMR does.
        # Spark's native ORC path refuses an INSERT OVERWRITE that reads the
        # partition it replaces; Hive stages the output and allows it.
        .config("spark.sql.hive.convertMetastoreOrc", "false")
        .enableHiveSupport()
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
