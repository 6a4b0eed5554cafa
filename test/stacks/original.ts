// Every resource of the original's three templates, by logical id and type
// (facts read off build.yaml, app.yaml and svc/advertising/service.yaml),
// grouped by the generated template that declares it now. A stack deployed
// from the original updates in place only if each id keeps its type.

/** Logical id to resource type, for the original resources one generated template declares. */
export type Resources = Readonly<Record<string, string>>;

/** The original build.yaml, by generated template. */
export const ORIGINAL_BUILD: Readonly<Record<string, Resources>> = {
  'build.yaml': {
    Role: 'AWS::IAM::Role',
    Bucket: 'AWS::S3::Bucket',
    Repository: 'AWS::CodeCommit::Repository',
    Build: 'AWS::CodeBuild::Project',
    Pipeline: 'AWS::CodePipeline::Pipeline',
  },
};

/** The original app.yaml, by generated template. */
export const ORIGINAL_APP: Readonly<Record<string, Resources>> = {
  'templates-out/app.yaml': {
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
  },
};

/** The original svc/advertising/service.yaml, split over the service template and the three it nests. */
export const ORIGINAL_SERVICE: Readonly<Record<string, Resources>> = {
  'templates-out/advertising/service.yaml': {
    DeliveryStreamRole: 'AWS::IAM::Role',
    ImpressionsDeliveryStream: 'AWS::KinesisFirehose::DeliveryStream',
    ImpressionsDeliveryStreamRecordsPerSecondAlarm: 'AWS::CloudWatch::Alarm',
    ImpressionsDeliveryStreamTransactionsPerSecondAlarm: 'AWS::CloudWatch::Alarm',
    ImpressionsDeliveryStreamDataThroughputAlarm: 'AWS::CloudWatch::Alarm',
    ClicksDeliveryStream: 'AWS::KinesisFirehose::DeliveryStream',
    ClicksDeliveryStreamRecordsPerSecondAlarm: 'AWS::CloudWatch::Alarm',
    ClicksDeliveryStreamTransactionsPerSecondAlarm: 'AWS::CloudWatch::Alarm',
    ClicksDeliveryStreamDataThroughputAlarm: 'AWS::CloudWatch::Alarm',
    APILambdaRole: 'AWS::IAM::Role',
    CaptureImpressionsLambda: 'AWS::Serverless::Function',
    CaptureClicksLambda: 'AWS::Serverless::Function',
    QueryAdTrafficTableLambda: 'AWS::Serverless::Function',
    APIRole: 'AWS::IAM::Role',
    API: 'AWS::Serverless::Api',
  },
  'templates-out/advertising/lake.yaml': {
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
  },
  'templates-out/advertising/realtime.yaml': {
    RealTimeAdvertisingDashboard: 'AWS::CloudWatch::Dashboard',
    RealTimeAdvertisingLambdaRole: 'AWS::IAM::Role',
    RealTimeAdvertisingLambda: 'AWS::Serverless::Function',
    RealTimeAdvertisingApplicationRole: 'AWS::IAM::Role',
    RealTimeImpressionsApplication: 'AWS::KinesisAnalytics::Application',
    RealTimeImpressionsOutputs: 'AWS::KinesisAnalytics::ApplicationOutput',
    RealTimeClicksApplication: 'AWS::KinesisAnalytics::Application',
    RealTimeClicksOutputs: 'AWS::KinesisAnalytics::ApplicationOutput',
  },
  'templates-out/advertising/pipeline.yaml': {
    AdvertisingTable: 'AWS::Glue::Table',
    AdTrafficTable: 'AWS::DynamoDB::Table',
    PipelineProfile: 'AWS::IAM::InstanceProfile',
    PipelineResourceProfile: 'AWS::IAM::InstanceProfile',
    EMRPipeline: 'AWS::DataPipeline::Pipeline',
  },
};

/** The logical ids of the original resources that a generated template declares. */
export function originalIds(path: string): string[] {
  const group = ORIGINAL_BUILD[path] ?? ORIGINAL_APP[path] ?? ORIGINAL_SERVICE[path];
  if (!group) throw new Error(`${path} holds none of the original resources`);
  return Object.keys(group);
}
