"""One local SparkSession for the whole test/spark group: the local batch's
(src/local/spark/session.py), with its scratch folder in a temporary
directory, so nothing is left in the work tree.

Before the JVM starts, the plain-Spark part of each Scala Glue job (every
object above its `GlueApp` entry point) is compiled with the Scala compiler
that ships inside pyspark, and put on the driver's class path, so that the
Scala transformations can be run on the same data as the Python ones.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# The Hive script runner is the local batch's (src/local/spark/hive_script.py):
# the tests run the scripts exactly as `dataless local batch` does.
if str(REPO_ROOT / "src" / "local" / "spark") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "src" / "local" / "spark"))
SCALA_JOBS = ["jobs/glue/impressions_etl.scala", "jobs/glue/clicks_etl.scala"]
GLUE_ENTRY_POINT = "object GlueApp {"

from session import local_session  # noqa: E402  (src/local/spark, put on the path above)


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
    session = local_session(spark_tmp, "dataless-jobs-tests", extra_class_path=scala_lake_classes)
    yield session
    session.stop()
