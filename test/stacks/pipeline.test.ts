import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import { evaluateIntrinsics } from '../support/deployment';
import { allows, type Call } from '../support/iam';
import { TemplateAssertions, absent, exact, stringLike } from '../support/template';
import { originalIds } from './original';
import { STEP_FUNCTIONS_REDSHIFT, STEP_FUNCTIONS_RESOURCES } from './engines';

const PATH = 'templates-out/advertising/pipeline.yaml';

type Json = any;

interface PipelineEntry {
  readonly object: { Id: string; Name: string; Fields: Json[] };
  /** The condition the whole object depends on, if any. */
  readonly condition?: { readonly name: string; readonly holds: boolean };
}

const NO_VALUE = { Ref: 'AWS::NoValue' };
const isNoValue = (v: Json) => JSON.stringify(v) === JSON.stringify(NO_VALUE);

/** An entry of PipelineObjects: a plain object, or `Fn::If` with AWS::NoValue on one side. */
function unwrap(entry: Json): PipelineEntry {
  if (!entry['Fn::If']) return { object: entry };
  const [name, whenTrue, whenFalse] = entry['Fn::If'];
  if (isNoValue(whenFalse)) return { object: whenTrue, condition: { name, holds: true } };
  if (isNoValue(whenTrue)) return { object: whenFalse, condition: { name, holds: false } };
  throw new Error(`pipeline entry under ${name} has an object on both sides`);
}

/** Every field of an object, conditional ones included, as [key, field, condition?]. */
function allFields(object: PipelineEntry['object']): { field: Json; condition?: { name: string; holds: boolean } }[] {
  return object.Fields.map((f) => {
    const u = unwrap(f) as unknown as { object: Json; condition?: { name: string; holds: boolean } };
    return { field: u.object, condition: u.condition };
  });
}

/** The unconditional values of a key, in order: StringValue or `ref:<id>` for RefValue. */
function values(object: PipelineEntry['object'], key: string): Json[] {
  return object.Fields.filter((f) => !f['Fn::If'] && f.Key === key).map((f) =>
    f.RefValue !== undefined ? `ref:${f.RefValue}` : f.StringValue,
  );
}

const jobUri = (path: string) => ({ 'Fn::Sub': `s3://\${CodeBucket}/\${CodePrefix}/jobs/${path}` });

const HIVE_VARIABLES = [
  { 'Fn::Sub': 'DATABASE=${Database}' },
  'PARTITION_YEAR=#{year(@scheduledStartTime)}',
  'PARTITION_MONTH=#{month(@scheduledStartTime)}',
  "DATE_START=#{format(@scheduledStartTime, 'YYYY-MM-dd')}",
  "DATE_END=#{format(@scheduledEndTime, 'YYYY-MM-dd')}",
];

/** The 40 objects of the original's pipeline, in its order, with the condition each depends on. */
const ORIGINAL_OBJECTS: [string, string | undefined][] = [
  ['DailySchedule', undefined],
  ['Default', undefined],
  ['EC2Instance', '!DisablePipelineInstance'],
  ['HiveMetastoreClientFactoryClass', '!EMREnabled'],
  ['HiveMetastoreCatalog', '!EMREnabled'],
  ['UseMRExecutionEngine', '!EMREnabled'],
  ['HiveSite', '!EMREnabled'],
  ['SparkHiveSite', '!EMREnabled'],
  ['EMRCluster', '!EMREnabled'],
  ['ExtractAdvertisingData', undefined],
  ['DummyInputTableFormat', undefined],
  ['DummyInputTable', undefined],
  ['AdTrafficTableExists', undefined],
  ['AdTrafficTableFormat', undefined],
  ['AdTrafficTable', undefined],
  ['IncreaseAdTrafficWriteCapacity', undefined],
  ['DecreaseAdTrafficWriteCapacity', undefined],
  ['LoadAdTrafficData', undefined],
  ['RedshiftCluster', 'RedshiftEnabled'],
  ...['Impressions', 'Clicks', 'Advertising'].flatMap((d): [string, string][] => [
    [`Redshift${d}Table`, 'RedshiftEnabled'],
    [`Redshift${d}StagingTableFormat`, 'RedshiftEnabled'],
    [`Redshift${d}StagingTable`, 'RedshiftEnabled'],
    [`Stage${d}ForRedshift`, 'RedshiftEnabled'],
    [`Load${d}IntoRedshift`, 'RedshiftEnabled'],
  ]),
  ['UseSpectrumDataLake', 'RedshiftEnabled'],
  ['SpectrumLoadRawImpressions', 'RedshiftEnabled'],
  ['SpectrumLoadRawClicks', 'RedshiftEnabled'],
  ['SpectrumLoadImpressions', 'RedshiftEnabled'],
  ['SpectrumLoadClicks', 'RedshiftEnabled'],
  ['SpectrumLoadAdvertising', 'RedshiftEnabled'],
];

describe('advertising/pipeline.yaml (the batch stack)', () => {
  const template = TemplateAssertions.load(PATH);
  const pipeline = template.resource('EMRPipeline', 'AWS::DataPipeline::Pipeline') as Json;
  const entries: PipelineEntry[] = pipeline.Properties.PipelineObjects.map(unwrap);
  const byId = new Map(entries.map((e) => [e.object.Id, e]));
  const object = (id: string) => {
    const entry = byId.get(id);
    if (!entry) throw new Error(`no pipeline object ${id}`);
    return entry.object;
  };

  it('adds only the Step Functions engine and its alarms to the original batch resources (their ids and types: original-resources.test.ts)', () => {
    const successor: Record<string, string> = {
      HiveApplication: 'AWS::EMRServerless::Application',
      HiveJobRole: 'AWS::IAM::Role',
      AdTrafficHiveTable: 'AWS::Glue::Table',
      RedshiftImpressionsStagingHiveTable: 'AWS::Glue::Table',
      RedshiftClicksStagingHiveTable: 'AWS::Glue::Table',
      RedshiftAdvertisingStagingHiveTable: 'AWS::Glue::Table',
      BatchStateMachineLogs: 'AWS::Logs::LogGroup',
      BatchStateMachineRole: 'AWS::IAM::Role',
      BatchRedshiftPolicy: 'AWS::IAM::Policy',
      BatchStateMachine: 'AWS::StepFunctions::StateMachine',
      BatchScheduleRole: 'AWS::IAM::Role',
      BatchSchedule: 'AWS::Scheduler::Schedule',
      BatchRunFailedAlarm: 'AWS::CloudWatch::Alarm',
      BatchOverdueAlarm: 'AWS::CloudWatch::Alarm',
    };
    for (const [id, type] of Object.entries(successor)) template.resource(id, type);
    expect(Object.keys(template.section('Resources'))).to.have.members([
      ...originalIds(PATH),
      ...Object.keys(successor),
    ]);
  });

  describe('parameters', () => {
    it('declares only the service parameters it uses', () => {
      expect(Object.keys(template.section('Parameters'))).to.have.members([
        'CodeBucket',
        'CodePrefix',
        'BucketName',
        'Database',
        'RawCrawler',
        'ImpressionsETLJob',
        'ClicksETLJob',
        'KeyPair',
        'Subnet',
        'SecurityGroup',
        'TaskRunnerCredentialsARN',
        'EnableEC2Instance',
        'EnableEMRCluster',
        'RedshiftClusterId',
        'RedshiftDatabase',
        'RedshiftUsername',
        'RedshiftPassword',
        'EnablePipeline',
        'RedshiftSpectrumRoleARN',
        'PipelineRole',
        'PipelineRoleARN',
        'PipelineResourceRole',
        'BatchEngine',
        'EnableBatchSchedule',
        'AdTrafficBillingMode',
        'AlarmTopicArn',
        'PermissionsBoundaryArn',
      ]);
    });

    it('masks the secrets and ships no default password', () => {
      template.hasParameter('RedshiftPassword', { NoEcho: true, Default: '' });
      template.hasParameter('TaskRunnerCredentialsARN', { Default: '', NoEcho: absent() });
    });

    it('leaves the optional parts off by default and the pipeline on', () => {
      for (const id of [
        'KeyPair',
        'Subnet',
        'SecurityGroup',
        'EnableEC2Instance',
        'EnableEMRCluster',
        'RedshiftClusterId',
      ]) {
        template.hasParameter(id, { Default: '' });
      }
      template.hasParameter('EnablePipeline', { Default: 'yes' });
      template.hasParameter('CodeBucket', { Default: absent() });
      template.hasParameter('Database', { Default: absent() });
    });
  });

  describe('conditions', () => {
    const set = (id: string) => ({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: id }, ''] }] });

    it("enables the root task runners only when the root hands down its credentials secret's ARN", () => {
      template.hasCondition(
        'EC2InstanceEnabled',
        exact({ 'Fn::And': [set('EnableEC2Instance'), set('TaskRunnerCredentialsARN')] }),
      );
      template.hasCondition(
        'EMREnabled',
        exact({ 'Fn::And': [set('EnableEMRCluster'), set('TaskRunnerCredentialsARN')] }),
      );
    });

    it('enables Redshift only with a cluster, database and user, and a password under the legacy engine', () => {
      template.hasCondition(
        'RedshiftEnabled',
        exact({
          'Fn::And': [
            set('RedshiftClusterId'),
            set('RedshiftDatabase'),
            set('RedshiftUsername'),
            { 'Fn::Or': [{ 'Fn::Not': [{ Condition: 'LegacyBatch' }] }, set('RedshiftPassword')] },
          ],
        }),
      );
    });

    it('drops the pipeline EC2 resource without Redshift or when the root instance does the work', () => {
      template.hasCondition(
        'DisablePipelineInstance',
        exact({ 'Fn::Or': [{ 'Fn::Not': [{ Condition: 'RedshiftEnabled' }] }, { Condition: 'EC2InstanceEnabled' }] }),
      );
    });

    it('keeps the VPC, key pair and pipeline switches of the original, the pipeline under the legacy engine only', () => {
      template.hasCondition('VPCEnabled', exact({ 'Fn::And': [set('Subnet'), set('SecurityGroup')] }));
      template.hasCondition('KeyPairGiven', exact(set('KeyPair')));
      template.hasCondition(
        'PipelineEnabled',
        exact({ 'Fn::And': [set('EnablePipeline'), { Condition: 'LegacyBatch' }] }),
      );
    });

    it('tells the engines apart by BatchEngine', () => {
      template.hasCondition('LegacyBatch', exact({ 'Fn::Equals': [{ Ref: 'BatchEngine' }, 'data-pipeline'] }));
      template.hasCondition('StepFunctionsBatch', exact({ 'Fn::Not': [{ Condition: 'LegacyBatch' }] }));
      template.hasCondition(
        'StepFunctionsRedshift',
        exact({ 'Fn::And': [{ Condition: 'StepFunctionsBatch' }, { Condition: 'RedshiftEnabled' }] }),
      );
      template.hasCondition('BatchScheduleEnabled', exact(set('EnableBatchSchedule')));
    });
  });

  describe('tables', () => {
    it('declares the advertising table in the lake database, partitioned by year and month, stored as ORC', () => {
      template.hasResource('AdvertisingTable', 'AWS::Glue::Table', {
        DependsOn: absent(),
        Properties: {
          CatalogId: { Ref: 'AWS::AccountId' },
          DatabaseName: { Ref: 'Database' },
          TableInput: {
            Name: 'advertising',
            TableType: 'EXTERNAL_TABLE',
            Parameters: { classification: 'orc' },
            PartitionKeys: [
              { Name: 'year', Type: 'int' },
              { Name: 'month', Type: 'int' },
            ],
            StorageDescriptor: {
              Location: { 'Fn::Sub': 's3://${BucketName}/data/lake/advertising/' },
              StoredAsSubDirectories: true,
              InputFormat: 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat',
              OutputFormat: 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat',
              SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde' },
              Columns: exact([
                { Name: 'ad_id', Type: 'string' },
                { Name: 'impression_at', Type: 'timestamp' },
                { Name: 'click_at', Type: 'timestamp' },
              ]),
            },
          },
        },
      });
    });

    it('keys the ad traffic table by ad and day, encrypted, on demand unless AdTrafficBillingMode asks for the provisioned floor', () => {
      template.hasResource('AdTrafficTable', 'AWS::DynamoDB::Table', {
        Properties: exact({
          AttributeDefinitions: [
            { AttributeName: 'ad_id', AttributeType: 'S' },
            { AttributeName: 'day', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'ad_id', KeyType: 'HASH' },
            { AttributeName: 'day', KeyType: 'RANGE' },
          ],
          BillingMode: { 'Fn::If': ['ProvisionedAdTraffic', 'PROVISIONED', 'PAY_PER_REQUEST'] },
          ProvisionedThroughput: {
            'Fn::If': [
              'ProvisionedAdTraffic',
              { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
              { Ref: 'AWS::NoValue' },
            ],
          },
          SSESpecification: { SSEEnabled: true },
        }),
      });
      template.hasParameter('AdTrafficBillingMode', {
        Default: 'PAY_PER_REQUEST',
        AllowedValues: exact(['PAY_PER_REQUEST', 'PROVISIONED']),
      });
      template.hasCondition(
        'ProvisionedAdTraffic',
        exact({ 'Fn::Equals': [{ Ref: 'AdTrafficBillingMode' }, 'PROVISIONED'] }),
      );
    });

    it('outputs the ad traffic table name and ARN', () => {
      template.hasOutput('AdTrafficTable', { Value: { Ref: 'AdTrafficTable' } });
      template.hasOutput('AdTrafficTableArn', { Value: { 'Fn::GetAtt': ['AdTrafficTable', 'Arn'] } });
    });
  });

  describe('instance profiles', () => {
    it('gives each pipeline role an instance profile of the same name, under the legacy engine', () => {
      template.hasResource('PipelineProfile', 'AWS::IAM::InstanceProfile', {
        Condition: 'LegacyBatch',
        Properties: exact({ InstanceProfileName: { Ref: 'PipelineRole' }, Roles: [{ Ref: 'PipelineRole' }] }),
      });
      template.hasResource('PipelineResourceProfile', 'AWS::IAM::InstanceProfile', {
        Condition: 'LegacyBatch',
        Properties: exact({
          InstanceProfileName: { Ref: 'PipelineResourceRole' },
          Roles: [{ Ref: 'PipelineResourceRole' }],
        }),
      });
    });

    it('creates no roles for the legacy engine, which runs as the root stack pipeline roles', () => {
      const roles = Object.entries(template.section('Resources')).filter(
        ([, r]) => (r as Json).Type === 'AWS::IAM::Role',
      );
      for (const [id, role] of roles) expect((role as Json).Condition, id).to.equal('StepFunctionsBatch');
    });
  });

  describe('the pipeline resource', () => {
    it('exists only under the legacy engine while EnablePipeline is set, after both instance profiles, and is not activated', () => {
      template.hasResource('EMRPipeline', 'AWS::DataPipeline::Pipeline', {
        Condition: 'PipelineEnabled',
        DependsOn: ['PipelineProfile', 'PipelineResourceProfile'],
        Properties: { Name: 'Daily Pipeline', Activate: false },
      });
    });

    it('declares the myRegion parameter with the stack region', () => {
      template.hasResource('EMRPipeline', 'AWS::DataPipeline::Pipeline', {
        Properties: {
          ParameterObjects: exact([
            {
              Id: 'myRegion',
              Attributes: [
                { Key: 'type', StringValue: 'String' },
                { Key: 'default', StringValue: { Ref: 'AWS::Region' } },
              ],
            },
          ]),
          ParameterValues: exact([{ Id: 'myRegion', StringValue: { Ref: 'AWS::Region' } }]),
        },
      });
    });
  });

  describe('pipeline objects', () => {
    it('holds the 40 objects of the original, in its order, then the failure alarm', () => {
      expect(entries).to.have.length(41);
      expect(entries.map((e) => e.object.Id)).to.deep.equal([
        ...ORIGINAL_OBJECTS.map(([id]) => id),
        'BatchFailedAlarm',
      ]);
    });

    it('wraps each conditional object in the condition the original used', () => {
      for (const [id, expected] of ORIGINAL_OBJECTS) {
        const c = byId.get(id)!.condition;
        const actual = c === undefined ? undefined : `${c.holds ? '' : '!'}${c.name}`;
        expect(actual, id).to.equal(expected);
      }
    });

    it('gives every object a name and a type', () => {
      for (const { object: o } of entries) {
        expect(o.Name, o.Id).to.be.a('string').and.not.empty;
        expect(values(o, 'type'), o.Id).to.have.length(1);
      }
    });

    it('writes every field as a key with either a string or a reference', () => {
      for (const { object: o } of entries) {
        for (const { field } of allFields(o)) {
          expect(field, o.Id).to.satisfy(
            (f: Json) => typeof f.Key === 'string' && (f.StringValue !== undefined) !== (f.RefValue !== undefined),
          );
        }
      }
    });

    it('refers only to objects of the pipeline', () => {
      const ids = new Set(entries.map((e) => e.object.Id));
      let references = 0;
      for (const { object: o } of entries) {
        for (const { field } of allFields(o)) {
          if (field.RefValue === undefined) continue;
          references++;
          expect(ids.has(field.RefValue), `${o.Id}.${field.Key} -> ${field.RefValue}`).to.equal(true);
        }
      }
      expect(references).to.be.greaterThan(50);
    });

    describe('schedule and defaults', () => {
      it('runs once a day from the original start date, one occurrence', () => {
        expect(object('DailySchedule').Fields).to.deep.equal([
          { Key: 'type', StringValue: 'Schedule' },
          { Key: 'period', StringValue: '1 days' },
          { Key: 'startDateTime', StringValue: '2019-06-06T00:00:00' },
          { Key: 'occurrences', StringValue: '1' },
        ]);
      });

      it('defaults every object to the schedule, the passed-in roles, the lake bucket for logs and the failure alarm', () => {
        expect(object('Default').Fields).to.deep.equal([
          { Key: 'type', StringValue: 'Default' },
          { Key: 'schedule', RefValue: 'DailySchedule' },
          { Key: 'scheduleType', StringValue: 'timeseries' },
          { Key: 'role', StringValue: { Ref: 'PipelineRole' } },
          { Key: 'resourceRole', StringValue: { Ref: 'PipelineResourceRole' } },
          { Key: 'pipelineLogUri', StringValue: { 'Fn::Sub': 's3://${BucketName}/logs/data-pipeline/' } },
          { Key: 'failureAndRerunMode', StringValue: 'cascade' },
          { Key: 'maxActiveInstances', StringValue: '1' },
          { Key: 'maximumRetries', StringValue: '1' },
          { Key: 'onFail', RefValue: 'BatchFailedAlarm' },
        ]);
      });
    });

    describe('compute', () => {
      it('sizes the pipeline EC2 resource as the original, in the VPC and with the key pair only when given', () => {
        // given
        const ec2 = object('EC2Instance');

        // then
        expect(values(ec2, 'type')).to.deep.equal(['Ec2Resource']);
        expect(values(ec2, 'instanceType')).to.deep.equal(['m1.medium']);
        expect(values(ec2, 'terminateAfter')).to.deep.equal(['3 hours']);
        expect(values(ec2, 'actionOnTaskFailure')).to.deep.equal(['terminate']);
        expect(values(ec2, 'actionOnResourceFailure')).to.deep.equal(['retryAll']);
        expect(values(ec2, 'associatePublicIpAddress')).to.deep.equal(['true']);
        expect(ec2.Fields).to.deep.include.members([
          { 'Fn::If': ['VPCEnabled', { Key: 'subnetId', StringValue: { Ref: 'Subnet' } }, NO_VALUE] },
          { 'Fn::If': ['VPCEnabled', { Key: 'securityGroupIds', StringValue: { Ref: 'SecurityGroup' } }, NO_VALUE] },
          { 'Fn::If': ['KeyPairGiven', { Key: 'keyPair', StringValue: { Ref: 'KeyPair' } }, NO_VALUE] },
        ]);
      });

      it('brings up an EMR cluster with Hive, Pig and Spark on the original release and sizes', () => {
        // given
        const emr = object('EMRCluster');

        // then
        expect(values(emr, 'type')).to.deep.equal(['EmrCluster']);
        expect(values(emr, 'releaseLabel')).to.deep.equal(['emr-5.23.0']);
        expect(values(emr, 'masterInstanceType')).to.deep.equal(['m1.medium']);
        expect(values(emr, 'coreInstanceType')).to.deep.equal(['m3.xlarge']);
        expect(values(emr, 'coreInstanceCount')).to.deep.equal(['10']);
        expect(values(emr, 'applications')).to.deep.equal(['hive', 'pig', 'spark']);
        expect(values(emr, 'terminateAfter')).to.deep.equal(['3 hours']);
        expect(values(emr, 'configuration')).to.deep.equal(['ref:HiveSite', 'ref:SparkHiveSite']);
        expect(emr.Fields).to.deep.include({
          'Fn::If': ['KeyPairGiven', { Key: 'keyPair', StringValue: { Ref: 'KeyPair' } }, NO_VALUE],
        });
      });

      it('points Hive and Spark at the Glue Data Catalog, and Hive at MapReduce', () => {
        const property = (id: string) => [values(object(id), 'key')[0], values(object(id), 'value')[0]];
        expect(property('HiveMetastoreClientFactoryClass')).to.deep.equal([
          'hive.metastore.client.factory.class',
          'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory',
        ]);
        expect(property('HiveMetastoreCatalog')).to.deep.equal([
          'hive.metastore.glue.catalogid',
          { Ref: 'AWS::AccountId' },
        ]);
        expect(property('UseMRExecutionEngine')).to.deep.equal(['hive.execution.engine', 'mr']);
        expect(values(object('HiveSite'), 'classification')).to.deep.equal(['hive-site']);
        expect(values(object('HiveSite'), 'property')).to.deep.equal([
          'ref:HiveMetastoreClientFactoryClass',
          'ref:HiveMetastoreCatalog',
          'ref:UseMRExecutionEngine',
        ]);
        expect(values(object('SparkHiveSite'), 'classification')).to.deep.equal(['spark-hive-site']);
        expect(values(object('SparkHiveSite'), 'property')).to.deep.equal([
          'ref:HiveMetastoreClientFactoryClass',
          'ref:HiveMetastoreCatalog',
        ]);
      });
    });

    describe('activities', () => {
      const hive = [
        ['ExtractAdvertisingData', 'hive/extract_advertising_data.hql'],
        ['LoadAdTrafficData', 'hive/load_ad_traffic_table.hql'],
        ['StageImpressionsForRedshift', 'hive/stage_impressions_for_redshift.hql'],
        ['StageClicksForRedshift', 'hive/stage_clicks_for_redshift.hql'],
        ['StageAdvertisingForRedshift', 'hive/stage_advertising_for_redshift.hql'],
      ];

      it('runs each Hive job from jobs/hive with the date variables the scripts read', () => {
        for (const [id, script] of hive) {
          const activity = object(id!);
          expect(values(activity, 'type'), id).to.deep.equal(['HiveActivity']);
          expect(values(activity, 'scriptUri'), id).to.deep.equal([jobUri(script!)]);
          expect(values(activity, 'scriptVariable'), id).to.deep.equal(HIVE_VARIABLES);
        }
      });

      it("sends Hive jobs to the root's EMR worker group when it runs, else to the pipeline's cluster", () => {
        for (const [id] of hive) {
          expect(object(id!).Fields, id).to.deep.include.members([
            {
              'Fn::If': [
                'EMREnabled',
                { Key: 'workerGroup', StringValue: { 'Fn::Sub': '${BucketName}-emr-worker-group' } },
                NO_VALUE,
              ],
            },
            { 'Fn::If': ['EMREnabled', NO_VALUE, { Key: 'runsOn', RefValue: 'EMRCluster' }] },
          ]);
        }
      });

      it('extracts the advertising table without staging, then loads ad traffic around a write-capacity boost', () => {
        expect(values(object('ExtractAdvertisingData'), 'stage')).to.deep.equal(['false']);
        const load = object('LoadAdTrafficData');
        expect(values(load, 'dependsOn')).to.deep.equal(['ref:ExtractAdvertisingData']);
        expect(values(load, 'input')).to.deep.equal(['ref:DummyInputTable']);
        expect(values(load, 'output')).to.deep.equal(['ref:AdTrafficTable']);
        expect(values(load, 'preActivityTaskConfig')).to.deep.equal(['ref:IncreaseAdTrafficWriteCapacity']);
        expect(values(load, 'postActivityTaskConfig')).to.deep.equal(['ref:DecreaseAdTrafficWriteCapacity']);
      });

      it('changes the ad traffic write capacity by a thousand units up and down with the shell job, in the stack region', () => {
        for (const [id, change] of [
          ['IncreaseAdTrafficWriteCapacity', '1000'],
          ['DecreaseAdTrafficWriteCapacity', '-1000'],
        ]) {
          const config = object(id!);
          expect(values(config, 'type'), id).to.deep.equal(['ShellScriptConfig']);
          expect(values(config, 'scriptUri'), id).to.deep.equal([jobUri('shell/change_write_capacity.sh')]);
          expect(values(config, 'scriptArgument'), id).to.deep.equal([
            { Ref: 'AdTrafficTable' },
            change,
            { Ref: 'AWS::Region' },
          ]);
        }
      });

      it('stages each dataset for Redshift after the extraction, whose partition repair they would race', () => {
        for (const d of ['Impressions', 'Clicks', 'Advertising']) {
          const stage = object(`Stage${d}ForRedshift`);
          expect(values(stage, 'input'), d).to.deep.equal(['ref:DummyInputTable']);
          expect(values(stage, 'output'), d).to.deep.equal([`ref:Redshift${d}StagingTable`]);
          expect(values(stage, 'dependsOn'), d).to.deep.equal(['ref:ExtractAdvertisingData']);
        }
      });

      it('appends each staged dataset into its Redshift table after staging', () => {
        for (const d of ['Impressions', 'Clicks', 'Advertising']) {
          const load = object(`Load${d}IntoRedshift`);
          expect(values(load, 'type'), d).to.deep.equal(['RedshiftCopyActivity']);
          expect(values(load, 'dependsOn'), d).to.deep.equal([`ref:Stage${d}ForRedshift`]);
          expect(values(load, 'input'), d).to.deep.equal([`ref:Redshift${d}StagingTable`]);
          expect(values(load, 'output'), d).to.deep.equal([`ref:Redshift${d}Table`]);
          expect(values(load, 'insertMode'), d).to.deep.equal(['APPEND']);
        }
      });

      const spectrum = [
        ['SpectrumLoadRawImpressions', 'load_raw_impressions_from_spectrum', 5],
        ['SpectrumLoadRawClicks', 'load_raw_clicks_from_spectrum', 5],
        ['SpectrumLoadImpressions', 'load_impressions_from_spectrum', 4],
        ['SpectrumLoadClicks', 'load_clicks_from_spectrum', 4],
        ['SpectrumLoadAdvertising', 'load_advertising_from_spectrum', 4],
      ] as const;

      it('maps the lake database into Redshift as the advertising schema through the pipeline role', () => {
        const use = object('UseSpectrumDataLake');
        expect(values(use, 'type')).to.deep.equal(['SqlActivity']);
        expect(values(use, 'database')).to.deep.equal(['ref:RedshiftCluster']);
        const script = values(use, 'script')[0]['Fn::Sub'] as string;
        expect(script).to.match(
          /^CREATE EXTERNAL SCHEMA IF NOT EXISTS advertising\s+FROM DATA CATALOG DATABASE '\$\{Database\}'\s+IAM_ROLE '\$\{PipelineRoleARN\}'\s+CREATE EXTERNAL DATABASE IF NOT EXISTS;/,
        );
      });

      it('loads each lake table through Spectrum with jobs/redshift scripts and the run dates as arguments', () => {
        for (const [id, script, argumentCount] of spectrum) {
          const load = object(id);
          expect(values(load, 'type'), id).to.deep.equal(['SqlActivity']);
          expect(values(load, 'database'), id).to.deep.equal(['ref:RedshiftCluster']);
          expect(values(load, 'scriptUri'), id).to.deep.equal([jobUri(`redshift/${script}.sql`)]);
          const args = values(load, 'scriptArgument');
          expect(args, id).to.have.length(argumentCount);
          expect(args.slice(0, 2), id).to.deep.equal(['#{year(@scheduledStartTime)}', '#{month(@scheduledStartTime)}']);
          expect(args.slice(-2), id).to.deep.equal([
            "#{format(@scheduledStartTime, 'YYYY-MM-dd')}",
            "#{format(@scheduledEndTime, 'YYYY-MM-dd')}",
          ]);
          if (argumentCount === 5) expect(args[2], id).to.equal('#{day(@scheduledStartTime)}');
          const after =
            id === 'SpectrumLoadAdvertising'
              ? ['ref:UseSpectrumDataLake', 'ref:ExtractAdvertisingData']
              : ['ref:UseSpectrumDataLake'];
          expect(values(load, 'dependsOn'), id).to.deep.equal(after);
        }
      });

      it("sends Redshift work to the root's instance worker group when it runs, else to the pipeline's EC2 resource", () => {
        const redshiftActivities = [
          ...['Impressions', 'Clicks', 'Advertising'].map((d) => `Load${d}IntoRedshift`),
          'UseSpectrumDataLake',
          ...spectrum.map(([id]) => id),
        ];
        for (const id of redshiftActivities) {
          expect(object(id).Fields, id).to.deep.include.members([
            {
              'Fn::If': [
                'EC2InstanceEnabled',
                { Key: 'workerGroup', StringValue: { 'Fn::Sub': '${BucketName}-instance-worker-group' } },
                NO_VALUE,
              ],
            },
            { 'Fn::If': ['EC2InstanceEnabled', NO_VALUE, { Key: 'runsOn', RefValue: 'EC2Instance' }] },
          ]);
        }
      });
    });

    describe('data nodes', () => {
      const trafficColumns = ['ad_id STRING', 'day STRING', 'impressions BIGINT', 'clicks BIGINT'];

      it('writes ad traffic to the DynamoDB table once it exists, at full write throughput', () => {
        expect(object('AdTrafficTable').Fields).to.deep.equal([
          { Key: 'type', StringValue: 'DynamoDBDataNode' },
          { Key: 'tableName', StringValue: { Ref: 'AdTrafficTable' } },
          { Key: 'dataFormat', RefValue: 'AdTrafficTableFormat' },
          { Key: 'precondition', RefValue: 'AdTrafficTableExists' },
          { Key: 'writeThroughputPercent', StringValue: '1.0' },
        ]);
        expect(values(object('AdTrafficTableExists'), 'type')).to.deep.equal(['DynamoDBTableExists']);
        expect(values(object('AdTrafficTableExists'), 'tableName')).to.deep.equal([{ Ref: 'AdTrafficTable' }]);
        expect(values(object('AdTrafficTableFormat'), 'type')).to.deep.equal(['DynamoDBDataFormat']);
        expect(values(object('AdTrafficTableFormat'), 'column')).to.deep.equal(trafficColumns);
      });

      it('gives the Hive activities a stand-in S3 input over the raw impressions', () => {
        expect(values(object('DummyInputTable'), 'type')).to.deep.equal(['S3DataNode']);
        expect(values(object('DummyInputTable'), 'directoryPath')).to.deep.equal([
          { 'Fn::Sub': 's3://${BucketName}/data/raw/ad/impressions/' },
        ]);
        expect(values(object('DummyInputTable'), 'dataFormat')).to.deep.equal(['ref:DummyInputTableFormat']);
        expect(values(object('DummyInputTableFormat'), 'type')).to.deep.equal(['CSV']);
        expect(values(object('DummyInputTableFormat'), 'column')).to.deep.equal(trafficColumns);
      });

      it('connects to Redshift with the passed-in cluster and credentials, the password stored encrypted', () => {
        expect(object('RedshiftCluster').Fields).to.deep.equal([
          { Key: 'type', StringValue: 'RedshiftDatabase' },
          { Key: 'clusterId', StringValue: { Ref: 'RedshiftClusterId' } },
          { Key: 'username', StringValue: { Ref: 'RedshiftUsername' } },
          { Key: '*password', StringValue: { Ref: 'RedshiftPassword' } },
          { Key: 'databaseName', StringValue: { Ref: 'RedshiftDatabase' } },
          { Key: 'region', StringValue: { Ref: 'AWS::Region' } },
        ]);
      });

      const datasets = {
        Impressions: {
          table: 'impressions',
          csv: ['impression_id STRING', 'ad_id STRING', 'occurred_at TIMESTAMP'],
          ddl: ['impression_id VARCHAR(64) NOT NULL', 'ad_id VARCHAR(64) NOT NULL', 'occurred_at TIMESTAMP NOT NULL'],
        },
        Clicks: {
          table: 'clicks',
          csv: ['click_id STRING', 'impression_id STRING', 'ad_id STRING', 'occurred_at TIMESTAMP'],
          ddl: [
            'click_id VARCHAR(64) NOT NULL',
            'impression_id VARCHAR(64) NOT NULL',
            'ad_id VARCHAR(64) NOT NULL',
            'occurred_at TIMESTAMP',
          ],
        },
        Advertising: {
          table: 'advertising',
          csv: ['ad_id STRING', 'impression_at TIMESTAMP', 'click_at TIMESTAMP'],
          ddl: ['ad_id VARCHAR(64) NOT NULL', 'impression_at TIMESTAMP NOT NULL', 'click_at TIMESTAMP'],
        },
      };

      it('creates each Redshift table with the original columns, distributed by ad', () => {
        for (const [d, expected] of Object.entries(datasets)) {
          const node = object(`Redshift${d}Table`);
          expect(values(node, 'type'), d).to.deep.equal(['RedshiftDataNode']);
          expect(values(node, 'database'), d).to.deep.equal(['ref:RedshiftCluster']);
          expect(values(node, 'tableName'), d).to.deep.equal([expected.table]);
          const sql = values(node, 'createTableSql')[0] as string;
          const columns = sql
            .slice(sql.indexOf('(') + 1, sql.indexOf('\n)'))
            .split(',')
            .map((c) => c.trim().replace(/\s+/g, ' '));
          expect(sql, d).to.match(new RegExp(`^CREATE TABLE ${expected.table} \\(`));
          expect(columns, d).to.deep.equal(expected.ddl);
          expect(sql, d).to.match(/DISTSTYLE KEY\s+DISTKEY \(ad_id\);/);
        }
      });

      it('stages each dataset as CSV under data/temp in the lake bucket', () => {
        for (const [d, expected] of Object.entries(datasets)) {
          const staging = object(`Redshift${d}StagingTable`);
          expect(values(staging, 'type'), d).to.deep.equal(['S3DataNode']);
          expect(values(staging, 'directoryPath'), d).to.deep.equal([
            { 'Fn::Sub': `s3://\${BucketName}/data/temp/redshift-${expected.table}-staging-table/` },
          ]);
          expect(values(staging, 'dataFormat'), d).to.deep.equal([`ref:Redshift${d}StagingTableFormat`]);
          expect(values(object(`Redshift${d}StagingTableFormat`), 'column'), d).to.deep.equal(expected.csv);
        }
      });
    });

    it('takes every script from the packaged jobs/ folder, none from the original scripts/ layout', () => {
      const uris = entries
        .flatMap((e) => allFields(e.object))
        .filter(({ field }) => field.Key === 'scriptUri')
        .map(({ field }) => field.StringValue['Fn::Sub']);
      expect(uris).to.have.length(12); // five Hive, five Spectrum SQL, two shell
      for (const uri of uris)
        expect(uri).to.match(
          /^s3:\/\/\$\{CodeBucket\}\/\$\{CodePrefix\}\/jobs\/(hive\/\w+\.hql|redshift\/\w+\.sql|shell\/\w+\.sh)$/,
        );
      expect(readFileSync(join(projectRoot(), PATH), 'utf8')).not.to.contain('/scripts/');
    });
  });

  describe('pipeline under each combination of switches', () => {
    const required = {
      CodeBucket: 'code',
      CodePrefix: 'prefix',
      BucketName: 'lake',
      Database: 'advertising',
      PipelineRole: 'pipeline',
      PipelineRoleARN: 'arn:aws:iam::123456789012:role/pipeline',
      PipelineResourceRole: 'resource',
    };
    const redshift = { RedshiftClusterId: 'warehouse', RedshiftPassword: 'secret' };
    const credentials = {
      TaskRunnerCredentialsARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:TaskRunnerCredentials-AbCdEf',
    };
    // Each count includes the failure alarm, which every scenario holds.
    const scenarios: {
      name: string;
      values: Record<string, string>;
      objects: number;
      pipelineEc2: boolean;
      pipelineEmr: boolean;
    }[] = [
      { name: 'nothing optional', values: {}, objects: 18, pipelineEc2: false, pipelineEmr: true },
      {
        name: 'Redshift on pipeline-owned compute',
        values: redshift,
        objects: 41,
        pipelineEc2: true,
        pipelineEmr: true,
      },
      {
        name: 'Redshift with both root task runners',
        values: { ...redshift, ...credentials, EnableEC2Instance: 'yes', EnableEMRCluster: 'yes' },
        objects: 34,
        pipelineEc2: false,
        pipelineEmr: false,
      },
      {
        name: 'task runners asked for without credentials',
        values: { ...redshift, EnableEC2Instance: 'yes', EnableEMRCluster: 'yes' },
        objects: 41,
        pipelineEc2: true,
        pipelineEmr: true,
      },
      {
        name: 'EMR task runner without Redshift',
        values: { ...credentials, EnableEMRCluster: 'yes' },
        objects: 12,
        pipelineEc2: false,
        pipelineEmr: false,
      },
    ];

    for (const scenario of scenarios) {
      describe(scenario.name, () => {
        const objects = resolvePipeline(template.json, {
          ...required,
          ...scenario.values,
        }) as PipelineEntry['object'][];
        const ids = new Set(objects.map((o) => o.Id));

        it(`holds ${scenario.objects} objects, with the pipeline's own EC2 resource ${scenario.pipelineEc2 ? 'present' : 'absent'} and EMR cluster ${scenario.pipelineEmr ? 'present' : 'absent'}`, () => {
          expect(objects).to.have.length(scenario.objects);
          expect(ids.has('EC2Instance')).to.equal(scenario.pipelineEc2);
          expect(ids.has('EMRCluster')).to.equal(scenario.pipelineEmr);
        });

        it('refers only to objects that exist', () => {
          for (const o of objects) {
            for (const f of o.Fields)
              if (f.RefValue !== undefined)
                expect(ids.has(f.RefValue), `${o.Id}.${f.Key} -> ${f.RefValue}`).to.equal(true);
          }
        });

        it('runs every activity in exactly one place', () => {
          const activities = objects.filter((o) => /Activity$/.test(values(o, 'type')[0]));
          expect(activities).to.not.be.empty;
          for (const a of activities) {
            const places = a.Fields.filter((f) => f.Key === 'runsOn' || f.Key === 'workerGroup');
            expect(places, a.Id).to.have.length(1);
          }
        });
      });
    }
  });

  describe('the Step Functions engine', () => {
    const resources = template.section('Resources') as Record<string, Json>;
    const statements = (role: string, policy?: string) => {
      const policies = resources[role]!.Properties.Policies as Json[];
      return (policy ? policies.filter((p) => p.PolicyName === policy) : policies).flatMap(
        (p) => p.PolicyDocument.Statement as Json[],
      );
    };
    const sid = (list: Json[], id: string) => {
      const found = list.find((s) => s.Sid === id);
      if (!found) throw new Error(`no statement ${id} in ${list.map((s) => s.Sid).join(', ')}`);
      return found;
    };

    it('creates its resources only when BatchEngine is step-functions, and the Redshift ones only with a cluster', () => {
      for (const id of STEP_FUNCTIONS_RESOURCES) expect(resources[id]!.Condition, id).to.equal('StepFunctionsBatch');
      for (const id of STEP_FUNCTIONS_REDSHIFT) {
        expect(resources[id]!.Condition, id).to.equal('StepFunctionsRedshift');
      }
      template.hasOutput('BatchStateMachine', { Condition: 'StepFunctionsBatch', Value: { Ref: 'BatchStateMachine' } });
    });

    it('runs the Hive jobs on an EMR 7 serverless Hive application that starts on demand, stops when idle and is capped', () => {
      template.hasResource('HiveApplication', 'AWS::EMRServerless::Application', {
        Properties: {
          Type: 'HIVE',
          ReleaseLabel: stringLike(/^emr-7\.\d+\.\d+$/),
          AutoStartConfiguration: { Enabled: true },
          AutoStopConfiguration: { Enabled: true, IdleTimeoutMinutes: 15 },
          MaximumCapacity: { Cpu: '40vCPU', Memory: '160GB', Disk: '800GB' },
          MonitoringConfiguration: {
            S3MonitoringConfiguration: { LogUri: { 'Fn::Sub': 's3://${BucketName}/logs/emr-serverless/' } },
          },
        },
      });
    });

    it('lets the Hive job runs read their scripts and the lake, and write only the advertising table, temp and their logs', () => {
      template.hasResource('HiveJobRole', 'AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: ['emr-serverless.amazonaws.com'] } }] },
        },
      });
      const list = statements('HiveJobRole');
      for (const s of list) expect(JSON.stringify(s.Resource), s.Sid).not.to.equal('"*"');
      expect(sid(list, 'ReadHiveScripts').Resource).to.deep.equal({
        'Fn::Sub': 'arn:${AWS::Partition}:s3:::${CodeBucket}/${CodePrefix}/jobs/hive/*',
      });
      expect(sid(list, 'WriteAdvertisingAndTemp').Action).to.deep.equal(['s3:PutObject', 's3:DeleteObject']);
      expect(sid(list, 'FillAdTrafficTable')).to.deep.include({
        Action: ['dynamodb:DescribeTable', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem'],
        Resource: { 'Fn::GetAtt': ['AdTrafficTable', 'Arn'] },
      });
      const catalog = sid(list, 'UseLakeCatalog').Resource as Json[];
      expect(JSON.stringify(catalog)).to.contain('database/${Database}').and.to.contain('table/${Database}/*');
      for (const s of list.filter((x) => [x.Action].flat().some((a: string) => a.startsWith('glue:')))) {
        expect(JSON.stringify(s.Resource), s.Sid).not.to.match(/database\/\*|:\*"/);
      }
    });

    it("covers the folder marker keys EMR's S3 file system reads and writes beside the folders, and nothing more", () => {
      // given the job role's statements in a deployment whose data bucket is `data-bucket`
      const deployed = evaluateIntrinsics(statements('HiveJobRole'), {
        ref: (name) => ({ 'AWS::Partition': 'aws', BucketName: 'data-bucket' })[name] ?? `<${name}>`,
        getAtt: (id, attribute) => `<${id}.${attribute}>`,
      }) as Json[];
      const object = (key: string) => `arn:aws:s3:::data-bucket/${key}`;
      const list = (prefix: string): Call => ({
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::data-bucket',
        context: { 's3:prefix': prefix },
      });

      // then a job may write the markers of the folders it writes in and above, and read those it reads
      for (const key of [
        'data_$folder$',
        'data/lake_$folder$',
        'data/lake/advertising_$folder$',
        'data/lake/advertising/year=2019_$folder$',
        'data/temp_$folder$',
        'data/temp/hive/scratch_$folder$',
      ]) {
        expect(allows(deployed, { action: 's3:PutObject', resource: object(key) }), `put ${key}`).to.equal(true);
      }
      for (const key of [
        'data_$folder$',
        'data/raw_$folder$',
        'data/lake_$folder$',
        'data/lake/impressions/year=2019_$folder$',
        'data/temp_$folder$',
      ]) {
        expect(allows(deployed, { action: 's3:GetObject', resource: object(key) }), `get ${key}`).to.equal(true);
      }
      expect(allows(deployed, { action: 's3:PutObject', resource: object('logs_$folder$') })).to.equal(true);
      expect(allows(deployed, { action: 's3:PutObject', resource: object('logs/emr-serverless_$folder$') })).to.equal(
        true,
      );
      // and list a folder by its name, with or without the slash
      for (const prefix of [
        'data',
        'data/',
        'data/lake/advertising',
        'data/lake/advertising/',
        'logs',
        'logs/emr-serverless/',
      ]) {
        expect(allows(deployed, list(prefix)), `list ${prefix}`).to.equal(true);
      }
      // but not write the raw data or the lake tables the ETL jobs own, nor list elsewhere
      for (const key of [
        'data/raw/ad/impressions/2019/06/06/00/x',
        'data/raw_$folder$',
        'data/lake/impressions/year=2019/x.orc',
        'data/lake/impressions_$folder$',
      ]) {
        expect(allows(deployed, { action: 's3:PutObject', resource: object(key) }), `put ${key}`).to.equal(false);
      }
      expect(allows(deployed, list('other/'))).to.equal(false);
    });

    it('declares the ad traffic table for Hive through the DynamoDB storage handler', () => {
      template.hasResource('AdTrafficHiveTable', 'AWS::Glue::Table', {
        Properties: {
          DatabaseName: { Ref: 'Database' },
          TableInput: {
            Name: 'ad_traffic_dynamodb',
            TableType: 'EXTERNAL_TABLE',
            Parameters: {
              storage_handler: 'org.apache.hadoop.hive.dynamodb.DynamoDBStorageHandler',
              'dynamodb.table.name': { Ref: 'AdTrafficTable' },
              'dynamodb.column.mapping': 'ad_id:ad_id,day:day,impressions:impressions,clicks:clicks',
            },
            StorageDescriptor: {
              SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.dynamodb.DynamoDBSerDe' },
              Columns: exact([
                { Name: 'ad_id', Type: 'string' },
                { Name: 'day', Type: 'string' },
                { Name: 'impressions', Type: 'bigint' },
                { Name: 'clicks', Type: 'bigint' },
              ]),
            },
          },
        },
      });
    });

    it("names the ad traffic table's region to the storage handler, which otherwise asks instance metadata and falls back to us-east-1", () => {
      template.hasResource('AdTrafficHiveTable', 'AWS::Glue::Table', {
        Properties: { TableInput: { Parameters: { 'dynamodb.region': { Ref: 'AWS::Region' } } } },
      });
    });

    it('lets the state machine run jobs on its one application, pass only the job role, and change only the ad traffic table', () => {
      template.hasResource('BatchStateMachineRole', 'AWS::IAM::Role', {
        Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: ['states.amazonaws.com'] } }] } },
      });
      const list = statements('BatchStateMachineRole');
      expect(list.map((s) => s.Sid)).to.deep.equal([
        'RunRawCrawler',
        'RunLakeETLJobs',
        'StartHiveJobs',
        'FollowHiveJobs',
        'PassHiveJobRole',
        'WatchHiveJobs',
        'ChangeAdTrafficCapacity',
        'DeliverLogs',
      ]);
      expect(sid(list, 'RunRawCrawler')).to.deep.include({
        Action: ['glue:StartCrawler', 'glue:GetCrawler'],
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:crawler/${RawCrawler}' },
      });
      expect(sid(list, 'RunLakeETLJobs').Resource).to.deep.equal([
        { 'Fn::Sub': 'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:job/${ImpressionsETLJob}' },
        { 'Fn::Sub': 'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:job/${ClicksETLJob}' },
      ]);
      expect(sid(list, 'StartHiveJobs')).to.deep.include({
        Action: 'emr-serverless:StartJobRun',
        Resource: { 'Fn::GetAtt': ['HiveApplication', 'Arn'] },
      });
      expect(sid(list, 'FollowHiveJobs').Resource).to.deep.equal({ 'Fn::Sub': '${HiveApplication.Arn}/jobruns/*' });
      expect(sid(list, 'PassHiveJobRole')).to.deep.include({
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': ['HiveJobRole', 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'emr-serverless.amazonaws.com' } },
      });
      expect(sid(list, 'WatchHiveJobs').Resource).to.deep.equal({
        'Fn::Sub':
          'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForEMRServerlessJobRule',
      });
      expect(sid(list, 'ChangeAdTrafficCapacity')).to.deep.include({
        Action: ['dynamodb:DescribeTable', 'dynamodb:UpdateTable'],
        Resource: { 'Fn::GetAtt': ['AdTrafficTable', 'Arn'] },
      });
      // Log delivery calls take no resource; nothing else is granted on "*".
      for (const s of list) if (s.Resource === '*') expect(s.Sid).to.equal('DeliverLogs');
      expect((sid(list, 'DeliverLogs').Action as string[]).every((a) => a.startsWith('logs:'))).to.equal(true);
    });

    it('grants Redshift only with a cluster: the SQL scripts, statements on that cluster as the stack user, and only its own statements', () => {
      template.hasResource('BatchRedshiftPolicy', 'AWS::IAM::Policy', {
        Properties: { PolicyName: 'LoadRedshift', Roles: [{ Ref: 'BatchStateMachineRole' }] },
      });
      const list = resources.BatchRedshiftPolicy!.Properties.PolicyDocument.Statement as Json[];
      expect(sid(list, 'ReadSqlScripts').Resource).to.deep.equal({
        'Fn::Sub': 'arn:${AWS::Partition}:s3:::${CodeBucket}/${CodePrefix}/jobs/redshift/*',
      });
      expect(JSON.stringify(sid(list, 'RunStatements').Resource)).to.contain('cluster:${RedshiftClusterId}');
      expect(JSON.stringify(sid(list, 'SignInAsUser').Resource))
        .to.contain('dbuser:${RedshiftClusterId}/${RedshiftUsername}')
        .and.to.contain('dbname:${RedshiftClusterId}/${RedshiftDatabase}');
      expect(sid(list, 'FollowOwnStatements')).to.deep.include({
        Resource: '*',
        Condition: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
      });
    });

    it('logs the errors of its runs to a log group of its own, kept 30 days', () => {
      template.hasResource('BatchStateMachineLogs', 'AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 } });
      template.hasResource('BatchStateMachine', 'AWS::StepFunctions::StateMachine', {
        Properties: {
          StateMachineType: 'STANDARD',
          RoleArn: { 'Fn::GetAtt': ['BatchStateMachineRole', 'Arn'] },
          LoggingConfiguration: {
            Level: 'ERROR',
            IncludeExecutionData: false,
            Destinations: [
              { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['BatchStateMachineLogs', 'Arn'] } } },
            ],
          },
        },
      });
    });

    it('schedules a daily run at 01:30 UTC, created disabled unless EnableBatchSchedule is set', () => {
      template.hasResource('BatchSchedule', 'AWS::Scheduler::Schedule', {
        Properties: {
          ScheduleExpression: 'cron(30 1 * * ? *)',
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          State: { 'Fn::If': ['BatchScheduleEnabled', 'ENABLED', 'DISABLED'] },
          Target: {
            Arn: { Ref: 'BatchStateMachine' },
            RoleArn: { 'Fn::GetAtt': ['BatchScheduleRole', 'Arn'] },
            Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
          },
        },
      });
      template.hasParameter('EnableBatchSchedule', { Default: '' });
    });

    it('lets the schedule start this state machine and nothing else', () => {
      template.hasResource('BatchScheduleRole', 'AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: ['scheduler.amazonaws.com'] } }] },
        },
      });
      expect(statements('BatchScheduleRole')).to.deep.equal([
        { Effect: 'Allow', Sid: 'StartBatch', Action: 'states:StartExecution', Resource: { Ref: 'BatchStateMachine' } },
      ]);
    });
  });

  describe('lint', () => {
    it('carries no lint exceptions', () => {
      expect(JSON.stringify(template.json)).not.to.contain('cfn-lint');
      template.hasResource('EMRPipeline', 'AWS::DataPipeline::Pipeline', { Metadata: absent() });
    });
  });
});

/**
 * Evaluates the template's conditions for these parameter values (defaults
 * for the rest) and returns the pipeline objects CloudFormation would create,
 * with every Fn::If resolved and AWS::NoValue dropped.
 */
function resolvePipeline(template: Json, given: Record<string, string>): Json[] {
  const parameters = template.Parameters as Record<string, { Default?: string }>;
  const value = (v: Json): Json => {
    if (v && typeof v === 'object' && 'Ref' in v && v.Ref in parameters) {
      const resolved = given[v.Ref] ?? parameters[v.Ref]!.Default;
      if (resolved === undefined) throw new Error(`no value for parameter ${v.Ref}`);
      return resolved;
    }
    return v;
  };
  const cache = new Map<string, boolean>();
  const condition = (name: string): boolean => {
    if (!cache.has(name)) cache.set(name, evaluate(template.Conditions[name]));
    return cache.get(name)!;
  };
  const evaluate = (expr: Json): boolean => {
    const [fn, arg] = Object.entries(expr)[0] as [string, Json];
    switch (fn) {
      case 'Fn::And':
        return arg.every(evaluate);
      case 'Fn::Or':
        return arg.some(evaluate);
      case 'Fn::Not':
        return !evaluate(arg[0]);
      case 'Fn::Equals':
        return value(arg[0]) === value(arg[1]);
      case 'Condition':
        return condition(arg);
      default:
        throw new Error(`cannot evaluate ${fn}`);
    }
  };
  const DROP = Symbol('drop');
  const resolve = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(resolve).filter((x) => x !== DROP);
    if (v === null || typeof v !== 'object') return v;
    if (isNoValue(v)) return DROP;
    if ('Fn::If' in v) {
      const [name, whenTrue, whenFalse] = v['Fn::If'];
      return resolve(condition(name) ? whenTrue : whenFalse);
    }
    return Object.fromEntries(
      Object.entries(v)
        .map(([k, x]) => [k, resolve(x)])
        .filter(([, x]) => x !== DROP),
    );
  };
  return resolve(template.Resources.EMRPipeline.Properties.PipelineObjects);
}
