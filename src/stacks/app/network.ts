// The optional VPC the long-running batch components live in: one public
// subnet with a route to the internet (the Task Runner polls Data Pipeline
// and everything reads S3 over it) and one security group they all share.
import { AWS, fnIf, getAZs, select } from '../../cfn/intrinsics';
import type { Resource, Template } from '../../cfn/template';
import type { AppConditions } from './conditions';
import type { AppParameters } from './parameters';

/** The address range of the VPC; its single subnet spans all of it. */
export const VPC_CIDR = '172.31.0.0/16';

/** The port Redshift listens on. */
export const REDSHIFT_PORT = 5439;

export interface Network {
  readonly VPC: Resource<'AWS::EC2::VPC'>;
  readonly Subnet: Resource<'AWS::EC2::Subnet'>;
  readonly SecurityGroup: Resource<'AWS::EC2::SecurityGroup'>;
}

export function declareNetwork(t: Template, p: AppParameters, c: AppConditions): Network {
  const inVpc = { condition: c.VPCEnabled };

  const VPC = t.resource(
    'VPC',
    'AWS::EC2::VPC',
    { CidrBlock: VPC_CIDR, EnableDnsSupport: true, EnableDnsHostnames: true, InstanceTenancy: 'default' },
    inVpc,
  );
  const InternetGateway = t.resource('InternetGateway', 'AWS::EC2::InternetGateway', {}, inVpc);
  const GatewayAttachment = t.resource(
    'GatewayAttachment',
    'AWS::EC2::VPCGatewayAttachment',
    { VpcId: VPC, InternetGatewayId: InternetGateway },
    inVpc,
  );
  const Subnet = t.resource(
    'Subnet',
    'AWS::EC2::Subnet',
    {
      VpcId: VPC,
      AvailabilityZone: select(0, getAZs(AWS.Region)),
      CidrBlock: VPC_CIDR,
      // Only the legacy task runners need a public address: they poll Data Pipeline over the internet gateway, with no NAT.
      MapPublicIpOnLaunch: fnIf(c.TaskRunnersRun, true, false),
    },
    inVpc,
  );
  const RouteTable = t.resource('RouteTable', 'AWS::EC2::RouteTable', { VpcId: VPC }, inVpc);
  t.resource(
    'Route',
    'AWS::EC2::Route',
    { DestinationCidrBlock: '0.0.0.0/0', GatewayId: InternetGateway, RouteTableId: RouteTable },
    // The route needs the gateway attached, which no reference expresses.
    { ...inVpc, dependsOn: [GatewayAttachment] },
  );
  t.resource(
    'Association',
    'AWS::EC2::SubnetRouteTableAssociation',
    { RouteTableId: RouteTable, SubnetId: Subnet },
    inVpc,
  );

  // Only what the components need comes in:
  // - Redshift's port from inside the VPC: the pipeline's on-demand EC2/EMR
  //   resources carry only this group, and load and query the cluster.
  // - SSH, only when a key pair is given (without one no instance or cluster
  //   accepts a login) and only from the address range SSHLocation names:
  //   the operator's machine, whose address the stack cannot know.
  // Traffic among the long-running instance, EMR cluster and Redshift needs no
  // rule here: all three also carry the VPC's default group, which admits
  // its own members, and EMR adds its managed groups for the cluster's own
  // traffic and its service access.
  const redshiftFromVpc = {
    IpProtocol: 'tcp',
    FromPort: REDSHIFT_PORT,
    ToPort: REDSHIFT_PORT,
    CidrIp: VPC_CIDR,
    Description: 'Redshift from inside the VPC',
  };
  const sshWithKey = {
    IpProtocol: 'tcp',
    FromPort: 22,
    ToPort: 22,
    CidrIp: p.SSHLocation,
    Description: "SSH from the operator's range, key pair logins only",
  };
  const SecurityGroup = t.resource(
    'SecurityGroup',
    'AWS::EC2::SecurityGroup',
    {
      // Name and description stay as first deployed: changing either replaces the group.
      GroupName: 'SecurityGroup',
      GroupDescription: 'Default Security Group',
      VpcId: VPC,
      SecurityGroupIngress: fnIf(c.SSHAllowed, [redshiftFromVpc, sshWithKey], [redshiftFromVpc]),
      // Out to anywhere: S3, Data Pipeline, Glue and package mirrors are reached over the internet gateway.
      SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: 'Anywhere' }],
    },
    inVpc,
  );

  return { VPC, Subnet, SecurityGroup };
}
