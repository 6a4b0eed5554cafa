// The root application stack (templates-out/app.yaml): the data lake
// bucket, the optional VPC and Redshift cluster, the nested advertising
// service, the optional custom domain, the operations dashboard and the topic
// every alarm notifies; and, under the legacy batch engine only, its roles and
// task runners (./legacy). One deployment per branch, configured by
// config/<branch>.json.
import { fnIf, sub } from '../../cfn/intrinsics';
import type { Template } from '../../cfn/template';
import { APP_STACK } from '..';
import { declareAdvertisingService } from './advertising';
import { declareBucket } from './bucket';
import { declareConditions } from './conditions';
import { declareOpsDashboard } from './dashboard';
import { ADVERTISING_BASE_PATH, declareDns } from './dns';
import { declareLegacyBatch } from './legacy';
import { declareNetwork } from './network';
import { declareAlarmTopic } from './notifications';
import { declareParameters } from './parameters';
import { declareRedshift } from './redshift';
import { declareSpectrumRole } from './spectrum';
import { applyPermissionsBoundary } from '../shared/permissions-boundary';

export function appTemplate(): Template {
  const t = APP_STACK.template({
    description:
      'Dataless: the data lake bucket, the batch pipeline roles and optional batch compute (VPC, Redshift, EMR, task runner), ' +
      'the advertising service, an optional custom domain, the operations dashboard and the alarm topic',
    sam: true,
  });

  const parameters = declareParameters(t);
  const conditions = declareConditions(t, parameters);
  applyPermissionsBoundary(t, parameters.PermissionsBoundaryArn);

  const alarms = declareAlarmTopic(t, parameters.AlarmEmail, conditions.AlarmEmailGiven);
  const bucket = declareBucket(t);
  const network = declareNetwork(t, parameters, conditions);
  const legacy = declareLegacyBatch(t, { parameters, conditions, network, bucket, alarms });
  const spectrumRole = declareSpectrumRole(t, bucket, conditions.StepFunctionsRedshift);
  const redshift = declareRedshift(t, parameters, conditions, network, { spectrumRole, legacy: legacy.roles });

  const advertising = declareAdvertisingService(t, {
    parameters,
    conditions,
    bucket,
    legacy,
    spectrumRole,
    network,
    redshift,
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
