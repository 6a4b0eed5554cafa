// CloudFormation resource types the stacks use, mapped to their property types.
// Type-only imports: cloudform-types is never loaded at run time (its index costs ~0.4 s).
// To use a new resource type, add its line here.

export interface CfnResourceTypes {
  'AWS::ApiGateway::Account': import('cloudform-types/types/apiGateway/account').AccountProperties;
  'AWS::ApiGateway::BasePathMapping': import('cloudform-types/types/apiGateway/basePathMapping').BasePathMappingProperties;
  'AWS::ApiGateway::DomainName': import('cloudform-types/types/apiGateway/domainName').DomainNameProperties;
  'AWS::CertificateManager::Certificate': import('cloudform-types/types/certificateManager/certificate').CertificateProperties;
  'AWS::CloudFormation::Stack': import('cloudform-types/types/cloudFormation/stack').StackProperties;
  'AWS::CloudWatch::Alarm': import('cloudform-types/types/cloudWatch/alarm').AlarmProperties;
  'AWS::CloudWatch::Dashboard': import('cloudform-types/types/cloudWatch/dashboard').DashboardProperties;
  'AWS::CodeBuild::Project': import('cloudform-types/types/codeBuild/project').ProjectProperties;
  'AWS::CodeCommit::Repository': import('cloudform-types/types/codeCommit/repository').RepositoryProperties;
  'AWS::CodePipeline::Pipeline': import('cloudform-types/types/codePipeline/pipeline').PipelineProperties;
  'AWS::DataPipeline::Pipeline': import('cloudform-types/types/dataPipeline/pipeline').PipelineProperties;
  'AWS::DynamoDB::Table': import('cloudform-types/types/dynamoDb/table').TableProperties;
  'AWS::EC2::Instance': import('cloudform-types/types/ec2/instance').InstanceProperties;
  'AWS::EC2::InternetGateway': import('cloudform-types/types/ec2/internetGateway').InternetGatewayProperties;
  'AWS::EC2::Route': import('cloudform-types/types/ec2/route').RouteProperties;
  'AWS::EC2::RouteTable': import('cloudform-types/types/ec2/routeTable').RouteTableProperties;
  'AWS::EC2::SecurityGroup': import('cloudform-types/types/ec2/securityGroup').SecurityGroupProperties;
  'AWS::EC2::SecurityGroupIngress': import('cloudform-types/types/ec2/securityGroupIngress').SecurityGroupIngressProperties;
  'AWS::EC2::Subnet': import('cloudform-types/types/ec2/subnet').SubnetProperties;
  'AWS::EC2::SubnetRouteTableAssociation': import('cloudform-types/types/ec2/subnetRouteTableAssociation').SubnetRouteTableAssociationProperties;
  'AWS::EC2::VPC': import('cloudform-types/types/ec2/vpc').VPCProperties;
  'AWS::EC2::VPCGatewayAttachment': import('cloudform-types/types/ec2/vpcGatewayAttachment').VPCGatewayAttachmentProperties;
  'AWS::EMR::Cluster': import('cloudform-types/types/emr/cluster').ClusterProperties;
  'AWS::EMR::SecurityConfiguration': import('cloudform-types/types/emr/securityConfiguration').SecurityConfigurationProperties;
  'AWS::EMRServerless::Application': import('cloudform-types/types/emrServerless/application').ApplicationProperties;
  'AWS::Events::Rule': import('cloudform-types/types/events/rule').RuleProperties;
  'AWS::Glue::Crawler': import('cloudform-types/types/glue/crawler').CrawlerProperties;
  'AWS::Glue::Database': import('cloudform-types/types/glue/database').DatabaseProperties;
  'AWS::Glue::Job': import('cloudform-types/types/glue/job').JobProperties;
  'AWS::Glue::Table': import('cloudform-types/types/glue/table').TableProperties;
  'AWS::IAM::InstanceProfile': import('cloudform-types/types/iam/instanceProfile').InstanceProfileProperties;
  'AWS::IAM::ManagedPolicy': import('cloudform-types/types/iam/managedPolicy').ManagedPolicyProperties;
  'AWS::IAM::Policy': import('cloudform-types/types/iam/policy').PolicyProperties;
  'AWS::IAM::Role': import('cloudform-types/types/iam/role').RoleProperties;
  'AWS::Kinesis::Stream': import('cloudform-types/types/kinesis/stream').StreamProperties;
  'AWS::KinesisAnalytics::Application': import('cloudform-types/types/kinesisAnalytics/application').ApplicationProperties;
  'AWS::KinesisAnalytics::ApplicationOutput': import('cloudform-types/types/kinesisAnalytics/applicationOutput').ApplicationOutputProperties;
  'AWS::KMS::Key': import('cloudform-types/types/kms/key').KeyProperties;
  'AWS::KinesisFirehose::DeliveryStream': import('cloudform-types/types/kinesisFirehose/deliveryStream').DeliveryStreamProperties;
  'AWS::Lambda::EventSourceMapping': import('cloudform-types/types/lambda/eventSourceMapping').EventSourceMappingProperties;
  'AWS::Lambda::Permission': import('cloudform-types/types/lambda/permission').PermissionProperties;
  'AWS::Logs::LogGroup': import('cloudform-types/types/logs/logGroup').LogGroupProperties;
  'AWS::Logs::LogStream': import('cloudform-types/types/logs/logStream').LogStreamProperties;
  'AWS::Redshift::Cluster': import('cloudform-types/types/redshift/cluster').ClusterProperties;
  'AWS::Redshift::ClusterParameterGroup': import('cloudform-types/types/redshift/clusterParameterGroup').ClusterParameterGroupProperties;
  'AWS::Redshift::ClusterSecurityGroup': import('cloudform-types/types/redshift/clusterSecurityGroup').ClusterSecurityGroupProperties;
  'AWS::Redshift::ClusterSecurityGroupIngress': import('cloudform-types/types/redshift/clusterSecurityGroupIngress').ClusterSecurityGroupIngressProperties;
  'AWS::Redshift::ClusterSubnetGroup': import('cloudform-types/types/redshift/clusterSubnetGroup').ClusterSubnetGroupProperties;
  'AWS::Route53::HostedZone': import('cloudform-types/types/route53/hostedZone').HostedZoneProperties;
  'AWS::Route53::RecordSetGroup': import('cloudform-types/types/route53/recordSetGroup').RecordSetGroupProperties;
  'AWS::S3::Bucket': import('cloudform-types/types/s3/bucket').BucketProperties;
  'AWS::S3::BucketPolicy': import('cloudform-types/types/s3/bucketPolicy').BucketPolicyProperties;
  'AWS::Scheduler::Schedule': import('cloudform-types/types/scheduler/schedule').ScheduleProperties;
  'AWS::SNS::Subscription': import('cloudform-types/types/sns/subscription').SubscriptionProperties;
  'AWS::SNS::Topic': import('cloudform-types/types/sns/topic').TopicProperties;
  'AWS::SNS::TopicPolicy': import('cloudform-types/types/sns/topicPolicy').TopicPolicyProperties;
  'AWS::SecretsManager::Secret': import('cloudform-types/types/secretsManager/secret').SecretProperties;
  'AWS::StepFunctions::StateMachine': import('cloudform-types/types/stepFunctions/stateMachine').StateMachineProperties;
}
