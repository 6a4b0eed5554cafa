-- Load ad traffic (Hive on EMR; Data Pipeline HiveActivity, runs after the
-- extract). Writes one item per ad and day into the ad traffic DynamoDB table:
-- every impression the ad had that day and how many of them were clicked.
-- Ads that were shown but never clicked get an item with clicks = 0.
--
-- Variables (Data Pipeline scriptVariable, read as ${NAME}):
--   DATABASE         the lake's Glue database, which differs per stack
--   PARTITION_YEAR   year of the scheduled start, e.g. 2019
--   PARTITION_MONTH  month of the scheduled start, unpadded, e.g. 6
--   DATE_START       scheduled start day, yyyy-MM-dd (inclusive)
--   DATE_END         scheduled end day, yyyy-MM-dd (exclusive)
--   output1          defined by Data Pipeline from the activity's output node:
--                    an external Hive table STORED BY the DynamoDB storage
--                    handler over the ad traffic table, with the columns of
--                    its DynamoDBDataFormat (ad_id STRING, day STRING,
--                    impressions BIGINT, clicks BIGINT)
--
-- Safe to re-run: the DynamoDB handler upserts by key (ad_id, day), so a
-- second run rewrites the same items with the same counts.

INSERT OVERWRITE TABLE ${output1}
SELECT
  ad_id                                   AS ad_id,
  DATE_FORMAT(impression_at, 'yyyy-MM-dd') AS day,
  COUNT(*)                                AS impressions,
  COUNT(click_at)                         AS clicks
FROM ${DATABASE}.advertising
WHERE year = ${PARTITION_YEAR}
  AND month = ${PARTITION_MONTH}
  AND impression_at >= CAST('${DATE_START} 00:00:00' AS TIMESTAMP)
  AND impression_at <  CAST('${DATE_END} 00:00:00' AS TIMESTAMP)
GROUP BY
  ad_id,
  DATE_FORMAT(impression_at, 'yyyy-MM-dd');
