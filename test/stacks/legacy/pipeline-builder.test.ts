import { expect } from 'chai';
import { AWS, notEmpty, sub, toJSONValue } from '../../../src/cfn/intrinsics';
import { Template } from '../../../src/cfn/template';
import { TemplateError } from '../../../src/errors';
import {
  encodeField,
  encodeFields,
  onlyIf,
  onlyUnless,
  pipelineObject,
  pipelineObjects,
} from '../../../src/stacks/advertising/pipeline/legacy/builder';
import { glueColumns } from '../../../src/stacks/advertising/lake/datasets';
import { createTableIfNotExistsSql, stagingFolder } from '../../../src/stacks/advertising/pipeline/datasets';
import { createTableSql, formatColumns } from '../../../src/stacks/advertising/pipeline/legacy/formats';

const json = (value: unknown) => toJSONValue(value);

describe('pipeline object builder', () => {
  const t = new Template({ description: 'test', source: 'test/pipeline-builder.ts' });
  const flag = t.parameter('Flag', { type: 'String', description: 'a switch', default: '' });
  const on = t.condition('On', notEmpty(flag));

  describe('field encoding', () => {
    it('writes strings, numbers and booleans as StringValue in their string form', () => {
      expect(encodeField('X', 'period', '1 days')).to.deep.equal({ Key: 'period', StringValue: '1 days' });
      expect(encodeField('X', 'occurrences', 1)).to.deep.equal({ Key: 'occurrences', StringValue: '1' });
      expect(encodeField('X', 'stage', false)).to.deep.equal({ Key: 'stage', StringValue: 'false' });
    });

    it('keeps intrinsics as the StringValue', () => {
      // given
      const value = sub`s3://${flag}/logs/`;

      // when
      const field = encodeField('X', 'pipelineLogUri', value);

      // then
      expect(json(field)).to.deep.equal({ Key: 'pipelineLogUri', StringValue: { 'Fn::Sub': 's3://${Flag}/logs/' } });
    });

    it('writes a reference to another object as RefValue with its id', () => {
      const schedule = pipelineObject('DailySchedule', 'Daily Schedule', { type: 'Schedule', period: '1 days' });
      expect(encodeField('Default', 'schedule', schedule)).to.deep.equal({
        Key: 'schedule',
        RefValue: 'DailySchedule',
      });
    });

    it('repeats a key once per element of an array, in order', () => {
      // given
      const object = pipelineObject('Cluster', 'Cluster', {
        type: 'EmrCluster',
        applications: ['hive', 'pig', 'spark'],
      });

      // when
      const fields = encodeFields(object);

      // then
      expect(fields).to.deep.equal([
        { Key: 'type', StringValue: 'EmrCluster' },
        { Key: 'applications', StringValue: 'hive' },
        { Key: 'applications', StringValue: 'pig' },
        { Key: 'applications', StringValue: 'spark' },
      ]);
    });

    it('wraps a conditional field in Fn::If with AWS::NoValue on the side where it is absent', () => {
      const cluster = pipelineObject('Cluster', 'Cluster', { type: 'EmrCluster' });
      expect(json(encodeField('A', 'keyPair', onlyIf(on, flag)))).to.deep.equal({
        'Fn::If': ['On', { Key: 'keyPair', StringValue: { Ref: 'Flag' } }, { Ref: 'AWS::NoValue' }],
      });
      expect(json(encodeField('A', 'runsOn', onlyUnless(on, cluster)))).to.deep.equal({
        'Fn::If': ['On', { Ref: 'AWS::NoValue' }, { Key: 'runsOn', RefValue: 'Cluster' }],
      });
    });

    it('does not accept an id typed by hand where a reference belongs', () => {
      // given: both lines fail type-checking (tsc --noEmit -p tsconfig.test.json); at run time they fail synth
      // @ts-expect-error a reference field takes an object handle, not its id
      const plain = pipelineObject('Activity', 'Activity', { type: 'HiveActivity', runsOn: 'EMRCluster' });
      // @ts-expect-error also under a condition
      const conditional = pipelineObject('Activity', 'Activity', { type: 'HiveActivity', input: onlyIf(on, 'Table') });

      // when / then
      expect(() => encodeFields(plain)).to.throw(
        TemplateError,
        /Activity: field runsOn refers to another object; pass that object's handle, not "EMRCluster"/,
      );
      expect(() => encodeFields(conditional)).to.throw(TemplateError, /field input refers to another object/);
    });

    it('rejects numbers that have no string form Data Pipeline accepts', () => {
      expect(() => encodeField('A', 'coreInstanceCount', Number.NaN)).to.throw(
        TemplateError,
        /A: field coreInstanceCount is NaN/,
      );
    });

    it('rejects a string value longer than the service allows', () => {
      expect(() => encodeField('A', 'script', 'x'.repeat(10241))).to.throw(TemplateError, /limit is 10240/);
    });
  });

  describe('declaring objects', () => {
    it('rejects an empty id and an empty list of values', () => {
      expect(() => pipelineObject('', 'Nameless', { type: 'CSV' })).to.throw(
        TemplateError,
        /id '' must be 1-1024 characters/,
      );
      expect(() => pipelineObject('Format', 'Format', { type: 'CSV', column: [] })).to.throw(
        TemplateError,
        /field column is an empty list/,
      );
    });

    it('lists the objects it refers to, including conditional and repeated references', () => {
      // given
      const a = pipelineObject('A', 'A', { type: 'Property', key: 'k', value: 'v' });
      const b = pipelineObject('B', 'B', { type: 'Property', key: 'k', value: 'v' });
      const c = pipelineObject('C', 'C', { type: 'EmrCluster' });

      // when
      const config = pipelineObject('Config', 'Config', {
        type: 'EmrConfiguration',
        property: [a, b],
        runsOn: onlyUnless(on, c),
        workerGroup: onlyIf(on, 'group'),
      });

      // then
      expect(config.references().map((o) => o.id)).to.deep.equal(['A', 'B', 'C']);
    });
  });

  describe('assembling a pipeline', () => {
    it('writes objects in order, each with its id, name and fields', () => {
      // given
      const schedule = pipelineObject('DailySchedule', 'Daily Schedule', { type: 'Schedule', period: '1 days' });
      const defaults = pipelineObject('Default', 'Default', { type: 'Default', schedule });

      // when
      const objects = json(pipelineObjects([schedule, defaults]));

      // then
      expect(objects).to.deep.equal([
        {
          Id: 'DailySchedule',
          Name: 'Daily Schedule',
          Fields: [
            { Key: 'type', StringValue: 'Schedule' },
            { Key: 'period', StringValue: '1 days' },
          ],
        },
        {
          Id: 'Default',
          Name: 'Default',
          Fields: [
            { Key: 'type', StringValue: 'Default' },
            { Key: 'schedule', RefValue: 'DailySchedule' },
          ],
        },
      ]);
    });

    it('wraps conditional objects in Fn::If with AWS::NoValue on the side where they are absent', () => {
      // given
      const present = pipelineObject('Present', 'Present', { type: 'CSV' }, { onlyIf: on });
      const absent = pipelineObject('Absent', 'Absent', { type: 'CSV' }, { onlyUnless: on });

      // when
      const objects = json(pipelineObjects([present, absent]));

      // then
      const body = (id: string) => ({ Id: id, Name: id, Fields: [{ Key: 'type', StringValue: 'CSV' }] });
      expect(objects).to.deep.equal([
        { 'Fn::If': ['On', body('Present'), { Ref: 'AWS::NoValue' }] },
        { 'Fn::If': ['On', { Ref: 'AWS::NoValue' }, body('Absent')] },
      ]);
    });

    it('fails when an object refers to one that was left out of the pipeline', () => {
      // given
      const format = pipelineObject('Format', 'Format', { type: 'CSV' });
      const node = pipelineObject('Node', 'Node', { type: 'S3DataNode', dataFormat: format });

      // when / then
      expect(() => pipelineObjects([node])).to.throw(
        TemplateError,
        /Node refers to Format, which is not in the pipeline/,
      );
    });

    it('fails when a reference names a different object that only shares the id', () => {
      const listed = pipelineObject('Format', 'Format', { type: 'CSV' });
      const stray = pipelineObject('Format', 'Other format', { type: 'CSV' });
      const node = pipelineObject('Node', 'Node', { type: 'S3DataNode', dataFormat: stray });
      expect(() => pipelineObjects([listed, node])).to.throw(
        TemplateError,
        /Node refers to Format, which is not in the pipeline/,
      );
    });

    it('fails when two objects share an id', () => {
      const one = pipelineObject('Twin', 'One', { type: 'CSV' });
      const two = pipelineObject('Twin', 'Two', { type: 'CSV' });
      expect(() => pipelineObjects([one, two])).to.throw(TemplateError, /id Twin is used twice/);
    });

    it('puts pseudo parameters through unchanged', () => {
      const catalog = pipelineObject('Catalog', 'Catalog', { type: 'Property', value: AWS.AccountId });
      expect(json(pipelineObjects([catalog]))).to.deep.equal([
        {
          Id: 'Catalog',
          Name: 'Catalog',
          Fields: [
            { Key: 'type', StringValue: 'Property' },
            { Key: 'value', StringValue: { Ref: 'AWS::AccountId' } },
          ],
        },
      ]);
    });
  });
});

describe('pipeline datasets', () => {
  const dataset = {
    table: 'events',
    columns: [
      { name: 'id', type: 'STRING' as const },
      { name: 'at', type: 'TIMESTAMP' as const, nullable: true },
    ],
    distKey: 'id',
    dayColumn: 'at',
  };

  it('renders Redshift DDL with NOT NULL on required columns and the distribution key', () => {
    expect(createTableSql(dataset)).to.equal(
      'CREATE TABLE events (\n  id VARCHAR(64) NOT NULL,\n  at TIMESTAMP\n)\nDISTSTYLE KEY\nDISTKEY (id);\n',
    );
  });

  it('renders the same table as one statement that leaves an existing table alone, for the Data API', () => {
    expect(createTableIfNotExistsSql(dataset)).to.equal(
      'CREATE TABLE IF NOT EXISTS events (id VARCHAR(64) NOT NULL, at TIMESTAMP) DISTSTYLE KEY DISTKEY (id)',
    );
  });

  it('stages a dataset under data/temp/, where both engines look for it', () => {
    expect(stagingFolder(dataset)).to.equal('data/temp/redshift-events-staging-table/');
  });

  it('renders data-format columns as NAME TYPE and Glue columns with lower-case types', () => {
    expect(formatColumns(dataset.columns)).to.deep.equal(['id STRING', 'at TIMESTAMP']);
    expect(glueColumns(dataset.columns)).to.deep.equal([
      { Name: 'id', Type: 'string' },
      { Name: 'at', Type: 'timestamp' },
    ]);
  });
});
