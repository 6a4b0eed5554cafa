import { expect } from 'chai';
import { AWS, ref } from '../../src/cfn/intrinsics';
import { appTemplate } from '../../src/stacks/app';
import { ACTIONS_WITHOUT_RESOURCES } from '../../src/stacks/app/legacy/pipeline-roles';
import {
  dashboardBody,
  graph,
  metric,
  metricEntry,
  search,
  singleValue,
  stackValue,
  text,
} from '../../src/stacks/shared/dashboard';
import { TemplateAssertions, absent, exact } from '../support/template';
import { hasTlsOnlyPolicy } from '../support/security';
import { originalIds } from './original';

const PATH = 'templates-out/app.yaml';

/**
 * The conditions of the original app.yaml's resources (their ids and types:
 * original.ts); a resource not listed is unconditional. The EC2-Classic cluster
 * security group pair is under a condition of its own: Redshift under the
 * legacy batch engine.
 */
const ORIGINAL_CONDITIONS: Readonly<Record<string, string>> = {
  VPC: 'VPCEnabled',
  InternetGateway: 'VPCEnabled',
  GatewayAttachment: 'VPCEnabled',
  Subnet: 'VPCEnabled',
  RouteTable: 'VPCEnabled',
  Route: 'VPCEnabled',
  Association: 'VPCEnabled',
  SecurityGroup: 'VPCEnabled',
  RedshiftClusterSecurityGroup: 'LegacyRedshiftSecurityGroup',
  RedshiftClusterSecurityGroupIngress: 'LegacyRedshiftSecurityGroup',
  RedshiftClusterSubnetGroup: 'RedshiftEnabled',
  Redshift: 'RedshiftEnabled',
  InstanceRole: 'EC2InstanceEnabled',
  InstanceProfile: 'EC2InstanceEnabled',
  Instance: 'EC2InstanceEnabled',
  EMRJobFlowRole: 'EMREnabled',
  EMRProfile: 'EMREnabled',
  EMRServiceRole: 'EMREnabled',
  EMR: 'EMREnabled',
  PipelineRole: 'LegacyBatch',
  PipelineResourceRole: 'LegacyBatch',
  Certificate: 'DNSEnabled',
  DomainName: 'DNSEnabled',
  BasePathMapping: 'DNSEnabled',
  HostedZone: 'InternalHostedZone',
  RecordSetGroup: 'DNSEnabled',
};

/** The original's parameter groups, in console order, with their members; then the engine switches of today's AWS. */
const PARAMETER_GROUPS: ReadonlyArray<readonly [label: string, parameters: readonly string[]]> = [
  ['Build Info', ['CodePipeline', 'BuildRegion', 'SourceVersion', 'Build']],
  ['Code Location', ['CodeBucket', 'CodePrefix']],
  ['EC2', ['KeyPair', 'SSHLocation']],
  ['Deployment Configuration', ['Stage', 'DeploymentPreference', 'TrafficAuthorization', 'PermissionsBoundaryArn']],
  ['DNS', ['DNSDomainName', 'BaseDNSName', 'HostedZoneID']],
  ['VPC', ['EnableVPC']],
  ['Task Runner', ['AccessKeyID', 'SecretAccessKey']],
  ['EC2 Instance', ['EnableEC2Instance', 'EC2InstanceSize', 'TaskRunnerImageId']],
  [
    'EMR Cluster',
    [
      'EnableEMRCluster',
      'EMRRelease',
      'EMRMasterInstanceType',
      'EMRMasterInstanceCount',
      'EMRCoreInstanceType',
      'EMRCoreInstanceCount',
      'EMRTLSCertificates',
    ],
  ],
  [
    'Redshift',
    [
      'EnableRedshift',
      'RedshiftNodeType',
      'RedshiftNumberOfNodes',
      'RedshiftDatabase',
      'RedshiftUsername',
      'RedshiftPassword',
    ],
  ],
  ['Data Pipeline', ['EnablePipeline']],
  ['Engines', ['RealTimeEngine', 'BatchEngine', 'EnableBatchSchedule', 'AdTrafficBillingMode']],
  ['Operations', ['AlarmEmail']],
];

/**
 * What the root adds to the original's resources: the topic every alarm notifies, and the legacy pipeline's
 * grant to publish to it (test/stacks/alarms.test.ts).
 */
const ALARM_TOPIC_RESOURCES = [
  'AlarmTopicKey',
  'AlarmTopic',
  'AlarmTopicPolicy',
  'AlarmEmailSubscription',
  'PipelineAlarmPolicy',
];

const notEmpty = (id: string) => ({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: id }, ''] }] });

interface Widget {
  type: string;
  width: number;
  height: number;
  properties: {
    markdown?: string;
    title?: string;
    region?: string;
    view?: string;
    metrics?: unknown[][];
    period?: number;
    stat?: string;
  };
}

describe('templates-out/app.yaml', () => {
  const app = TemplateAssertions.load(PATH);
  const resources = app.section('Resources');
  const parameters = app.section('Parameters');

  it('uses the SAM transform for its nested application', () => {
    expect(app.json.Transform).to.equal('AWS::Serverless-2016-10-31');
  });

  describe('resources of the original', () => {
    it('names only resources of the original among the conditioned ones', () => {
      expect(originalIds(PATH)).to.include.members(Object.keys(ORIGINAL_CONDITIONS));
    });

    for (const id of originalIds(PATH)) {
      const condition = ORIGINAL_CONDITIONS[id];
      it(`keeps ${id} ${condition ? `under ${condition}` : 'unconditional'}`, () => {
        expect(resources[id], id).to.not.equal(undefined);
        expect(resources[id]!.Condition, id).to.equal(condition);
      });
    }

    it("declares nothing beyond them but the alarm topic and its grant to the pipeline, the data bucket's TLS-only policy, the task runner's secret, the Redshift parameter group and Spectrum role, the EMR cluster's key and security configuration, and the pipeline role's role passing, so an update from the original creates only those", () => {
      expect(Object.keys(resources).sort()).to.deep.equal(
        [
          ...originalIds(PATH),
          ...ALARM_TOPIC_RESOURCES,
          'BucketPolicy',
          'TaskRunnerCredentials',
          'RedshiftParameterGroup',
          'RedshiftSpectrumRole',
          'EMRKey',
          'EMRSecurityConfiguration',
          // The pipeline role's grants on itself, which its own inline policies cannot name (legacy/pipeline-roles.ts).
          'PipelinePassRolePolicy',
        ].sort(),
      );
    });
  });

  describe('parameters', () => {
    it('declares the 30 parameters of the original, then the engine switches and the alarm e-mail', () => {
      expect(Object.keys(parameters)).to.deep.equal(PARAMETER_GROUPS.flatMap(([, ids]) => ids));
    });

    it('lists them in the original groups, in order, with { default } labels', () => {
      const iface = (app.json.Metadata as Record<string, any>)['AWS::CloudFormation::Interface'];
      expect(iface.ParameterGroups).to.deep.equal(
        PARAMETER_GROUPS.map(([label, ids]) => ({ Label: { default: label }, Parameters: ids })),
      );
    });

    it('labels every parameter, and only parameters that exist', () => {
      const iface = (app.json.Metadata as Record<string, any>)['AWS::CloudFormation::Interface'];
      expect(Object.keys(iface.ParameterLabels)).to.have.members(Object.keys(parameters));
      for (const label of Object.values<{ default: string }>(iface.ParameterLabels))
        expect(label.default).to.be.a('string').and.not.equal('');
    });

    it('marks the six parameters the build fills in', () => {
      const fromBuild = appTemplate()
        .parameterList()
        .filter((p) => p.definition.setBy === 'build')
        .map((p) => p.logicalId);
      expect(fromBuild).to.deep.equal([
        'CodePipeline',
        'BuildRegion',
        'SourceVersion',
        'Build',
        'CodeBucket',
        'CodePrefix',
      ]);
    });

    it('requires only the build-filled parameters; every other one has a default', () => {
      const required = Object.entries(parameters)
        .filter(([, p]) => p.Default === undefined)
        .map(([id]) => id);
      expect(required).to.deep.equal([
        'CodePipeline',
        'BuildRegion',
        'SourceVersion',
        'Build',
        'CodeBucket',
        'CodePrefix',
      ]);
    });

    it('offers the CodeDeploy deployment preferences, canary by default', () => {
      app.hasParameter('DeploymentPreference', {
        Default: 'Canary10Percent5Minutes',
        AllowedValues: exact([
          'Canary10Percent5Minutes',
          'Canary10Percent10Minutes',
          'Canary10Percent15Minutes',
          'Canary10Percent30Minutes',
          'Linear10PercentEvery1Minute',
          'Linear10PercentEvery2Minutes',
          'Linear10PercentEvery3Minutes',
          'Linear10PercentEvery10Minutes',
          'AllAtOnce',
        ]),
      });
    });

    it('allows only the RA3 node types a new cluster can have, ra3.large by default', () => {
      app.hasParameter('RedshiftNodeType', {
        Default: 'ra3.large',
        AllowedValues: exact(['ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge']),
      });
      expect(parameters.RedshiftNodeType!.Description).to.match(/ra3.4xlarge and ra3.16xlarge need 2 or more/);
    });

    it('selects the Step Functions batch engine by default, the Data Pipeline on request', () => {
      app.hasParameter('BatchEngine', {
        Type: 'String',
        Default: 'step-functions',
        AllowedValues: exact(['step-functions', 'data-pipeline']),
      });
      expect(parameters.BatchEngine!.Description).to.match(
        /step-functions \(the default\): a Step Functions state machine.*data-pipeline: the original's AWS Data Pipeline/s,
      );
    });

    it('creates the daily schedule disabled unless EnableBatchSchedule is set', () => {
      app.hasParameter('EnableBatchSchedule', { Type: 'String', Default: '' });
      expect(parameters.EnableBatchSchedule!.Description).to.match(
        /Empty \(the default\) creates the schedule disabled/,
      );
    });

    it('bills the ad traffic table on demand by default, provisioned on request', () => {
      app.hasParameter('AdTrafficBillingMode', {
        Type: 'String',
        Default: 'PAY_PER_REQUEST',
        AllowedValues: exact(['PAY_PER_REQUEST', 'PROVISIONED']),
      });
    });

    it('selects the capture-metrics real-time engine by default, the Kinesis Analytics SQL applications on request', () => {
      app.hasParameter('RealTimeEngine', {
        Type: 'String',
        Default: 'capture-metrics',
        AllowedValues: exact(['capture-metrics', 'kinesis-analytics-sql']),
      });
      expect(parameters.RealTimeEngine!.Description).to.match(
        /capture-metrics \(the default\).*kinesis-analytics-sql: the original's Kinesis Data Analytics SQL applications/s,
      );
    });

    it('ships no Redshift password and never echoes it', () => {
      app.hasParameter('RedshiftPassword', { Default: '', NoEcho: true });
      app.hasParameter('SecretAccessKey', { Default: '', NoEcho: true });
    });

    it('keeps the original ranges of the sizes, with current instance types and EMR release as defaults', () => {
      app.hasParameter('EMRCoreInstanceCount', { Type: 'Number', Default: 1, MinValue: 1, MaxValue: 256 });
      app.hasParameter('EMRMasterInstanceCount', { Type: 'Number', Default: 1, AllowedValues: [1, 3] });
      app.hasParameter('RedshiftNumberOfNodes', { Type: 'Number', Default: 1, MinValue: 1, MaxValue: 100 });
      app.hasParameter('EC2InstanceSize', { Default: 't3.micro' });
      app.hasParameter('EMRMasterInstanceType', { Default: 'm5.xlarge' });
      app.hasParameter('EMRCoreInstanceType', { Default: 'm5.xlarge' });
      app.hasParameter('EMRRelease', { Default: 'emr-7.9.0' });
      app.hasParameter('Stage', { Default: 'Prod' });
      app.hasParameter('EnablePipeline', { Default: 'yes' });
      app.hasParameter('RedshiftDatabase', { Default: 'dataless' });
      app.hasParameter('RedshiftUsername', { Default: 'dataless' });
    });

    it('accepts instance types and rejects anything else', () => {
      for (const id of ['EC2InstanceSize', 'EMRMasterInstanceType', 'EMRCoreInstanceType']) {
        const pattern = new RegExp(parameters[id]!.AllowedPattern as string);
        for (const good of ['t2.nano', 'm3.xlarge', 'm5.2xlarge', 'c6gn.16xlarge', 'u-6tb1.metal'])
          expect(pattern.test(good), `${id}: ${good}`).to.equal(true);
        for (const bad of ['', 'xlarge', 'm5.', 'M5.large', 'm5.large; rm'])
          expect(pattern.test(bad), `${id}: ${bad}`).to.equal(false);
      }
    });

    it('accepts Redshift passwords that Redshift accepts, and empty', () => {
      const pattern = new RegExp(parameters.RedshiftPassword!.AllowedPattern as string);
      for (const good of ['', 'Passw0rd', 'A1b!#$%&()*+,-.:;<=>?[]^_`{|}~z'])
        expect(pattern.test(good), good).to.equal(true);
      for (const bad of [
        'short1A',
        'alllowercase1',
        'ALLUPPERCASE1',
        'NoDigitsHere',
        'Has space1A',
        'Quote"1Aa',
        'Slash/1Aa',
        'At@1Aaaaa',
        'Back\\1Aaaa',
      ]) {
        expect(pattern.test(bad), bad).to.equal(false);
      }
    });

    it('accepts DNS names and hosted zone ids, or empty', () => {
      const dns = new RegExp(parameters.BaseDNSName!.AllowedPattern as string);
      for (const good of ['', 'example.com', 'warehouse.example.com', 'a-b.example.co.uk'])
        expect(dns.test(good), good).to.equal(true);
      for (const bad of ['example', '-a.example.com', 'a..com', 'http://example.com'])
        expect(dns.test(bad), bad).to.equal(false);
      const zone = new RegExp(parameters.HostedZoneID!.AllowedPattern as string);
      expect(['', 'Z1234567890', 'ZSZL4W7H8OQNY'].every((z) => zone.test(z))).to.equal(true);
      expect(['1234', 'zabc', '/hostedzone/Z123'].some((z) => zone.test(z))).to.equal(false);
    });

    it('states in the descriptions the rules that span several parameters', () => {
      const description = (id: string) => parameters[id]!.Description as string;
      expect(description('DNSDomainName')).to.match(/both DNSDomainName and BaseDNSName, or neither/);
      expect(description('BaseDNSName')).to.match(/both DNSDomainName and BaseDNSName, or neither/);
      expect(description('BaseDNSName')).to.match(/DNSDomainName itself or a subdomain of it/);
      expect(description('EnableRedshift')).to.match(
        /RedshiftDatabase and RedshiftUsername non-empty, and RedshiftPassword too under BatchEngine data-pipeline/,
      );
      expect(description('RedshiftPassword')).to.match(/No default/);
      expect(description('RedshiftPassword')).to.match(/used only under BatchEngine data-pipeline/);
      expect(description('AccessKeyID')).to.match(/both AccessKeyID and SecretAccessKey, or neither/);
      expect(description('EnableEC2Instance')).to.match(
        /Needs the Task Runner's keys \(the root's AccessKeyID and SecretAccessKey/,
      );
      expect(description('EnableEMRCluster')).to.match(
        /Needs the Task Runner's keys \(the root's AccessKeyID and SecretAccessKey/,
      );
      expect(description('EnableVPC')).to.match(/EC2 instance, the EMR cluster or Redshift creates it too/);
    });
  });

  describe('conditions', () => {
    it('declares the 8 conditions of the original, the three of the batch engine switch, the real-time one, the alarm e-mail one, the two of network exposure and the permissions boundary one', () => {
      expect(Object.keys(app.section('Conditions'))).to.have.members([
        'DNSEnabled',
        'InternalHostedZone',
        'LegacyBatch',
        'LegacyRealTime',
        'EC2InstanceEnabled',
        'EMREnabled',
        'EMRInTransitEncryption',
        'RedshiftEnabled',
        'LegacyRedshiftSecurityGroup',
        'StepFunctionsRedshift',
        'RedshiftSingleNode',
        'VPCEnabled',
        'KeyPairGiven',
        'AlarmEmailGiven',
        'PermissionsBoundaryGiven',
        'SSHAllowed',
        'TaskRunnersRun',
      ]);
    });

    it('keeps the EC2-Classic cluster security group for Redshift under the legacy engine only', () => {
      app.hasCondition('LegacyBatch', { 'Fn::Equals': [{ Ref: 'BatchEngine' }, 'data-pipeline'] });
      app.hasCondition('LegacyRedshiftSecurityGroup', {
        'Fn::And': [{ Condition: 'RedshiftEnabled' }, { Condition: 'LegacyBatch' }],
      });
    });

    it('enables DNS when both names are given, and creates a zone only when no zone id is', () => {
      app.hasCondition('DNSEnabled', { 'Fn::And': [notEmpty('DNSDomainName'), notEmpty('BaseDNSName')] });
      app.hasCondition('InternalHostedZone', {
        'Fn::And': [{ Condition: 'DNSEnabled' }, { 'Fn::Equals': [{ Ref: 'HostedZoneID' }, ''] }],
      });
    });

    it('needs Task Runner credentials and the legacy engine, whose task runners they are, for the instance and the cluster', () => {
      const legacy = { Condition: 'LegacyBatch' };
      app.hasCondition('EC2InstanceEnabled', {
        'Fn::And': [notEmpty('EnableEC2Instance'), notEmpty('AccessKeyID'), notEmpty('SecretAccessKey'), legacy],
      });
      app.hasCondition('EMREnabled', {
        'Fn::And': [notEmpty('EnableEMRCluster'), notEmpty('AccessKeyID'), notEmpty('SecretAccessKey'), legacy],
      });
    });

    it('needs a database and a user for Redshift, and a password only under the legacy engine', () => {
      app.hasCondition(
        'RedshiftEnabled',
        exact({
          'Fn::And': [
            notEmpty('EnableRedshift'),
            notEmpty('RedshiftDatabase'),
            notEmpty('RedshiftUsername'),
            { 'Fn::Or': [{ 'Fn::Not': [{ Condition: 'LegacyBatch' }] }, notEmpty('RedshiftPassword')] },
          ],
        }),
      );
      app.hasCondition('RedshiftSingleNode', { 'Fn::Equals': [{ Ref: 'RedshiftNumberOfNodes' }, '1'] });
    });

    it('creates the VPC when anything that lives in it is asked for', () => {
      app.hasCondition('VPCEnabled', {
        'Fn::Or': [
          notEmpty('EnableVPC'),
          notEmpty('EnableEC2Instance'),
          notEmpty('EnableEMRCluster'),
          notEmpty('EnableRedshift'),
        ],
      });
      app.hasCondition('KeyPairGiven', notEmpty('KeyPair'));
    });
  });

  describe('data bucket', () => {
    it('is retained on deletion and replacement, versioned and KMS-encrypted', () => {
      app.hasResource('Bucket', 'AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
          },
        },
      });
    });

    it('keeps request metrics for the raw, lake and temp areas', () => {
      app.hasResourceProperties('AWS::S3::Bucket', {
        MetricsConfigurations: [
          { Id: 'raw', Prefix: 'data/raw/' },
          { Id: 'lake', Prefix: 'data/lake/' },
          { Id: 'temp', Prefix: 'data/temp/' },
        ],
      });
    });

    it('blocks every kind of public access', () => {
      app.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
    });

    it('refuses every request that does not use TLS, to the bucket and to its objects', () => {
      hasTlsOnlyPolicy(app, 'BucketPolicy', 'Bucket');
    });

    it('expires staging data, logs, old versions and abandoned uploads, and keeps the lake', () => {
      const rules = (resources.Bucket!.Properties as any).LifecycleConfiguration.Rules;
      expect(rules).to.deep.equal([
        { Id: 'ExpireTemp', Status: 'Enabled', Prefix: 'data/temp/', ExpirationInDays: 7 },
        { Id: 'ExpireLogs', Status: 'Enabled', Prefix: 'logs/', ExpirationInDays: 90 },
        {
          Id: 'ExpireOldVersions',
          Status: 'Enabled',
          NoncurrentVersionExpirationInDays: 30,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
      ]);
    });
  });

  describe('pipeline roles', () => {
    const statements = (id: string) =>
      ((resources[id]!.Properties as any).Policies as any[]).flatMap(
        (p) => p.PolicyDocument.Statement as Record<string, any>[],
      );

    const trust = (...services: string[]) => ({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: services.map((s) => `${s}.amazonaws.com`) },
          Action: 'sts:AssumeRole',
        },
      ],
    });

    it('lets Data Pipeline, its EMR clusters and Redshift assume the pipeline role, only under Data Pipeline, with no AWS managed policy', () => {
      app.hasResource('PipelineRole', 'AWS::IAM::Role', {
        Condition: 'LegacyBatch',
        Properties: {
          AssumeRolePolicyDocument: trust('datapipeline', 'elasticmapreduce', 'redshift'),
          ManagedPolicyArns: absent(),
        },
      });
      const role = resources.PipelineRole!.Properties as Record<string, any>;
      expect(role.Policies.map((p: any) => p.PolicyName)).to.deep.equal(['SpectrumAccess', 'RunPipeline']);
    });

    describe("the pipeline role's own grants (in place of the deprecated AWSDataPipelineRole)", () => {
      const run = () =>
        (resources.PipelineRole!.Properties as any).Policies.find((p: any) => p.PolicyName === 'RunPipeline')
          .PolicyDocument.Statement as Record<string, any>[];
      const statement = (sid: string) => run().find((s) => s.Sid === sid)!;
      const sub = (text: string) => ({ 'Fn::Sub': text });
      const inRegion = (service: string, rest: string) =>
        sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${rest}`);

      it('grants, in this order, what Data Pipeline does as the role: launch and end compute, write the logs, check the table, look up the cluster', () => {
        expect(run().map((s) => s.Sid)).to.deep.equal([
          'DescribeCompute',
          'LaunchCompute',
          'LaunchClusters',
          'ManageClusters',
          'WritePipelineLogs',
          'ListPipelineLogs',
          'CheckAdTrafficTable',
          'DescribeRedshiftCluster',
        ]);
      });

      it("launches and ends EC2 resources only in this account and region, AWS's own AMIs excepted, and requests no Spot capacity", () => {
        const launch = statement('LaunchCompute');
        expect(launch.Action).to.include.members([
          'ec2:RunInstances',
          'ec2:TerminateInstances',
          'ec2:CreateSecurityGroup',
        ]);
        expect(launch.Resource).to.deep.equal([
          inRegion('ec2', '*'),
          sub('arn:${AWS::Partition}:ec2:${AWS::Region}::image/*'),
          sub('arn:${AWS::Partition}:ec2:${AWS::Region}::snapshot/*'),
        ]);
        const actions = run().flatMap((s) => [s.Action].flat() as string[]);
        expect(actions.filter((a) => /Spot/.test(a))).to.deep.equal([]);
        expect(statement('DescribeCompute').Action.every((a: string) => a.startsWith('ec2:Describe'))).to.equal(true);
      });

      it("runs EMR clusters, and manages only this account's clusters in this region", () => {
        expect(statement('LaunchClusters').Action).to.deep.equal([
          'elasticmapreduce:RunJobFlow',
          'elasticmapreduce:ListClusters',
        ]);
        expect(statement('ManageClusters').Action).to.include.members([
          'elasticmapreduce:AddJobFlowSteps',
          'elasticmapreduce:DescribeCluster',
          'elasticmapreduce:TerminateJobFlows',
        ]);
        expect(statement('ManageClusters').Resource).to.deep.equal(inRegion('elasticmapreduce', 'cluster/*'));
      });

      it("writes and lists only the pipeline's log folder, the pipelineLogUri of the pipeline's Default object", () => {
        expect(statement('WritePipelineLogs')).to.deep.include({
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: sub('${Bucket.Arn}/logs/data-pipeline/*'),
        });
        expect(statement('ListPipelineLogs')).to.deep.include({
          Action: 's3:ListBucket',
          Resource: { 'Fn::GetAtt': ['Bucket', 'Arn'] },
          Condition: { StringLike: { 's3:prefix': 'logs/data-pipeline/*' } },
        });
        const pipeline = TemplateAssertions.load('templates-out/advertising/pipeline.yaml').resource('EMRPipeline');
        const defaults = (pipeline.Properties as any).PipelineObjects.find((o: any) => o.Id === 'Default');
        expect(defaults.Fields).to.deep.include({
          Key: 'pipelineLogUri',
          StringValue: sub('s3://${BucketName}/logs/data-pipeline/'),
        });
      });

      it("describes only the stack's own tables and this account's Redshift clusters", () => {
        expect(statement('CheckAdTrafficTable')).to.deep.include({
          Action: 'dynamodb:DescribeTable',
          Resource: inRegion('dynamodb', 'table/${AWS::StackName}-*'),
        });
        expect(statement('DescribeRedshiftCluster')).to.deep.include({
          Action: 'redshift:DescribeClusters',
          Resource: inRegion('redshift', 'cluster:*'),
        });
      });

      it('passes the resource role only to EC2 and itself only to EMR, and reads only those two roles and their instance profiles', () => {
        app.hasResource('PipelinePassRolePolicy', 'AWS::IAM::Policy', {
          Condition: 'LegacyBatch',
          Properties: { Roles: [{ Ref: 'PipelineRole' }] },
        });
        const pass = (resources.PipelinePassRolePolicy!.Properties as any).PolicyDocument.Statement as Record<
          string,
          any
        >[];
        const both = [{ 'Fn::GetAtt': ['PipelineRole', 'Arn'] }, { 'Fn::GetAtt': ['PipelineResourceRole', 'Arn'] }];
        const profile = (role: string) =>
          sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:instance-profile/\${${role}}`);
        expect(pass).to.deep.equal([
          {
            Effect: 'Allow',
            Sid: 'ReadPipelineRoles',
            Action: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
            Resource: both,
          },
          {
            Effect: 'Allow',
            Sid: 'ReadPipelineProfiles',
            Action: 'iam:GetInstanceProfile',
            Resource: [profile('PipelineRole'), profile('PipelineResourceRole')],
          },
          {
            Effect: 'Allow',
            Sid: 'ListInstanceProfiles',
            Action: 'iam:ListInstanceProfiles',
            Resource: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:instance-profile/*'),
          },
          {
            Effect: 'Allow',
            Sid: 'PassResourceRoleToEc2',
            Action: 'iam:PassRole',
            Resource: both[1],
            Condition: { StringLike: { 'iam:PassedToService': 'ec2.amazonaws.com*' } },
          },
          {
            Effect: 'Allow',
            Sid: 'PassPipelineRoleToEmr',
            Action: 'iam:PassRole',
            Resource: both[0],
            Condition: { StringLike: { 'iam:PassedToService': 'elasticmapreduce.amazonaws.com*' } },
          },
        ]);
      });
    });

    it('lets EC2 and Redshift assume the resource role, with the Data Pipeline resource policy, only under Data Pipeline', () => {
      app.hasResource('PipelineResourceRole', 'AWS::IAM::Role', {
        Condition: 'LegacyBatch',
        Properties: {
          AssumeRolePolicyDocument: trust('ec2', 'redshift'),
          ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforDataPipelineRole'],
        },
      });
    });

    it('lets Redshift alone assume the Spectrum role of the default engine, which carries no managed policy and only the Spectrum grants', () => {
      app.hasResource('RedshiftSpectrumRole', 'AWS::IAM::Role', {
        Condition: 'StepFunctionsRedshift',
        Properties: { AssumeRolePolicyDocument: trust('redshift') },
      });
      const role = resources.RedshiftSpectrumRole!.Properties as Record<string, any>;
      expect(role.ManagedPolicyArns).to.equal(undefined);
      expect(role.Policies.map((p: any) => p.PolicyName)).to.deep.equal(['SpectrumAccess']);
      expect(statements('RedshiftSpectrumRole').map((st) => st.Sid)).to.deep.equal([
        'GlueCatalog',
        'ReadDataAreas',
        'ListDataAreas',
        'LocateBucket',
      ]);
      app.hasCondition('StepFunctionsRedshift', {
        'Fn::And': [{ Condition: 'RedshiftEnabled' }, { 'Fn::Not': [{ Condition: 'LegacyBatch' }] }],
      });
    });

    for (const id of ['RedshiftSpectrumRole', 'PipelineRole', 'PipelineResourceRole']) {
      it(`grants ${id} no wildcard action, and every resource only for the actions that name none`, () => {
        for (const statement of statements(id)) {
          expect(
            [statement.Action].flat().some((a: string) => a.endsWith(':*') || a === '*'),
            JSON.stringify(statement),
          ).to.equal(false);
          if ([statement.Resource].flat().includes('*')) {
            // EC2's describes, RunJobFlow and ListClusters are authorised against no resource.
            expect(id).to.equal('PipelineRole');
            expect(statement.Resource, statement.Sid).to.equal('*');
            expect(statement.Action).to.deep.equal(
              ACTIONS_WITHOUT_RESOURCES[statement.Sid as keyof typeof ACTIONS_WITHOUT_RESOURCES],
            );
          }
        }
      });

      it(`limits ${id}'s S3 reads to the bucket's data areas`, () => {
        const reads = statements(id).find((s) => s.Sid === 'ReadDataAreas')!;
        expect(reads.Resource).to.deep.equal(
          ['data/raw/', 'data/lake/', 'data/temp/'].map((prefix) => ({ 'Fn::Sub': `\${Bucket.Arn}/${prefix}*` })),
        );
        const lists = statements(id).find((s) => s.Sid === 'ListDataAreas')!;
        expect(lists).to.deep.include({ Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': ['Bucket', 'Arn'] } });
        expect(lists.Condition).to.deep.equal({
          StringLike: { 's3:prefix': ['data/raw/*', 'data/lake/*', 'data/temp/*'] },
        });
      });

      it(`limits ${id}'s Glue access to this account's catalog`, () => {
        const glue = statements(id).find((s) => s.Sid === 'GlueCatalog')!;
        expect(glue.Action).to.include('glue:CreateDatabase').and.include('glue:GetPartitions');
        for (const resource of glue.Resource)
          expect(resource['Fn::Sub']).to.match(
            /^arn:\$\{AWS::Partition\}:glue:\$\{AWS::Region\}:\$\{AWS::AccountId\}:/,
          );
      });
    }
  });

  describe('VPC', () => {
    it('spans 172.31.0.0/16 with one subnet in the first zone, which gives public addresses only where the legacy task runners run', () => {
      app.hasResource('VPC', 'AWS::EC2::VPC', {
        Properties: { CidrBlock: '172.31.0.0/16', EnableDnsSupport: true, EnableDnsHostnames: true },
      });
      app.hasResource('Subnet', 'AWS::EC2::Subnet', {
        Properties: {
          VpcId: { Ref: 'VPC' },
          CidrBlock: '172.31.0.0/16',
          MapPublicIpOnLaunch: { 'Fn::If': ['TaskRunnersRun', true, false] },
          AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': { Ref: 'AWS::Region' } }] },
        },
      });
    });

    it('routes to the internet through the attached gateway', () => {
      app.hasResource('GatewayAttachment', 'AWS::EC2::VPCGatewayAttachment', {
        Properties: { VpcId: { Ref: 'VPC' }, InternetGatewayId: { Ref: 'InternetGateway' } },
      });
      app.hasResource('Route', 'AWS::EC2::Route', {
        DependsOn: 'GatewayAttachment',
        Properties: {
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: { Ref: 'InternetGateway' },
          RouteTableId: { Ref: 'RouteTable' },
        },
      });
      app.hasResource('Association', 'AWS::EC2::SubnetRouteTableAssociation', {
        Properties: { RouteTableId: { Ref: 'RouteTable' }, SubnetId: { Ref: 'Subnet' } },
      });
    });

    it('keeps the security group name and description, which would replace it if changed', () => {
      app.hasResource('SecurityGroup', 'AWS::EC2::SecurityGroup', {
        Properties: { GroupName: 'SecurityGroup', GroupDescription: 'Default Security Group', VpcId: { Ref: 'VPC' } },
      });
    });

    it("admits Redshift from inside the VPC, and SSH only from the operator's range when a key pair and that range are given", () => {
      const ingress = (resources.SecurityGroup!.Properties as any).SecurityGroupIngress;
      const [condition, withKey, withoutKey] = ingress['Fn::If'];
      expect(condition).to.equal('SSHAllowed');
      app.hasCondition('SSHAllowed', {
        'Fn::And': [{ Condition: 'KeyPairGiven' }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'SSHLocation' }, ''] }] }],
      });
      const redshift = { IpProtocol: 'tcp', FromPort: 5439, ToPort: 5439, CidrIp: '172.31.0.0/16' };
      expect(withoutKey).to.have.length(1);
      expect(withoutKey[0]).to.deep.include(redshift);
      expect(withKey).to.have.length(2);
      expect(withKey[0]).to.deep.include(redshift);
      expect(withKey[1]).to.deep.include({
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        CidrIp: { Ref: 'SSHLocation' },
      });
    });

    it('opens no port to the world, and takes no SSH range wider than a /8', () => {
      const ingress = (resources.SecurityGroup!.Properties as any).SecurityGroupIngress['Fn::If'].slice(1).flat();
      for (const rule of ingress) {
        expect(rule.CidrIp, JSON.stringify(rule)).to.not.equal('0.0.0.0/0');
        expect(rule.IpProtocol).to.not.equal('udp');
      }
      const pattern = new RegExp((app.json.Parameters as any).SSHLocation.AllowedPattern);
      expect(['', '203.0.113.7/32', '10.0.0.0/8'].filter((v) => pattern.test(v))).to.have.length(3);
      expect(['0.0.0.0/0', '0.0.0.0/1', '203.0.113.7'].filter((v) => pattern.test(v))).to.deep.equal([]);
    });
  });

  describe('Redshift', () => {
    it('lets Redshift manage the master password under the default engine, and takes RedshiftPassword only under the legacy one', () => {
      const cluster = app.resource('Redshift').Properties as Record<string, unknown>;
      expect(cluster.ManageMasterPassword).to.deep.equal({ 'Fn::If': ['LegacyBatch', false, true] });
      expect(cluster.MasterUserPassword).to.deep.equal({
        'Fn::If': ['LegacyBatch', { Ref: 'RedshiftPassword' }, { Ref: 'AWS::NoValue' }],
      });
    });

    it('hands the password down only under the legacy engine, whose pipeline signs in with it', () => {
      const passed = (app.resource('AdvertisingService').Properties as Record<string, any>).Parameters;
      expect(passed.RedshiftPassword).to.deep.equal({
        'Fn::If': ['LegacyBatch', { Ref: 'RedshiftPassword' }, { Ref: 'AWS::NoValue' }],
      });
    });

    it('creates an encrypted cluster in the subnet, private to the VPC', () => {
      app.hasResource('Redshift', 'AWS::Redshift::Cluster', {
        Properties: {
          ClusterType: { 'Fn::If': ['RedshiftSingleNode', 'single-node', 'multi-node'] },
          ClusterIdentifier: { 'Fn::Sub': '${AWS::StackName}-${AWS::Region}-redshift-cluster' },
          DBName: { Ref: 'RedshiftDatabase' },
          MasterUsername: { Ref: 'RedshiftUsername' },
          NodeType: { Ref: 'RedshiftNodeType' },
          NumberOfNodes: {
            'Fn::If': ['RedshiftSingleNode', { Ref: 'AWS::NoValue' }, { Ref: 'RedshiftNumberOfNodes' }],
          },
          Encrypted: true,
          PubliclyAccessible: false,
          ClusterSubnetGroupName: { Ref: 'RedshiftClusterSubnetGroup' },
          VpcSecurityGroupIds: [{ Ref: 'SecurityGroup' }, { 'Fn::GetAtt': ['VPC', 'DefaultSecurityGroup'] }],
          AvailabilityZone: { 'Fn::GetAtt': ['Subnet', 'AvailabilityZone'] },
        },
      });
    });

    it('gives Spectrum the Spectrum role under the default engine, and both pipeline roles under Data Pipeline', () => {
      app.hasResourceProperties('AWS::Redshift::Cluster', {
        IamRoles: {
          'Fn::If': [
            'LegacyBatch',
            [{ 'Fn::GetAtt': ['PipelineRole', 'Arn'] }, { 'Fn::GetAtt': ['PipelineResourceRole', 'Arn'] }],
            [{ 'Fn::GetAtt': ['RedshiftSpectrumRole', 'Arn'] }],
          ],
        },
      });
    });

    it('places the cluster in the VPC subnet', () => {
      app.hasResource('RedshiftClusterSubnetGroup', 'AWS::Redshift::ClusterSubnetGroup', {
        Properties: { SubnetIds: [{ Ref: 'Subnet' }] },
      });
    });

    it('requires TLS of every client, logs every query, keeps a week of snapshots and takes a final one when deleted or replaced', () => {
      app.hasResource('RedshiftParameterGroup', 'AWS::Redshift::ClusterParameterGroup', {
        Condition: 'RedshiftEnabled',
        Properties: {
          ParameterGroupFamily: 'redshift-1.0',
          Parameters: [
            { ParameterName: 'require_ssl', ParameterValue: 'true' },
            { ParameterName: 'enable_user_activity_logging', ParameterValue: 'true' },
          ],
        },
      });
      app.hasResource('Redshift', 'AWS::Redshift::Cluster', {
        DeletionPolicy: 'Snapshot',
        UpdateReplacePolicy: 'Snapshot',
        Properties: {
          ClusterParameterGroupName: { Ref: 'RedshiftParameterGroup' },
          AutomatedSnapshotRetentionPeriod: 7,
          LoggingProperties: {
            LogDestinationType: 'cloudwatch',
            LogExports: ['connectionlog', 'userlog', 'useractivitylog'],
          },
        },
      });
    });

    it('admits only the VPC range through the legacy cluster security group', () => {
      app.hasResource('RedshiftClusterSecurityGroupIngress', 'AWS::Redshift::ClusterSecurityGroupIngress', {
        Properties: { ClusterSecurityGroupName: { Ref: 'RedshiftClusterSecurityGroup' }, CIDRIP: '172.31.0.0/16' },
      });
    });

    it('skips the lint rules it must, each with a reason in the source', () => {
      app.hasResource('Redshift', 'AWS::Redshift::Cluster', {
        Metadata: { 'cfn-lint': { config: { ignore_checks: ['W1011'] } } },
      });
      app.hasResource('RedshiftClusterSecurityGroupIngress', 'AWS::Redshift::ClusterSecurityGroupIngress', {
        Metadata: { 'cfn-lint': { config: { ignore_checks: ['E1041'] } } },
      });
    });
  });

  describe('task-runner instance', () => {
    const userData = () => (resources.Instance!.Properties as any).UserData['Fn::Base64']['Fn::Sub'] as string;

    it('runs the chosen instance type from the chosen image, in the subnet, with SSH only given a key pair', () => {
      app.hasResource('Instance', 'AWS::EC2::Instance', {
        Properties: {
          IamInstanceProfile: { Ref: 'InstanceProfile' },
          ImageId: { Ref: 'TaskRunnerImageId' },
          InstanceType: { Ref: 'EC2InstanceSize' },
          KeyName: { 'Fn::If': ['KeyPairGiven', { Ref: 'KeyPair' }, { Ref: 'AWS::NoValue' }] },
          SubnetId: { Ref: 'Subnet' },
          SecurityGroupIds: [{ Ref: 'SecurityGroup' }, { 'Fn::GetAtt': ['VPC', 'DefaultSecurityGroup'] }],
        },
      });
    });

    it('takes the latest Amazon Linux 2023 image from Systems Manager instead of a map of 2019 images', () => {
      app.hasParameter('TaskRunnerImageId', {
        Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
        Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      });
      expect(app.json.Mappings).to.equal(undefined);
    });

    it('installs Java before starting the Task Runner, since Amazon Linux 2023 ships none', () => {
      const script = userData();
      expect(script).to.match(/dnf install -y -q java-1\.8\.0-amazon-corretto\n/);
      expect(script.indexOf('dnf install')).to.be.lessThan(script.indexOf('java -jar'));
    });

    it('runs as a role EC2 assumes, with the Data Pipeline resource policy', () => {
      app.hasResource('InstanceRole', 'AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: ['ec2.amazonaws.com'] } }] },
          ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforDataPipelineRole'],
        },
      });
      app.hasResource('InstanceProfile', 'AWS::IAM::InstanceProfile', {
        Properties: { Roles: [{ Ref: 'InstanceRole' }] },
      });
    });

    it('starts the Task Runner with its credentials file, worker group, region and log folder', () => {
      const script = userData();
      expect(script).to.match(/^#!\/bin\/bash\n/);
      expect(script).to.include('--config="$dir/credentials.json"');
      expect(script).to.include('--workerGroup="${Bucket}-instance-worker-group"');
      expect(script).to.include('--region="${AWS::Region}"');
      expect(script).to.include('--logUri="s3://${Bucket}/logs/task-runner/instance/"');
    });

    it('reads the credentials from the secret with its role into a file readable by root only; user data names only the secret', () => {
      expect(userData()).to.include(
        '(umask 077 && aws secretsmanager get-secret-value --region "${AWS::Region}" --secret-id "${TaskRunnerCredentials}" --query SecretString --output text >"$dir/credentials.json")',
      );
      expect(userData()).not.to.match(/AccessKeyID|SecretAccessKey/);
      expect(
        (resources.InstanceRole!.Properties as any).Policies.flatMap((p: any) => p.PolicyDocument.Statement),
      ).to.deep.equal([
        {
          Effect: 'Allow',
          Sid: 'ReadTaskRunnerCredentials',
          Action: 'secretsmanager:GetSecretValue',
          Resource: { Ref: 'TaskRunnerCredentials' },
        },
      ]);
    });

    it("keeps the Task Runner's keys in a secret that exists only where a task runner runs", () => {
      app.hasResource('TaskRunnerCredentials', 'AWS::SecretsManager::Secret', {
        Condition: 'TaskRunnersRun',
        Properties: {
          SecretString: {
            'Fn::Sub': [
              '{"access-id": "${AccessKeyID}", "private-key": "${SecretAccessKey}"}',
              { AccessKeyID: { Ref: 'AccessKeyID' }, SecretAccessKey: { Ref: 'SecretAccessKey' } },
            ],
          },
        },
      });
      app.hasCondition('TaskRunnersRun', {
        'Fn::Or': [{ Condition: 'EC2InstanceEnabled' }, { Condition: 'EMREnabled' }],
      });
    });
  });

  describe('EMR cluster', () => {
    describe('its security configuration', () => {
      const encryption = () =>
        (resources.EMRSecurityConfiguration!.Properties as any).SecurityConfiguration.EncryptionConfiguration;
      const keyStatements = () => (resources.EMRKey!.Properties as any).KeyPolicy.Statement as Record<string, any>[];

      it('is attached to the cluster, and exists with it', () => {
        app.hasResourceProperties('AWS::EMR::Cluster', { SecurityConfiguration: { Ref: 'EMRSecurityConfiguration' } });
        expect(resources.EMRSecurityConfiguration!.Condition).to.equal('EMREnabled');
        expect(resources.EMRKey!.Condition).to.equal('EMREnabled');
      });

      it("encrypts the nodes' local disks, their EBS volumes and what EMRFS writes to S3 with the stack's own key", () => {
        const key = { 'Fn::GetAtt': ['EMRKey', 'Arn'] };
        expect(encryption().EnableAtRestEncryption).to.equal(true);
        expect(encryption().AtRestEncryptionConfiguration).to.deep.equal({
          LocalDiskEncryptionConfiguration: {
            EncryptionKeyProviderType: 'AwsKms',
            AwsKmsKey: key,
            EnableEbsEncryption: true,
          },
          S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: key },
        });
      });

      it('encrypts traffic between the nodes only when the user gives the TLS certificates, which the project cannot make', () => {
        app.hasCondition('EMRInTransitEncryption', notEmpty('EMRTLSCertificates'));
        expect(encryption().EnableInTransitEncryption).to.deep.equal({
          'Fn::If': ['EMRInTransitEncryption', true, false],
        });
        expect(encryption().InTransitEncryptionConfiguration).to.deep.equal({
          'Fn::If': [
            'EMRInTransitEncryption',
            {
              TLSCertificateConfiguration: { CertificateProviderType: 'PEM', S3Object: { Ref: 'EMRTLSCertificates' } },
            },
            { Ref: 'AWS::NoValue' },
          ],
        });
        expect(parameters.EMRTLSCertificates).to.deep.include({ Type: 'String', Default: '' });
      });

      it('rotates the key and lets the nodes, the EMR service and the readers of what the cluster writes use it', () => {
        expect((resources.EMRKey!.Properties as any).EnableKeyRotation).to.equal(true);
        const use = keyStatements().find((st) => st.Sid === 'NodesAndReadersUse')!;
        expect(use.Principal.AWS).to.deep.equal(
          ['EMRJobFlowRole', 'EMRServiceRole', 'PipelineRole', 'PipelineResourceRole'].map((id) => ({
            'Fn::GetAtt': [id, 'Arn'],
          })),
        );
        expect(use.Action).to.include.members(['kms:Decrypt', 'kms:GenerateDataKey*']);
        expect(use.Action).to.not.include('kms:*');
      });

      it('lets the nodes and the EMR service create grants only for the encrypted volumes AWS attaches', () => {
        const grants = keyStatements().find((st) => st.Sid === 'AttachEncryptedVolumes')!;
        expect(grants.Action).to.deep.equal(['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant']);
        expect(grants.Condition).to.deep.equal({ Bool: { 'kms:GrantIsForAWSResource': true } });
      });
    });

    it('runs Hive, Pig and Spark over the Glue Data Catalog', () => {
      const metastore = {
        'hive.metastore.client.factory.class':
          'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory',
        'hive.metastore.glue.catalogid': { Ref: 'AWS::AccountId' },
      };
      app.hasResource('EMR', 'AWS::EMR::Cluster', {
        Properties: {
          Applications: [{ Name: 'hive' }, { Name: 'pig' }, { Name: 'spark' }],
          Configurations: [
            { Classification: 'hive-site', ConfigurationProperties: metastore },
            { Classification: 'spark-hive-site', ConfigurationProperties: metastore },
          ],
          ReleaseLabel: { Ref: 'EMRRelease' },
          JobFlowRole: { Ref: 'EMRProfile' },
          ServiceRole: { Ref: 'EMRServiceRole' },
          LogUri: { 'Fn::Sub': 's3://${Bucket}/logs/emr' },
        },
      });
    });

    it('sizes its instance groups from the parameters and joins the VPC', () => {
      app.hasResourceProperties('AWS::EMR::Cluster', {
        Instances: {
          MasterInstanceGroup: {
            InstanceCount: { Ref: 'EMRMasterInstanceCount' },
            InstanceType: { Ref: 'EMRMasterInstanceType' },
          },
          CoreInstanceGroup: {
            InstanceCount: { Ref: 'EMRCoreInstanceCount' },
            InstanceType: { Ref: 'EMRCoreInstanceType' },
          },
          Ec2SubnetId: { Ref: 'Subnet' },
          Ec2KeyName: { 'Fn::If': ['KeyPairGiven', { Ref: 'KeyPair' }, { Ref: 'AWS::NoValue' }] },
          AdditionalMasterSecurityGroups: [{ Ref: 'SecurityGroup' }, { 'Fn::GetAtt': ['VPC', 'DefaultSecurityGroup'] }],
          AdditionalSlaveSecurityGroups: [{ Ref: 'SecurityGroup' }, { 'Fn::GetAtt': ['VPC', 'DefaultSecurityGroup'] }],
          TerminationProtected: false,
        },
      });
    });

    it('installs the Task Runner from the packaged bootstrap script for the EMR worker group', () => {
      app.hasResourceProperties('AWS::EMR::Cluster', {
        BootstrapActions: [
          {
            ScriptBootstrapAction: {
              Path: { 'Fn::Sub': 's3://${CodeBucket}/${CodePrefix}/scripts/emr/install_task_runner.sh' },
              Args: [
                { Ref: 'TaskRunnerCredentials' },
                { 'Fn::Sub': '${Bucket}-emr-worker-group' },
                { Ref: 'AWS::Region' },
                { 'Fn::Sub': 's3://${Bucket}/logs/task-runner/emr/' },
              ],
            },
          },
        ],
      });
    });

    it("lets EC2 assume the node role and EMR the service role, each with its managed policies, and the nodes read the Task Runner's secret", () => {
      app.hasResource('EMRJobFlowRole', 'AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: ['ec2.amazonaws.com'] } }] },
          ManagedPolicyArns: [
            'arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceforEC2Role',
            'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforDataPipelineRole',
          ],
          Policies: [
            {
              PolicyName: 'TaskRunnerCredentials',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Sid: 'ReadTaskRunnerCredentials',
                    Action: 'secretsmanager:GetSecretValue',
                    Resource: { Ref: 'TaskRunnerCredentials' },
                  },
                ],
              },
            },
          ],
        },
      });
      app.hasResource('EMRServiceRole', 'AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: ['elasticmapreduce.amazonaws.com'] } }] },
          ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceRole'],
          Policies: absent(),
        },
      });
      app.hasResource('EMRProfile', 'AWS::IAM::InstanceProfile', {
        Properties: { Roles: [{ Ref: 'EMRJobFlowRole' }] },
      });
    });
  });

  describe('advertising service', () => {
    const serviceParameters = () =>
      (resources.AdvertisingService!.Properties as any).Parameters as Record<string, unknown>;

    it('nests the local service template', () => {
      app.hasResource('AdvertisingService', 'AWS::Serverless::Application', {
        Properties: { Location: './advertising/service.yaml' },
      });
    });

    it('passes every parameter the service declares, and nothing else', () => {
      // the service's own test (service.test.ts) pins the list; here the root must pass exactly that list
      const declared = TemplateAssertions.load('templates-out/advertising/service.yaml').section('Parameters');
      expect(Object.keys(declared)).to.have.length.greaterThan(0);
      expect(Object.keys(serviceParameters())).to.have.members(Object.keys(declared));
    });

    it('agrees with the generated service template on names and allowed values', () => {
      // given the service template
      const declared = TemplateAssertions.load('templates-out/advertising/service.yaml').section('Parameters');
      // then every passed name is declared there, every required one is passed,
      // and nothing the root allows is refused there
      expect(Object.keys(declared)).to.include.members(Object.keys(serviceParameters()));
      const required = Object.entries(declared)
        .filter(([, d]) => d.Default === undefined)
        .map(([id]) => id);
      expect(Object.keys(serviceParameters())).to.include.members(required);
      const compared: string[] = [];
      for (const [id, value] of Object.entries(serviceParameters())) {
        const source = (value as { Ref?: string }).Ref;
        const allowedThere = declared[id]?.AllowedValues as unknown[] | undefined;
        const allowedHere = source ? (parameters[source]?.AllowedValues as unknown[] | undefined) : undefined;
        if (!allowedThere || !allowedHere) continue;
        expect(allowedThere, id).to.include.members(allowedHere);
        compared.push(id);
      }
      expect(compared, 'parameters with allowed values on both sides').to.include.members([
        'RealTimeEngine',
        'BatchEngine',
      ]);
    });

    it('passes the build facts, the code location and the deployment settings through unchanged', () => {
      for (const id of [
        'CodePipeline',
        'BuildRegion',
        'SourceVersion',
        'Build',
        'CodeBucket',
        'CodePrefix',
        'KeyPair',
        'Stage',
        'DeploymentPreference',
      ]) {
        expect(serviceParameters()[id], id).to.deep.equal({ Ref: id });
      }
    });

    it('passes the bucket, the batch engine roles where they exist and the batch switches', () => {
      const legacyOnly = (value: unknown) => ({ 'Fn::If': ['LegacyBatch', value, { Ref: 'AWS::NoValue' }] });
      expect(serviceParameters()).to.deep.include({
        BucketName: { Ref: 'Bucket' },
        BucketARN: { 'Fn::GetAtt': ['Bucket', 'Arn'] },
        RedshiftSpectrumRoleARN: {
          'Fn::If': [
            'StepFunctionsRedshift',
            { 'Fn::GetAtt': ['RedshiftSpectrumRole', 'Arn'] },
            { Ref: 'AWS::NoValue' },
          ],
        },
        PipelineRole: legacyOnly({ Ref: 'PipelineRole' }),
        PipelineRoleARN: legacyOnly({ 'Fn::GetAtt': ['PipelineRole', 'Arn'] }),
        PipelineResourceRole: legacyOnly({ Ref: 'PipelineResourceRole' }),
        PipelineResourceRoleARN: legacyOnly({ 'Fn::GetAtt': ['PipelineResourceRole', 'Arn'] }),
        EnableEC2Instance: { Ref: 'EnableEC2Instance' },
        EnableEMRCluster: { Ref: 'EnableEMRCluster' },
        EnablePipeline: { Ref: 'EnablePipeline' },
        TaskRunnerCredentialsARN: {
          'Fn::If': ['TaskRunnersRun', { Ref: 'TaskRunnerCredentials' }, { Ref: 'AWS::NoValue' }],
        },
        RedshiftDatabase: { Ref: 'RedshiftDatabase' },
        RedshiftUsername: { Ref: 'RedshiftUsername' },
      });
    });

    it('passes the real-time engine switch through unchanged', () => {
      expect(serviceParameters().RealTimeEngine).to.deep.equal({ Ref: 'RealTimeEngine' });
    });

    it('passes the batch engine switch, the schedule switch and the ad traffic billing mode through unchanged', () => {
      expect(serviceParameters().BatchEngine).to.deep.equal({ Ref: 'BatchEngine' });
      expect(serviceParameters().EnableBatchSchedule).to.deep.equal({ Ref: 'EnableBatchSchedule' });
      expect(serviceParameters().AdTrafficBillingMode).to.deep.equal({ Ref: 'AdTrafficBillingMode' });
    });

    it('passes the subnet, security group and cluster only where they exist', () => {
      expect(serviceParameters()).to.deep.include({
        Subnet: { 'Fn::If': ['VPCEnabled', { Ref: 'Subnet' }, { Ref: 'AWS::NoValue' }] },
        SecurityGroup: { 'Fn::If': ['VPCEnabled', { Ref: 'SecurityGroup' }, { Ref: 'AWS::NoValue' }] },
        RedshiftClusterId: { 'Fn::If': ['RedshiftEnabled', { Ref: 'Redshift' }, { Ref: 'AWS::NoValue' }] },
      });
    });
  });

  describe('DNS', () => {
    it('requests a certificate for the base name, validated by a DNS record in the given zone or the new one, not by e-mail', () => {
      app.hasResource('Certificate', 'AWS::CertificateManager::Certificate', {
        Properties: exact({
          DomainName: { Ref: 'BaseDNSName' },
          ValidationMethod: 'DNS',
          DomainValidationOptions: [
            {
              DomainName: { Ref: 'BaseDNSName' },
              HostedZoneId: { 'Fn::If': ['InternalHostedZone', { Ref: 'HostedZone' }, { Ref: 'HostedZoneID' }] },
            },
          ],
        }),
      });
    });

    it('mounts the advertising API at /advertising on the custom domain', () => {
      // A regional domain name takes its certificate from the stack's own region, so DNS works outside us-east-1.
      app.hasResource('DomainName', 'AWS::ApiGateway::DomainName', {
        Properties: exact({
          RegionalCertificateArn: { Ref: 'Certificate' },
          DomainName: { Ref: 'BaseDNSName' },
          EndpointConfiguration: { Types: ['REGIONAL'] },
        }),
      });
      app.hasResource('BasePathMapping', 'AWS::ApiGateway::BasePathMapping', {
        Properties: {
          BasePath: 'advertising',
          DomainName: { Ref: 'DomainName' },
          RestApiId: { 'Fn::GetAtt': ['AdvertisingService', 'Outputs.API'] },
          Stage: { 'Fn::GetAtt': ['AdvertisingService', 'Outputs.Stage'] },
        },
      });
    });

    it('aliases the base name to the regional domain, in the given zone or a new one', () => {
      app.hasResource('HostedZone', 'AWS::Route53::HostedZone', { Properties: { Name: { Ref: 'DNSDomainName' } } });
      app.hasResource('RecordSetGroup', 'AWS::Route53::RecordSetGroup', {
        Properties: {
          HostedZoneId: { 'Fn::If': ['InternalHostedZone', { Ref: 'HostedZone' }, { Ref: 'HostedZoneID' }] },
          RecordSets: [
            {
              Type: 'A',
              Name: { Ref: 'BaseDNSName' },
              AliasTarget: {
                DNSName: { 'Fn::GetAtt': ['DomainName', 'RegionalDomainName'] },
                HostedZoneId: { 'Fn::GetAtt': ['DomainName', 'RegionalHostedZoneId'] },
              },
            },
          ],
        },
      });
    });
  });

  describe('operations dashboard', () => {
    type Engine = 'legacy' | 'current';
    // The body is chosen by the real-time engine: [condition, legacy body, current body].
    const choice = () =>
      (resources.OpsDashboard!.Properties as any).DashboardBody['Fn::If'] as [
        string,
        { 'Fn::Sub': string },
        { 'Fn::Sub': string },
      ];
    const subText = (engine: Engine = 'legacy') => choice()[engine === 'legacy' ? 1 : 2]['Fn::Sub'];
    const body = (engine: Engine = 'legacy') =>
      JSON.parse(subText(engine)) as { start: string; periodOverride: string; widgets: Widget[] };
    const headings = (engine: Engine = 'legacy') =>
      body(engine)
        .widgets.filter((w) => w.type === 'text')
        .map((w) => w.properties.markdown);

    it('shows the original body under the legacy real-time engine and the capture metrics under the default one', () => {
      app.hasCondition('LegacyRealTime', { 'Fn::Equals': [{ Ref: 'RealTimeEngine' }, 'kinesis-analytics-sql'] });
      expect(choice()[0]).to.equal('LegacyRealTime');
      expect(headings('current')).to.deep.equal([
        '# Beacon Endpoints',
        '# Firehoses',
        '# Real-Time Metrics',
        '# Lambdas',
        '# Data Lake',
        '# Athena',
        '# Glue ETL Jobs',
      ]);
    });

    it('charts the per-minute Impressions and Clicks the capture functions publish, and their clickthrough, under the default engine', () => {
      const start = headings('current').indexOf('# Real-Time Metrics');
      const widgets = body('current').widgets;
      const headingAt = widgets.findIndex((w) => w.type === 'text' && w.properties.markdown === '# Real-Time Metrics');
      const section = widgets.slice(
        headingAt + 1,
        widgets.findIndex((w, i) => i > headingAt && w.type === 'text'),
      );
      expect(start).to.equal(2);
      expect(section.map((w) => w.properties.title)).to.deep.equal([
        'Impressions Counted (per minute)',
        'Clicks Counted (per minute)',
        'Clickthrough (%)',
        'Latest Minute',
      ]);
      const clickthrough = section[2]!.properties.metrics!;
      expect(clickthrough[0]).to.deep.equal([
        'Warehouse/Advertising',
        'Impressions',
        { stat: 'Sum', period: 60, id: 'impressions', label: 'Impressions', visible: false },
      ]);
      expect(clickthrough[1]).to.deep.equal([
        'Warehouse/Advertising',
        'Clicks',
        { stat: 'Sum', period: 60, id: 'clicks', label: 'Clicks', visible: false },
      ]);
      expect(clickthrough[2]).to.deep.equal([
        { expression: '100 * clicks / impressions', id: 'clickthrough', label: 'Clickthrough (%)' },
      ]);
      expect(JSON.stringify(section)).not.to.contain('KinesisAnalytics');
    });

    it('keeps every other section the same under both engines', () => {
      const without = (engine: Engine) => {
        const widgets = body(engine).widgets;
        const heading = engine === 'legacy' ? '# Real-Time App' : '# Real-Time Metrics';
        const from = widgets.findIndex((w) => w.type === 'text' && w.properties.markdown === heading);
        const to = widgets.findIndex((w, i) => i > from && w.type === 'text');
        return [...widgets.slice(0, from), ...widgets.slice(to)];
      };
      expect(without('current')).to.deep.equal(without('legacy'));
    });

    it('is a Sub over a JSON body that refers only to the region, the stage and the bucket', () => {
      const variables = [...new Set([...subText().matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]))];
      expect(variables).to.have.members(['Stage', 'AWS::Region', 'Bucket']);
      expect(body()).to.deep.include({ start: '-PT1H', periodOverride: 'inherit' });
    });

    it('holds 46 widgets', () => {
      expect(body().widgets).to.have.length(46);
    });

    it('has 7 sections in the original order', () => {
      expect(headings()).to.deep.equal([
        '# Beacon Endpoints',
        '# Firehoses',
        '# Real-Time App',
        '# Lambdas',
        '# Data Lake',
        '# Athena',
        '# Glue ETL Jobs',
      ]);
    });

    it('puts 4, 6, 11, 8, 10, 0 and 0 graphs under the sections', () => {
      const counts: number[] = [];
      for (const widget of body().widgets) {
        if (widget.type === 'text') counts.push(0);
        else counts[counts.length - 1]! += 1;
      }
      expect(counts).to.deep.equal([4, 6, 11, 8, 10, 0, 0]);
    });

    it('draws every graph in the stack region as a hidden-legend time series of one SEARCH expression', () => {
      for (const widget of body().widgets.filter((w) => w.type === 'metric')) {
        expect(widget.properties, widget.properties.title).to.deep.include({
          region: '${AWS::Region}',
          view: 'timeSeries',
          liveData: false,
          stacked: false,
          legend: { position: 'hidden' },
        });
        expect(widget.properties.metrics).to.have.length(1);
        expect((widget.properties.metrics![0]![0] as { expression: string }).expression).to.match(
          /^SEARCH\('\{[^}]+\} .+', '\w+', \d+\)$/,
        );
      }
    });

    it('lays out the headings full width and the graphs in quarters, thirds, halves or full width', () => {
      for (const widget of body().widgets) {
        if (widget.type === 'text') expect([widget.width, widget.height]).to.deep.equal([24, 1]);
        else
          expect([
            [6, 4],
            [8, 6],
            [12, 4],
            [24, 6],
          ]).to.deep.include([widget.width, widget.height]);
      }
    });

    it('filters the API graphs to the deployed stage and counts both error classes', () => {
      const errors = body().widgets.find(
        (w) => w.properties.title === 'Errors' && JSON.stringify(w).includes('ApiGateway'),
      )!;
      expect((errors.properties.metrics![0]![0] as { expression: string }).expression).to.equal(
        'SEARCH(\'{AWS/ApiGateway,ApiName,Resource,Method,Stage} (MetricName="4XXError" OR MetricName="5XXError") Stage="${Stage}"\', \'Sum\', 60)',
      );
    });

    it('graphs the data bucket only, with storage metrics under their full dimension set', () => {
      const objects = body().widgets.find((w) => w.properties.title === 'Bucket Size (objects)')!;
      expect((objects.properties.metrics![0]![0] as { expression: string }).expression).to.equal(
        'SEARCH(\'{AWS/S3,BucketName,StorageType} MetricName="NumberOfObjects" BucketName="${Bucket}"\', \'Maximum\', 86400)',
      );
    });

    it('keeps the widget-level period and statistic where the original set them', () => {
      const bytes = body().widgets.find((w) => w.properties.title === 'Bytes Delivered To S3')!;
      expect(bytes.properties).to.deep.include({ period: 60, stat: 'Sum' });
      const lag = body().widgets.find((w) => w.properties.title === 'Input Lag (ms)')!;
      expect(lag.properties).to.deep.include({ period: 60, stat: 'Maximum' });
    });
  });

  describe('outputs', () => {
    it('gives the base URL on the custom domain when DNS is set up, else the service URL', () => {
      app.hasOutput('BaseURL', {
        Value: {
          'Fn::If': [
            'DNSEnabled',
            { 'Fn::Sub': 'https://${BaseDNSName}/advertising' },
            { 'Fn::GetAtt': ['AdvertisingService', 'Outputs.BaseURL'] },
          ],
        },
      });
    });
  });
});

describe('dashboard widget helpers', () => {
  it('writes a SEARCH over a dimension schema with quoted filters', () => {
    // given a query with two metric names and a filter
    const expression = search({
      namespace: 'AWS/X',
      dimensions: ['A', 'B'],
      metricName: ['M1', 'M2'],
      filters: { A: 'say "hi"' },
      stat: 'p99',
      period: 300,
    });
    // then names are alternatives and values are quoted with escapes
    expect(expression.expression).to.equal(
      'SEARCH(\'{AWS/X,A,B} (MetricName="M1" OR MetricName="M2") A="say \\"hi\\""\', \'p99\', 300)',
    );
  });

  it('writes a named metric as namespace, name, dimension pairs and options', () => {
    const entry = metricEntry(
      metric({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: 'f' },
        stat: 'Sum',
        label: 'errors',
      }),
    );
    expect(entry).to.deep.equal(['AWS/Lambda', 'Errors', 'FunctionName', 'f', { stat: 'Sum', label: 'errors' }]);
    expect(metricEntry(metric({ namespace: 'AWS/S3', metricName: 'AllRequests' }))).to.deep.equal([
      'AWS/S3',
      'AllRequests',
    ]);
  });

  it('builds single-value widgets with an optional sparkline', () => {
    const widget = singleValue({
      title: 'Now',
      width: 6,
      height: 3,
      region: 'eu-west-1',
      metrics: [metric({ namespace: 'N', metricName: 'M' })],
      sparkline: true,
    });
    expect(widget).to.deep.equal({
      type: 'metric',
      width: 6,
      height: 3,
      properties: {
        metrics: [['N', 'M']],
        region: 'eu-west-1',
        title: 'Now',
        view: 'singleValue',
        liveData: false,
        legend: { position: 'hidden' },
        sparkline: true,
      },
    });
  });

  it('serializes a body with stack values as Sub variables and literal ${ escaped', () => {
    // given a body mixing a stack value and a literal ${
    const body = {
      widgets: [
        text('# costs in ${dollars}'),
        graph({
          title: 't',
          width: 6,
          height: 4,
          region: stackValue(AWS.Region),
          metrics: [metric({ namespace: stackValue(ref('Ns')), metricName: 'M' })],
        }),
      ],
    };
    // when it is serialized
    const sub = dashboardBody(body).toJSON() as { 'Fn::Sub': string };
    // then the JSON parses, holds each widget on one line, and only the stack values are variables
    expect(sub['Fn::Sub'].split('\n')).to.have.length(6);
    expect(sub['Fn::Sub']).to.include('# costs in ${!dollars}');
    const parsed = JSON.parse(sub['Fn::Sub']);
    expect(parsed.widgets[1].properties.region).to.equal('${AWS::Region}');
    expect(parsed.widgets[1].properties.metrics[0][0]).to.equal('${Ns}');
  });
});
