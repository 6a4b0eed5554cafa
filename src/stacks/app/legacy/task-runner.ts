// The optional long-running EC2 instance that runs the AWS Data Pipeline
// Task Runner, so that the pipeline's SQL and shell activities can run on a
// machine that is already up instead of one launched per run.
import { AWS, base64, fnIf, sub } from '../../../cfn/intrinsics';
import type { Resource, Template } from '../../../cfn/template';
import { inlinePolicy, managedPolicy, serviceTrust } from '../../shared/iam';
import { WORKER_GROUP_SUFFIX, taskRunnerLogFolder } from '../../shared/legacy/task-runner';
import type { AppConditions } from '../conditions';
import type { Network } from '../network';
import type { AppParameters } from '../parameters';
import { readTaskRunnerSecret } from './task-runner-secret';

/** Where AWS publishes the Task Runner. */
export const TASK_RUNNER_JAR = 's3://datapipeline-us-east-1/us-east-1/software/latest/TaskRunner/TaskRunner-1.0.jar';

export function declareTaskRunner(
  t: Template,
  p: AppParameters,
  c: AppConditions,
  network: Network,
  bucket: Resource<'AWS::S3::Bucket'>,
  secret: Resource<'AWS::SecretsManager::Secret'>,
): Resource<'AWS::EC2::Instance'> {
  const enabled = { condition: c.EC2InstanceEnabled };

  const InstanceRole = t.resource(
    'InstanceRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['ec2']),
      ManagedPolicyArns: [managedPolicy('service-role/AmazonEC2RoleforDataPipelineRole')],
      Policies: [inlinePolicy('TaskRunnerCredentials', [readTaskRunnerSecret(secret)])],
    },
    enabled,
  );
  const InstanceProfile = t.resource(
    'InstanceProfile',
    'AWS::IAM::InstanceProfile',
    { Roles: [InstanceRole] },
    enabled,
  );

  return t.resource(
    'Instance',
    'AWS::EC2::Instance',
    {
      IamInstanceProfile: InstanceProfile,
      // Resolved from Systems Manager at each deployment: the latest Amazon Linux 2023 unless TaskRunnerImageId names another.
      ImageId: p.TaskRunnerImageId,
      InstanceType: p.EC2InstanceSize,
      KeyName: fnIf(c.KeyPairGiven, p.KeyPair, AWS.NoValue),
      SecurityGroupIds: [network.SecurityGroup, network.VPC.getAtt('DefaultSecurityGroup')],
      SubnetId: network.Subnet,
      UserData: base64(taskRunnerUserData(bucket, secret)),
    },
    enabled,
  );
}

/**
 * First-boot script: install Java (Amazon Linux 2023 ships none; the Task
 * Runner is a Java 8 program), fetch the Task Runner, read its credentials
 * from the secret with the instance's role into a file readable by root only,
 * and start it for the instance worker group. User data, which anyone allowed
 * to describe the instance's attributes can read, names only the secret.
 */
function taskRunnerUserData(bucket: Resource<'AWS::S3::Bucket'>, secret: Resource<'AWS::SecretsManager::Secret'>) {
  return sub`#!/bin/bash
set -euo pipefail
dnf install -y -q java-1.8.0-amazon-corretto
dir=/opt/task-runner
mkdir -p "$dir"
aws s3 cp --only-show-errors "${TASK_RUNNER_JAR}" "$dir/TaskRunner-1.0.jar"
(umask 077 && aws secretsmanager get-secret-value --region "${AWS.Region}" --secret-id "${secret}" --query SecretString --output text >"$dir/credentials.json")
nohup java -jar "$dir/TaskRunner-1.0.jar" \\
  --config="$dir/credentials.json" \\
  --workerGroup="${bucket}${WORKER_GROUP_SUFFIX.instance}" \\
  --region="${AWS.Region}" \\
  --logUri="s3://${bucket}/${taskRunnerLogFolder('instance')}" \\
  >>"$dir/task-runner.out" 2>&1 </dev/null &
`;
}
