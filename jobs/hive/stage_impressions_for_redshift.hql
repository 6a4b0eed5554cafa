-- Stage impressions for Redshift (Hive on EMR; Data Pipeline HiveActivity).
-- Copies the scheduled day's impressions from the lake into the S3 staging
-- table that a RedshiftCopyActivity then loads into Redshift's impressions.
--
-- Variables (Data Pipeline scriptVariable, read as ${NAME}):
--   DATABASE         the lake's Glue database, which differs per stack
--   PARTITION_YEAR   year of the scheduled start, e.g. 2019
--   PARTITION_MONTH  month of the scheduled start, unpadded, e.g. 6
--   DATE_START       scheduled start day, yyyy-MM-dd (inclusive)
--   DATE_END         scheduled end day, yyyy-MM-dd (exclusive)
--   output1          defined by Data Pipeline from the activity's output node:
--                    the CSV staging table in S3 (impression_id STRING,
--                    ad_id STRING, occurred_at TIMESTAMP)
--
-- Lake rows sit in the partition of the month Firehose delivered them, which
-- for the last minutes of a month is DATE_END's month: both are read.

-- The Glue ETL writes new year=/month= folders without cataloguing them. The
-- extract repairs the same table: order this activity after it, or the two
-- repairs may race to add the same partition (a retry then succeeds).
MSCK REPAIR TABLE ${DATABASE}.impressions;

INSERT OVERWRITE TABLE ${output1}
SELECT
  impression_id,
  ad_id,
  occurred_at
FROM ${DATABASE}.impressions
WHERE (   (year = ${PARTITION_YEAR} AND month = ${PARTITION_MONTH})
       OR (year = YEAR('${DATE_END}') AND month = MONTH('${DATE_END}')))
  AND occurred_at >= CAST('${DATE_START} 00:00:00' AS TIMESTAMP)
  AND occurred_at <  CAST('${DATE_END} 00:00:00' AS TIMESTAMP);
