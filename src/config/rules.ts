// Rules between parameters that a JSON Schema cannot state and that the
// parameter descriptions state in words. The template's conditions quietly
// switch a feature off when a value it needs is empty; these rules turn that
// silence into an error before anything is deployed. All of them live here.

import { BATCH_ENGINE } from '../stacks/shared/batch-engine';

/** What a rule sees of a config. */
export interface RuleInput {
  /** The value the stack gets: the config's value, else the parameter's default, else '' (as text). */
  value(name: string): string;
  /** True when the config file sets the parameter itself. */
  given(name: string): boolean;
}

/** One broken rule. */
export interface RuleFinding {
  /** The parameter the problem is about; it names the JSON path. */
  readonly parameter: string;
  /** What is wrong and what to change. */
  readonly message: string;
  /** Where to point when `parameter` is not in the file: the parameter that asked for it. @default the Parameters object */
  readonly cause?: string;
}

/** A rule between parameters. */
export interface ConfigRule {
  /** A stable id, shown beside each finding. */
  readonly id: string;
  /** The rule in words. */
  readonly summary: string;
  /** The parameters the rule reads; it runs only when the template declares them all and their values passed the schema. */
  readonly parameters: readonly string[];
  readonly check: (input: RuleInput) => RuleFinding[];
}

const quote = (value: string) => JSON.stringify(value);
/** The BatchEngine value of the original's Data Pipeline, the one engine that takes a Redshift password. */
const [, LEGACY_BATCH_ENGINE] = BATCH_ENGINE.values;
const dnsName = (value: string) => value.trim().toLowerCase().replace(/\.$/, '');

/** DNSDomainName and BaseDNSName come together: the API gets a DNS name only when both are set. */
const dnsPair: ConfigRule = {
  id: 'config-dns-pair',
  summary: 'DNSDomainName and BaseDNSName are both set or both empty',
  parameters: ['DNSDomainName', 'BaseDNSName'],
  check(input) {
    const domain = input.value('DNSDomainName');
    const base = input.value('BaseDNSName');
    if (domain !== '' && base === '') {
      return [
        {
          parameter: 'BaseDNSName',
          cause: 'DNSDomainName',
          message: `is empty while DNSDomainName is ${quote(domain)}; DNS needs both: set BaseDNSName to ${quote(domain)} or a name under it such as ${quote(`api.${domain}`)}, or leave DNSDomainName empty too`,
        },
      ];
    }
    if (domain === '' && base !== '') {
      return [
        {
          parameter: 'DNSDomainName',
          cause: 'BaseDNSName',
          message: `is empty while BaseDNSName is ${quote(base)}; DNS needs both: set DNSDomainName to the Route 53 domain that ${quote(base)} belongs to, or leave BaseDNSName empty too`,
        },
      ];
    }
    return [];
  },
};

/** BaseDNSName is the domain itself or a name under it. */
const dnsBaseUnderDomain: ConfigRule = {
  id: 'config-dns-base-name',
  summary: 'BaseDNSName is DNSDomainName or a subdomain of it',
  parameters: ['DNSDomainName', 'BaseDNSName'],
  check(input) {
    const domain = dnsName(input.value('DNSDomainName'));
    const base = dnsName(input.value('BaseDNSName'));
    if (domain === '' || base === '' || base === domain || base.endsWith(`.${domain}`)) return [];
    return [
      {
        parameter: 'BaseDNSName',
        message: `${quote(input.value('BaseDNSName'))} is neither DNSDomainName (${quote(input.value('DNSDomainName'))}) nor a subdomain of it; use ${quote(domain)} or a name ending in ${quote(`.${domain}`)}`,
      },
    ];
  },
};

/**
 * A Redshift cluster needs a database and a user; under the legacy engine the
 * user's password too, which Data Pipeline signs in with. Under the default
 * engine Redshift manages the password in a secret of its own.
 */
const redshiftSettings: ConfigRule = {
  id: 'config-redshift',
  summary: `EnableRedshift non-empty needs RedshiftDatabase and RedshiftUsername, and RedshiftPassword when BatchEngine is ${LEGACY_BATCH_ENGINE}`,
  parameters: ['EnableRedshift', 'RedshiftDatabase', 'RedshiftUsername', 'RedshiftPassword', 'BatchEngine'],
  check(input) {
    if (input.value('EnableRedshift') === '') return [];
    const needed: Array<[string, string]> = [
      ['RedshiftDatabase', 'a Redshift cluster needs the name of the database to create'],
      ['RedshiftUsername', 'a Redshift cluster needs the name of the user to create'],
    ];
    if (input.value('BatchEngine') === LEGACY_BATCH_ENGINE)
      needed.push([
        'RedshiftPassword',
        `under BatchEngine ${LEGACY_BATCH_ENGINE} the cluster needs the user's password, which Data Pipeline signs in with`,
      ]);
    return needed
      .filter(([name]) => input.value(name) === '')
      .map(([name, why]) => ({
        parameter: name,
        cause: 'EnableRedshift',
        message: `is empty while EnableRedshift is set; ${why}: set ${name}, or set EnableRedshift to "" to go without Redshift`,
      }));
  },
};

/** HostedZoneID only matters when DNS is set up; given alone it would be ignored without a word. */
const hostedZoneNeedsDns: ConfigRule = {
  id: 'config-hosted-zone',
  summary: 'HostedZoneID is only used when DNSDomainName and BaseDNSName are given',
  parameters: ['HostedZoneID', 'DNSDomainName', 'BaseDNSName'],
  check(input) {
    const zone = input.value('HostedZoneID');
    if (zone === '' || (input.value('DNSDomainName') !== '' && input.value('BaseDNSName') !== '')) return [];
    return [
      {
        parameter: 'HostedZoneID',
        message: `is ${quote(zone)} but DNS is not set up, so it would be ignored; give DNSDomainName and BaseDNSName too, or leave HostedZoneID empty`,
      },
    ];
  },
};

/**
 * The Task Runner signs in with an access key pair: both halves or neither,
 * and both when the EC2 instance or the EMR cluster is asked for.
 */
const taskRunnerKeys: ConfigRule = {
  id: 'config-task-runner-keys',
  summary:
    'AccessKeyID and SecretAccessKey are both set or both empty; EnableEC2Instance and EnableEMRCluster need both',
  parameters: ['AccessKeyID', 'SecretAccessKey', 'EnableEC2Instance', 'EnableEMRCluster'],
  check(input) {
    const users = ['EnableEC2Instance', 'EnableEMRCluster'].filter((name) => input.value(name) !== '');
    const keys: Array<[string, string]> = [
      ['AccessKeyID', 'SecretAccessKey'],
      ['SecretAccessKey', 'AccessKeyID'],
    ];
    const out: RuleFinding[] = [];
    for (const [name, other] of keys) {
      if (input.value(name) !== '') continue;
      if (users.length > 0) {
        out.push({
          parameter: name,
          cause: users[0],
          message: `is empty while ${users.join(' and ')} ${users.length === 1 ? 'is' : 'are'} set; the Task Runner there signs in with AccessKeyID and SecretAccessKey, so without both nothing is created: set both, or set ${users.join(' and ')} to ""`,
        });
      } else if (input.value(other) !== '') {
        out.push({
          parameter: name,
          cause: other,
          message: `is empty while ${other} is set; give both AccessKeyID and SecretAccessKey, or neither`,
        });
      }
    }
    return out;
  },
};

/** The oldest EMR release that runs three master nodes. */
const MULTI_MASTER_RELEASE = [5, 23, 0] as const;

/** Three EMR master nodes need EMR 5.23.0 or later. */
const emrMultiMaster: ConfigRule = {
  id: 'config-emr-masters',
  summary: 'EMRMasterInstanceCount 3 needs EMRRelease emr-5.23.0 or later',
  parameters: ['EMRMasterInstanceCount', 'EMRRelease'],
  check(input) {
    if (Number(input.value('EMRMasterInstanceCount')) !== 3) return [];
    const release = /^emr-(\d+)\.(\d+)\.(\d+)$/.exec(input.value('EMRRelease'));
    if (!release) return [];
    const version = release.slice(1).map(Number);
    const older = compareVersions(version, MULTI_MASTER_RELEASE) < 0;
    if (!older) return [];
    return [
      {
        parameter: 'EMRMasterInstanceCount',
        cause: 'EMRRelease',
        message: `is 3 but EMRRelease is ${quote(input.value('EMRRelease'))}; three master nodes need emr-${MULTI_MASTER_RELEASE.join('.')} or later: raise EMRRelease or use 1 master node`,
      },
    ];
  },
};

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Every rule, in the order findings are reported. */
export const rules: readonly ConfigRule[] = [
  dnsPair,
  dnsBaseUnderDomain,
  hostedZoneNeedsDns,
  taskRunnerKeys,
  emrMultiMaster,
  redshiftSettings,
];
