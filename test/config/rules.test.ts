import { expect } from 'chai';
import { defaultValidator } from '../../src/config/load';
import { formatProblem, type ConfigProblem } from '../../src/config/problems';
import { rules } from '../../src/config/rules';
import { ConfigValidator } from '../../src/config/validate';
import { configText, fixtureTemplate } from './fixture';

const FILE = 'config/feature.json';
const validator = new ConfigValidator(fixtureTemplate());
const problems = (parameters: Record<string, unknown>): ConfigProblem[] => [
  ...validator.check(FILE, configText(parameters)).problems,
];
const only = (parameters: Record<string, unknown>): ConfigProblem => {
  const found = problems(parameters);
  expect(found, found.map(formatProblem).join('\n')).to.have.length(1);
  return found[0]!;
};

describe('config rules between parameters', () => {
  it('all apply to the root application template', () => {
    expect(defaultValidator().rules.map((r) => r.id)).to.deep.equal(rules.map((r) => r.id));
  });

  it('are skipped for a template that lacks their parameters', () => {
    const v = new ConfigValidator(fixtureTemplate({ BaseDNSName: undefined }));
    expect(v.rules.map((r) => r.id)).not.to.include('config-dns-pair');
    expect(v.check(FILE, configText({ DNSDomainName: 'example.com' })).problems).to.deep.equal([]);
  });

  describe('DNS needs both DNSDomainName and BaseDNSName, or neither', () => {
    it('refuses DNSDomainName alone, pointing at it', () => {
      const p = only({ DNSDomainName: 'example.com' });
      expect(p).to.include({ rule: 'config-dns-pair', path: 'Parameters.BaseDNSName', line: 5 });
      expect(p.message).to.equal(
        'is empty while DNSDomainName is "example.com"; DNS needs both: set BaseDNSName to "example.com" or a name under it such as "api.example.com", or leave DNSDomainName empty too',
      );
    });

    it('refuses BaseDNSName alone', () => {
      const p = only({ BaseDNSName: 'api.example.com' });
      expect(p).to.include({ rule: 'config-dns-pair', path: 'Parameters.DNSDomainName' });
      expect(p.message).to.contain('is empty while BaseDNSName is "api.example.com"; DNS needs both');
    });

    it('accepts both, and neither', () => {
      expect(problems({ DNSDomainName: 'example.com', BaseDNSName: 'api.example.com' })).to.deep.equal([]);
      expect(problems({ DNSDomainName: '', BaseDNSName: '' })).to.deep.equal([]);
    });
  });

  describe('BaseDNSName is DNSDomainName or a subdomain of it', () => {
    it('refuses a name in another domain', () => {
      const p = only({ DNSDomainName: 'example.com', BaseDNSName: 'api.example.org' });
      expect(p).to.include({ rule: 'config-dns-base-name', path: 'Parameters.BaseDNSName' });
      expect(p.message).to.equal(
        '"api.example.org" is neither DNSDomainName ("example.com") nor a subdomain of it; use "example.com" or a name ending in ".example.com"',
      );
    });

    it('refuses a name that only ends with the same letters', () => {
      expect(only({ DNSDomainName: 'example.com', BaseDNSName: 'myexample.com' }).rule).to.equal(
        'config-dns-base-name',
      );
    });

    it('accepts the domain itself and a subdomain, in any case', () => {
      expect(problems({ DNSDomainName: 'example.com', BaseDNSName: 'example.com' })).to.deep.equal([]);
      expect(problems({ DNSDomainName: 'Example.com', BaseDNSName: 'warehouse.api.example.COM' })).to.deep.equal([]);
    });
  });

  describe('HostedZoneID is only used with DNS', () => {
    it('refuses a hosted zone without DNS names', () => {
      const p = only({ HostedZoneID: 'Z123' });
      expect(p).to.include({ rule: 'config-hosted-zone', path: 'Parameters.HostedZoneID' });
      expect(p.message).to.equal(
        'is "Z123" but DNS is not set up, so it would be ignored; give DNSDomainName and BaseDNSName too, or leave HostedZoneID empty',
      );
    });

    it('accepts a hosted zone with DNS names', () => {
      expect(
        problems({ HostedZoneID: 'Z123', DNSDomainName: 'example.com', BaseDNSName: 'example.com' }),
      ).to.deep.equal([]);
    });
  });

  describe('the Task Runner keys', () => {
    it('refuses AccessKeyID without SecretAccessKey', () => {
      const p = only({ AccessKeyID: 'AKIAEXAMPLE' });
      expect(p).to.include({ rule: 'config-task-runner-keys', path: 'Parameters.SecretAccessKey' });
      expect(p.message).to.equal(
        'is empty while AccessKeyID is set; give both AccessKeyID and SecretAccessKey, or neither',
      );
    });

    it('refuses the EC2 instance without keys, naming both missing keys', () => {
      const found = problems({ EnableEC2Instance: 'yes' });
      expect(found.map((p) => p.path)).to.deep.equal(['Parameters.AccessKeyID', 'Parameters.SecretAccessKey']);
      expect(found[0]!.message).to.equal(
        'is empty while EnableEC2Instance is set; the Task Runner there signs in with AccessKeyID and SecretAccessKey, so without both nothing is created: set both, or set EnableEC2Instance to ""',
      );
    });

    it('refuses the EMR cluster without a secret key', () => {
      const p = only({ EnableEMRCluster: 'yes', AccessKeyID: 'AKIAEXAMPLE' });
      expect(p.path).to.equal('Parameters.SecretAccessKey');
      expect(p.message).to.contain('is empty while EnableEMRCluster is set');
    });

    it('accepts both keys with either user, and no keys without one', () => {
      expect(
        problems({
          EnableEC2Instance: 'yes',
          EnableEMRCluster: 'yes',
          AccessKeyID: 'AKIAEXAMPLE',
          SecretAccessKey: 'c2VjcmV0',
        }),
      ).to.deep.equal([]);
      expect(problems({ AccessKeyID: '', SecretAccessKey: '' })).to.deep.equal([]);
    });

    it('never shows the secret key in a message', () => {
      const p = only({ SecretAccessKey: 'c2VjcmV0' });
      expect(p.message).to.equal(
        'is empty while SecretAccessKey is set; give both AccessKeyID and SecretAccessKey, or neither',
      );
    });
  });

  describe('three EMR master nodes need EMR 5.23.0 or later', () => {
    it('refuses three masters on an older release', () => {
      const p = only({ EMRMasterInstanceCount: 3, EMRRelease: 'emr-5.20.1' });
      expect(p).to.include({ rule: 'config-emr-masters', path: 'Parameters.EMRMasterInstanceCount' });
      expect(p.message).to.equal(
        'is 3 but EMRRelease is "emr-5.20.1"; three master nodes need emr-5.23.0 or later: raise EMRRelease or use 1 master node',
      );
    });

    it('accepts three masters on 5.23.0 or later, and one master on any release', () => {
      expect(problems({ EMRMasterInstanceCount: '3', EMRRelease: 'emr-5.23.0' })).to.deep.equal([]);
      expect(problems({ EMRMasterInstanceCount: 3, EMRRelease: 'emr-6.0.0' })).to.deep.equal([]);
      expect(problems({ EMRMasterInstanceCount: 1, EMRRelease: 'emr-4.9.0' })).to.deep.equal([]);
    });
  });

  describe('Redshift needs a database and a user, and a password only under the legacy engine', () => {
    const legacy = { BatchEngine: 'data-pipeline' };

    it('refuses Redshift without a password under the legacy engine, whose pipeline signs in with it', () => {
      const p = only({ EnableRedshift: 'yes', ...legacy });
      expect(p).to.include({ rule: 'config-redshift', path: 'Parameters.RedshiftPassword', line: 5 });
      expect(p.message).to.equal(
        'is empty while EnableRedshift is set; under BatchEngine data-pipeline the cluster needs the user\'s password, which Data Pipeline signs in with: set RedshiftPassword, or set EnableRedshift to "" to go without Redshift',
      );
    });

    it('accepts Redshift without a password under the default engine, where Redshift manages it', () => {
      expect(problems({ EnableRedshift: 'yes' })).to.deep.equal([]);
    });

    it('refuses Redshift with an emptied database and user, under either engine', () => {
      for (const engine of [{}, legacy]) {
        const found = problems({
          EnableRedshift: 'yes',
          RedshiftDatabase: '',
          RedshiftUsername: '',
          RedshiftPassword: 'Secret123',
          ...engine,
        });
        expect(found.map((p) => p.path)).to.deep.equal(['Parameters.RedshiftDatabase', 'Parameters.RedshiftUsername']);
        expect(found[0]!.message).to.contain('needs the name of the database to create');
      }
    });

    it('accepts Redshift with a password and the default database and user under the legacy engine', () => {
      expect(problems({ EnableRedshift: 'yes', RedshiftPassword: 'Secret123', ...legacy })).to.deep.equal([]);
    });

    it('accepts empty Redshift settings while Redshift is off', () => {
      expect(problems({ RedshiftDatabase: '', RedshiftPassword: '' })).to.deep.equal([]);
    });
  });

  it('leaves a rule out when the schema already refused one of its values', () => {
    const found = problems({ DNSDomainName: 42 });
    expect(found.map((p) => p.rule)).to.deep.equal(['config-type']);
  });
});
