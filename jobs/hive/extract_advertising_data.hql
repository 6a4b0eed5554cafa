-- Extract advertising data (Hive on EMR; Data Pipeline HiveActivity, stage=false).
--
-- Rebuilds the scheduled day's rows of the lake's advertising table: one row per
-- impression that occurred that day (UTC), with the time of its first click,
-- or NULL when it was never clicked. A click counts for the day of its
-- impression, even when it lands after midnight.
--
-- Variables (Data Pipeline scriptVariable, read as ${NAME}):
--   DATABASE         the lake's Glue database, which differs per stack
--   PARTITION_YEAR   year of the scheduled start, e.g. 2019
--   PARTITION_MONTH  month of the scheduled start, unpadded, e.g. 6
--   DATE_START       scheduled start day, yyyy-MM-dd (inclusive)
--   DATE_END         scheduled end day, yyyy-MM-dd (exclusive): the next day
--
-- Safe to re-run for the same day: the table is partitioned by month only, so
-- the statement overwrites the day's month partition with the rows it already
-- holds for every other day plus the day's freshly joined rows. Hive stages
-- the new partition before replacing the old one, so reading and overwriting
-- the same partition in one statement is safe.
--
-- Lake rows are partitioned by the hour Firehose delivered them, up to 15
-- minutes after they occurred, so a day's events can sit in the partition of
-- DATE_END's month as well; both months are read.

-- The Glue ETL writes new year=/month= folders without cataloguing them.
MSCK REPAIR TABLE ${DATABASE}.impressions;
MSCK REPAIR TABLE ${DATABASE}.clicks;

INSERT OVERWRITE TABLE ${DATABASE}.advertising
  PARTITION (year = ${PARTITION_YEAR}, month = ${PARTITION_MONTH})
SELECT
  ad_id,
  impression_at,
  click_at
FROM (
  SELECT
    kept.ad_id,
    kept.impression_at,
    kept.click_at
  FROM ${DATABASE}.advertising kept
  WHERE kept.year = ${PARTITION_YEAR}
    AND kept.month = ${PARTITION_MONTH}
    AND (   kept.impression_at <  CAST('${DATE_START} 00:00:00' AS TIMESTAMP)
         OR kept.impression_at >= CAST('${DATE_END} 00:00:00' AS TIMESTAMP))

  UNION ALL

  SELECT
    shown.ad_id         AS ad_id,
    shown.impression_at AS impression_at,
    clicked.click_at    AS click_at
  FROM (
    -- Firehose delivers at least once: keep one row per impression.
    SELECT
      impression_id,
      ad_id,
      MIN(occurred_at) AS impression_at
    FROM ${DATABASE}.impressions
    WHERE (   (year = ${PARTITION_YEAR} AND month = ${PARTITION_MONTH})
           OR (year = YEAR('${DATE_END}') AND month = MONTH('${DATE_END}')))
      AND occurred_at >= CAST('${DATE_START} 00:00:00' AS TIMESTAMP)
      AND occurred_at <  CAST('${DATE_END} 00:00:00' AS TIMESTAMP)
    GROUP BY impression_id, ad_id
  ) shown
  LEFT OUTER JOIN (
    -- A click cannot precede its impression, so nothing before the day is read.
    SELECT
      impression_id,
      ad_id,
      MIN(occurred_at) AS click_at
    FROM ${DATABASE}.clicks
    WHERE (   (year = ${PARTITION_YEAR} AND month = ${PARTITION_MONTH})
           OR (year = YEAR('${DATE_END}') AND month = MONTH('${DATE_END}')))
      AND occurred_at >= CAST('${DATE_START} 00:00:00' AS TIMESTAMP)
    GROUP BY impression_id, ad_id
  ) clicked
    ON  shown.impression_id = clicked.impression_id
    AND shown.ad_id         = clicked.ad_id
) day_and_rest;
