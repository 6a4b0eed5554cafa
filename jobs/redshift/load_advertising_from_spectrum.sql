-- Load advertising from Spectrum (Redshift; Data Pipeline SqlActivity, runs
-- after the extract). Copies the scheduled day's advertising rows, read
-- through the `advertising` external schema, into advertising_spectrum.
--
-- Arguments (Data Pipeline scriptArgument, bound to the ? marks in order):
--   1  year of the scheduled start, e.g. 2019   (lake partition `year`)
--   2  month of the scheduled start, e.g. 6     (lake partition `month`)
--   3  scheduled start day, yyyy-MM-dd (inclusive)
--   4  scheduled end day, yyyy-MM-dd (exclusive)
--
-- Safe to re-run: a row equal to one already loaded (same ad, impression time
-- and click time, a missing click matching a missing click) is skipped.

CREATE TABLE IF NOT EXISTS advertising_spectrum (
  ad_id         VARCHAR(255) NOT NULL,
  impression_at TIMESTAMP    NOT NULL,
  click_at      TIMESTAMP
)
DISTSTYLE KEY
DISTKEY (ad_id);

INSERT INTO advertising_spectrum (ad_id, impression_at, click_at)
SELECT
  lake.ad_id,
  lake.impression_at,
  lake.click_at
FROM advertising.advertising lake
WHERE lake.year = CAST(? AS INTEGER)
  AND lake.month = CAST(? AS INTEGER)
  AND lake.impression_at >= CAST(? AS TIMESTAMP)
  AND lake.impression_at <  CAST(? AS TIMESTAMP)
  AND NOT EXISTS (
    SELECT 1
    FROM advertising_spectrum loaded
    WHERE loaded.ad_id = lake.ad_id
      AND loaded.impression_at = lake.impression_at
      AND (loaded.click_at = lake.click_at
           OR (loaded.click_at IS NULL AND lake.click_at IS NULL))
  );
