-- Load clicks from Spectrum (Redshift; Data Pipeline SqlActivity).
-- Copies the scheduled day's lake clicks, read through the `advertising`
-- external schema, into the local table clicks_spectrum.
--
-- Arguments (Data Pipeline scriptArgument, bound to the ? marks in order):
--   1  year of the scheduled start, e.g. 2019   (lake partition `year`)
--   2  month of the scheduled start, e.g. 6     (lake partition `month`)
--   3  scheduled start day, yyyy-MM-dd (inclusive)
--   4  scheduled end day, yyyy-MM-dd (exclusive)
--
-- Safe to re-run: clicks already loaded are skipped.

CREATE TABLE IF NOT EXISTS clicks_spectrum (
  click_id      VARCHAR(255) NOT NULL,
  impression_id VARCHAR(255) NOT NULL,
  ad_id         VARCHAR(255) NOT NULL,
  occurred_at   TIMESTAMP
)
DISTSTYLE KEY
DISTKEY (ad_id);

INSERT INTO clicks_spectrum (click_id, impression_id, ad_id, occurred_at)
SELECT
  lake.click_id,
  lake.impression_id,
  lake.ad_id,
  lake.occurred_at
FROM advertising.clicks lake
WHERE lake.year = CAST(? AS INTEGER)
  AND lake.month = CAST(? AS INTEGER)
  AND lake.occurred_at >= CAST(? AS TIMESTAMP)
  AND lake.occurred_at <  CAST(? AS TIMESTAMP)
  AND NOT EXISTS (
    SELECT 1
    FROM clicks_spectrum loaded
    WHERE loaded.click_id = lake.click_id
  );
