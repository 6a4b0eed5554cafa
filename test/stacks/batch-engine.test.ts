// Which batch resources a deployment creates under each BatchEngine value:
// the root template and the templates it nests, walked with the branch
// configuration and the defaults, conditions evaluated as CloudFormation
// would (test/support/conditions.ts).
import { expect } from 'chai';
import { NO_VALUE, resolve, walkStacks, type WalkedStack } from '../support/conditions';
import { branchValues } from './branch';
import { STEP_FUNCTIONS_REDSHIFT, STEP_FUNCTIONS_RESOURCES } from './engines';

const ROOT = 'templates-out/app.yaml';
const PIPELINE = 'templates-out/advertising/pipeline.yaml';

/** config/master.json over the build's values. */
const masterValues = () => branchValues('master');

/** Everything optional switched on: the VPC, both task runners with their credentials, and Redshift. */
const EVERYTHING = {
  EnableVPC: 'yes',
  AccessKeyID: 'AKIAEXAMPLEKEY',
  SecretAccessKey: 'secretKEY0123',
  EnableEC2Instance: 'yes',
  EnableEMRCluster: 'yes',
  EnableRedshift: 'yes',
  RedshiftPassword: 'Passw0rdExample',
};

/** The ids of the resources a stack of the walk would create. */
function created(stacks: readonly WalkedStack[], path: string): string[] {
  const stack = stacks.find((s) => s.path === path);
  if (!stack) throw new Error(`the walk did not reach ${path}`);
  return stack.resources.filter((r) => r.created).map((r) => r.id);
}

const stack = (stacks: readonly WalkedStack[], path: string) => stacks.find((s) => s.path === path)!;

const DATA_PIPELINE_RESOURCES = ['PipelineProfile', 'PipelineResourceProfile', 'EMRPipeline'];
const TASK_RUNNERS = [
  'InstanceRole',
  'InstanceProfile',
  'Instance',
  'EMRJobFlowRole',
  'EMRProfile',
  'EMRServiceRole',
  'EMR',
];
const CLASSIC_GROUP = ['RedshiftClusterSecurityGroup', 'RedshiftClusterSecurityGroupIngress'];

describe('the BatchEngine switch, walked through the generated stacks', () => {
  describe('with config/master.json and the defaults (step-functions)', () => {
    const stacks = walkStacks(ROOT, masterValues());

    it('passes the engine down to the batch stack', () => {
      expect(stack(stacks, PIPELINE).parameters.BatchEngine).to.equal('step-functions');
    });

    it('creates the state machine, its schedule and the EMR Serverless application, and no Data Pipeline resource', () => {
      const batch = created(stacks, PIPELINE);
      expect(batch).to.include.members(['AdvertisingTable', 'AdTrafficTable', ...STEP_FUNCTIONS_RESOURCES]);
      expect(
        batch.filter((id) => DATA_PIPELINE_RESOURCES.includes(id) || STEP_FUNCTIONS_REDSHIFT.includes(id)),
      ).to.deep.equal([]);
    });

    it('creates the schedule disabled', () => {
      const pipeline = stack(stacks, PIPELINE);
      const schedule = pipeline.resources.find((r) => r.id === 'BatchSchedule')!;
      expect(resolve(schedule.definition.Properties.State, pipeline)).to.equal('DISABLED');
    });

    it('tells the state machine that there is no Redshift to load', () => {
      const pipeline = stack(stacks, PIPELINE);
      const machine = pipeline.resources.find((r) => r.id === 'BatchStateMachine')!;
      expect(resolve(machine.definition.Properties.DefinitionSubstitutions.RedshiftEnabled, pipeline)).to.equal('no');
    });
  });

  describe('with step-functions and everything optional switched on', () => {
    const stacks = walkStacks(ROOT, { ...masterValues(), ...EVERYTHING, EnableBatchSchedule: 'yes' });

    it('creates the Redshift cluster in the VPC, without the EC2-Classic security group accounts cannot create', () => {
      const root = created(stacks, ROOT);
      expect(root).to.include.members(['VPC', 'Redshift', 'RedshiftClusterSubnetGroup']);
      expect(root.filter((id) => CLASSIC_GROUP.includes(id))).to.deep.equal([]);
    });

    it('creates neither task runner, which only Data Pipeline would use', () => {
      expect(created(stacks, ROOT).filter((id) => TASK_RUNNERS.includes(id))).to.deep.equal([]);
    });

    it('adds the Redshift staging tables and grants, and enables the schedule', () => {
      const pipeline = stack(stacks, PIPELINE);
      expect(created(stacks, PIPELINE)).to.include.members([...STEP_FUNCTIONS_RESOURCES, ...STEP_FUNCTIONS_REDSHIFT]);
      const machine = pipeline.resources.find((r) => r.id === 'BatchStateMachine')!;
      expect(resolve(machine.definition.Properties.DefinitionSubstitutions.RedshiftEnabled, pipeline)).to.equal('yes');
      const schedule = pipeline.resources.find((r) => r.id === 'BatchSchedule')!;
      expect(resolve(schedule.definition.Properties.State, pipeline)).to.equal('ENABLED');
    });
  });

  describe('with step-functions, Redshift on and no RedshiftPassword given', () => {
    const { RedshiftPassword: _password, ...withoutPassword } = EVERYTHING;
    const stacks = walkStacks(ROOT, { ...masterValues(), ...withoutPassword });

    it('creates the cluster with a master password Redshift manages in Secrets Manager', () => {
      const root = stack(stacks, ROOT);
      const cluster = root.resources.find((r) => r.id === 'Redshift')!;
      expect(cluster.created).to.equal(true);
      // The walk resolves every literal as CloudFormation passes it, as text.
      expect(resolve(cluster.definition.Properties.ManageMasterPassword, root)).to.equal('true');
      expect(resolve(cluster.definition.Properties.MasterUserPassword, root)).to.equal(NO_VALUE);
    });

    it('hands the batch stack no password, and loads Redshift through the Data API all the same', () => {
      const pipeline = stack(stacks, PIPELINE);
      expect(pipeline.parameters.RedshiftPassword).to.equal('');
      expect(created(stacks, PIPELINE)).to.include.members(STEP_FUNCTIONS_REDSHIFT);
      const machine = pipeline.resources.find((r) => r.id === 'BatchStateMachine')!;
      expect(resolve(machine.definition.Properties.DefinitionSubstitutions.RedshiftEnabled, pipeline)).to.equal('yes');
    });

    it('creates no Redshift under data-pipeline, whose pipeline signs in with the password', () => {
      const legacy = walkStacks(ROOT, { ...masterValues(), ...withoutPassword, BatchEngine: 'data-pipeline' });
      expect(created(legacy, ROOT)).to.not.include('Redshift');
    });
  });

  describe('with data-pipeline and everything optional switched on', () => {
    const stacks = walkStacks(ROOT, { ...masterValues(), ...EVERYTHING, BatchEngine: 'data-pipeline' });

    it("creates the original's pipeline, its instance profiles and its task runners, as before", () => {
      expect(created(stacks, PIPELINE)).to.include.members([
        'AdvertisingTable',
        'AdTrafficTable',
        ...DATA_PIPELINE_RESOURCES,
      ]);
      expect(created(stacks, ROOT)).to.include.members([...TASK_RUNNERS, ...CLASSIC_GROUP, 'Redshift']);
    });

    it('creates nothing of the Step Functions engine', () => {
      const batch = created(stacks, PIPELINE);
      expect(
        batch.filter((id) => STEP_FUNCTIONS_RESOURCES.includes(id) || STEP_FUNCTIONS_REDSHIFT.includes(id)),
      ).to.deep.equal([]);
    });

    it('still deletes the pipeline when EnablePipeline is cleared', () => {
      const cleared = walkStacks(ROOT, {
        ...masterValues(),
        ...EVERYTHING,
        BatchEngine: 'data-pipeline',
        EnablePipeline: '',
      });
      expect(created(cleared, PIPELINE)).not.to.include('EMRPipeline');
      expect(created(cleared, PIPELINE)).to.include.members(['PipelineProfile', 'PipelineResourceProfile']);
    });
  });
});
