import { expect } from 'chai';
import { TemplateAssertions } from '../support/template';

// Every resource of the original's three templates, by logical id and type
// (facts read off build.yaml, app.yaml and svc/advertising/service.yaml).
// A stack deployed from the original updates in place only if each id keeps
// its type; the service's resources may land in any of its nested templates.
const ORIGINAL_BUILD: Record<string, string> = {
  Role: 'AWS::IAM::Role',
  Bucket: 'AWS::S3::Bucket',
  Repository: 'AWS::CodeCommit::Repository',
  Build: 'AWS::CodeBuild::Project',
  Pipeline: 'AWS::CodePipeline::Pipeline',
};

const ORIGINAL_APP: Record<string, string> = {
  Bucket: 'AWS::S3::Bucket',
  PipelineRole: 'AWS::IAM::Role',
  PipelineResourceRole: 'AWS::IAM::Role',
  VPC: 'AWS::EC2::VPC',
  InternetGateway: 'AWS::EC2::InternetGateway',
  GatewayAttachment: 'AWS::EC2::VPCGatewayAttachment',
  Subnet: 'AWS::EC2::Subnet',
  RouteTable: 'AWS::EC2::RouteTable',
  Route: 'AWS::EC2::Route',
  Association: 'AWS::EC2::SubnetRouteTableAssociation',
  SecurityGroup: 'AWS::EC2::SecurityGroup',
  RedshiftClusterSecurityGroup: 'AWS::Redshift::ClusterSecurityGroup',
  RedshiftClusterSecurityGroupIngress: 'AWS::Redshift::ClusterSecurityGroupIngress',
  RedshiftClusterSubnetGroup: 'AWS::Redshift::ClusterSubnetGroup',
  Redshift: 'AWS::Redshift::Cluster',
  InstanceRole: 'AWS::IAM::Role',
  InstanceProfile: 'AWS::IAM::InstanceProfile',
  Instance: 'AWS::EC2::Instance',
  EMRJobFlowRole: 'AWS::IAM::Role',
  EMRProfile: 'AWS::IAM::InstanceProfile',
  EMRServiceRole: 'AWS::IAM::Role',
  EMR: 'AWS::EMR::Cluster',
  AdvertisingService: 'AWS::Serverless::Application',
  Certificate: 'AWS::CertificateManager::Certificate',
  DomainName: 'AWS::ApiGateway::DomainName',
  BasePathMapping: 'AWS::ApiGateway::BasePathMapping',
  HostedZone: 'AWS::Route53::HostedZone',
  RecordSetGroup: 'AWS::Route53::RecordSetGroup',
  OpsDashboard: 'AWS::CloudWatch::Dashboard',
};

const ORIGINAL_SERVICE: Record<string, string> = {
  DeliveryStreamRole: 'AWS::IAM::Role',
  ImpressionsDeliveryStream: 'AWS::KinesisFirehose::DeliveryStream',
  ImpressionsDeliveryStreamRecordsPerSecondAlarm: 'AWS::CloudWatch::Alarm',
  ImpressionsDeliveryStreamTransactionsPerSecondAlarm: 'AWS::CloudWatch::Alarm',
  ImpressionsDeliveryStreamDataThroughputAlarm: 'AWS::CloudWatch::Alarm',
  ClicksDeliveryStream: 'AWS::KinesisFirehose::DeliveryStream',
  ClicksDeliveryStreamRecordsPerSecondAlarm: 'AWS::CloudWatch::Alarm',
  ClicksDeliveryStreamTransactionsPerSecondAlarm: 'AWS::CloudWatch::Alarm',
  ClicksDeliveryStreamDataThroughputAlarm: 'AWS::CloudWatch::Alarm',
  RealTimeAdvertisingDashboard: 'AWS::CloudWatch::Dashboard',
  RealTimeAdvertisingLambdaRole: 'AWS::IAM::Role',
  RealTimeAdvertisingLambda: 'AWS::Serverless::Function',
  RealTimeAdvertisingApplicationRole: 'AWS::IAM::Role',
  RealTimeImpressionsApplication: 'AWS::KinesisAnalytics::Application',
  RealTimeImpressionsOutputs: 'AWS::KinesisAnalytics::ApplicationOutput',
  RealTimeClicksApplication: 'AWS::KinesisAnalytics::Application',
  RealTimeClicksOutputs: 'AWS::KinesisAnalytics::ApplicationOutput',
  Database: 'AWS::Glue::Database',
  CrawlerRole: 'AWS::IAM::Role',
  RawCrawler: 'AWS::Glue::Crawler',
  ImpressionsTable: 'AWS::Glue::Table',
  ClicksTable: 'AWS::Glue::Table',
  ETLJobRole: 'AWS::IAM::Role',
  ImpressionsPythonETLJob: 'AWS::Glue::Job',
  ImpressionsScalaETLJob: 'AWS::Glue::Job',
  ClicksPythonETLJob: 'AWS::Glue::Job',
  ClicksScalaETLJob: 'AWS::Glue::Job',
  AdvertisingTable: 'AWS::Glue::Table',
  AdTrafficTable: 'AWS::DynamoDB::Table',
  PipelineProfile: 'AWS::IAM::InstanceProfile',
  PipelineResourceProfile: 'AWS::IAM::InstanceProfile',
  EMRPipeline: 'AWS::DataPipeline::Pipeline',
  APILambdaRole: 'AWS::IAM::Role',
  CaptureImpressionsLambda: 'AWS::Serverless::Function',
  CaptureClicksLambda: 'AWS::Serverless::Function',
  QueryAdTrafficTableLambda: 'AWS::Serverless::Function',
  APIRole: 'AWS::IAM::Role',
  API: 'AWS::Serverless::Api',
};

const SERVICE_TEMPLATES = [
  'templates-out/advertising/service.yaml',
  'templates-out/advertising/lake.yaml',
  'templates-out/advertising/pipeline.yaml',
  'templates-out/advertising/realtime.yaml',
];

/** Resource types by logical id across templates; an id declared in two of them is reported. */
function resourcesOf(paths: readonly string[]): Map<string, { type: string; file: string }> {
  const found = new Map<string, { type: string; file: string }>();
  for (const path of paths) {
    for (const [id, resource] of Object.entries(TemplateAssertions.load(path).section('Resources'))) {
      const earlier = found.get(id);
      if (earlier) throw new Error(`${id} is declared in both ${earlier.file} and ${path}`);
      found.set(id, { type: String(resource.Type), file: path });
    }
  }
  return found;
}

describe('the original resources', () => {
  const cases: Array<[string, Record<string, string>, readonly string[]]> = [
    ['build.yaml', ORIGINAL_BUILD, ['build.yaml']],
    ['app.yaml', ORIGINAL_APP, ['templates-out/app.yaml']],
    ['svc/advertising/service.yaml', ORIGINAL_SERVICE, SERVICE_TEMPLATES],
  ];

  it('counts 72 resources in the original: 5 in build.yaml, 29 in app.yaml and 38 in the service', () => {
    expect(cases.map(([, ids]) => Object.keys(ids).length)).to.deep.equal([5, 29, 38]);
  });

  for (const [original, ids, generated] of cases) {
    it(`generates every resource of the original ${original} with its logical id and type`, () => {
      const found = resourcesOf(generated);
      const problems = Object.entries(ids).flatMap(([id, type]) => {
        const got = found.get(id);
        if (!got) return [`${id} (${type}) is not generated`];
        return got.type === type ? [] : [`${id} is ${got.type} in ${got.file}, the original's is ${type}`];
      });
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  }
});
