"""The Python side of `dataless local` (run from the project's .venv).

    local_batch.py catalog        reads {"databases": [...], "tables": [...]} (the
                                  templates' Glue resources, evaluated) on stdin and
                                  creates them in the AWS stand-in's Glue catalogue
    local_batch.py serve SCRATCH  runs batch steps sent as JSON lines on stdin, one
                                  answer line each on stdout, in one SparkSession

The steps do locally what the AWS services do with the same inputs:

  crawl  a Glue crawler: each S3 target folder becomes the table <prefix><folder>
         in the stand-in's catalogue, columns inferred from the JSON records,
         partition_0.. from the folders below the target (Firehose's YYYY/MM/DD/HH)
  glue   a Glue ETL job of the lake (jobs/glue/*_etl.py): the job's own plain-Spark
         transform() over the raw files its bookmark has not seen, written into the
         lake table's location partitioned by year and month; the bookmark is kept
         under the job's --TempDir, as Glue keeps its own in the service
  hive   a Hive script on Spark SQL (hive_script.py) over the catalogue; a table
         stored by the DynamoDB storage handler is a plain table here whose rows
         are put into its DynamoDB table after the script, as the handler would

Spark cannot read the stand-in's S3 (no S3 connector ships with pyspark), so
the data bucket is mirrored into SCRATCH/s3 when the session starts, and after
each step what changed in the mirror is uploaded (and what disappeared is
deleted) so that the stand-in's bucket holds what S3 would.
"""

import importlib.util
import json
import os
import re
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import boto3  # noqa: E402

DYNAMODB_HANDLER = "org.apache.hadoop.hive.dynamodb.DynamoDBStorageHandler"
NUMBER_TYPES = ("tinyint", "smallint", "int", "bigint", "float", "double", "decimal")


def client(service):
    return boto3.client(service, endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])


def split_s3(url):
    match = re.match(r"^s3://([^/]+)/?(.*)$", url)
    if not match:
        raise ValueError("%s is not an s3:// location" % url)
    return match.group(1), match.group(2)


# ---------------------------------------------------------------- catalog


def create_catalog(spec):
    glue = client("glue")
    for database in spec["databases"]:
        glue.create_database(DatabaseInput=database)
    for table in spec["tables"]:
        glue.create_table(DatabaseName=table["database"], TableInput=table["input"])


# ------------------------------------------------------------------ serve


class Batch:
    def __init__(self, scratch, buckets):
        from session import local_session

        self.scratch = Path(scratch)
        self.mirror = self.scratch / "s3"
        self.s3 = client("s3")
        self.glue = client("glue")
        self.dynamodb = client("dynamodb")
        self.buckets = buckets
        for bucket in buckets:
            self.download(bucket)
        self.spark = local_session(self.scratch, "dataless-local-batch", metastore_in_memory=True)

    # -- the mirror of the stand-in's buckets

    def local(self, url):
        bucket, key = split_s3(url)
        return self.mirror / bucket / key

    def download(self, bucket):
        paginator = self.s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                target = self.mirror / bucket / item["Key"]
                target.parent.mkdir(parents=True, exist_ok=True)
                self.s3.download_file(bucket, item["Key"], str(target))

    def snapshot(self):
        files = {}
        for path in self.mirror.rglob("*"):
            if path.is_file() and not skipped(path.relative_to(self.mirror)):
                stat = path.stat()
                files[path] = (stat.st_size, stat.st_mtime_ns)
        return files

    def upload_changes(self, before):
        after = self.snapshot()
        for path, signature in after.items():
            if before.get(path) != signature:
                bucket, key = self.object_of(path)
                self.s3.upload_file(str(path), bucket, key)
        for path in before:
            if path not in after:
                bucket, key = self.object_of(path)
                self.s3.delete_object(Bucket=bucket, Key=key)

    def object_of(self, path):
        parts = path.relative_to(self.mirror).parts
        return parts[0], "/".join(parts[1:])

    # -- steps

    def crawl(self, step):
        crawler = step["crawler"]
        database, prefix = crawler["database"], crawler.get("tablePrefix", "")
        objects, tables, partitions = 0, 0, 0
        for target in crawler["targets"]:
            root = self.local(target)
            files = data_files(root)
            if not files:
                continue
            objects += len(files)
            name = prefix + target.rstrip("/").split("/")[-1]
            columns = [{"Name": name, "Type": kind} for name, kind in json_columns(files).items()]
            depth = max(len(f.relative_to(root).parts) - 1 for f in files)
            keys = [{"Name": "partition_%d" % i, "Type": "string"} for i in range(depth)]
            table = {
                "Name": name,
                "TableType": "EXTERNAL_TABLE",
                "Parameters": {"classification": "json", "compressionType": "gzip" if files[0].suffix == ".gz" else "none"},
                "PartitionKeys": keys,
                "StorageDescriptor": {
                    "Columns": columns,
                    "Location": target,
                    "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                    "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                    "SerdeInfo": {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"},
                },
            }
            try:
                self.glue.get_table(DatabaseName=database, Name=name)
                self.glue.update_table(DatabaseName=database, TableInput=table)
            except self.glue.exceptions.EntityNotFoundException:
                self.glue.create_table(DatabaseName=database, TableInput=table)
            tables += 1
            known = set()
            for page in self.glue.get_paginator("get_partitions").paginate(DatabaseName=database, TableName=name):
                known.update(tuple(p["Values"]) for p in page["Partitions"])
            for values in sorted({f.relative_to(root).parts[:-1] for f in files} - known):
                location = target.rstrip("/") + "/" + "/".join(values) + "/"
                self.glue.create_partition(
                    DatabaseName=database,
                    TableName=name,
                    PartitionInput={"Values": list(values), "StorageDescriptor": {**table["StorageDescriptor"], "Location": location}},
                )
                partitions += 1
        if objects == 0:
            return {"in": "0 objects", "out": "0 tables", "note": "no raw objects under %s" % ", ".join(crawler["targets"])}
        return {"in": "%d objects" % objects, "out": "%d tables, %d new partitions" % (tables, partitions)}

    def glue_job(self, step):
        from pyspark.sql import functions as F

        arguments = {key.lstrip("-"): value for key, value in step["arguments"].items()}
        for name in ("database_name", "raw_table_name", "table_name", "TempDir"):
            if name not in arguments:
                raise ValueError("job %s has no --%s argument; the local Glue runner needs it" % (step["job"], name))
        for extra in step.get("extraPyFiles", []):
            if str(Path(extra).parent) not in sys.path:
                sys.path.insert(0, str(Path(extra).parent))
        job = load_module(step["script"])
        if not hasattr(job, "transform"):
            raise ValueError("%s has no transform(raw) function to run on plain Spark" % step["script"])

        database = arguments["database_name"]
        try:
            raw_table = self.glue.get_table(DatabaseName=database, Name=arguments["raw_table_name"])["Table"]
        except self.glue.exceptions.EntityNotFoundException:
            return {"in": "0 rows", "out": "0 rows", "note": "%s.%s is not catalogued (no raw data yet); nothing to convert" % (database, arguments["raw_table_name"])}
        lake_table = self.glue.get_table(DatabaseName=database, Name=arguments["table_name"])["Table"]

        bookmark_path = self.local(arguments["TempDir"].rstrip("/") + "/local-bookmarks/%s.json" % step["job"])
        seen = set(json.loads(bookmark_path.read_text())) if bookmark_path.exists() else set()
        root = self.local(raw_table["StorageDescriptor"]["Location"])
        files = [f for f in data_files(root) if f.relative_to(root).as_posix() not in seen]
        if not files:
            return {"in": "0 rows", "out": "0 rows", "note": "no new raw files since the last bookmark; nothing to write"}

        from pyspark.sql.types import StructField, StructType

        columns = raw_table["StorageDescriptor"]["Columns"]
        keys = [key["Name"] for key in raw_table.get("PartitionKeys", [])]
        schema = StructType([StructField(c["Name"], spark_type(c["Type"])) for c in columns])
        # The partition values are the folders between the table's location and the file.
        folders = F.split(F.substring_index(F.input_file_name(), root.as_uri().rstrip("/") + "/", -1), "/")
        raw = self.spark.read.schema(schema).json([str(f) for f in files])
        raw = raw.select(*raw.columns, *[folders.getItem(index).alias(key) for index, key in enumerate(keys)]).cache()
        lake = job.transform(raw).cache()
        rows_in, rows_out = raw.count(), lake.count()
        lake.write.mode("append").partitionBy("year", "month").orc(str(self.local(lake_table["StorageDescriptor"]["Location"])))
        bookmark_path.parent.mkdir(parents=True, exist_ok=True)
        bookmark_path.write_text(json.dumps(sorted(seen | {f.relative_to(root).as_posix() for f in files})))
        raw.unpersist()
        lake.unpersist()
        return {"in": "%d rows" % rows_in, "out": "%d rows" % rows_out}

    def hive(self, step):
        from hive_script import hive_statements

        handled = self.catalog_into_spark()
        statements = hive_statements(Path(step["script"]), step["variables"])
        text = "\n".join(statements)
        read = sorted({name.lower() for name in re.findall(r"\b(?:FROM|JOIN)\s+([A-Za-z0-9_]+\.[A-Za-z0-9_]+)", text, re.IGNORECASE)})
        rows_in = sum(self.count("SELECT COUNT(*) FROM %s" % name) for name in read if self.spark.catalog.tableExists(name))
        for name in handled:
            self.spark.sql("TRUNCATE TABLE %s" % name)
        for statement in statements:
            self.spark.sql(statement)
        rows_out, notes = 0, []
        for match in re.finditer(r"INSERT\s+(?:OVERWRITE|INTO)\s+TABLE\s+([A-Za-z0-9_.]+)(?:\s+PARTITION\s*\(([^)]*)\))?", text, re.IGNORECASE):
            name = match.group(1).lower()
            where = " AND ".join(part.strip() for part in (match.group(2) or "").split(",") if "=" in part)
            if name in handled:
                count, sample = self.put_items(name, handled[name])
                rows_out += count
                if sample:
                    notes.append("one item put into %s: %s" % (handled[name][0], ", ".join("%s=%s" % pair for pair in sample.items())))
            else:
                rows_out += self.count("SELECT COUNT(*) FROM %s%s" % (name, " WHERE " + where if where else ""))
        answer = {"in": "%d rows" % rows_in, "out": "%d rows" % rows_out}
        if notes:
            answer["note"] = "; ".join(notes)
        return answer

    def count(self, query):
        """A count through Spark's own ORC reader, much faster than Hive's SerDe;
        the scripts themselves keep Hive's writer (see session.py)."""
        self.spark.conf.set("spark.sql.hive.convertMetastoreOrc", "true")
        try:
            return self.spark.sql(query).collect()[0][0]
        finally:
            self.spark.conf.set("spark.sql.hive.convertMetastoreOrc", "false")

    def catalog_into_spark(self):
        """The stand-in's catalogue as Spark tables: ORC tables external over the
        mirror, DynamoDB-handler tables plain; returns the latter with their table."""
        handled = {}
        for page in self.glue.get_paginator("get_databases").paginate():
            for database in page["DatabaseList"]:
                db = database["Name"]
                self.spark.sql("CREATE DATABASE IF NOT EXISTS `%s`" % db)
                for tables in self.glue.get_paginator("get_tables").paginate(DatabaseName=db):
                    for table in tables["TableList"]:
                        name = "%s.%s" % (db, table["Name"])
                        parameters = table.get("Parameters", {})
                        storage = table.get("StorageDescriptor", {})
                        columns = ", ".join("`%s` %s" % (c["Name"], c["Type"]) for c in storage.get("Columns", []))
                        if parameters.get("storage_handler") == DYNAMODB_HANDLER:
                            handled[name.lower()] = (parameters["dynamodb.table.name"], parameters.get("dynamodb.column.mapping", ""), storage.get("Columns", []))
                            self.spark.sql("CREATE TABLE IF NOT EXISTS %s (%s) STORED AS ORC" % (name, columns))
                        elif "orc" in storage.get("InputFormat", "").lower():
                            keys = ", ".join("`%s` %s" % (k["Name"], k["Type"]) for k in table.get("PartitionKeys", []))
                            if not self.spark.catalog.tableExists(name):
                                location = self.local(storage["Location"])
                                location.mkdir(parents=True, exist_ok=True)
                                self.spark.sql(
                                    "CREATE EXTERNAL TABLE %s (%s)%s STORED AS ORC LOCATION '%s'"
                                    % (name, columns, " PARTITIONED BY (%s)" % keys if keys else "", location.as_uri())
                                )
                            # The catalogue on AWS knows every partition written so far (the
                            # lake's, and those Hive added); here the mirror is what knows them.
                            if keys:
                                self.spark.sql("MSCK REPAIR TABLE %s" % name)
        return handled

    def put_items(self, name, target):
        table_name, mapping, columns = target
        attribute = dict(pair.split(":", 1) for pair in mapping.split(",") if ":" in pair)
        kinds = {c["Name"]: c["Type"].lower() for c in columns}
        rows = self.spark.table(name).collect()
        items = []
        for row in rows:
            item = {}
            for column, value in row.asDict().items():
                if value is None:
                    continue
                kind = "N" if kinds.get(column, "string").startswith(NUMBER_TYPES) else "S"
                item[attribute.get(column, column)] = {kind: str(value)}
            items.append(item)
        for start in range(0, len(items), 25):
            pending = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            while pending:
                answer = self.dynamodb.batch_write_item(RequestItems={table_name: pending})
                pending = answer.get("UnprocessedItems", {}).get(table_name, [])
        self.spark.sql("TRUNCATE TABLE %s" % name)
        sample = {attribute.get(k, k): v for k, v in rows[0].asDict().items()} if rows else None
        return len(items), sample


def skipped(relative):
    """Spark's and Hive's bookkeeping files, which S3 would never be given."""
    return any(part.startswith((".", "_")) for part in relative.parts) or relative.name.endswith(".crc")


def data_files(root):
    if not root.exists():
        return []
    return sorted(f for f in root.rglob("*") if f.is_file() and not skipped(f.relative_to(root)))


def load_module(path):
    spec = importlib.util.spec_from_file_location("dataless_local_" + Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def json_columns(files):
    """The columns a crawler finds in newline-delimited JSON files, in order of first sight, with Glue's types."""
    import gzip

    columns = {}
    for path in files:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    for name, value in json.loads(line).items():
                        columns.setdefault(name, glue_type(value))
    return columns


def glue_type(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "bigint"
    if isinstance(value, float):
        return "double"
    return "string"


def spark_type(glue):
    from pyspark.sql.types import _parse_datatype_string

    return _parse_datatype_string(glue)


def serve(scratch):
    # Answers go to the original stdout; anything else written there (the JVM,
    # a job's print) goes to stderr instead, so it cannot break the protocol.
    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    batch = None
    for line in sys.stdin:
        if not line.strip():
            continue
        step = json.loads(line)
        try:
            op = step["op"]
            if op == "start":
                batch = Batch(scratch, step["buckets"])
                answer = {}
            elif op == "stop":
                break
            else:
                before = batch.snapshot()
                answer = {"crawl": batch.crawl, "glue": batch.glue_job, "hive": batch.hive}[op](step)
                batch.upload_changes(before)
            answer = {"ok": True, **answer}
        except Exception as error:  # every failure goes back to the caller, who names the step
            traceback.print_exc(file=sys.stderr)
            answer = {"ok": False, "error": "%s: %s" % (type(error).__name__, str(error).strip().splitlines()[0] if str(error).strip() else "")}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
    if batch is not None:
        batch.spark.stop()


def main(argv):
    if argv[1:2] == ["catalog"]:
        create_catalog(json.load(sys.stdin))
    elif argv[1:2] == ["serve"] and len(argv) == 3:
        serve(argv[2])
    else:
        sys.stderr.write("usage: local_batch.py catalog | serve SCRATCH\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
