"""The one local SparkSession that runs the data jobs off AWS.

Spark runs in-process on 127.0.0.1 (`local[2]`, no UI) with Hive support, a
Derby metastore and a warehouse under a given scratch folder, so nothing is
left behind. Time zones are pinned to UTC everywhere: the events are UTC and
Hive's ORC writer stamps timestamps with the JVM's zone. Used by
`dataless local batch` (local_batch.py) and by the tests in test/spark.
"""

import os
import sys
import time
from pathlib import Path

# Spark binds and advertises the loopback address only.
os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
os.environ["TZ"] = "UTC"
time.tzset()
# The driver and the Python workers must be this interpreter (the venv's).
os.environ["PYSPARK_PYTHON"] = sys.executable
os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable


def local_session(scratch: Path, app_name: str, extra_class_path: Path = None, metastore_in_memory: bool = False):
    """The session; with `metastore_in_memory`, the Derby metastore lives in memory,
    which halves Hive's start on first use (nothing needs it after the session)."""
    from pyspark.sql import SparkSession

    if metastore_in_memory:
        metastore = "jdbc:derby:memory:metastore;create=true"
    else:
        metastore = "jdbc:derby:;databaseName=%s;create=true" % (scratch / "metastore")
    utc = "-Duser.timezone=UTC -Dderby.system.home=%s" % (scratch / "derby")
    builder = (
        SparkSession.builder.master("local[2]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", utc)
        .config("spark.executor.extraJavaOptions", utc)
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
        .config("spark.hadoop.javax.jdo.option.ConnectionURL", metastore)
        # Write Hive ORC tables through Hive's own writer, as Hive on EMR does.
        # Spark's native ORC path refuses an INSERT OVERWRITE that reads the
        # partition it replaces; Hive stages the output and allows it.
        .config("spark.sql.hive.convertMetastoreOrc", "false")
    )
    if extra_class_path is not None:
        builder = builder.config("spark.driver.extraClassPath", str(extra_class_path))
    session = builder.enableHiveSupport().getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
