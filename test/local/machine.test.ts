import { expect } from 'chai';
import { resolve } from 'node:path';
import { hiveVariables } from '../../src/local/batch/engines';
import { runStateMachine, StateError } from '../../src/local/batch/machine';
import { Warehouse } from '../../src/local/template/warehouse';
import { failure } from '../support/failure';

const ROOT = resolve(__dirname, '..', '..');

/** Runs a definition with a runner that records each task and answers from `results`. */
async function runRecorded(definition: Record<string, unknown>, input: unknown, results: Record<string, unknown> = {}) {
  const calls: Array<{ name: string; resource: string; args: unknown }> = [];
  const run = await runStateMachine(
    definition,
    input,
    async (name, resource, args) => {
      calls.push({ name, resource, args });
      if (results[name] instanceof Error) throw results[name];
      return results[name] ?? {};
    },
    { values: { Execution: { StartTime: '2019-06-07T01:30:00Z' } } },
  );
  return { ...run, calls };
}

describe('local batch: running a state machine definition', () => {
  it('runs the generated batch in the order of its definition, with the variables it computes', async () => {
    // given the default engine's state machine, as generated
    const [machine] = Warehouse.open(ROOT, { DeploymentPreference: 'AllAtOnce' }, 'us-east-1').stateMachines();

    // when it runs for a day with a recording runner (an on-demand table, a finished crawl)
    const { calls } = await runRecorded(
      machine!.definition,
      { date: '2019-06-06' },
      {
        DescribeAdTrafficTable: { Table: { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } } },
        CheckRawCrawler: { Crawler: { State: 'READY', LastCrawl: { Status: 'SUCCEEDED' } } },
      },
    );

    // then the lake comes first, then the extract and the load, with the day's variables
    const names = calls.map((call) => call.name);
    expect(names.slice(0, 4)).to.deep.equal([
      'StartRawCrawler',
      'CheckRawCrawler',
      'ConvertImpressions',
      'ConvertClicks',
    ]);
    expect(names.indexOf('ExtractAdvertisingData')).to.be.greaterThan(names.indexOf('ConvertClicks'));
    expect(names.indexOf('LoadAdTrafficData')).to.be.greaterThan(names.indexOf('ExtractAdvertisingData'));
    const load = calls.find((call) => call.name === 'LoadAdTrafficData')!;
    expect(hiveVariables(String((load.args as any).JobDriver.Hive.Parameters))).to.include({
      PARTITION_YEAR: '2019',
      PARTITION_MONTH: '6',
      DATE_START: '2019-06-06',
      DATE_END: '2019-06-07',
    });
  });

  it('stops at a Fail state with its error and cause, as the date check does for a date that is no day', async () => {
    // given the generated batch
    const [machine] = Warehouse.open(ROOT, { DeploymentPreference: 'AllAtOnce' }, 'us-east-1').stateMachines();

    // when it runs for 2019-02-30
    const error = await failure(runRecorded(machine!.definition, { date: '2019-02-30' }));

    // then the run fails at InvalidRunDate, before any task
    expect(error).to.be.instanceOf(StateError);
    expect((error as StateError).state).to.equal('InvalidRunDate');
    expect((error as StateError).cause).to.include('2019-02-30');
  });

  it('follows Catch to its handler with the error as output; Parallel branches run one after another', async () => {
    // given a parallel whose first branch fails and is caught
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Broken', States: { Broken: { Type: 'Task', Resource: 'r:broken', End: true } } },
            {
              StartAt: 'Fine',
              States: {
                Fine: {
                  Type: 'Task',
                  Resource: 'r:fine',
                  Assign: { seen: '{% $states.result.n %}' },
                  Output: '{% $seen %}',
                  End: true,
                },
              },
            },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          Next: 'Done',
        },
        Caught: { Type: 'Pass', Output: "{% 'caught ' & $states.input.Cause %}", End: true },
        Done: { Type: 'Succeed' },
      },
    };

    // when the first branch's task throws
    const { output, calls } = await runRecorded(definition, {}, { Broken: new Error('no such job') });

    // then the handler receives the error, and the second branch never ran (branches run in order)
    expect(output).to.equal('caught no such job');
    expect(calls.map((call) => call.name)).to.deep.equal(['Broken']);
  });

  it('reads --hivevar and --hiveconf pairs as script variables', () => {
    // when a Hive job's Parameters are read
    const variables = hiveVariables(
      '--hiveconf hive.exec.scratchdir=s3://b/x --hivevar DATABASE=advertising_local --hivevar output1=db.table',
    );

    // then each pair is a variable
    expect(variables).to.deep.equal({
      'hive.exec.scratchdir': 's3://b/x',
      DATABASE: 'advertising_local',
      output1: 'db.table',
    });
  });
});
