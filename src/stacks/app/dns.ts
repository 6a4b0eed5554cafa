// Optional custom domain: the advertising API served at
// https://<BaseDNSName>/advertising through a regional API Gateway domain
// name, with its DNS-validated certificate and its alias record.
import { fnIf } from '../../cfn/intrinsics';
import type { NestedStack } from '../../cfn/stack';
import type { Template } from '../../cfn/template';
import type { ServiceOutput } from '../advertising/service';
import type { AppConditions } from './conditions';
import type { AppParameters } from './parameters';

/**
 * The custom domain's endpoint type. A regional domain name takes an ACM
 * certificate from the stack's region (an edge-optimized one only from
 * us-east-1), and maps to the edge-optimized API all the same.
 */
export const DOMAIN_ENDPOINT_TYPE = 'REGIONAL';

/** The path the advertising API is mounted at under the base DNS name. */
export const ADVERTISING_BASE_PATH = 'advertising';

export function declareDns(
  t: Template,
  p: AppParameters,
  c: AppConditions,
  advertising: NestedStack<ServiceOutput>,
): void {
  const enabled = { condition: c.DNSEnabled };

  const HostedZone = t.resource(
    'HostedZone',
    'AWS::Route53::HostedZone',
    { Name: p.DNSDomainName },
    { condition: c.InternalHostedZone },
  );
  const zone = fnIf(c.InternalHostedZone, HostedZone, p.HostedZoneID);

  // Validated by a DNS record that CloudFormation writes into the zone, so the
  // stack completes without anyone acting on an e-mail. A regional domain name
  // takes its certificate from the stack's own region, so DNS works in any region.
  const Certificate = t.resource(
    'Certificate',
    'AWS::CertificateManager::Certificate',
    {
      DomainName: p.BaseDNSName,
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: p.BaseDNSName, HostedZoneId: zone }],
    },
    enabled,
  );

  const DomainName = t.resource(
    'DomainName',
    'AWS::ApiGateway::DomainName',
    {
      DomainName: p.BaseDNSName,
      RegionalCertificateArn: Certificate,
      EndpointConfiguration: { Types: [DOMAIN_ENDPOINT_TYPE] },
    },
    enabled,
  );

  t.resource(
    'BasePathMapping',
    'AWS::ApiGateway::BasePathMapping',
    {
      BasePath: ADVERTISING_BASE_PATH,
      DomainName,
      RestApiId: advertising.output('API'),
      Stage: advertising.output('Stage'),
    },
    enabled,
  );

  t.resource(
    'RecordSetGroup',
    'AWS::Route53::RecordSetGroup',
    {
      HostedZoneId: zone,
      RecordSets: [
        {
          Type: 'A',
          Name: p.BaseDNSName,
          AliasTarget: {
            DNSName: DomainName.getAtt('RegionalDomainName'),
            HostedZoneId: DomainName.getAtt('RegionalHostedZoneId'),
          },
        },
      ],
    },
    enabled,
  );
}
