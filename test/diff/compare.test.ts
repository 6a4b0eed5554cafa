import { expect } from 'chai';
import { compareTrees } from '../../src/diff/compare';
import type { StackTemplate } from '../../src/diff/model';
import { changed, generatedTrees, LAKE, PIPELINE, SERVICE, stackOf } from './trees';

describe('diff: comparing template trees', () => {
  let trees: StackTemplate[];
  before(async () => {
    trees = await generatedTrees();
  });

  it('follows the root through its nested stacks and names each by its logical-id path', () => {
    expect(trees.map((s) => s.path)).to.deep.equal([
      'app',
      SERVICE,
      LAKE,
      PIPELINE,
      'app/AdvertisingService/RealTime',
      'bootstrap',
    ]);
  });

  it('reports no stacks when nothing changed', () => {
    const report = compareTrees(trees, structuredClone(trees));
    expect(report.stacks).to.deep.equal([]);
    expect(report.summary).to.deep.equal({
      added: 0,
      removed: 0,
      modified: 0,
      replaced: 0,
      dataLoss: 0,
      broadening: 0,
    });
  });

  it('reports a resource added and one removed in a nested stack', () => {
    // given the lake without its crawler and with a new log group
    const after = changed(trees, LAKE, (t) => {
      delete t.Resources.RawCrawler;
      t.Resources.CrawlerLogs = { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } };
    });
    // when
    const lake = stackOf(compareTrees(trees, after), LAKE);
    // then
    expect(lake.template).to.equal('templates-out/advertising/lake.yaml');
    expect(lake.resources).to.deep.include({
      logicalId: 'CrawlerLogs',
      type: 'AWS::Logs::LogGroup',
      change: 'add',
      replacement: 'never',
      properties: [],
      dataLoss: false,
    });
    expect(lake.resources).to.deep.include({
      logicalId: 'RawCrawler',
      type: 'AWS::Glue::Crawler',
      change: 'remove',
      replacement: 'never',
      properties: [],
      dataLoss: false,
    });
  });

  it('reports a change of a DynamoDB key schema as always replacing the table, and as data loss without a retaining policy', () => {
    const after = changed(trees, PIPELINE, (t) => {
      t.Resources.AdTrafficTable.Properties.KeySchema[0].AttributeName = 'ad';
    });
    const table = stackOf(compareTrees(trees, after), PIPELINE).resources.find(
      (r) => r.logicalId === 'AdTrafficTable',
    )!;
    expect(table).to.include({ change: 'modify', replacement: 'always', dataLoss: true });
    expect(table.properties).to.deep.equal([
      { path: 'Properties.KeySchema[0].AttributeName', old: 'ad_id', new: 'ad', replacement: 'always' },
    ]);
  });

  it('reports a log retention change as an update in place, without data loss', () => {
    const after = changed(trees, SERVICE, (t) => {
      t.Resources.CaptureClicksLambdaLogGroup.Properties.RetentionInDays = 90;
    });
    const report = compareTrees(trees, after);
    expect(stackOf(report, SERVICE).resources).to.deep.equal([
      {
        logicalId: 'CaptureClicksLambdaLogGroup',
        type: 'AWS::Logs::LogGroup',
        change: 'modify',
        replacement: 'never',
        properties: [{ path: 'Properties.RetentionInDays', old: 30, new: 90, replacement: 'never' }],
        dataLoss: false,
      },
    ]);
    expect(report.summary).to.include({ modified: 1, replaced: 0, dataLoss: 0 });
  });

  it('reports a renamed table without a retaining policy as data loss', () => {
    const rename = (t: { Resources: Record<string, unknown> }) => {
      t.Resources.DailyAdTrafficTable = t.Resources.AdTrafficTable;
      delete t.Resources.AdTrafficTable;
    };
    const report = compareTrees(trees, changed(trees, PIPELINE, rename));
    const removed = stackOf(report, PIPELINE).resources.find((r) => r.logicalId === 'AdTrafficTable');
    expect(removed).to.include({ change: 'remove', dataLoss: true });
    expect(report.summary.dataLoss).to.equal(1);
  });

  it('reports a renamed table whose deletion policy is Retain as no data loss', () => {
    const retained = changed(trees, PIPELINE, (t) => {
      t.Resources.AdTrafficTable.DeletionPolicy = 'Retain';
    });
    const renamed = changed(retained, PIPELINE, (t) => {
      t.Resources.DailyAdTrafficTable = t.Resources.AdTrafficTable;
      delete t.Resources.AdTrafficTable;
    });
    const report = compareTrees(retained, renamed);
    expect(stackOf(report, PIPELINE).resources.find((r) => r.logicalId === 'AdTrafficTable')).to.include({
      change: 'remove',
      dataLoss: false,
    });
    expect(report.summary.dataLoss).to.equal(0);
  });

  it('reports parameter default changes with the path of what changed', () => {
    const after = changed(trees, 'app', (t) => {
      t.Parameters.Stage.Default = 'Staging';
    });
    const app = stackOf(compareTrees(trees, after), 'app');
    expect(app.parameters).to.deep.equal([
      { name: 'Stage', change: 'modify', properties: [{ path: 'Default', old: 'Prod', new: 'Staging' }] },
    ]);
    expect(app.resources).to.deep.equal([]);
  });

  it('reports an output added and a stack that goes away with every resource removed', () => {
    const after = changed(trees, PIPELINE, (t) => {
      t.Outputs.Extra = { Value: 'x' };
    }).filter((s) => s.path !== 'app/AdvertisingService/RealTime');
    const report = compareTrees(trees, after);
    expect(stackOf(report, PIPELINE).outputs).to.deep.equal([{ name: 'Extra', change: 'add', properties: [] }]);
    const realtime = stackOf(report, 'app/AdvertisingService/RealTime');
    expect(realtime.template).to.equal('templates-out/advertising/realtime.yaml');
    expect(realtime.resources.length).to.be.greaterThan(0);
    expect(realtime.resources.every((r) => r.change === 'remove')).to.equal(true);
  });

  it('compares a nested template moved to another file with its predecessor, by logical-id path', () => {
    const moved = changed(trees, LAKE, () => undefined).map((s) =>
      s.path === LAKE ? { ...s, template: 'templates-out/advertising/data-lake.yaml' } : s,
    );
    const after = changed(moved, SERVICE, (t) => {
      t.Resources.Lake.Properties.Location = './data-lake.yaml';
    });
    const report = compareTrees(trees, after);
    expect(report.stacks.map((s) => s.path)).to.deep.equal([SERVICE]);
    expect(stackOf(report, SERVICE).resources).to.deep.equal([
      {
        logicalId: 'Lake',
        type: 'AWS::Serverless::Application',
        change: 'modify',
        replacement: 'never',
        properties: [
          { path: 'Properties.Location', old: './lake.yaml', new: './data-lake.yaml', replacement: 'never' },
        ],
        dataLoss: false,
      },
    ]);
  });
});
