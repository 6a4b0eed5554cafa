// What a deployment of the generated templates would create on today's AWS:
// the root template and every template it nests, walked with the branch
// configuration and the parameter defaults, conditions evaluated as
// CloudFormation would (test/support/conditions.ts).
import { expect } from 'chai';
import { stacks as registered } from '../../src/stacks';
import { NO_VALUE, resolve, walkStacks, type WalkedStack } from '../support/conditions';
import { TemplateAssertions } from '../support/template';
import { branchValues } from './branch';

const ROOT = 'templates-out/app.yaml';

/** `path:id` of every resource the walk would create whose type matches. */
function created(stacks: readonly WalkedStack[], type: RegExp): string[] {
  return stacks.flatMap((s) =>
    s.resources.filter((r) => r.created && type.test(r.type)).map((r) => `${s.path}:${r.id}`),
  );
}

function stack(stacks: readonly WalkedStack[], path: string): WalkedStack {
  const found = stacks.find((s) => s.path === path);
  if (!found) throw new Error(`the walk did not reach ${path} (reached: ${stacks.map((s) => s.path).join(', ')})`);
  return found;
}

/**
 * Why a Lambda runtime is deprecated, or undefined while AWS still supports it
 * for new functions. Identifiers and versions from the Lambda runtime
 * deprecation schedule: go1.x and the Amazon Linux 1 runtimes (provided,
 * java8, nodejs<=16) ended in 2024; nodejs18.x on 2025-09-01; python3.9 on
 * 2025-12-15; ruby3.2 on 2026-03-31; nodejs20.x on 2026-04-30.
 */
function deprecatedRuntime(runtime: string): string | undefined {
  if (runtime === 'go1.x') return 'go1.x is retired; build for provided.al2023';
  if (runtime === 'provided') return 'provided (Amazon Linux 1) is retired; use provided.al2023';
  if (runtime === 'java8') return 'java8 (Amazon Linux 1) is retired';
  const node = /^nodejs(\d*)/.exec(runtime);
  if (node && !(Number.parseInt(node[1]!, 10) >= 22))
    return `${runtime} is deprecated; Node.js 22 is the oldest supported`;
  const python = /^python(\d+)\.(\d+)$/.exec(runtime);
  if (python && (Number(python[1]) < 3 || Number(python[2]) <= 9))
    return `${runtime} is deprecated; Python 3.10 is the oldest supported`;
  if (/^ruby(2\.\d+|3\.[0-2])$/.test(runtime)) return `${runtime} is deprecated; Ruby 3.3 is the oldest supported`;
  if (/^dotnetcore/.test(runtime) || /^dotnet[567](\.0)?$/.test(runtime))
    return `${runtime} is deprecated; .NET 8 is the oldest supported`;
  return undefined;
}

const FUNCTION_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);

describe("the generated stacks on today's AWS", () => {
  describe('with config/master.json and the default engines', () => {
    const stacks = walkStacks(ROOT, branchValues('master'));

    it('reaches the root and the four templates nested under it', () => {
      expect(stacks.map((s) => s.path)).to.have.members([
        ROOT,
        'templates-out/advertising/service.yaml',
        'templates-out/advertising/lake.yaml',
        'templates-out/advertising/pipeline.yaml',
        'templates-out/advertising/realtime.yaml',
      ]);
      expect(stacks.every((s) => s.created)).to.equal(true);
    });

    it('creates no Kinesis Data Analytics resource, since AWS takes no new SQL applications', () => {
      expect(created(stacks, /^AWS::KinesisAnalytics(V2)?::/)).to.deep.equal([]);
    });

    it('creates no EC2-Classic Redshift cluster security group', () => {
      expect(created(stacks, /^AWS::Redshift::ClusterSecurityGroup/)).to.deep.equal([]);
    });

    it('creates no Data Pipeline resource, since Data Pipeline is closed to new customers', () => {
      expect(created(stacks, /^AWS::DataPipeline::/)).to.deep.equal([]);
    });

    it('bills the ad traffic table on demand, so neither the API nor a re-run is throttled by a 1-unit table', () => {
      const pipeline = stack(stacks, 'templates-out/advertising/pipeline.yaml');
      const table = pipeline.resources.find((r) => r.id === 'AdTrafficTable')!;
      expect(resolve(table.definition.Properties.BillingMode, pipeline)).to.equal('PAY_PER_REQUEST');
      expect(resolve(table.definition.Properties.ProvisionedThroughput, pipeline)).to.equal(NO_VALUE);
    });

    it('still charts the clickthrough rate, and the capture functions count what Firehose accepts', () => {
      const realtime = stack(stacks, 'templates-out/advertising/realtime.yaml');
      expect(realtime.resources.filter((r) => r.created).map((r) => r.id)).to.deep.equal([
        'RealTimeAdvertisingDashboard',
      ]);
      const service = stack(stacks, 'templates-out/advertising/service.yaml');
      for (const id of ['CaptureImpressionsLambda', 'CaptureClicksLambda']) {
        const fn = service.resources.find((r) => r.id === id)!;
        expect(fn.created, id).to.equal(true);
        expect(resolve(fn.definition.Properties.Environment.Variables.CAPTURE_METRICS, service), id).to.equal('emf');
      }
    });
  });

  describe('with RealTimeEngine kinesis-analytics-sql', () => {
    const stacks = walkStacks(ROOT, { ...branchValues('master'), RealTimeEngine: 'kinesis-analytics-sql' });

    it("creates the original's Kinesis Analytics applications, their role, outputs and publisher", () => {
      const realtime = stack(stacks, 'templates-out/advertising/realtime.yaml');
      expect(realtime.resources.filter((r) => r.created).map((r) => r.id)).to.have.members([
        'RealTimeAdvertisingLambdaLogs',
        'RealTimeAdvertisingLambdaRole',
        'RealTimeAdvertisingLambda',
        'RealTimeAdvertisingLambdaErrorsAlarm',
        'RealTimeAdvertisingApplicationRole',
        'RealTimeImpressionsApplication',
        'RealTimeImpressionsOutputs',
        'RealTimeClicksApplication',
        'RealTimeClicksOutputs',
        'RealTimeAdvertisingDashboard',
      ]);
    });

    it('turns the counts of the capture functions off, so no record is counted twice', () => {
      const service = stack(stacks, 'templates-out/advertising/service.yaml');
      for (const id of ['CaptureImpressionsLambda', 'CaptureClicksLambda']) {
        const fn = service.resources.find((r) => r.id === id)!;
        expect(resolve(fn.definition.Properties.Environment.Variables.CAPTURE_METRICS, service), id).to.equal('off');
      }
    });
  });

  describe('Lambda runtimes', () => {
    it('puts no function of any generated template on a deprecated runtime, whatever the conditions', () => {
      // given every generated template, the root's nested ones included
      const functions: string[] = [];
      for (const { path } of registered) {
        const template = TemplateAssertions.load(path).json as Record<string, any>;
        const globalRuntime = template.Globals?.Function?.Runtime as string | undefined;
        for (const [id, resource] of Object.entries<Record<string, any>>(template.Resources ?? {})) {
          if (!FUNCTION_TYPES.has(resource.Type)) continue;
          // then each function names a runtime that AWS still supports
          const runtime = (resource.Properties?.Runtime ?? globalRuntime) as unknown;
          expect(runtime, `${path}:${id} names its runtime`).to.be.a('string');
          expect(deprecatedRuntime(runtime as string), `${path}:${id}`).to.equal(undefined);
          functions.push(`${path}:${id}`);
        }
      }
      expect(functions).to.include.members([
        'templates-out/advertising/service.yaml:CaptureImpressionsLambda',
        'templates-out/advertising/realtime.yaml:RealTimeAdvertisingLambda',
      ]);
    });

    it('tells deprecated runtimes from supported ones', () => {
      for (const old of [
        'go1.x',
        'provided',
        'java8',
        'nodejs',
        'nodejs4.3',
        'nodejs16.x',
        'nodejs18.x',
        'nodejs20.x',
        'python2.7',
        'python3.8',
        'python3.9',
        'ruby2.7',
        'ruby3.2',
        'dotnetcore3.1',
        'dotnet6',
      ]) {
        expect(deprecatedRuntime(old), old).to.be.a('string');
      }
      for (const current of [
        'nodejs22.x',
        'nodejs24.x',
        'python3.10',
        'python3.13',
        'ruby3.4',
        'java21',
        'dotnet8',
        'provided.al2023',
      ]) {
        expect(deprecatedRuntime(current), current).to.equal(undefined);
      }
    });
  });
});
