// The RealTimeEngine switch: which engine counts the impressions and clicks of
// each minute for the real-time dashboard, and how the capture functions
// follow it.
import { fnIf, type Intrinsic } from '../../cfn/intrinsics';
import type { Condition } from '../../cfn/template';
import { engineSwitch } from './engine-switch';

/** The capture functions count the records Firehose accepted, as Embedded Metric Format log lines. */
const CAPTURE_METRICS_ENGINE = 'capture-metrics';
/** The original's Kinesis Data Analytics SQL applications (closed to new applications since 2025-10-15). */
const KINESIS_ANALYTICS_SQL_ENGINE = 'kinesis-analytics-sql';

export const REAL_TIME_ENGINE = engineSwitch({
  standard: CAPTURE_METRICS_ENGINE,
  legacy: KINESIS_ANALYTICS_SQL_ENGINE,
  legacyCondition: 'LegacyRealTime',
  description:
    `What counts the impressions and clicks of each minute for the real-time dashboard. ` +
    `${CAPTURE_METRICS_ENGINE} (the default): the capture functions write the count of records Firehose accepted as ` +
    `CloudWatch Embedded Metric Format log lines; nothing runs between requests. ` +
    `${KINESIS_ANALYTICS_SQL_ENGINE}: the original's Kinesis Data Analytics SQL applications and their publishing function, ` +
    `for accounts that still run them; AWS accepts no new SQL applications since 2025-10-15.`,
});

export type RealTimeEngine = (typeof REAL_TIME_ENGINE.values)[number];

/**
 * The environment variable of the capture functions that turns their counts on
 * (`emf`) or off (`off`); src/lambdas/shared/metrics.ts reads it. Off under the
 * legacy engine, whose applications count the same records.
 */
export const CAPTURE_METRICS_VARIABLE = 'CAPTURE_METRICS';
export const CAPTURE_METRICS_ON = 'emf';
export const CAPTURE_METRICS_OFF = 'off';

/** The CAPTURE_METRICS value for the engine: `off` where LegacyRealTime holds, else `emf`. */
export function captureMetricsSetting(legacy: Condition): Intrinsic {
  return fnIf(legacy, CAPTURE_METRICS_OFF, CAPTURE_METRICS_ON);
}
