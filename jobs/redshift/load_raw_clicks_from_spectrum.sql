-- Load raw clicks from Spectrum (Redshift; Data Pipeline SqlActivity).
-- Copies the scheduled day's crawled raw clicks, read through the
-- `advertising` external schema, into the local table raw_clicks_spectrum.
--
-- Arguments (Data Pipeline scriptArgument, bound to the ? marks in order):
--   1  year of the scheduled start, e.g. 2019     (raw partition_0)
--   2  month of the scheduled start, e.g. 6       (raw partition_1, stored zero-padded)
--   3  day of the scheduled start, e.g. 6         (raw partition_2, stored zero-padded)
--   4  scheduled start day, yyyy-MM-dd (inclusive)
--   5  scheduled end day, yyyy-MM-dd (exclusive)
--
-- The raw partitions are Firehose's folder names ("06"), while Data Pipeline
-- passes unpadded numbers ("6"): the month and day are padded before matching.
-- Safe to re-run: clicks already loaded are skipped.

CREATE TABLE IF NOT EXISTS raw_clicks_spectrum (
  click_id      VARCHAR(255) NOT NULL,
  impression_id VARCHAR(255) NOT NULL,
  ad_id         VARCHAR(255) NOT NULL,
  occurred_at   TIMESTAMP
)
DISTSTYLE KEY
DISTKEY (ad_id);

INSERT INTO raw_clicks_spectrum (click_id, impression_id, ad_id, occurred_at)
SELECT
  raw.click_id,
  raw.impression_id,
  raw.ad_id,
  CAST(raw.occurred_at AS TIMESTAMP)
FROM advertising.raw_clicks raw
WHERE raw.partition_0 = CAST(? AS VARCHAR)
  AND raw.partition_1 = LPAD(CAST(? AS VARCHAR), 2, '0')
  AND raw.partition_2 = LPAD(CAST(? AS VARCHAR), 2, '0')
  AND CAST(raw.occurred_at AS TIMESTAMP) >= CAST(? AS TIMESTAMP)
  AND CAST(raw.occurred_at AS TIMESTAMP) <  CAST(? AS TIMESTAMP)
  AND NOT EXISTS (
    SELECT 1
    FROM raw_clicks_spectrum loaded
    WHERE loaded.click_id = raw.click_id
  );
