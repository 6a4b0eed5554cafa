// The root application stack (templates-out/app.yaml): the data lake
// bucket, the Data Pipeline roles, the optional batch compute (VPC, Redshift,
// task-runner instance, EMR), the nested advertising service, the optional
// custom domain, the operations dashboard and the topic every alarm
// notifies. One deployment per branch,
// configured by config/<branch>.json.
import { fnIf, sub } from '../../cfn/intrinsics';
import type { Template } from '../../cfn/template';
import { APP_STACK } from '..';
import { declareAdvertisingService } from './advertising';
import { declareBucket } from './bucket';
import { declareConditions } from './conditions';
import { declareOpsDashboard } from './dashboard';
import { ADVERTISING_BASE_PATH, declareDns } from './dns';
import { declarePipelineRoles, declareTaskRunners } from './legacy';
import { declareNetwork } from './network';
import { declareAlarmTopic } from './notifications';
import { declareParameters } from './parameters';
import { declareRedshift } from './redshift';

export function appTemplate(): Template {
  const t = APP_STACK.template({
    description:
      'Dataless: the data lake bucket, the batch pipeline roles and optional batch compute (VPC, Redshift, EMR, task runner), ' +
      'the advertising service, an optional custom domain, the operations dashboard and the alarm topic',
    sam: true,
  });

  const parameters = declareParameters(t);
  const conditions = declareConditions(t, parameters);

  const alarms = declareAlarmTopic(t, parameters.AlarmEmail, conditions.AlarmEmailGiven);
  const bucket = declareBucket(t);
  // The legacy engine's parts (./legacy): its roles here, its Task Runners after the network they run in.
  const roles = declarePipelineRoles(t, bucket, alarms, conditions.LegacyBatch);
  const network = declareNetwork(t, parameters, conditions);
  const redshift = declareRedshift(t, parameters, conditions, network, roles);
  const taskRunnerSecret = declareTaskRunners(t, { parameters, conditions, network, bucket });

  const advertising = declareAdvertisingService(t, {
    parameters,
    conditions,
    bucket,
    roles,
    network,
    redshift,
    taskRunnerSecret,
    alarmTopic: alarms.topic,
  });
  declareDns(t, parameters, conditions, advertising);
  declareOpsDashboard(t, parameters.Stage, bucket, conditions.LegacyRealTime);

  t.output('BaseURL', {
    description: 'Base URL of the advertising API: on the custom domain when DNS is set up, else on API Gateway',
    value: fnIf(
      conditions.DNSEnabled,
      sub`https://${parameters.BaseDNSName}/${ADVERTISING_BASE_PATH}`,
      advertising.output('BaseURL'),
    ),
  });

  t.output('AlarmTopicArn', {
    description: 'ARN of the SNS topic every alarm notifies: subscribe chat, paging or e-mail to it',
    value: alarms.topic,
  });

  return t;
}
