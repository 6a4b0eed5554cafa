// Optional custom domain: the advertising API served at
// https://<BaseDNSName>/advertising through an edge-optimized API Gateway
// domain name, with its certificate and its alias record.
import { fnIf } from '../../cfn/intrinsics';
import type { NestedStack } from '../../cfn/stack';
import type { Template } from '../../cfn/template';
import type { ServiceOutput } from '../advertising/service';
import type { AppConditions } from './conditions';
import type { AppParameters } from './parameters';

/** The path the advertising API is mounted at under the base DNS name. */
export const ADVERTISING_BASE_PATH = 'advertising';

export function declareDns(
  t: Template,
  p: AppParameters,
  c: AppConditions,
  advertising: NestedStack<ServiceOutput>,
): void {
  const enabled = { condition: c.DNSEnabled };

  // Validated through DNSDomainName. Edge-optimized domain names take
  // certificates from us-east-1 only, so with DNS the stack must be deployed there.
  const Certificate = t.resource(
    'Certificate',
    'AWS::CertificateManager::Certificate',
    {
      DomainName: p.BaseDNSName,
      DomainValidationOptions: [{ DomainName: p.BaseDNSName, ValidationDomain: p.DNSDomainName }],
    },
    enabled,
  );

  const DomainName = t.resource(
    'DomainName',
    'AWS::ApiGateway::DomainName',
    { CertificateArn: Certificate, DomainName: p.BaseDNSName },
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

  const HostedZone = t.resource('HostedZone', 'AWS::Route53::HostedZone', { Name: p.DNSDomainName }, { condition: c.InternalHostedZone });

  t.resource(
    'RecordSetGroup',
    'AWS::Route53::RecordSetGroup',
    {
      HostedZoneId: fnIf(c.InternalHostedZone, HostedZone, p.HostedZoneID),
      RecordSets: [
        {
          Type: 'A',
          Name: p.BaseDNSName,
          AliasTarget: {
            DNSName: DomainName.getAtt('DistributionDomainName'),
            HostedZoneId: DomainName.getAtt('DistributionHostedZoneId'),
          },
        },
      ],
    },
    enabled,
  );
}
