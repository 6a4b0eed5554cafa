// The RealTimeEngine switch: which engine counts the impressions and clicks of
// each minute for the real-time dashboard. The root declares it, the service
// passes it on to the real-time stack, and each template that acts on it
// declares the same parameter and the same condition.
import { equals, fnIf, type Intrinsic } from '../../cfn/intrinsics';
import type { Condition, Parameter, Template } from '../../cfn/template';

/** The capture functions count the records Firehose accepted, as Embedded Metric Format log lines. */
export const CAPTURE_METRICS_ENGINE = 'capture-metrics';
/** The original's Kinesis Data Analytics SQL applications (closed to new applications since 2025-10-15). */
export const KINESIS_ANALYTICS_SQL_ENGINE = 'kinesis-analytics-sql';

export const REAL_TIME_ENGINES = [CAPTURE_METRICS_ENGINE, KINESIS_ANALYTICS_SQL_ENGINE] as const;
export type RealTimeEngine = (typeof REAL_TIME_ENGINES)[number];

/** The parameter's logical id, the same at every level. */
export const REAL_TIME_ENGINE_PARAMETER = 'RealTimeEngine';
/** The condition that holds under the legacy engine, the same in every template that declares it. */
export const LEGACY_REAL_TIME_CONDITION = 'LegacyRealTime';

const DESCRIPTION =
  `What counts the impressions and clicks of each minute for the real-time dashboard. ` +
  `${CAPTURE_METRICS_ENGINE} (the default): the capture functions write the count of records Firehose accepted as ` +
  `CloudWatch Embedded Metric Format log lines; nothing runs between requests. ` +
  `${KINESIS_ANALYTICS_SQL_ENGINE}: the original's Kinesis Data Analytics SQL applications and their publishing function, ` +
  `for accounts that still run them; AWS accepts no new SQL applications since 2025-10-15.`;

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

/** Declares the RealTimeEngine parameter in `group`. */
export function declareRealTimeEngine(t: Template, group: string): Parameter {
  return t.parameter(REAL_TIME_ENGINE_PARAMETER, {
    type: 'String',
    default: CAPTURE_METRICS_ENGINE,
    allowedValues: REAL_TIME_ENGINES,
    description: DESCRIPTION,
    label: 'Real-time counting engine',
    group,
  });
}

/** Declares the LegacyRealTime condition: the engine is the original's Kinesis Analytics SQL. */
export function declareLegacyRealTime(t: Template, engine: Parameter): Condition {
  return t.condition(LEGACY_REAL_TIME_CONDITION, equals(engine, KINESIS_ANALYTICS_SQL_ENGINE));
}
