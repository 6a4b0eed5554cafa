// What `Fn::GetAtt` can read from each resource type, after the "Return values" of the
// CloudFormation resource reference. cloudform-types has property types but no attribute data,
// so the attributes of the types the stacks use are stated here; a type not listed takes any
// name (cfn-lint's E1010 still checks it). A type with no attributes maps to `never`.

import type { ResourceType } from './template';

interface ResourceAttributes {
  'AWS::ApiGateway::BasePathMapping': never;
  'AWS::ApiGateway::DomainName':
    | 'DistributionDomainName'
    | 'DistributionHostedZoneId'
    | 'DomainNameArn'
    | 'RegionalDomainName'
    | 'RegionalHostedZoneId';
  'AWS::CertificateManager::Certificate': never;
  // A nested stack's outputs are read through `output(name)`.
  'AWS::CloudFormation::Stack': never;
  'AWS::CloudWatch::Alarm': 'Arn';
  'AWS::CloudWatch::Dashboard': never;
  'AWS::CodeBuild::Project': 'Arn';
  'AWS::CodeCommit::Repository': 'Arn' | 'CloneUrlHttp' | 'CloneUrlSsh' | 'Name';
  'AWS::CodePipeline::Pipeline': 'Version';
  'AWS::DataPipeline::Pipeline': 'PipelineId';
  'AWS::DynamoDB::Table': 'Arn' | 'StreamArn';
  'AWS::EC2::Instance':
    'AvailabilityZone' | 'InstanceId' | 'PrivateDnsName' | 'PrivateIp' | 'PublicDnsName' | 'PublicIp' | 'VpcId';
  'AWS::EC2::InternetGateway': 'InternetGatewayId';
  'AWS::EC2::Route': 'CidrBlock';
  'AWS::EC2::RouteTable': 'RouteTableId';
  'AWS::EC2::SecurityGroup': 'GroupId' | 'VpcId';
  'AWS::EC2::SecurityGroupIngress': 'Id';
  'AWS::EC2::Subnet':
    | 'AvailabilityZone'
    | 'AvailabilityZoneId'
    | 'CidrBlock'
    | 'Ipv6CidrBlocks'
    | 'NetworkAclAssociationId'
    | 'SubnetId'
    | 'VpcId';
  'AWS::EC2::SubnetRouteTableAssociation': 'Id';
  'AWS::EC2::VPC':
    'CidrBlock' | 'CidrBlockAssociations' | 'DefaultNetworkAcl' | 'DefaultSecurityGroup' | 'Ipv6CidrBlocks' | 'VpcId';
  'AWS::EC2::VPCGatewayAttachment': never;
  'AWS::EMR::Cluster': 'Id' | 'MasterPublicDNS';
  'AWS::EMR::SecurityConfiguration': never;
  'AWS::EMRServerless::Application': 'ApplicationId' | 'Arn';
  'AWS::Events::Rule': 'Arn';
  'AWS::Glue::Crawler': never;
  'AWS::Glue::Database': never;
  'AWS::Glue::Job': never;
  'AWS::Glue::Table': never;
  'AWS::IAM::InstanceProfile': 'Arn';
  'AWS::IAM::ManagedPolicy': 'PolicyArn';
  'AWS::IAM::Policy': never;
  'AWS::IAM::Role': 'Arn' | 'RoleId';
  'AWS::KMS::Key': 'Arn' | 'KeyId';
  'AWS::Kinesis::Stream': 'Arn';
  'AWS::KinesisAnalytics::Application': never;
  'AWS::KinesisAnalytics::ApplicationOutput': never;
  'AWS::KinesisFirehose::DeliveryStream': 'Arn';
  'AWS::Lambda::EventSourceMapping': 'Id';
  'AWS::Lambda::Permission': never;
  'AWS::Logs::LogGroup': 'Arn';
  'AWS::Redshift::Cluster': 'ClusterNamespaceArn' | 'Endpoint.Address' | 'Endpoint.Port';
  'AWS::Redshift::ClusterSecurityGroup': never;
  'AWS::Redshift::ClusterSecurityGroupIngress': never;
  'AWS::Redshift::ClusterSubnetGroup': 'ClusterSubnetGroupName';
  'AWS::Route53::HostedZone': 'Id' | 'NameServers';
  'AWS::Route53::RecordSetGroup': never;
  'AWS::S3::Bucket': 'Arn' | 'DomainName' | 'DualStackDomainName' | 'RegionalDomainName' | 'WebsiteURL';
  'AWS::S3::BucketPolicy': never;
  'AWS::Scheduler::Schedule': 'Arn';
  'AWS::SNS::Subscription': 'Arn';
  'AWS::SNS::Topic': 'TopicArn' | 'TopicName';
  'AWS::SNS::TopicPolicy': 'Id';
  'AWS::SecretsManager::Secret': 'Id';
  'AWS::StepFunctions::StateMachine': 'Arn' | 'Name' | 'StateMachineRevisionId';
  // SAM passes these through to the resources it generates; an application's outputs are read through `output(name)`.
  'AWS::Serverless::Function': 'Arn';
  'AWS::Serverless::Api': 'RootResourceId';
  'AWS::Serverless::Application': never;
  'AWS::Serverless::SimpleTable': 'Arn' | 'StreamArn';
}

/** The attribute names `getAtt` accepts for a resource type. */
export type AttributeOf<T extends ResourceType> = T extends keyof ResourceAttributes ? ResourceAttributes[T] : string;
