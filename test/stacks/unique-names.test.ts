// Two branches of the application deployed side by side in one account and
// region, as the pipeline deploys them (`<bootstrap stack>-<branch>`): every
// explicit name property of every template, nested ones included, evaluated
// as CloudFormation would for each branch's stacks. A name that must be unique
// in the account and region may not be the same in both; a name that is only
// unique inside something the stack owns (a column of a table, a policy of a
// role) is listed below with the reason it may repeat.
import { expect } from 'chai';
import { ROOT_STACK, stacks } from '../../src/stacks';
import { simulateDeployment, type DeployedStack } from '../support/deployment';
import { branchValues } from './branch';

type Json = Record<string, any>;

/** Each template as synth builds it from the code now. */
function synthesized(path: string): Json {
  const stack = stacks.find((s) => s.path === path);
  if (!stack) throw new Error(`no template is built at ${path}`);
  return JSON.parse(JSON.stringify(stack.build().toJSON())) as Json;
}

/**
 * Name properties, by resource type and property path, that name something
 * inside the resource or inside another resource of the same stack, or that
 * AWS does not require to be unique: why each may be the same in two branches.
 */
const SCOPED: Readonly<Record<string, string>> = {
  'AWS::ApiGateway::BasePathMapping DomainName': 'refers to the DomainName resource, whose own DomainName is compared',
  'AWS::CertificateManager::Certificate DomainName': 'ACM issues any number of certificates for one name',
  'AWS::CertificateManager::Certificate DomainValidationOptions.DomainName':
    'the name the certificate is validated for',
  'AWS::CloudWatch::Alarm Dimensions.Name': 'a dimension of the metric the alarm watches',
  'AWS::CloudWatch::Alarm MetricName': 'the metric the alarm watches',
  'AWS::CloudWatch::Alarm Metrics.MetricStat.Metric.Dimensions.Name': 'a dimension of a metric the alarm watches',
  'AWS::CloudWatch::Alarm Metrics.MetricStat.Metric.MetricName': 'a metric the alarm watches',
  'AWS::DataPipeline::Pipeline Name':
    'a display name: CloudFormation tells pipelines apart by the unique id it generates',
  'AWS::DataPipeline::Pipeline PipelineObjects.Name': 'an object of its own pipeline',
  'AWS::DynamoDB::Table AttributeDefinitions.AttributeName': 'an attribute of its own table',
  'AWS::DynamoDB::Table KeySchema.AttributeName': 'a key of its own table',
  'AWS::EC2::Instance KeyName': 'the key pair the instance uses, which the configuration names',
  'AWS::EC2::SecurityGroup GroupName': "unique within its VPC, which is the stack's own",
  'AWS::EMR::Cluster Applications.Name': 'an application installed on its own cluster',
  'AWS::EMR::Cluster BootstrapActions.Name': 'a bootstrap action of its own cluster',
  'AWS::EMR::Cluster Instances.Ec2KeyName': 'the key pair the nodes use, which the configuration names',
  'AWS::Glue::Job Command.Name': "the job's command type (glueetl)",
  'AWS::Glue::Table TableInput.Name': "a table of its database, which is the stack's own",
  'AWS::Glue::Table TableInput.PartitionKeys.Name': 'a partition key of its own table',
  'AWS::Glue::Table TableInput.StorageDescriptor.Columns.Name': 'a column of its own table',
  'AWS::IAM::Policy PolicyName': 'an inline policy of the roles it is attached to',
  'AWS::IAM::Role Policies.PolicyName': 'an inline policy of its own role',
  'AWS::KinesisAnalytics::Application Inputs.InputSchema.RecordColumns.Name':
    'a column of its own in-application stream',
  'AWS::KinesisAnalytics::ApplicationOutput Output.Name': 'an in-application stream of its own application',
  'AWS::Logs::LogStream LogStreamName': 'a stream of its own log group, which CloudFormation names after the stack',
  'AWS::Redshift::Cluster DBName': 'a database inside its own cluster',
  'AWS::Redshift::ClusterParameterGroup Parameters.ParameterName': 'a setting of its own parameter group',
  'AWS::Route53::HostedZone Name': 'Route 53 allows several hosted zones of one name; the records in them are compared',
  'AWS::Route53::RecordSetGroup RecordSets.AliasTarget.DNSName': 'the target the record points at',
  'AWS::Serverless::Api StageName': 'a stage of its own API',
  'AWS::Serverless::Application Parameters.BucketName':
    'a value passed to a nested stack, compared where that stack uses it',
  'AWS::SNS::Topic DisplayName': 'the sender name of its messages; topics are told apart by their generated names',
  'AWS::StepFunctions::StateMachine DefinitionSubstitutions.BucketName': 'a value substituted into the definition',
};

/** Where a name property sits, and its value in one deployment. */
interface NameProperty {
  /** `<template path> <logical id> <property path with indexes>`, the same in both deployments. */
  readonly where: string;
  /** `<resource type> <property path without indexes>`, the key of SCOPED. */
  readonly kind: string;
  readonly value: unknown;
}

/** Every property whose key ends in `Name`, in every resource the deployment creates, with its deployed value. */
function nameProperties(deployment: readonly DeployedStack[]): NameProperty[] {
  const found: NameProperty[] = [];
  for (const stack of deployment) {
    for (const resource of stack.resources) {
      if (!resource.created) continue;
      const visit = (value: unknown, path: string, kind: string): void => {
        if (Array.isArray(value)) {
          value.forEach((item, index) => visit(item, `${path}[${index}]`, kind));
          return;
        }
        if (value === null || typeof value !== 'object') return;
        const keys = Object.keys(value);
        // An intrinsic function: a value, not properties.
        if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) return;
        for (const [key, item] of Object.entries(value as Json)) {
          // A state machine definition holds the arguments of API calls, which name no resource of the stack.
          if (resource.type === 'AWS::StepFunctions::StateMachine' && path === '' && key === 'Definition') continue;
          const here = path ? `${path}.${key}` : key;
          const kindHere = kind ? `${kind}.${key}` : key;
          if (key.endsWith('Name')) {
            found.push({
              where: `${stack.path} ${resource.id} ${here}`,
              kind: `${resource.type} ${kindHere}`,
              value: stack.value(item),
            });
          }
          visit(item, here, kindHere);
        }
      };
      visit(resource.definition.Properties ?? {}, '', '');
    }
  }
  return found;
}

/** The name properties both deployments create with the same value, that are not listed as scoped. */
function collisions(first: readonly DeployedStack[], second: readonly DeployedStack[]): string[] {
  const other = new Map(nameProperties(second).map((p) => [p.where, p]));
  return nameProperties(first)
    .filter((p) => !(p.kind in SCOPED))
    .filter((p) => other.has(p.where) && JSON.stringify(other.get(p.where)!.value) === JSON.stringify(p.value))
    .map((p) => `${p.where} = ${JSON.stringify(p.value)}`);
}

/** Two branches' root parameters, as a scenario sets them. */
type Scenario = (branch: string) => Record<string, string>;

const SCENARIOS: ReadonlyArray<[name: string, scenario: Scenario]> = [
  ['with config/master.json and the default engines', () => branchValues('master')],
  [
    'with every optional part on, the legacy engines, and DNS under its own name in a shared zone',
    (branch) => ({
      ...branchValues('master'),
      BatchEngine: 'data-pipeline',
      RealTimeEngine: 'kinesis-analytics-sql',
      AdTrafficBillingMode: 'PROVISIONED',
      EnableVPC: 'yes',
      EnableRedshift: 'yes',
      RedshiftPassword: 'Passw0rdExample',
      EnableEC2Instance: 'yes',
      EnableEMRCluster: 'yes',
      AccessKeyID: 'AKIAEXAMPLEEXAMPLE00',
      SecretAccessKey: 'secretExampleSecretExampleSecretExample0',
      KeyPair: 'operators',
      DNSDomainName: 'example.com',
      // What a second branch needs (README): its own base name; the zone may be shared.
      BaseDNSName: `${branch}.warehouse.example.com`,
      HostedZoneID: 'Z0123456789EXAMPLE',
    }),
  ],
  [
    'with DNS in a hosted zone each stack creates',
    (branch) => ({
      ...branchValues('master'),
      DNSDomainName: 'example.com',
      BaseDNSName: `${branch}.warehouse.example.com`,
    }),
  ],
];

describe('two branches deployed side by side in one account and region', () => {
  for (const [name, scenario] of SCENARIOS) {
    describe(name, () => {
      const master = simulateDeployment(
        ROOT_STACK.path,
        scenario('master'),
        { stackName: 'dataless-master' },
        synthesized,
      );
      const feature = simulateDeployment(
        ROOT_STACK.path,
        scenario('feature'),
        { stackName: 'dataless-feature' },
        synthesized,
      );

      it('gives every name that must be unique a different value in each branch', () => {
        expect(collisions(master, feature)).to.deep.equal([]);
      });

      it('compares the names that must be unique, the lake database and the custom domain among them', () => {
        const compared = new Set(
          nameProperties(master)
            .map((p) => p.kind)
            .filter((kind) => !(kind in SCOPED)),
        );
        expect([...compared]).to.include('AWS::Glue::Database DatabaseInput.Name');
        if (scenario('master').BaseDNSName)
          expect([...compared]).to.include.members([
            'AWS::ApiGateway::DomainName DomainName',
            'AWS::Route53::RecordSetGroup RecordSets.Name',
          ]);
      });
    });
  }

  it('lists as scoped only name properties that the templates have', () => {
    const met = new Set(
      SCENARIOS.flatMap(([, scenario]) =>
        nameProperties(
          simulateDeployment(ROOT_STACK.path, scenario('master'), { stackName: 'dataless-master' }, synthesized),
        ).map((p) => p.kind),
      ),
    );
    expect(Object.keys(SCOPED).filter((kind) => !met.has(kind))).to.deep.equal([]);
  });

  describe('the lake', () => {
    const master = simulateDeployment(
      ROOT_STACK.path,
      branchValues('master'),
      { stackName: 'dataless-master' },
      synthesized,
    );
    const lake = master.find((s) => s.path.endsWith('/lake.yaml'))!;

    it('names its Glue database after its own stack id, in the letters, digits and underscores Glue and Hive accept', () => {
      const name = lake.value(lake.template.Resources.Database.Properties.DatabaseInput.Name) as string;
      expect(name).to.match(/^advertising_[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}$/);
      expect(name).to.equal(`advertising_${lake.stackId.split('/')[2]!.replace(/-/g, '_')}`);
    });

    it('hands the batch the same database, crawler and job names it declares', () => {
      const pipeline = master.find((s) => s.path.endsWith('/pipeline.yaml'))!;
      const service = master.find((s) => s.path.endsWith('/service.yaml'))!;
      const passed = service.template.Resources.BatchPipeline.Properties.Parameters as Json;
      for (const [parameter, resource] of [
        ['Database', 'Database'],
        ['RawCrawler', 'RawCrawler'],
        ['ImpressionsETLJob', 'ImpressionsPythonETLJob'],
        ['ClicksETLJob', 'ClicksPythonETLJob'],
      ] as const) {
        expect(service.value(passed[parameter]), parameter).to.equal(lake.value({ Ref: resource }));
        expect(pipeline.value({ Ref: parameter }), parameter).to.equal(lake.value({ Ref: resource }));
      }
    });
  });

  describe('the check itself', () => {
    it('finds a name fixed in a template, as the crawler and the database were', () => {
      // given the lake with the original's fixed crawler name
      const fixed = (path: string): Json => {
        const template = synthesized(path);
        if (path.endsWith('/lake.yaml')) template.Resources.RawCrawler.Properties.Name = 'raw_crawler';
        return template;
      };

      // when two branches are deployed
      const master = simulateDeployment(
        ROOT_STACK.path,
        branchValues('master'),
        { stackName: 'dataless-master' },
        fixed,
      );
      const feature = simulateDeployment(
        ROOT_STACK.path,
        branchValues('master'),
        { stackName: 'dataless-feature' },
        fixed,
      );

      // then the crawler's name is the collision found
      expect(collisions(master, feature)).to.deep.equal([
        'templates-out/advertising/lake.yaml RawCrawler Name = "raw_crawler"',
      ]);
    });
  });
});
