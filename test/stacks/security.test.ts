import { expect } from 'chai';
import { APP_STACK, BUILD_STACK, stacks } from '../../src/stacks';
import { BOOTSTRAP_IDS } from '../../src/stacks/build';
import { DEPRECATED_MANAGED_POLICIES, MANAGED_POLICY_GRANTS, MANAGED_POLICY_PREFIX } from '../../src/stacks/shared/iam';
import { TemplateAssertions } from '../support/template';

type Json = Record<string, any>;

/** The root parameters that hold the legacy Task Runner's keys. */
const TASK_RUNNER_KEYS: ReadonlySet<string> = new Set(['AccessKeyID', 'SecretAccessKey']);

/** Every value under `value` that refers to one of `names`, as a Ref or inside a Sub, with the path it is at. */
function references(value: unknown, names: ReadonlySet<string>, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => references(item, names, `${path}[${i}]`));
  if (typeof value === 'string') {
    return [...value.matchAll(/\$\{([A-Za-z0-9]+)\}/g)]
      .filter((m) => names.has(m[1]!))
      .map((m) => `${path}: \${${m[1]}}`);
  }
  if (value === null || typeof value !== 'object') return [];
  const object = value as Json;
  if (typeof object.Ref === 'string' && names.has(object.Ref)) return [`${path}: Ref ${object.Ref}`];
  return Object.entries(object).flatMap(([key, item]) => references(item, names, `${path}.${key}`));
}

/** Every IAM policy statement a resource declares, inline or as a policy resource, Fn::If branches included. */
function statements(resource: Json): Json[] {
  const properties = (resource.Properties ?? {}) as Json;
  const documents: Json[] = [
    ...((properties.Policies ?? []) as Json[]).map((p) => p.PolicyDocument),
    ...(properties.PolicyDocument ? [properties.PolicyDocument] : []),
  ];
  return documents
    .filter((d) => d && Array.isArray(d.Statement))
    .flatMap((d) => (d.Statement as Json[]).flatMap((s) => (s['Fn::If'] ? (s['Fn::If'] as Json[]).slice(1) : [s])));
}

describe('the security of every generated template', () => {
  const templates = stacks.map((s) => ({ path: s.path, template: TemplateAssertions.load(s.path) }));

  it('grants no IAM statement every action of a service (service:*) or every action there is (*), the permissions boundary being a ceiling, not a grant', () => {
    const isBoundary = (path: string, id: string) =>
      path === BUILD_STACK.path && id === BOOTSTRAP_IDS.permissionsBoundary;
    const found = templates.flatMap(({ path, template }) =>
      Object.entries(template.section('Resources'))
        .filter(([id]) => !isBoundary(path, id))
        .flatMap(([id, resource]) =>
          statements(resource)
            .filter((s) => s.Effect !== 'Deny')
            .flatMap((s) => [s.Action].flat())
            .filter((action) => action === '*' || /^[a-z0-9-]+:\*$/.test(String(action)))
            .map((action) => `${path} ${id}: ${action}`),
        ),
    );
    expect(found).to.deep.equal([]);
  });

  it('attaches no AWS managed policy that AWS has deprecated, which IAM would refuse to attach to a new role', () => {
    expect(DEPRECATED_MANAGED_POLICIES).to.include('service-role/AWSDataPipelineRole');
    const attached = templates.flatMap(({ path, template }) =>
      Object.entries(template.section('Resources')).flatMap(([id, resource]) =>
        ([((resource.Properties ?? {}) as Json).ManagedPolicyArns ?? []].flat() as unknown[])
          .filter((arn): arn is string => typeof arn === 'string')
          .map((arn) => ({ at: `${path} ${id}`, name: arn.slice(MANAGED_POLICY_PREFIX.length) })),
      ),
    );
    expect(attached.length).to.be.greaterThan(0);
    expect(attached.filter(({ name }) => DEPRECATED_MANAGED_POLICIES.includes(name))).to.deep.equal([]);
    // Nor may one be listed as attachable.
    expect(
      Object.keys(MANAGED_POLICY_GRANTS).filter((name) => DEPRECATED_MANAGED_POLICIES.includes(name)),
    ).to.deep.equal([]);
  });

  describe('the permissions boundary', () => {
    const applications = templates.filter(({ path }) => path !== BUILD_STACK.path);
    const boundary = {
      'Fn::If': ['PermissionsBoundaryGiven', { Ref: 'PermissionsBoundaryArn' }, { Ref: 'AWS::NoValue' }],
    };

    it('is given to every application template, which sets it only when it is not empty', () => {
      for (const { path, template } of applications) {
        template.hasParameter('PermissionsBoundaryArn', { Type: 'String', Default: '' });
        template.hasCondition('PermissionsBoundaryGiven', {
          'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'PermissionsBoundaryArn' }, ''] }],
        });
        expect(path).to.not.equal(BUILD_STACK.path);
      }
    });

    it('is carried by every role of every application template, so that a new role without it fails here', () => {
      const roles = applications.flatMap(({ path, template }) =>
        Object.entries(template.findResources('AWS::IAM::Role')).map(([id, role]) => ({ at: `${path} ${id}`, role })),
      );
      expect(roles.length).to.be.greaterThan(15);
      for (const { at, role } of roles)
        expect((role.Properties as Json).PermissionsBoundary, at).to.deep.equal(boundary);
    });

    it('is carried by every role SAM would generate: a function without a role has the boundary, and CodeDeploy is given a role', () => {
      for (const { path, template } of applications) {
        const globals = ((template.json.Globals ?? {}) as Json).Function ?? {};
        for (const [id, fn] of Object.entries(template.findResources('AWS::Serverless::Function'))) {
          const properties = { ...globals, ...(fn.Properties as Json) };
          if (properties.Role === undefined)
            expect(properties.PermissionsBoundary, `${path} ${id}`).to.deep.equal(boundary);
          const preference = {
            ...(globals.DeploymentPreference ?? {}),
            ...((fn.Properties as Json).DeploymentPreference ?? {}),
          };
          if (Object.keys(preference).length > 0)
            expect(preference.Role, `${path} ${id} DeploymentPreference.Role`).to.not.equal(undefined);
        }
      }
    });

    it('reaches every nested template from the root', () => {
      const root = TemplateAssertions.load(APP_STACK.path);
      expect((root.resource('AdvertisingService').Properties as Json).Parameters.PermissionsBoundaryArn).to.deep.equal({
        Ref: 'PermissionsBoundaryArn',
      });
      const service = TemplateAssertions.load('templates-out/advertising/service.yaml');
      for (const nested of ['Lake', 'BatchPipeline', 'RealTime'])
        expect((service.resource(nested).Properties as Json).Parameters.PermissionsBoundaryArn, nested).to.deep.equal({
          Ref: 'PermissionsBoundaryArn',
        });
    });
  });

  it('puts no secret parameter in user data, bootstrap arguments or an environment, where describing the resource shows it', () => {
    const found = templates.flatMap(({ path, template }) => {
      const secret = new Set(
        Object.entries(template.section('Parameters'))
          .filter(([, p]) => p.NoEcho)
          .map(([name]) => name),
      );
      return Object.entries(template.section('Resources')).flatMap(([id, resource]) => {
        const properties = (resource.Properties ?? {}) as Json;
        return ['UserData', 'BootstrapActions', 'Environment']
          .filter((key) => key in properties)
          .flatMap((key) => references(properties[key], secret, `${path} ${id}.${key}`));
      });
    });
    expect(found).to.deep.equal([]);
  });

  it("keeps the task runner's keys out of the instance's user data and the cluster's bootstrap arguments altogether", () => {
    const app = TemplateAssertions.load('templates-out/app.yaml');
    const keys = TASK_RUNNER_KEYS;
    const instance = app.resource('Instance').Properties as Json;
    const emr = app.resource('EMR').Properties as Json;
    expect(references(instance.UserData, keys, 'Instance.UserData')).to.deep.equal([]);
    expect(references(emr.BootstrapActions, keys, 'EMR.BootstrapActions')).to.deep.equal([]);
    // Only the secret holds them.
    const holders = Object.entries(app.section('Resources'))
      .filter(([, r]) => references(r.Properties, keys, '').length > 0)
      .map(([id]) => id);
    expect(holders).to.deep.equal(['TaskRunnerCredentials']);
  });

  it("keeps the task runner's keys in the root stack: no nested stack is handed them, and no nested template declares them", () => {
    const keys = TASK_RUNNER_KEYS;
    const nestedStackTypes = new Set(['AWS::Serverless::Application', 'AWS::CloudFormation::Stack']);
    const handed = templates.flatMap(({ path, template }) =>
      Object.entries(template.section('Resources'))
        .filter(([, resource]) => nestedStackTypes.has(String(resource.Type)))
        .flatMap(([id, resource]) =>
          references((resource.Properties as Json | undefined)?.Parameters, keys, `${path} ${id}.Parameters`),
        ),
    );
    expect(handed).to.deep.equal([]);
    const declared = templates
      .filter(({ path }) => path !== APP_STACK.path)
      .flatMap(({ path, template }) =>
        Object.keys(template.section('Parameters'))
          .filter((name) => keys.has(name))
          .map((name) => `${path} ${name}`),
      );
    expect(declared).to.deep.equal([]);
  });

  it('declares no PLAINTEXT build variable that holds more than a name', () => {
    const build = TemplateAssertions.load('build.yaml').resource('Build').Properties as Json;
    const variables = build.Environment.EnvironmentVariables as Json[];
    expect(variables.map((v) => v.Name)).to.deep.equal(['BUCKET', 'BRANCH', 'STACK']);
    expect(
      Object.keys(TemplateAssertions.load('build.yaml').section('Parameters')).filter((p) =>
        /token|secret|key/i.test(p),
      ),
    ).to.deep.equal([]);
  });
});
