// The state machine of the Step Functions batch engine, as the committed
// pipeline.yaml holds it: validated with asl-validator, its steps read in
// order, and its JSONata evaluated with the jsonata library against the real
// job scripts, as Step Functions would evaluate it during a run.
import { expect } from 'chai';
import jsonataEngine from 'jsonata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import { evaluateIntrinsics } from '../support/deployment';
import { allowingStatements, allows, type Call } from '../support/iam';
import { TemplateAssertions } from '../support/template';

// asl-validator is CommonJS with `module.exports = validator`.
const aslValidator = require('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

type Json = any;

const PATH = 'templates-out/advertising/pipeline.yaml';

/** Sample deploy-time values for the DefinitionSubstitutions, as CloudFormation would put them in. */
const VALUES: Record<string, string> = {
  HiveApplicationId: '00fabc123def4567',
  HiveJobRoleArn: 'arn:aws:iam::123456789012:role/hive-job',
  CodeBucket: 'dataless-artifacts',
  CodePrefix: 'master/0123abcd',
  BucketName: 'dataless-data',
  // A lake database as a stack names it: not the original's fixed `advertising`.
  Database: 'advertising_51af3dc0_da77_11e4_872e_1234567db123',
  RawCrawler: 'RawCrawler-Ab12Cd34Ef56',
  ImpressionsETLJob: 'ImpressionsPythonETLJob-Gh78Ij90',
  ClicksETLJob: 'ClicksPythonETLJob-Kl12Mn34',
  AdTrafficTable: 'dataless-AdTrafficTable-1',
  RedshiftEnabled: 'yes',
  RedshiftClusterId: 'dataless-redshift-cluster',
  RedshiftDatabase: 'dataless',
  RedshiftUsername: 'dataless',
  SpectrumRoleArn: 'arn:aws:iam::123456789012:role/spectrum',
};

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
/** An ARN in the sample account and region. */
const arnOf = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const HIVE_APPLICATION_ARN = arnOf('emr-serverless', `/applications/00fabc123def4567`);

/** The rule Step Functions manages in the account to learn that an EMR Serverless job run ended (the .sync pattern). */
const EMR_SERVERLESS_SYNC_RULE = arnOf('events', 'rule/StepFunctionsGetEventsForEMRServerlessJobRule');

/** The Data API's statement calls carry who ran the statement; the role's own statements are this session's. */
const OWN_STATEMENT = {
  'redshift-data:statement-owner-iam-userid': 'AROAEXAMPLE:batch',
  'aws:userid': 'AROAEXAMPLE:batch',
};

/**
 * The calls a Task state makes, as IAM authorises them: for each integration
 * the actions AWS documents for it (Step Functions' service integration
 * policies; for `aws-sdk:` the API action itself) and the resource each is
 * authorised against, taken from the state's arguments. An integration not
 * listed here fails, so a new one cannot go unchecked.
 */
function callsOf(integration: string, args: Json): Call[] {
  const sdk = /^arn:aws:states:::aws-sdk:(\w+):(\w+)$/.exec(integration);
  const action = sdk ? sdk[2]!.charAt(0).toUpperCase() + sdk[2]!.slice(1) : '';
  switch (sdk ? sdk[1] : integration) {
    case 'arn:aws:states:::emr-serverless:startJobRun.sync': {
      const application = arnOf('emr-serverless', `/applications/${args.ApplicationId}`);
      return [
        { action: 'emr-serverless:StartJobRun', resource: application },
        { action: 'emr-serverless:GetJobRun', resource: `${application}/jobruns/00f1run` },
        { action: 'emr-serverless:CancelJobRun', resource: `${application}/jobruns/00f1run` },
        {
          action: 'iam:PassRole',
          resource: args.ExecutionRoleArn,
          context: { 'iam:PassedToService': 'emr-serverless.amazonaws.com' },
        },
        ...['PutTargets', 'PutRule', 'DescribeRule'].map((a) => ({
          action: `events:${a}`,
          resource: EMR_SERVERLESS_SYNC_RULE,
        })),
      ];
    }
    case 'arn:aws:states:::glue:startJobRun.sync':
      return ['StartJobRun', 'GetJobRun', 'GetJobRuns', 'BatchStopJobRun'].map((a) => ({
        action: `glue:${a}`,
        resource: arnOf('glue', `job/${args.JobName}`),
      }));
    case 'glue':
      return [{ action: `glue:${action}`, resource: arnOf('glue', `crawler/${args.Name}`) }];
    case 'dynamodb':
      return [{ action: `dynamodb:${action}`, resource: arnOf('dynamodb', `table/${args.TableName}`) }];
    case 's3':
      return [{ action: `s3:${action}`, resource: `arn:aws:s3:::${args.Bucket}/${args.Key}` }];
    case 'redshiftdata':
      if (action === 'DescribeStatement')
        return [{ action: 'redshift-data:DescribeStatement', resource: '*', context: OWN_STATEMENT }];
      return [
        { action: `redshift-data:${action}`, resource: arnOf('redshift', `cluster:${args.ClusterIdentifier}`) },
        // The Data API signs in as DbUser with temporary credentials.
        {
          action: 'redshift:GetClusterCredentials',
          resource: arnOf('redshift', `dbuser:${args.ClusterIdentifier}/${args.DbUser}`),
        },
        {
          action: 'redshift:GetClusterCredentials',
          resource: arnOf('redshift', `dbname:${args.ClusterIdentifier}/${args.Database}`),
        },
      ];
    default:
      throw new Error(`no permission model for the integration ${integration}; add it to callsOf`);
  }
}

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
    const states = {
      input: scope.input,
      result: scope.result,
      errorOutput: scope.errorOutput,
      context: scope.context ?? {},
    };
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
  ['LoadAdTrafficData', 'load_ad_traffic_table', `${VALUES.Database}.ad_traffic_dynamodb`],
  ['StageImpressionsForRedshift', 'stage_impressions_for_redshift', `${VALUES.Database}.redshift_impressions_staging`],
  ['StageClicksForRedshift', 'stage_clicks_for_redshift', `${VALUES.Database}.redshift_clicks_staging`],
  ['StageAdvertisingForRedshift', 'stage_advertising_for_redshift', `${VALUES.Database}.redshift_advertising_staging`],
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
        RawCrawler: { Ref: 'RawCrawler' },
        ImpressionsETLJob: { Ref: 'ImpressionsETLJob' },
        ClicksETLJob: { Ref: 'ClicksETLJob' },
        AdTrafficTable: { Ref: 'AdTrafficTable' },
        RedshiftEnabled: { 'Fn::If': ['RedshiftEnabled', 'yes', 'no'] },
        RedshiftClusterId: { 'Fn::If': ['RedshiftEnabled', { Ref: 'RedshiftClusterId' }, 'none'] },
        RedshiftDatabase: { 'Fn::If': ['RedshiftEnabled', { Ref: 'RedshiftDatabase' }, 'none'] },
        RedshiftUsername: { 'Fn::If': ['RedshiftEnabled', { Ref: 'RedshiftUsername' }, 'none'] },
        SpectrumRoleArn: { 'Fn::If': ['RedshiftEnabled', { Ref: 'RedshiftSpectrumRoleARN' }, 'none'] },
      });
    });
  });

  describe('the steps', () => {
    it('checks the run date, plans the run, crawls the raw data, converts it into the lake, extracts, then loads the day', () => {
      expect(route(definition)).to.deep.equal([
        'CheckRunDate',
        'PlanRun',
        'StartRawCrawler',
        'WaitForRawCrawler',
        'CheckRawCrawler',
        'IsRawCrawlerFinished',
        'ConvertRawData',
        'ExtractAdvertisingData',
        'LoadDay',
        'BatchSucceeded',
      ]);
      expect(state('CheckRunDate').Choices.map((c: Json) => c.Next)).to.deep.equal(['InvalidRunDate']);
      expect(state('InvalidRunDate').Type).to.equal('Fail');
    });

    it('fails as BatchFailed, with the error and cause it caught, when the lake ETL, the extract or a load fails', () => {
      for (const name of ['ConvertRawData', 'ExtractAdvertisingData', 'LoadDay']) {
        expect(state(name).Catch, name).to.deep.equal([{ ErrorEquals: ['States.ALL'], Next: 'BatchFailed' }]);
      }
      expect(state('BatchFailed')).to.include({
        Type: 'Fail',
        Error: '{% $states.input.Error %}',
        Cause: '{% $states.input.Cause %}',
      });
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
      expect(state('DidAdTrafficLoadSucceed')).to.deep.include({
        Choices: [{ Condition: '{% $adTrafficLoadFailed %}', Next: 'AdTrafficLoadFailed' }],
        Default: 'AdTrafficLoaded',
      });
    });

    it('raises the capacity by 1000 units, gives back exactly what it borrowed, and skips both for an on-demand table', async () => {
      // given the table's capacity as DescribeAdTrafficTable records it
      const described = {
        Table: { TableStatus: 'ACTIVE', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
      };
      const variables = await evaluate(state('DescribeAdTrafficTable').Assign, { result: described });
      expect(variables).to.deep.equal({
        adTrafficRead: 1,
        adTrafficWrite: 1,
        adTrafficOnDemand: false,
        adTrafficRaised: false,
        adTrafficLoadFailed: false,
      });

      // when the capacity is raised and later restored
      const raise = await evaluate(state('IncreaseAdTrafficWriteCapacity').Arguments, { variables });
      const restore = await evaluate(state('DecreaseAdTrafficWriteCapacity').Arguments, { variables });

      // then the load gets 1000 more write units and the table is put back as it was
      expect(raise).to.deep.equal({
        TableName: VALUES.AdTrafficTable,
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1001 },
      });
      expect(restore).to.deep.equal({
        TableName: VALUES.AdTrafficTable,
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      });
      expect(state('IncreaseAdTrafficWriteCapacity').Assign).to.deep.equal({ adTrafficRaised: true });

      // and an on-demand table goes straight to the load
      const onDemand = await evaluate(state('DescribeAdTrafficTable').Assign.adTrafficOnDemand, {
        result: { Table: { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } } },
      });
      expect(onDemand).to.equal(true);
      expect(state('IsAdTrafficCapacityNeeded').Choices).to.deep.equal([
        { Condition: '{% $adTrafficOnDemand %}', Next: 'LoadAdTrafficData' },
      ]);
    });

    it('gives the capacity back when the ad traffic load fails, then fails with the load error', async () => {
      const [rule] = state('LoadAdTrafficData').Catch;
      expect(rule.ErrorEquals).to.deep.equal(['States.ALL']);
      expect(rule.Next).to.equal('IsAdTrafficCapacityRaised');
      const error = { Error: 'States.TaskFailed', Cause: 'job run failed' };
      expect(await evaluate(rule.Assign, { errorOutput: error })).to.deep.equal({
        adTrafficLoadFailed: true,
        adTrafficLoadError: error,
      });
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
      const condition = (enabled: string) =>
        evaluate(
          substituted(raw, { ...VALUES, RedshiftEnabled: enabled }).States.LoadDay.Branches[1].States
            .IsRedshiftConfigured.Choices[0].Condition,
        );
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
      const polls = [...states.keys()].filter((name) => /^Is.*Finished$/.test(name) && name !== 'IsRawCrawlerFinished');
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
      const started = await evaluate(state('RunSpectrumLoad').Output, {
        input: { name: 'SpectrumLoadRawClicks' },
        result: { Id: 'stmt-1' },
      });
      const checked = await evaluate(state('CheckSpectrumLoad').Output, {
        input: started,
        result: { Id: 'stmt-1', Status: 'FAILED', Error: 'relation does not exist' },
      });

      // when the run fails
      const cause = await evaluate(state('SpectrumLoadFailed').Cause, { input: checked });

      // then the cause says which statement and why
      expect(checked).to.deep.equal({
        Name: 'SpectrumLoadRawClicks',
        Id: 'stmt-1',
        Status: 'FAILED',
        Error: 'relation does not exist',
      });
      expect(cause).to.equal('SpectrumLoadRawClicks: relation does not exist');
      expect(await evaluate(state('LoadClicksIntoRedshift').Output, { result: { Id: 'stmt-2' } })).to.deep.equal({
        Name: 'LoadClicksIntoRedshift',
        Id: 'stmt-2',
      });
    });
  });

  describe('the lake steps', () => {
    it('starts the raw crawler the lake names, and waits for a crawl already running instead of failing', () => {
      const start = state('StartRawCrawler');
      expect(start.Arguments).to.deep.equal({ Name: VALUES.RawCrawler });
      expect(state('CheckRawCrawler').Arguments).to.deep.equal({ Name: VALUES.RawCrawler });
      // A running crawl is never retried (MaxAttempts 0) but caught and waited for.
      expect(start.Retry[0]).to.deep.include({ ErrorEquals: ['Glue.CrawlerRunningException'], MaxAttempts: 0 });
      expect(start.Catch).to.deep.equal([
        { ErrorEquals: ['Glue.CrawlerRunningException'], Next: 'WaitForRawCrawler', Output: '{% $states.input %}' },
        { ErrorEquals: ['States.ALL'], Next: 'BatchFailed' },
      ]);
      expect(state('WaitForRawCrawler').Seconds).to.equal(30);
    });

    it('goes on once the crawler is ready again after a successful crawl, keeps waiting while it runs, and fails the run on a failed crawl', async () => {
      const check = state('CheckRawCrawler');
      const decide = state('IsRawCrawlerFinished');
      const next = async (crawler: Json) => {
        const input = await evaluate(check.Output, { result: { Crawler: crawler } });
        for (const rule of decide.Choices) if (await evaluate(rule.Condition, { input })) return [rule.Next, input];
        return [decide.Default, input];
      };
      expect((await next({ State: 'RUNNING', LastCrawl: { Status: 'SUCCEEDED' } }))[0]).to.equal('WaitForRawCrawler');
      expect((await next({ State: 'STOPPING', LastCrawl: { Status: 'SUCCEEDED' } }))[0]).to.equal('WaitForRawCrawler');
      expect((await next({ State: 'READY', LastCrawl: { Status: 'SUCCEEDED' } }))[0]).to.equal('ConvertRawData');
      const [failedAt, failed] = await next({
        State: 'READY',
        LastCrawl: { Status: 'FAILED', ErrorMessage: 'access denied to data/raw/ad/' },
      });
      expect(failedAt).to.equal('RawCrawlFailed');
      expect(await evaluate(state('RawCrawlFailed').Cause, { input: failed })).to.equal(
        'the raw crawler ended its crawl FAILED: access denied to data/raw/ad/',
      );
    });

    it('runs the ETL job of each data set to completion, side by side, with its bookmark and the arguments its script reads', () => {
      const manifest = JSON.parse(readFileSync(join(projectRoot(), 'jobs/manifest.json'), 'utf8')) as {
        jobs: { path: string; parameters: string[] }[];
      };
      const lake = TemplateAssertions.load('templates-out/advertising/lake.yaml');
      expect(state('ConvertRawData').Branches.map((b: Json) => route(b))).to.deep.equal([
        ['ConvertImpressions'],
        ['ConvertClicks'],
      ]);
      for (const [name, dataset, job] of [
        ['ConvertImpressions', 'impressions', VALUES.ImpressionsETLJob],
        ['ConvertClicks', 'clicks', VALUES.ClicksETLJob],
      ] as const) {
        const run = state(name);
        expect(run.Resource, name).to.equal('arn:aws:states:::glue:startJobRun.sync');
        expect(run.Arguments, name).to.deep.equal({
          JobName: job,
          Arguments: {
            '--job-bookmark-option': 'job-bookmark-enable',
            '--database_name': VALUES.Database,
            '--raw_table_name': `raw_${dataset}`,
            '--table_name': dataset,
          },
        });
        // every argument the script reads is given (Glue adds JOB_NAME itself), and the table is the lake's
        const script = manifest.jobs.find((j) => j.path === `jobs/glue/${dataset}_etl.py`)!;
        expect(
          Object.keys(run.Arguments.Arguments)
            .filter((a) => !a.startsWith('--job-'))
            .map((a) => a.slice(2)),
        ).to.deep.equal(script.parameters.filter((p) => p !== 'JOB_NAME'));
        const table = lake.resource(`${dataset.charAt(0).toUpperCase()}${dataset.slice(1)}Table`, 'AWS::Glue::Table')
          .Properties as Json;
        expect(table.TableInput.Name, name).to.equal(dataset);
        // a run refused while another still runs is started again later
        expect(run.Retry[0], name).to.deep.include({ ErrorEquals: ['Glue.ConcurrentRunsExceededException'] });
      }
    });

    it('is handed the crawler and the jobs the batch runs by the lake stack, through the service', () => {
      const lake = TemplateAssertions.load('templates-out/advertising/lake.yaml');
      const outputs = lake.section('Outputs') as Json;
      expect(outputs.RawCrawler.Value).to.deep.equal({ Ref: 'RawCrawler' });
      expect(outputs.ImpressionsETLJob.Value).to.deep.equal({ Ref: 'ImpressionsPythonETLJob' });
      expect(outputs.ClicksETLJob.Value).to.deep.equal({ Ref: 'ClicksPythonETLJob' });
      const service = TemplateAssertions.load('templates-out/advertising/service.yaml');
      const passed = (service.resource('BatchPipeline', 'AWS::Serverless::Application').Properties as Json).Parameters;
      for (const name of ['Database', 'RawCrawler', 'ImpressionsETLJob', 'ClicksETLJob']) {
        expect(passed[name], name).to.deep.equal({ 'Fn::GetAtt': ['Lake', `Outputs.${name}`] });
      }
    });
  });

  describe('the services it calls', () => {
    it('calls each service through its integration: Glue, EMR Serverless, DynamoDB, the Redshift Data API and S3', () => {
      const resources: Record<string, string[]> = {};
      for (const [name, s] of states) if (s.Type === 'Task') (resources[s.Resource] ??= []).push(name);
      expect(resources).to.deep.equal({
        'arn:aws:states:::aws-sdk:glue:startCrawler': ['StartRawCrawler'],
        'arn:aws:states:::aws-sdk:glue:getCrawler': ['CheckRawCrawler'],
        'arn:aws:states:::glue:startJobRun.sync': ['ConvertImpressions', 'ConvertClicks'],
        'arn:aws:states:::emr-serverless:startJobRun.sync': HIVE_JOBS.map(([name]) => name).sort(
          sortLike([...states.keys()]),
        ),
        'arn:aws:states:::aws-sdk:dynamodb:describeTable': ['DescribeAdTrafficTable', 'CheckAdTrafficTable'],
        'arn:aws:states:::aws-sdk:dynamodb:updateTable': [
          'IncreaseAdTrafficWriteCapacity',
          'DecreaseAdTrafficWriteCapacity',
        ],
        'arn:aws:states:::aws-sdk:redshiftdata:batchExecuteStatement': [
          'LoadImpressionsIntoRedshift',
          'LoadClicksIntoRedshift',
          'LoadAdvertisingIntoRedshift',
          'RunSpectrumLoad',
        ],
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

    it('retries every task: a Hive or Glue job once, as the original activities were, an API call up to four times', () => {
      for (const [name, s] of states) {
        if (s.Type !== 'Task') continue;
        const expected = /emr-serverless|glue:startJobRun/.test(s.Resource) ? 1 : 4;
        // Rules for named errors come first; the last rule is the general one.
        const general = s.Retry.at(-1);
        expect(general.ErrorEquals, name).to.deep.equal(['States.TaskFailed']);
        expect(general.MaxAttempts, name).to.equal(expected);
        for (const rule of s.Retry.slice(0, -1))
          expect(rule.ErrorEquals, name).to.satisfy((errors: string[]) => errors.every((e) => /^Glue\./.test(e)));
      }
    });

    describe('its role', () => {
      // The role's statements as deployed with the sample values: the same values the definition gets.
      const parameters: Record<string, string> = {
        ...VALUES,
        RedshiftClusterId: VALUES.RedshiftClusterId,
        RedshiftSpectrumRoleARN: VALUES.SpectrumRoleArn,
      };
      const deployed = (expression: unknown) =>
        evaluateIntrinsics(expression, {
          ref: (name) => {
            const known: Record<string, string> = {
              'AWS::Partition': 'aws',
              'AWS::Region': REGION,
              'AWS::AccountId': ACCOUNT,
              AdTrafficTable: VALUES.AdTrafficTable!,
            };
            return known[name] ?? parameters[name] ?? `<${name}>`;
          },
          getAtt: (id, attribute) => {
            const attributes: Record<string, string> = {
              'HiveApplication.Arn': HIVE_APPLICATION_ARN,
              'HiveJobRole.Arn': VALUES.HiveJobRoleArn!,
              'AdTrafficTable.Arn': arnOf('dynamodb', `table/${VALUES.AdTrafficTable}`),
            };
            return attributes[`${id}.${attribute}`] ?? `<${id}.${attribute}>`;
          },
        });
      const role = template.resource('BatchStateMachineRole', 'AWS::IAM::Role').Properties as Json;
      const redshiftPolicy = template.resource('BatchRedshiftPolicy', 'AWS::IAM::Policy').Properties as Json;
      const statements = deployed([
        ...role.Policies.flatMap((p: Json) => p.PolicyDocument.Statement),
        ...redshiftPolicy.PolicyDocument.Statement,
      ]) as Json[];

      /** Every call of every Task state, the states of a Map once per item. */
      const calls = async (): Promise<Array<Call & { state: string }>> => {
        const out: Array<Call & { state: string }> = [];
        const items = new Map<string, Json[]>();
        for (const [name, s] of states) if (s.Type === 'Map') items.set(name, s.Items);
        for (const [name, s] of states) {
          if (s.Type !== 'Task') continue;
          const inputs = items.get(s.scope) ?? [{}];
          for (const input of inputs) {
            const args = await evaluate(s.Arguments, { input, variables: { run: LEAP_DAY } });
            for (const call of callsOf(s.Resource, args)) out.push({ ...call, state: name });
          }
        }
        return out;
      };

      it('allows each call the state machine makes, on the resource it makes it on', async () => {
        const made = await calls();
        expect(new Set(made.map((c) => c.state)).size).to.equal(
          [...states.values()].filter((s) => s.Type === 'Task').length,
        );
        for (const call of made)
          expect(allows(statements, call), `${call.state}: ${call.action} on ${call.resource}`).to.equal(true);
      });

      it('allows nothing else: each statement serves a call, apart from the log delivery that its logging needs', async () => {
        const made = await calls();
        for (const statement of statements) {
          if (statement.Sid === 'DeliverLogs') continue;
          for (const action of [statement.Action].flat()) {
            const served = made.some(
              (call) => call.action === action && allowingStatements([statement], call).length > 0,
            );
            expect(served, `${statement.Sid}: ${action}`).to.equal(true);
          }
        }
        expect(properties.LoggingConfiguration.Destinations).to.have.length(1);
      });

      it('does not allow the same calls on another stack crawler, job, application or table', () => {
        for (const call of [
          { action: 'glue:StartCrawler', resource: arnOf('glue', 'crawler/raw_crawler') },
          { action: 'glue:StartJobRun', resource: arnOf('glue', 'job/SomeoneElsesJob') },
          { action: 'emr-serverless:StartJobRun', resource: arnOf('emr-serverless', '/applications/00other') },
          { action: 'dynamodb:UpdateTable', resource: arnOf('dynamodb', 'table/other') },
          {
            action: 'iam:PassRole',
            resource: VALUES.HiveJobRoleArn,
            context: { 'iam:PassedToService': 'glue.amazonaws.com' },
          },
        ]) {
          expect(allows(statements, call), `${call.action} on ${call.resource}`).to.equal(false);
        }
      });
    });

    it('runs each Redshift statement on the stack cluster and database as the stack user', () => {
      for (const name of ['LoadImpressionsIntoRedshift', 'UseSpectrumDataLake', 'RunSpectrumLoad']) {
        expect(state(name).Arguments, name).to.include({
          ClusterIdentifier: VALUES.RedshiftClusterId,
          Database: VALUES.RedshiftDatabase,
          DbUser: VALUES.RedshiftUsername,
        });
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
      expect(await plan({ date: '2024-12-31' })).to.deep.equal({
        year: '2024',
        month: '12',
        day: '31',
        dateStart: '2024-12-31',
        dateEnd: '2025-01-01',
      });
      expect(await plan({ date: '2019-06-06' })).to.deep.equal({
        year: '2019',
        month: '6',
        day: '6',
        dateStart: '2019-06-06',
        dateEnd: '2019-06-07',
      });
    });

    it('refuses a date that is not a real yyyy-MM-dd day, before anything runs', async () => {
      for (const bad of ['2024-02-30', '2024-13-01', '2024-6-1', 'yesterday', 20240101, '2024-06-06T00:00:00Z']) {
        expect(await invalid({ date: bad }), String(bad)).to.equal(true);
      }
      for (const good of [
        { date: '2024-02-29' },
        { date: '2019-06-06' },
        {},
        { scheduledTime: '2024-03-01T01:30:00Z' },
      ]) {
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
          DATABASE: VALUES.Database,
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
        // and names the Glue Data Catalog as its metastore, whatever the application's defaults
        expect(args.ConfigurationOverrides).to.deep.equal({
          ApplicationConfiguration: [
            {
              Classification: 'hive-site',
              Properties: {
                'hive.metastore.client.factory.class':
                  'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory',
              },
            },
          ],
        });
      });
    }

    it('lets the ad traffic load use all of the table write capacity, as the original data node did', async () => {
      const parameters = await evaluate(state('LoadAdTrafficData').Arguments.JobDriver.Hive.Parameters, {
        variables: { run: LEAP_DAY },
      });
      expect(hiveOptions(parameters).conf['dynamodb.throughput.write.percent']).to.equal('1.0');
    });

    it('writes each output1 to a catalog table the stack declares', () => {
      const declared = Object.values<Json>(template.section('Resources'))
        .filter((r) => r.Type === 'AWS::Glue::Table')
        .map((r) => `${VALUES.Database}.${r.Properties.TableInput.Name}`);
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
      const advertising = await evaluate(state('LoadAdvertisingIntoRedshift').Arguments.Sqls, {
        variables: { run: LEAP_DAY },
      });
      expect(advertising[1]).to.equal(
        "DELETE FROM advertising WHERE impression_at >= '2024-02-29' AND impression_at < '2024-03-01'",
      );
    });

    it('copies from the folder the staging job writes', () => {
      const staging = template.resource('RedshiftClicksStagingHiveTable', 'AWS::Glue::Table').Properties as Json;
      expect(staging.TableInput.StorageDescriptor.Location).to.deep.equal({
        'Fn::Sub': 's3://${BucketName}/data/temp/redshift-clicks-staging-table/',
      });
      expect(staging.TableInput.StorageDescriptor.SerdeInfo.Parameters['field.delim']).to.equal(',');
    });

    it('maps the lake catalog into Redshift as the advertising schema through the pipeline role', () => {
      expect(state('UseSpectrumDataLake').Arguments.Sql).to.equal(
        `CREATE EXTERNAL SCHEMA IF NOT EXISTS advertising FROM DATA CATALOG DATABASE '${VALUES.Database}' IAM_ROLE '${VALUES.SpectrumRoleArn}' CREATE EXTERNAL DATABASE IF NOT EXISTS`,
      );
    });

    it('runs the five Spectrum load scripts with the arguments the manifest lists for them', () => {
      const manifest = JSON.parse(readFileSync(join(projectRoot(), 'jobs/manifest.json'), 'utf8')) as {
        jobs: { path: string; parameters: string[] }[];
      };
      const items = state('SpectrumLoads').Items as Json[];
      // The manifest names the scripts' arguments as Data Pipeline's expressions did; $run names them in camel case.
      const asRun: Record<string, string> = {
        year: 'year',
        month: 'month',
        day: 'day',
        date_start: 'dateStart',
        date_end: 'dateEnd',
      };
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
      expect(state('ReadSpectrumLoadScript').Arguments).to.deep.equal({
        Bucket: VALUES.CodeBucket,
        Key: '{% $states.input.script %}',
      });
    });

    it('binds each script, as read from S3, to the run: comments dropped, every ? mark replaced in order, one statement per SQL', async () => {
      // given each item of the map and the script file it names
      for (const item of state('SpectrumLoads').Items as Json[]) {
        const path = item.script.slice(`${VALUES.CodePrefix}/`.length);
        const body = readFileSync(join(projectRoot(), path), 'utf8');

        // when the script has been read (S3 hands back its body) and bound
        const bound = await evaluate(state('ReadSpectrumLoadScript').Output, {
          input: item,
          result: { Body: body },
          variables: { run: LEAP_DAY },
        });

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
      expect(await evaluate(state('RunSpectrumLoad').Arguments.Sqls, { input: { sqls: ['SELECT 1'] } })).to.deep.equal([
        'SELECT 1',
      ]);
    });
  });
});

/** Sorts names in the order they appear in `order`. */
function sortLike(order: string[]) {
  return (a: string, b: string) => order.indexOf(a) - order.indexOf(b);
}
