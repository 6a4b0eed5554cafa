// The state machine of the Step Functions batch engine, as the committed
// pipeline.yaml holds it: validated with asl-validator, its steps read in
// order, and its JSONata evaluated with the jsonata library against the real
// job scripts, as Step Functions would evaluate it during a run.
import { expect } from 'chai';
import jsonataEngine from 'jsonata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import { TemplateAssertions } from '../support/template';

// asl-validator is CommonJS with `module.exports = validator`.
const aslValidator = require('asl-validator') as (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };

type Json = any;

const PATH = 'templates-out/advertising/pipeline.yaml';

/** Sample deploy-time values for the DefinitionSubstitutions, as CloudFormation would put them in. */
const VALUES: Record<string, string> = {
  HiveApplicationId: '00fabc123def4567',
  HiveJobRoleArn: 'arn:aws:iam::123456789012:role/hive-job',
  CodeBucket: 'dataless-artifacts',
  CodePrefix: 'master/0123abcd',
  BucketName: 'dataless-data',
  Database: 'advertising',
  AdTrafficTable: 'dataless-AdTrafficTable-1',
  RedshiftEnabled: 'yes',
  RedshiftClusterId: 'dataless-redshift-cluster',
  RedshiftDatabase: 'dataless',
  RedshiftUsername: 'dataless',
  SpectrumRoleArn: 'arn:aws:iam::123456789012:role/pipeline',
};

/** The definition with `${Name}` replaced by `values`, as CloudFormation hands it to Step Functions. */
function substituted(definition: Json, values: Record<string, string>): Json {
  const text = JSON.stringify(definition).replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`no sample value for ${whole}`);
    return values[name]!;
  });
  return JSON.parse(text);
}

/** Every state of the machine, nested ones included, by name, with the name of the machine it is in. */
function allStates(definition: Json): Map<string, Json> {
  const found = new Map<string, Json>();
  const visit = (machine: Json, scope: string) => {
    for (const [name, state] of Object.entries<Json>(machine.States)) {
      found.set(name, { ...state, scope });
      for (const branch of state.Branches ?? []) visit(branch, name);
      if (state.ItemProcessor) visit(state.ItemProcessor, name);
    }
  };
  visit(definition, 'top');
  return found;
}

/**
 * The states one run of a machine passes, from StartAt along Next. At a
 * Choice it takes `picks[name]` when given, else the Default, unless that
 * goes back to a state already passed (a poll loop that has waited once), in
 * which case it takes the first rule that leads to no Fail state.
 */
function route(machine: Json, picks: Record<string, string> = {}): string[] {
  const path: string[] = [];
  let name: string | undefined = machine.StartAt;
  while (name && !path.includes(name)) {
    path.push(name);
    const state = machine.States[name];
    if (state.Type !== 'Choice') {
      name = state.Next;
    } else if (picks[name]) {
      name = picks[name];
    } else if (!path.includes(state.Default)) {
      name = state.Default;
    } else {
      name = state.Choices.map((c: Json) => c.Next).find((next: string) => machine.States[next].Type !== 'Fail');
    }
  }
  return path;
}

interface Scope {
  input?: unknown;
  result?: unknown;
  errorOutput?: unknown;
  context?: unknown;
  variables?: Record<string, unknown>;
}

/** A field value as Step Functions would evaluate it: `{% %}` expressions evaluated, everything else as written. */
async function evaluate(field: unknown, scope: Scope = {}): Promise<any> {
  if (typeof field === 'string') {
    const match = /^\{% (.*) %\}$/s.exec(field);
    if (!match) return field;
    const states = { input: scope.input, result: scope.result, errorOutput: scope.errorOutput, context: scope.context ?? {} };
    return jsonataEngine(match[1]!).evaluate({}, { states, ...scope.variables });
  }
  if (Array.isArray(field)) return Promise.all(field.map((item) => evaluate(item, scope)));
  if (field && typeof field === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(field)) out[key] = await evaluate(value, scope);
    return out;
  }
  return field;
}

/** The `--hivevar` and `--hiveconf` options of a Hive job's parameters string. */
function hiveOptions(parameters: string): { vars: Record<string, string>; conf: Record<string, string> } {
  const vars: Record<string, string> = {};
  const conf: Record<string, string> = {};
  const words = parameters.split(' ');
  for (let i = 0; i < words.length; i += 2) {
    const [key, value] = words[i + 1]!.split(/=(.*)/s) as [string, string];
    if (words[i] === '--hivevar') vars[key] = value;
    else if (words[i] === '--hiveconf') conf[key] = value;
    else throw new Error(`unexpected word ${words[i]} in ${parameters}`);
  }
  return { vars, conf };
}

/** The `${NAME}` variables a Hive script's statements read (comments left out). */
function scriptVariables(path: string): string[] {
  const text = readFileSync(join(projectRoot(), path), 'utf8').replace(/--.*$/gm, '');
  return [...new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!))].sort();
}

/** A run of 2024-02-29, as PlanRun sets $run for it. */
const LEAP_DAY = { year: '2024', month: '2', day: '29', dateStart: '2024-02-29', dateEnd: '2024-03-01' };

/** The Hive jobs, by state name, with their script and the `output1` table they write (if any). */
const HIVE_JOBS: ReadonlyArray<[state: string, script: string, output1?: string]> = [
  ['ExtractAdvertisingData', 'extract_advertising_data'],
  ['LoadAdTrafficData', 'load_ad_traffic_table', 'advertising.ad_traffic_dynamodb'],
  ['StageImpressionsForRedshift', 'stage_impressions_for_redshift', 'advertising.redshift_impressions_staging'],
  ['StageClicksForRedshift', 'stage_clicks_for_redshift', 'advertising.redshift_clicks_staging'],
  ['StageAdvertisingForRedshift', 'stage_advertising_for_redshift', 'advertising.redshift_advertising_staging'],
];

describe('advertising/pipeline.yaml: the Step Functions batch (BatchStateMachine)', () => {
  const template = TemplateAssertions.load(PATH);
  const properties = template.resource('BatchStateMachine', 'AWS::StepFunctions::StateMachine').Properties as Json;
  const raw = properties.Definition as Json;
  const definition = substituted(raw, VALUES);
  const states = allStates(definition);
  const state = (name: string) => {
    const found = states.get(name);
    if (!found) throw new Error(`no state ${name}`);
    return found;
  };
  const branches = definition.States.LoadDay.Branches as Json[];

  describe('the definition', () => {
    it('is valid ASL, as written in the template and with its substitutions made', () => {
      for (const candidate of [raw, definition]) {
        const result = aslValidator(candidate);
        expect(result.isValid, result.errorsText('\n')).to.equal(true);
      }
    });

    it('is a JSONata machine that times out after six hours', () => {
      expect(definition.QueryLanguage).to.equal('JSONata');
      expect(definition.TimeoutSeconds).to.equal(21600);
    });

    it('takes every deploy-time value from a substitution the template declares, and declares no other', () => {
      const used = new Set([...JSON.stringify(raw).matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
      expect([...used].sort()).to.deep.equal(Object.keys(properties.DefinitionSubstitutions).sort());
      expect(properties.DefinitionSubstitutions).to.deep.equal({
        HiveApplicationId: { Ref: 'HiveApplication' },
        HiveJobRoleArn: { 'Fn::GetAtt': ['HiveJobRole', 'Arn'] },
        CodeBucket: { Ref: 'CodeBucket' },
        CodePrefix: { Ref: 'CodePrefix' },
        BucketName: { Ref: 'BucketName' },
        Database: { Ref: 'Database' },
        AdTrafficTable: { Ref: 'AdTrafficTable' },
        RedshiftEnabled: { 'Fn::If': ['RedshiftEnabled', 'yes', 'no'] },
        RedshiftClusterId: { 'Fn::If': ['RedshiftEnabled', { Ref: 'RedshiftClusterId' }, 'none'] },
        RedshiftDatabase: { 'Fn::If': ['RedshiftEnabled', { Ref: 'RedshiftDatabase' }, 'none'] },
        RedshiftUsername: { 'Fn::If': ['RedshiftEnabled', { Ref: 'RedshiftUsername' }, 'none'] },
        SpectrumRoleArn: { Ref: 'PipelineRoleARN' },
      });
    });
  });

  describe('the steps', () => {
    it('checks the run date, plans the run, extracts, then loads the day', () => {
      expect(route(definition)).to.deep.equal(['CheckRunDate', 'PlanRun', 'ExtractAdvertisingData', 'LoadDay', 'BatchSucceeded']);
      expect(state('CheckRunDate').Choices.map((c: Json) => c.Next)).to.deep.equal(['InvalidRunDate']);
      expect(state('InvalidRunDate').Type).to.equal('Fail');
    });

    it('fails as BatchFailed, with the error and cause it caught, when the extract or a load fails', () => {
      for (const name of ['ExtractAdvertisingData', 'LoadDay']) {
        expect(state(name).Catch, name).to.deep.equal([{ ErrorEquals: ['States.ALL'], Next: 'BatchFailed' }]);
      }
      expect(state('BatchFailed')).to.include({ Type: 'Fail', Error: '{% $states.input.Error %}', Cause: '{% $states.input.Cause %}' });
    });

    it('loads DynamoDB and Redshift side by side once the extract is done', () => {
      expect(branches.map((b) => b.StartAt)).to.deep.equal(['DescribeAdTrafficTable', 'IsRedshiftConfigured']);
    });

    it('borrows write capacity around the ad traffic load, as the original capacity script did', () => {
      const [adTraffic] = branches;
      expect(route(adTraffic, { IsAdTrafficCapacityRaised: 'DecreaseAdTrafficWriteCapacity' })).to.deep.equal([
        'DescribeAdTrafficTable',
        'IsAdTrafficCapacityNeeded',
        'IncreaseAdTrafficWriteCapacity',
        'WaitForAdTrafficTable',
        'CheckAdTrafficTable',
        'IsAdTrafficTableActive',
        'LoadAdTrafficData',
        'IsAdTrafficCapacityRaised',
        'DecreaseAdTrafficWriteCapacity',
        'DidAdTrafficLoadSucceed',
        'AdTrafficLoaded',
      ]);
      expect(state('IsAdTrafficTableActive')).to.deep.include({
        Choices: [{ Condition: "{% $states.input = 'ACTIVE' %}", Next: 'LoadAdTrafficData' }],
        Default: 'WaitForAdTrafficTable',
      });
      expect(state('CheckAdTrafficTable').Output).to.equal('{% $states.result.Table.TableStatus %}');
      expect(state('IsAdTrafficCapacityRaised')).to.deep.include({
        Choices: [{ Condition: '{% $adTrafficRaised %}', Next: 'DecreaseAdTrafficWriteCapacity' }],
        Default: 'DidAdTrafficLoadSucceed',
      });
      expect(state('DidAdTrafficLoadSucceed')).to.deep.include({ Choices: [{ Condition: '{% $adTrafficLoadFailed %}', Next: 'AdTrafficLoadFailed' }], Default: 'AdTrafficLoaded' });
    });

    it('raises the capacity by 1000 units, gives back exactly what it borrowed, and skips both for an on-demand table', async () => {
      // given the table's capacity as DescribeAdTrafficTable records it
      const described = { Table: { TableStatus: 'ACTIVE', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } };
      const variables = await evaluate(state('DescribeAdTrafficTable').Assign, { result: described });
      expect(variables).to.deep.equal({ adTrafficRead: 1, adTrafficWrite: 1, adTrafficOnDemand: false, adTrafficRaised: false, adTrafficLoadFailed: false });

      // when the capacity is raised and later restored
      const raise = await evaluate(state('IncreaseAdTrafficWriteCapacity').Arguments, { variables });
      const restore = await evaluate(state('DecreaseAdTrafficWriteCapacity').Arguments, { variables });

      // then the load gets 1000 more write units and the table is put back as it was
      expect(raise).to.deep.equal({ TableName: VALUES.AdTrafficTable, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1001 } });
      expect(restore).to.deep.equal({ TableName: VALUES.AdTrafficTable, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } });
      expect(state('IncreaseAdTrafficWriteCapacity').Assign).to.deep.equal({ adTrafficRaised: true });

      // and an on-demand table goes straight to the load
      const onDemand = await evaluate(state('DescribeAdTrafficTable').Assign.adTrafficOnDemand, {
        result: { Table: { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } } },
      });
      expect(onDemand).to.equal(true);
      expect(state('IsAdTrafficCapacityNeeded').Choices).to.deep.equal([{ Condition: '{% $adTrafficOnDemand %}', Next: 'LoadAdTrafficData' }]);
    });

    it('gives the capacity back when the ad traffic load fails, then fails with the load error', async () => {
      const [rule] = state('LoadAdTrafficData').Catch;
      expect(rule.ErrorEquals).to.deep.equal(['States.ALL']);
      expect(rule.Next).to.equal('IsAdTrafficCapacityRaised');
      const error = { Error: 'States.TaskFailed', Cause: 'job run failed' };
      expect(await evaluate(rule.Assign, { errorOutput: error })).to.deep.equal({ adTrafficLoadFailed: true, adTrafficLoadError: error });
      const failed = state('AdTrafficLoadFailed');
      expect(await evaluate(failed.Error, { variables: { adTrafficLoadError: error } })).to.equal('States.TaskFailed');
      expect(await evaluate(failed.Cause, { variables: { adTrafficLoadError: error } })).to.equal('job run failed');
    });

    it('loads Redshift only when the stack was given a cluster', async () => {
      // given the branch's first state
      const choice = state('IsRedshiftConfigured');
      expect(choice.Default).to.equal('RedshiftNotConfigured');
      expect(state('RedshiftNotConfigured').Type).to.equal('Succeed');

      // then the condition holds with RedshiftEnabled 'yes' and not with 'no'
      const condition = (enabled: string) => evaluate(substituted(raw, { ...VALUES, RedshiftEnabled: enabled }).States.LoadDay.Branches[1].States.IsRedshiftConfigured.Choices[0].Condition);
      expect(choice.Choices[0].Next).to.equal('LoadRedshift');
      expect(await condition('yes')).to.equal(true);
      expect(await condition('no')).to.equal(false);
    });

    it('stages and copies each dataset, and maps the lake before the Spectrum loads, all side by side', () => {
      const loadRedshift = state('LoadRedshift');
      const poll = (label: string) => [`WaitFor${label}`, `Check${label}`, `Is${label}Finished`, `${label}Finished`];
      expect(loadRedshift.Branches.map((b: Json) => route(b))).to.deep.equal([
        ['StageImpressionsForRedshift', 'LoadImpressionsIntoRedshift', ...poll('LoadImpressionsIntoRedshift')],
        ['StageClicksForRedshift', 'LoadClicksIntoRedshift', ...poll('LoadClicksIntoRedshift')],
        ['StageAdvertisingForRedshift', 'LoadAdvertisingIntoRedshift', ...poll('LoadAdvertisingIntoRedshift')],
        ['UseSpectrumDataLake', ...poll('UseSpectrumDataLake'), 'SpectrumLoads'],
      ]);
      expect(route(state('SpectrumLoads').ItemProcessor)).to.deep.equal([
        'ReadSpectrumLoadScript',
        'DoesSpectrumLoadScriptMatch',
        'RunSpectrumLoad',
        ...poll('SpectrumLoad'),
      ]);
    });

    it('polls every Redshift statement until it finishes, and fails the run when it does not', () => {
      const polls = [...states.keys()].filter((name) => /^Is.*Finished$/.test(name));
      expect(polls).to.have.members([
        'IsLoadImpressionsIntoRedshiftFinished',
        'IsLoadClicksIntoRedshiftFinished',
        'IsLoadAdvertisingIntoRedshiftFinished',
        'IsUseSpectrumDataLakeFinished',
        'IsSpectrumLoadFinished',
      ]);
      for (const name of polls) {
        const label = name.slice(2, -'Finished'.length);
        expect(state(name), name).to.deep.include({
          Choices: [
            { Condition: "{% $states.input.Status = 'FINISHED' %}", Next: `${label}Finished` },
            { Condition: "{% $states.input.Status in ['FAILED', 'ABORTED'] %}", Next: `${label}Failed` },
          ],
          Default: `WaitFor${label}`,
        });
        expect(state(`${label}Failed`), name).to.include({ Type: 'Fail', Error: 'RedshiftStatementFailed' });
        expect(state(`Check${label}`).Arguments, name).to.deep.equal({ Id: '{% $states.input.Id %}' });
      }
    });

    it('names the failed statement in the error, the Spectrum script included', async () => {
      // given a Spectrum load started, then found failed
      const started = await evaluate(state('RunSpectrumLoad').Output, { input: { name: 'SpectrumLoadRawClicks' }, result: { Id: 'stmt-1' } });
      const checked = await evaluate(state('CheckSpectrumLoad').Output, { input: started, result: { Id: 'stmt-1', Status: 'FAILED', Error: 'relation does not exist' } });

      // when the run fails
      const cause = await evaluate(state('SpectrumLoadFailed').Cause, { input: checked });

      // then the cause says which statement and why
      expect(checked).to.deep.equal({ Name: 'SpectrumLoadRawClicks', Id: 'stmt-1', Status: 'FAILED', Error: 'relation does not exist' });
      expect(cause).to.equal('SpectrumLoadRawClicks: relation does not exist');
      expect(await evaluate(state('LoadClicksIntoRedshift').Output, { result: { Id: 'stmt-2' } })).to.deep.equal({ Name: 'LoadClicksIntoRedshift', Id: 'stmt-2' });
    });
  });

  describe('the services it calls', () => {
    it('calls each service through its integration: EMR Serverless, DynamoDB, the Redshift Data API and S3', () => {
      const resources: Record<string, string[]> = {};
      for (const [name, s] of states) if (s.Type === 'Task') (resources[s.Resource] ??= []).push(name);
      expect(resources).to.deep.equal({
        'arn:aws:states:::emr-serverless:startJobRun.sync': HIVE_JOBS.map(([name]) => name).sort(sortLike([...states.keys()])),
        'arn:aws:states:::aws-sdk:dynamodb:describeTable': ['DescribeAdTrafficTable', 'CheckAdTrafficTable'],
        'arn:aws:states:::aws-sdk:dynamodb:updateTable': ['IncreaseAdTrafficWriteCapacity', 'DecreaseAdTrafficWriteCapacity'],
        'arn:aws:states:::aws-sdk:redshiftdata:batchExecuteStatement': ['LoadImpressionsIntoRedshift', 'LoadClicksIntoRedshift', 'LoadAdvertisingIntoRedshift', 'RunSpectrumLoad'],
        'arn:aws:states:::aws-sdk:redshiftdata:executeStatement': ['UseSpectrumDataLake'],
        'arn:aws:states:::aws-sdk:redshiftdata:describeStatement': [
          'CheckLoadImpressionsIntoRedshift',
          'CheckLoadClicksIntoRedshift',
          'CheckLoadAdvertisingIntoRedshift',
          'CheckUseSpectrumDataLake',
          'CheckSpectrumLoad',
        ],
        'arn:aws:states:::aws-sdk:s3:getObject': ['ReadSpectrumLoadScript'],
      });
    });

    it('retries every task: a Hive job once, as the original activities were, an API call up to four times', () => {
      for (const [name, s] of states) {
        if (s.Type !== 'Task') continue;
        const expected = s.Resource.includes('emr-serverless') ? 1 : 4;
        expect(s.Retry, name).to.have.length(1);
        expect(s.Retry[0].ErrorEquals, name).to.deep.equal(['States.TaskFailed']);
        expect(s.Retry[0].MaxAttempts, name).to.equal(expected);
      }
    });

    it('runs each Redshift statement on the stack cluster and database as the stack user', () => {
      for (const name of ['LoadImpressionsIntoRedshift', 'UseSpectrumDataLake', 'RunSpectrumLoad']) {
        expect(state(name).Arguments, name).to.include({ ClusterIdentifier: VALUES.RedshiftClusterId, Database: VALUES.RedshiftDatabase, DbUser: VALUES.RedshiftUsername });
      }
    });
  });

  describe('the run date', () => {
    const plan = (input: unknown, startTime = '2024-03-01T00:10:00.123Z') =>
      evaluate(state('PlanRun').Assign.run, { input, context: { Execution: { StartTime: startTime } } });
    const invalid = (input: unknown) => evaluate(state('CheckRunDate').Choices[0].Condition, { input });

    it('processes the given date, to re-run a day', async () => {
      expect(await plan({ date: '2024-02-29' })).to.deep.equal(LEAP_DAY);
    });

    it('processes the day before the scheduled time, or before the start of a run started by hand', async () => {
      expect(await plan({ scheduledTime: '2024-03-01T01:30:00Z' })).to.deep.equal(LEAP_DAY);
      expect(await plan({})).to.deep.equal(LEAP_DAY);
    });

    it('writes month and day unpadded and rolls over the year, as Data Pipeline did', async () => {
      expect(await plan({ date: '2024-12-31' })).to.deep.equal({ year: '2024', month: '12', day: '31', dateStart: '2024-12-31', dateEnd: '2025-01-01' });
      expect(await plan({ date: '2019-06-06' })).to.deep.equal({ year: '2019', month: '6', day: '6', dateStart: '2019-06-06', dateEnd: '2019-06-07' });
    });

    it('refuses a date that is not a real yyyy-MM-dd day, before anything runs', async () => {
      for (const bad of ['2024-02-30', '2024-13-01', '2024-6-1', 'yesterday', 20240101, '2024-06-06T00:00:00Z']) {
        expect(await invalid({ date: bad }), String(bad)).to.equal(true);
      }
      for (const good of [{ date: '2024-02-29' }, { date: '2019-06-06' }, {}, { scheduledTime: '2024-03-01T01:30:00Z' }]) {
        expect(await invalid(good), JSON.stringify(good)).to.equal(false);
      }
      const cause = await evaluate(state('InvalidRunDate').Cause, { input: { date: '2024-02-30' } });
      expect(cause).to.equal('date must be a day written yyyy-MM-dd, such as 2019-06-06; the input gave 2024-02-30');
    });
  });

  describe('the Hive jobs', () => {
    for (const [name, script, output1] of HIVE_JOBS) {
      it(`${name} runs jobs/hive/${script}.hql on the stack application with the variables the script reads`, async () => {
        // given the state and the script it names
        const args = state(name).Arguments;
        const path = `jobs/hive/${script}.hql`;
        expect(existsSync(join(projectRoot(), path)), path).to.equal(true);
        expect(args).to.deep.include({
          ApplicationId: VALUES.HiveApplicationId,
          ExecutionRoleArn: VALUES.HiveJobRoleArn,
          ExecutionTimeoutMinutes: 180,
        });
        expect(args.JobDriver.Hive.Query).to.equal(`s3://${VALUES.CodeBucket}/${VALUES.CodePrefix}/${path}`);

        // when Step Functions evaluates its parameters for the leap day
        const parameters = await evaluate(args.JobDriver.Hive.Parameters, { variables: { run: LEAP_DAY } });
        const { vars, conf } = hiveOptions(parameters);

        // then it defines exactly the variables the script reads, with the run's values
        expect(Object.keys(vars).sort()).to.deep.equal(scriptVariables(path));
        expect(vars).to.deep.equal({
          PARTITION_YEAR: '2024',
          PARTITION_MONTH: '2',
          DATE_START: '2024-02-29',
          DATE_END: '2024-03-01',
          ...(output1 ? { output1 } : {}),
        });
        // and keeps Hive's scratch files and warehouse in the data bucket's temp area
        expect(conf).to.include({
          'hive.exec.scratchdir': `s3://${VALUES.BucketName}/data/temp/hive/scratch`,
          'hive.metastore.warehouse.dir': `s3://${VALUES.BucketName}/data/temp/hive/warehouse`,
        });
        expect(await evaluate(args.Name, { variables: { run: LEAP_DAY } })).to.equal(`${script} 2024-02-29`);
      });
    }

    it('lets the ad traffic load use all of the table write capacity, as the original data node did', async () => {
      const parameters = await evaluate(state('LoadAdTrafficData').Arguments.JobDriver.Hive.Parameters, { variables: { run: LEAP_DAY } });
      expect(hiveOptions(parameters).conf['dynamodb.throughput.write.percent']).to.equal('1.0');
    });

    it('writes each output1 to a catalog table the stack declares', () => {
      const declared = Object.values<Json>(template.section('Resources'))
        .filter((r) => r.Type === 'AWS::Glue::Table')
        .map((r) => `advertising.${r.Properties.TableInput.Name}`);
      for (const [, , output1] of HIVE_JOBS) if (output1) expect(declared, output1).to.include(output1);
    });
  });

  describe('the Redshift loads', () => {
    it('replaces the day of each staged table in one transaction: create if needed, delete the day, COPY the staging folder', async () => {
      const sqls = await evaluate(state('LoadClicksIntoRedshift').Arguments.Sqls, { variables: { run: LEAP_DAY } });
      expect(sqls).to.deep.equal([
        'CREATE TABLE IF NOT EXISTS clicks (click_id VARCHAR(64) NOT NULL, impression_id VARCHAR(64) NOT NULL, ad_id VARCHAR(64) NOT NULL, occurred_at TIMESTAMP) DISTSTYLE KEY DISTKEY (ad_id)',
        "DELETE FROM clicks WHERE occurred_at >= '2024-02-29' AND occurred_at < '2024-03-01'",
        `COPY clicks FROM 's3://${VALUES.BucketName}/data/temp/redshift-clicks-staging-table/' IAM_ROLE '${VALUES.SpectrumRoleArn}' DELIMITER ',' TIMEFORMAT 'auto'`,
      ]);
      const advertising = await evaluate(state('LoadAdvertisingIntoRedshift').Arguments.Sqls, { variables: { run: LEAP_DAY } });
      expect(advertising[1]).to.equal("DELETE FROM advertising WHERE impression_at >= '2024-02-29' AND impression_at < '2024-03-01'");
    });

    it('copies from the folder the staging job writes', () => {
      const staging = template.resource('RedshiftClicksStagingHiveTable', 'AWS::Glue::Table').Properties as Json;
      expect(staging.TableInput.StorageDescriptor.Location).to.deep.equal({ 'Fn::Sub': 's3://${BucketName}/data/temp/redshift-clicks-staging-table/' });
      expect(staging.TableInput.StorageDescriptor.SerdeInfo.Parameters['field.delim']).to.equal(',');
    });

    it('maps the lake catalog into Redshift as the advertising schema through the pipeline role', () => {
      expect(state('UseSpectrumDataLake').Arguments.Sql).to.equal(
        `CREATE EXTERNAL SCHEMA IF NOT EXISTS advertising FROM DATA CATALOG DATABASE '${VALUES.Database}' IAM_ROLE '${VALUES.SpectrumRoleArn}' CREATE EXTERNAL DATABASE IF NOT EXISTS`,
      );
    });

    it('runs the five Spectrum load scripts with the arguments the manifest lists for them', () => {
      const manifest = JSON.parse(readFileSync(join(projectRoot(), 'jobs/manifest.json'), 'utf8')) as { jobs: { path: string; parameters: string[] }[] };
      const items = state('SpectrumLoads').Items as Json[];
      // The manifest names the scripts' arguments as Data Pipeline's expressions did; $run names them in camel case.
      const asRun: Record<string, string> = { year: 'year', month: 'month', day: 'day', date_start: 'dateStart', date_end: 'dateEnd' };
      expect(items.map((i) => i.name)).to.deep.equal([
        'SpectrumLoadRawImpressions',
        'SpectrumLoadRawClicks',
        'SpectrumLoadImpressions',
        'SpectrumLoadClicks',
        'SpectrumLoadAdvertising',
      ]);
      for (const item of items) {
        const path = item.script.slice(`${VALUES.CodePrefix}/`.length);
        const job = manifest.jobs.find((j) => j.path === path);
        expect(job, path).to.not.equal(undefined);
        expect(item.arguments, path).to.deep.equal(job!.parameters.map((p) => asRun[p]));
      }
      expect(state('ReadSpectrumLoadScript').Arguments).to.deep.equal({ Bucket: VALUES.CodeBucket, Key: '{% $states.input.script %}' });
    });

    it('binds each script, as read from S3, to the run: comments dropped, every ? mark replaced in order, one statement per SQL', async () => {
      // given each item of the map and the script file it names
      for (const item of state('SpectrumLoads').Items as Json[]) {
        const path = item.script.slice(`${VALUES.CodePrefix}/`.length);
        const body = readFileSync(join(projectRoot(), path), 'utf8');

        // when the script has been read (S3 hands back its body) and bound
        const bound = await evaluate(state('ReadSpectrumLoadScript').Output, { input: item, result: { Body: body }, variables: { run: LEAP_DAY } });

        // then the marks and the arguments agree, and each statement is complete SQL with the run's values
        expect(bound.name, path).to.equal(item.name);
        expect(bound.marks, path).to.equal(item.arguments.length);
        expect(bound.arguments, path).to.equal(item.arguments.length);
        expect(bound.sqls, path).to.have.length(2);
        expect(bound.sqls[0], path).to.match(/^CREATE TABLE IF NOT EXISTS \w+_spectrum \(/);
        expect(bound.sqls[1], path).to.match(/^INSERT INTO \w+_spectrum /);
        for (const sql of bound.sqls) {
          expect(sql, path).not.to.include('?');
          expect(sql, path).not.to.include('--');
          expect(sql, path).not.to.include(';');
        }
        const values = [...(bound.sqls[1] as string).matchAll(/CAST\('([^']*)' AS/g)].map((m) => m[1]);
        expect(values, path).to.deep.equal(item.arguments.map((a: keyof typeof LEAP_DAY) => LEAP_DAY[a]));
      }
    });

    it('stops a script whose ? marks do not match its arguments instead of running it', async () => {
      const choice = state('DoesSpectrumLoadScriptMatch');
      expect(choice.Choices[0].Next).to.equal('SpectrumLoadScriptMismatch');
      expect(await evaluate(choice.Choices[0].Condition, { input: { marks: 4, arguments: 5 } })).to.equal(true);
      expect(await evaluate(choice.Choices[0].Condition, { input: { marks: 5, arguments: 5 } })).to.equal(false);
      expect(choice.Default).to.equal('RunSpectrumLoad');
      expect(await evaluate(state('RunSpectrumLoad').Arguments.Sqls, { input: { sqls: ['SELECT 1'] } })).to.deep.equal(['SELECT 1']);
    });
  });
});

/** Sorts names in the order they appear in `order`. */
function sortLike(order: string[]) {
  return (a: string, b: string) => order.indexOf(a) - order.indexOf(b);
}
