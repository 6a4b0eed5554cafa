-- Stage advertising for Redshift (Hive on EMR; Data Pipeline HiveActivity,
-- runs after the extract). Copies the scheduled day's advertising rows into
-- the S3 staging table that a RedshiftCopyActivity then loads into Redshift's
-- advertising.
--
-- Variables (Data Pipeline scriptVariable, read as ${NAME}):
--   DATABASE         the lake's Glue database, which differs per stack
--   PARTITION_YEAR   year of the scheduled start, e.g. 2019
--   PARTITION_MONTH  month of the scheduled start, unpadded, e.g. 6
--   DATE_START       scheduled start day, yyyy-MM-dd (inclusive)
--   DATE_END         scheduled end day, yyyy-MM-dd (exclusive)
--   output1          defined by Data Pipeline from the activity's output node:
--                    the CSV staging table in S3 (ad_id STRING,
--                    impression_at TIMESTAMP, click_at TIMESTAMP)
--
-- The extract files each day under its own month, so one partition is read.

INSERT OVERWRITE TABLE ${output1}
SELECT
  ad_id,
  impression_at,
  click_at
FROM ${DATABASE}.advertising
WHERE year = ${PARTITION_YEAR}
  AND month = ${PARTITION_MONTH}
  AND impression_at >= CAST('${DATE_START} 00:00:00' AS TIMESTAMP)
  AND impression_at <  CAST('${DATE_END} 00:00:00' AS TIMESTAMP);
