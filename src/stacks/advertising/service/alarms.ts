// The API's alarms: the capture functions failing or being throttled, and a
// route answering 5xx (the delivery streams' alarms are in capture.ts). Each
// threshold is explained in docs/operations.md, with what to do when it fires.
import type { Value } from '../../../cfn/intrinsics';
import type { Template } from '../../../cfn/template';
import { declareAlarm } from '../../shared/alarms';
import { API_NAME, FUNCTIONS, type Api } from './api';
import { ROUTES } from './definition';

const FIVE_MINUTES = 300;

/** Any error or throttle of a capture function in five minutes: each is a batch a client may have lost. */
export const FUNCTION_ALARMS = [
  { suffix: 'ErrorsAlarm', metric: 'Errors', what: 'failed (an exception or a timeout)' },
  { suffix: 'ThrottlesAlarm', metric: 'Throttles', what: 'was throttled (concurrency exhausted)' },
] as const;

/** The share of requests of a route answered 5xx that alarms, in 2 of 3 five-minute periods. */
export const SERVER_ERROR_RATE = 0.05;

/** The routes watched for 5xx answers, with the stem of their alarm's logical id. */
export const WATCHED_ROUTES = [
  { stem: 'ImpressionsRoute', route: ROUTES.captureImpressions },
  { stem: 'ClicksRoute', route: ROUTES.captureClicks },
  { stem: 'TrafficRoute', route: ROUTES.queryAdTraffic },
] as const;

export interface ServiceAlarmInputs {
  readonly api: Api;
  readonly stage: Value<string>;
  readonly topic: Value<string>;
}

export function declareServiceAlarms(t: Template, inputs: ServiceAlarmInputs): void {
  const { api, stage, topic } = inputs;

  for (const f of FUNCTIONS.filter((f) => f.captures)) {
    const fn = api.functions[f.id];
    for (const alarm of FUNCTION_ALARMS) {
      declareAlarm(t, `${f.id}${alarm.suffix}`, topic, {
        AlarmDescription: `An invocation of the ${f.bundle} function ${alarm.what}; see docs/operations.md`,
        Namespace: 'AWS/Lambda',
        MetricName: alarm.metric,
        Dimensions: [{ Name: 'FunctionName', Value: fn }],
        Statistic: 'Sum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        Period: FIVE_MINUTES,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        recoveryIsNews: true,
      });
    }
  }

  for (const { stem, route } of WATCHED_ROUTES) {
    const method = route.method.toUpperCase();
    declareAlarm(t, `${stem}ServerErrorsAlarm`, topic, {
      AlarmDescription: `More than ${SERVER_ERROR_RATE * 100} % of ${method} ${route.path} requests answered 5xx; see docs/operations.md`,
      Namespace: 'AWS/ApiGateway',
      // 5XXError is 1 for a request answered 5xx and 0 otherwise: its average is the share answered 5xx.
      MetricName: '5XXError',
      Dimensions: [
        { Name: 'ApiName', Value: API_NAME },
        { Name: 'Stage', Value: stage },
        { Name: 'Resource', Value: route.path },
        { Name: 'Method', Value: method },
      ],
      Statistic: 'Average',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: SERVER_ERROR_RATE,
      Period: FIVE_MINUTES,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      recoveryIsNews: true,
    });
  }
}
