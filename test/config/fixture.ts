// A small root template with one parameter of each kind the config checks
// care about, so the tests do not depend on the real stack's declarations.
import { Template, type ParameterDefinition } from '../../src/cfn/template';

/** Declares the fixture's parameters; `change` replaces or adds declarations. */
export function fixtureTemplate(change: Record<string, ParameterDefinition | undefined> = {}): Template {
  const t = new Template({ description: 'fixture', source: 'test/config/fixture.ts', sam: false });
  const declarations: Record<string, ParameterDefinition | undefined> = {
    CodeBucket: { type: 'String', description: 'Bucket of the packaged code.', setBy: 'build' },
    Build: { type: 'String', description: 'Id of the build.', setBy: 'build' },
    Stage: {
      type: 'String',
      description: 'API stage.',
      default: 'Prod',
      allowedPattern: '^[A-Za-z0-9_-]{1,128}$',
      constraintDescription: 'a stage name is letters, digits, hyphens or underscores',
      label: 'API stage',
    },
    DeploymentPreference: {
      type: 'String',
      description: 'Traffic shifting.',
      default: 'Canary10Percent5Minutes',
      allowedValues: ['Canary10Percent5Minutes', 'Linear10PercentEvery1Minute', 'AllAtOnce'],
    },
    Nickname: { type: 'String', description: 'A short name.', default: 'abc', minLength: 3, maxLength: 8 },
    CoreCount: { type: 'Number', description: 'Number of core nodes.', default: 1, minValue: 1, maxValue: 256 },
    MasterCount: { type: 'Number', description: 'Number of master nodes.', default: 1, allowedValues: [1, 3] },
    Owner: { type: 'String', description: 'Team that owns the stack.' },
    DNSDomainName: { type: 'String', description: 'Route 53 domain.', default: '' },
    BaseDNSName: { type: 'String', description: 'API DNS name.', default: '' },
    HostedZoneID: { type: 'String', description: 'Hosted zone id.', default: '' },
    AccessKeyID: { type: 'String', description: 'Task Runner key id.', default: '' },
    SecretAccessKey: {
      type: 'String',
      description: 'Task Runner secret.',
      default: '',
      noEcho: true,
      allowedPattern: '^[A-Za-z0-9/+=]*$',
    },
    EnableEC2Instance: { type: 'String', description: 'Non-empty creates the instance.', default: '' },
    EnableEMRCluster: { type: 'String', description: 'Non-empty creates the cluster.', default: '' },
    EMRRelease: { type: 'String', description: 'EMR release label.', default: 'emr-5.23.0' },
    EMRMasterInstanceCount: { type: 'Number', description: 'EMR masters.', default: 1, allowedValues: [1, 3] },
    EnableRedshift: { type: 'String', description: 'Non-empty creates Redshift.', default: '' },
    RedshiftDatabase: { type: 'String', description: 'Database.', default: 'dataless' },
    RedshiftUsername: { type: 'String', description: 'User.', default: 'dataless' },
    RedshiftPassword: { type: 'String', description: 'Password.', default: '', noEcho: true },
    BatchEngine: {
      type: 'String',
      description: 'Batch engine.',
      default: 'step-functions',
      allowedValues: ['step-functions', 'data-pipeline'],
    },
    ...change,
  };
  for (const [id, definition] of Object.entries(declarations)) if (definition) t.parameter(id, definition);
  return t;
}

/** A config file's text with the given parameters (Owner, which has no default, is set unless given). */
export function configText(parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ $schema: './schema.json', ...extra, Parameters: { Owner: 'data', ...parameters } }, null, 2)}\n`;
}
