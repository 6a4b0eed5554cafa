// The optional long-running EMR cluster: Hive, Pig and Spark over the Glue
// Data Catalog, with the Data Pipeline Task Runner on its master node so that
// the pipeline's Hive activities run here instead of on a cluster launched
// per run.
import { AWS, fnIf, sub } from '../../../cfn/intrinsics';
import type { Resource, Template } from '../../../cfn/template';
import { inlinePolicy, managedPolicy, serviceTrust } from '../../shared/iam';
import { taskRunnerLogFolder, workerGroup } from '../../shared/legacy/task-runner';
import type { AppConditions } from '../conditions';
import type { Network } from '../network';
import type { AppParameters } from '../parameters';
import { declareEmrSecurityConfiguration } from './emr-encryption';
import { readTaskRunnerSecret } from './task-runner-secret';

/** Hive and Spark read and write tables through the Glue Data Catalog instead of a metastore on the cluster. */
function glueMetastore(classification: string) {
  return {
    Classification: classification,
    ConfigurationProperties: {
      'hive.metastore.client.factory.class': 'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory',
      'hive.metastore.glue.catalogid': AWS.AccountId,
    },
  };
}

export function declareEmr(
  t: Template,
  p: AppParameters,
  c: AppConditions,
  network: Network,
  bucket: Resource<'AWS::S3::Bucket'>,
  secret: Resource<'AWS::SecretsManager::Secret'>,
  /** Roles that read what the cluster writes: the Data Pipeline roles (Redshift COPY and Spectrum, its resources). */
  readers: readonly Resource<'AWS::IAM::Role'>[],
): Resource<'AWS::EMR::Cluster'> {
  const enabled = { condition: c.EMREnabled };

  // The cluster's nodes: EMR's documented instance policy, plus what the
  // Task Runner's activities need from Data Pipeline.
  const EMRJobFlowRole = t.resource(
    'EMRJobFlowRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['ec2']),
      ManagedPolicyArns: [
        managedPolicy('service-role/AmazonElasticMapReduceforEC2Role'),
        managedPolicy('service-role/AmazonEC2RoleforDataPipelineRole'),
      ],
      // The master's bootstrap action reads the Task Runner's keys from the secret.
      Policies: [inlinePolicy('TaskRunnerCredentials', [readTaskRunnerSecret(secret)])],
    },
    enabled,
  );
  const EMRProfile = t.resource('EMRProfile', 'AWS::IAM::InstanceProfile', { Roles: [EMRJobFlowRole] }, enabled);

  // The EMR service itself, launching and managing the nodes.
  const EMRServiceRole = t.resource(
    'EMRServiceRole',
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: serviceTrust(['elasticmapreduce']),
      ManagedPolicyArns: [managedPolicy('service-role/AmazonElasticMapReduceRole')],
    },
    enabled,
  );

  const securityConfiguration = declareEmrSecurityConfiguration(t, p, c, {
    nodes: EMRJobFlowRole,
    service: EMRServiceRole,
    readers,
  });

  const securityGroups = [network.SecurityGroup, network.VPC.getAtt('DefaultSecurityGroup')];
  return t.resource(
    'EMR',
    'AWS::EMR::Cluster',
    {
      Name: sub`${AWS.StackName}-${AWS.Region}-warehouse-emr-cluster`,
      ReleaseLabel: p.EMRRelease,
      Applications: [{ Name: 'hive' }, { Name: 'pig' }, { Name: 'spark' }],
      // The script runs on every node and starts the Task Runner on the master only.
      BootstrapActions: [
        {
          Name: 'Install Task Runner',
          ScriptBootstrapAction: {
            Path: t.assets
              .codeAt({ bucket: p.CodeBucket, prefix: p.CodePrefix })
              .url('scripts/emr/install_task_runner.sh'),
            // The secret's ARN, not the keys: bootstrap arguments are readable by whoever may describe the cluster.
            Args: [secret, workerGroup(bucket, 'emr'), AWS.Region, sub`s3://${bucket}/${taskRunnerLogFolder('emr')}`],
          },
        },
      ],
      Configurations: [glueMetastore('hive-site'), glueMetastore('spark-hive-site')],
      Instances: {
        AdditionalMasterSecurityGroups: securityGroups,
        AdditionalSlaveSecurityGroups: securityGroups,
        Ec2KeyName: fnIf(c.KeyPairGiven, p.KeyPair, AWS.NoValue),
        Ec2SubnetId: network.Subnet,
        MasterInstanceGroup: { InstanceCount: p.EMRMasterInstanceCount, InstanceType: p.EMRMasterInstanceType },
        CoreInstanceGroup: { InstanceCount: p.EMRCoreInstanceCount, InstanceType: p.EMRCoreInstanceType },
        TerminationProtected: false,
      },
      JobFlowRole: EMRProfile,
      ServiceRole: EMRServiceRole,
      SecurityConfiguration: securityConfiguration,
      LogUri: sub`s3://${bucket}/logs/emr`,
    },
    enabled,
  );
}
