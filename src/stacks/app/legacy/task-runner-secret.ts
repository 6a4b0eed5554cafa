// The legacy Task Runner's credentials as a Secrets Manager secret, which
// the task-runner instance and the EMR master read at boot with their roles:
// user data and bootstrap arguments carry only the secret's ARN, so whoever
// may describe the instance or the cluster learns no key.
import { subWith } from '../../../cfn/intrinsics';
import type { Resource, Template } from '../../../cfn/template';
import type { Statement } from '../../shared/iam';
import type { AppConditions } from '../conditions';
import type { AppParameters } from '../parameters';

/** The file the Task Runner reads its keys from (`--config`), as the secret holds it. */
const CREDENTIALS_JSON = '{"access-id": "${AccessKeyID}", "private-key": "${SecretAccessKey}"}';

export function declareTaskRunnerSecret(
  t: Template,
  p: AppParameters,
  c: AppConditions,
): Resource<'AWS::SecretsManager::Secret'> {
  return t.resource(
    'TaskRunnerCredentials',
    'AWS::SecretsManager::Secret',
    {
      Description:
        'Access key of the Data Pipeline Task Runner, read at boot by the task-runner instance and the EMR master',
      SecretString: subWith(CREDENTIALS_JSON, { AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey }),
    },
    {
      condition: c.TaskRunnersRun,
      scanExceptions: {
        CKV_AWS_149:
          'encrypted with the AWS-managed Secrets Manager key; only the two task-runner roles may read it, by their IAM grant',
      },
    },
  );
}

/** What a task-runner role needs to read the credentials at boot. */
export function readTaskRunnerSecret(secret: Resource<'AWS::SecretsManager::Secret'>): Statement {
  return { Sid: 'ReadTaskRunnerCredentials', Action: 'secretsmanager:GetSecretValue', Resource: secret };
}
