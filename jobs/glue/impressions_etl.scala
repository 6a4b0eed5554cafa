// Glue ETL (Scala): crawled raw impressions -> the ORC `impressions` lake table.
// The Scala twin of impressions_etl.py; run one language or the other, never
// both, or the lake gets every row twice.
//
// Runs as a Glue `glueetl` job (`--job-language scala`, `--class GlueApp`)
// with job bookmarks enabled. Job arguments:
//   JOB_NAME        set by Glue itself
//   database_name   Glue database holding both tables (the lake stack's, one per stack)
//   raw_table_name  table the raw crawler made from the Firehose output (`raw_impressions`)
//   table_name      ORC lake table, partitioned by year and month (`impressions`)
//
// Layout: `ImpressionsLake` is plain Spark (no Glue import) and holds the
// column mapping and the transformation; `GlueApp` is the thin Glue entry
// point and must stay the last object in this file (the tests compile
// everything above it against plain Spark).

import org.apache.spark.sql.DataFrame
import org.apache.spark.sql.functions.col

object ImpressionsLake {
  // The one column mapping of this job, in Glue's ApplyMapping shape:
  // (raw column, raw type, lake column, lake type). The raw partitions are
  // Firehose's UTC arrival prefix YYYY/MM/DD/HH; year and month come from it.
  val Mapping: Seq[(String, String, String, String)] = Seq(
    ("impression_id", "string", "impression_id", "string"),
    ("ad_id", "string", "ad_id", "string"),
    ("occurred_at", "string", "occurred_at", "timestamp"),
    ("partition_0", "string", "year", "int"),
    ("partition_1", "string", "month", "int")
  )

  val PartitionKeys: Seq[String] = Seq("year", "month")

  val JobArguments: Seq[String] = Seq("JOB_NAME", "database_name", "raw_table_name", "table_name")

  // `occurred_at` is a 'yyyy-MM-dd HH:mm:ss' UTC string, read in the session
  // time zone (pinned to UTC by GlueApp); a bad value becomes null.
  def transform(raw: DataFrame): DataFrame = {
    val missing = Mapping.map(_._1).filterNot(raw.columns.contains)
    if (missing.nonEmpty) {
      val found = if (raw.columns.isEmpty) "none" else raw.columns.mkString(", ")
      throw new IllegalArgumentException(
        s"raw impressions lack column(s) ${missing.mkString(", ")}; the raw crawler must have run over " +
          s"the Firehose output (found: $found)")
    }
    raw.select(Mapping.map { case (source, _, target, kind) => col(source).cast(kind).as(target) }: _*)
  }
}

object GlueApp {
  import com.amazonaws.services.glue.{DynamicFrame, GlueContext}
  import com.amazonaws.services.glue.util.{GlueArgParser, Job, JsonOptions}
  import org.apache.spark.SparkContext
  import scala.collection.JavaConverters._

  def main(sysArgs: Array[String]): Unit = {
    val glue = new GlueContext(SparkContext.getOrCreate())
    glue.getSparkSession.conf.set("spark.sql.session.timeZone", "UTC")
    val args = GlueArgParser.getResolvedOptions(sysArgs, ImpressionsLake.JobArguments.toArray)
    Job.init(args("JOB_NAME"), glue, args.asJava)

    // transformationContext names are the bookmark keys: keep them stable.
    val source = glue
      .getCatalogSource(
        database = args("database_name"),
        tableName = args("raw_table_name"),
        transformationContext = "raw_impressions")
      .getDynamicFrame()
      // A crawler can see one column with two types (a "choice"); settle every
      // mapped column on its raw type before leaving DynamicFrames.
      .resolveChoice(specs = ImpressionsLake.Mapping.map { case (column, kind, _, _) => (column, "cast:" + kind) })

    val raw = source.toDF()
    if (raw.columns.isEmpty || raw.head(1).isEmpty) {
      println("impressions_etl: no new raw impressions since the last bookmark; nothing to write")
    } else {
      glue
        .getCatalogSink(
          database = args("database_name"),
          tableName = args("table_name"),
          transformationContext = "lake_impressions",
          additionalOptions = JsonOptions(Map("partitionKeys" -> ImpressionsLake.PartitionKeys)))
        .writeDynamicFrame(DynamicFrame(ImpressionsLake.transform(raw), glue))
    }
    Job.commit()
  }
}
