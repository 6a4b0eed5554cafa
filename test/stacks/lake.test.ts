import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import { lakeDatabaseName } from '../../src/stacks/advertising/lake';
import { evaluateIntrinsics } from '../support/deployment';
import { TemplateAssertions, absent, exact } from '../support/template';
import { originalIds } from './original';

const PATH = 'templates-out/advertising/lake.yaml';

type Json = Record<string, any>;

const glueArn = (tail: string) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:glue:\${AWS::Region}:\${AWS::AccountId}:${tail}`,
});

/** Every statement of every inline policy of a role. */
function statementsOf(role: Json): Json[] {
  return (role.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement as Json[]);
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** Where the Python jobs' shared module is packaged. */
const SHARED_MODULE = 's3://${CodeBucket}/${CodePrefix}/jobs/glue/lake_etl.py';

describe('lake.yaml (the advertising data lake)', () => {
  const template = TemplateAssertions.load(PATH);

  it('declares nothing beyond the original lake resources (their ids and types: original-resources.test.ts)', () => {
    expect(Object.keys(template.section('Resources'))).to.have.members(originalIds(PATH));
  });

  it("takes the code location, the data bucket and the roles' permissions boundary as parameters, and nothing else", () => {
    expect(Object.keys(template.section('Parameters'))).to.have.members([
      'CodeBucket',
      'CodePrefix',
      'BucketName',
      'BucketARN',
      'PermissionsBoundaryArn',
    ]);
    template.hasParameter('BucketARN', {
      Type: 'String',
      AllowedPattern: '^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    });
    expect(
      new RegExp(template.section('Parameters').BucketARN!.AllowedPattern as string).test('arn:aws:s3:::dataless-data'),
    ).to.equal(true);
  });

  describe('database and crawler', () => {
    it('declares the advertising database in this account, named after this stack', () => {
      template.hasResource('Database', 'AWS::Glue::Database', {
        Properties: { CatalogId: { Ref: 'AWS::AccountId' }, DatabaseInput: { Name: lakeDatabaseName().toJSON() } },
      });
    });

    it('names the database advertising_ and the UUID of the stack id, hyphens made underscores: what Glue and Hive take unquoted', () => {
      // given the stack id CloudFormation gives a stack
      const stackId =
        'arn:aws:cloudformation:eu-west-1:123456789012:stack/dataless-feature-AdvertisingService-1A2B3C-Lake-4D5E6F/51af3dc0-da77-11e4-872e-1234567db123';

      // when the name is evaluated as CloudFormation evaluates it
      const name = evaluateIntrinsics(template.resource('Database').Properties, {
        ref: (pseudo) => ({ 'AWS::StackId': stackId, 'AWS::AccountId': '123456789012' })[pseudo],
        getAtt: () => undefined,
      }) as Json;

      // then it is lower-case letters, digits and underscores, and tells the stack apart
      expect(name.DatabaseInput.Name).to.equal('advertising_51af3dc0_da77_11e4_872e_1234567db123');
      expect(name.DatabaseInput.Name).to.match(/^[a-z0-9_]+$/);
    });

    it('crawls the raw impressions and clicks folders into raw_ tables of that database, under a name CloudFormation gives it', () => {
      template.hasResource('RawCrawler', 'AWS::Glue::Crawler', {
        Properties: {
          Name: absent(),
          Role: { 'Fn::GetAtt': ['CrawlerRole', 'Arn'] },
          DatabaseName: { Ref: 'Database' },
          TablePrefix: 'raw_',
          Targets: {
            S3Targets: exact([
              { Path: { 'Fn::Sub': 's3://${BucketName}/data/raw/ad/impressions/' } },
              { Path: { 'Fn::Sub': 's3://${BucketName}/data/raw/ad/clicks/' } },
            ]),
          },
          SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'LOG' },
        },
      });
    });

    it('merges compatible schemas and new columns, and lets partitions inherit from their table', () => {
      const configuration = JSON.parse((template.resource('RawCrawler') as Json).Properties.Configuration);
      expect(configuration).to.deep.equal({
        Version: 1,
        Grouping: { TableGroupingPolicy: 'CombineCompatibleSchemas' },
        CrawlerOutput: {
          Partitions: { AddOrUpdateBehavior: 'InheritFromTable' },
          Tables: { AddOrUpdateBehavior: 'MergeNewColumns' },
        },
      });
    });
  });

  describe('lake tables', () => {
    const orcTable = (name: string, columns: Array<[string, string]>) => ({
      Properties: {
        CatalogId: { Ref: 'AWS::AccountId' },
        DatabaseName: { Ref: 'Database' },
        TableInput: {
          Name: name,
          TableType: 'EXTERNAL_TABLE',
          Parameters: { classification: 'orc' },
          PartitionKeys: exact([
            { Name: 'year', Type: 'int' },
            { Name: 'month', Type: 'int' },
          ]),
          StorageDescriptor: {
            Location: { 'Fn::Sub': `s3://\${BucketName}/data/lake/ad/${name}/` },
            InputFormat: 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat',
            OutputFormat: 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat',
            SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde' },
            Columns: exact(columns.map(([Name, Type]) => ({ Name, Type }))),
          },
        },
      },
    });

    it('stores impressions as ORC under the lake prefix, partitioned by year and month', () => {
      template.hasResource(
        'ImpressionsTable',
        'AWS::Glue::Table',
        orcTable('impressions', [
          ['impression_id', 'string'],
          ['ad_id', 'string'],
          ['occurred_at', 'timestamp'],
        ]),
      );
    });

    it('stores clicks as ORC under the lake prefix, partitioned by year and month', () => {
      template.hasResource(
        'ClicksTable',
        'AWS::Glue::Table',
        orcTable('clicks', [
          ['impression_id', 'string'],
          ['click_id', 'string'],
          ['ad_id', 'string'],
          ['occurred_at', 'timestamp'],
        ]),
      );
    });

    it('does not repeat the dependency on the database that its reference already implies', () => {
      template.hasResource('ImpressionsTable', 'AWS::Glue::Table', { DependsOn: absent() });
      template.hasResource('ClicksTable', 'AWS::Glue::Table', { DependsOn: absent() });
    });
  });

  describe('ETL jobs', () => {
    const jobs = [
      {
        id: 'ImpressionsPythonETLJob',
        script: 'impressions_etl.py',
        raw: 'raw_impressions',
        table: 'ImpressionsTable',
        scala: false,
      },
      {
        id: 'ImpressionsScalaETLJob',
        script: 'impressions_etl.scala',
        raw: 'raw_impressions',
        table: 'ImpressionsTable',
        scala: true,
      },
      { id: 'ClicksPythonETLJob', script: 'clicks_etl.py', raw: 'raw_clicks', table: 'ClicksTable', scala: false },
      { id: 'ClicksScalaETLJob', script: 'clicks_etl.scala', raw: 'raw_clicks', table: 'ClicksTable', scala: true },
    ];

    for (const job of jobs) {
      it(`runs ${job.script} from the code bucket with bookmarks, reading ${job.raw} into ${job.table}`, () => {
        template.hasResource(job.id, 'AWS::Glue::Job', {
          Properties: {
            Role: { 'Fn::GetAtt': ['ETLJobRole', 'Arn'] },
            Command: {
              Name: 'glueetl',
              ScriptLocation: { 'Fn::Sub': `s3://\${CodeBucket}/\${CodePrefix}/jobs/glue/${job.script}` },
            },
            DefaultArguments: {
              '--job-bookmark-option': 'job-bookmark-enable',
              '--enable-glue-datacatalog': 'true',
              '--TempDir': { 'Fn::Sub': 's3://${BucketName}/data/temp/glue/' },
              '--database_name': { Ref: 'Database' },
              '--raw_table_name': job.raw,
              '--table_name': { Ref: job.table },
              '--job-language': job.scala ? 'scala' : 'python',
              '--class': job.scala ? 'GlueApp' : absent(),
              '--extra-py-files': job.scala ? absent() : { 'Fn::Sub': SHARED_MODULE },
            },
            ExecutionProperty: { MaxConcurrentRuns: 1 },
            MaxRetries: 0,
          },
        });
      });
    }

    it('runs every job on a current Glue version with workers sized for it', () => {
      // given the four jobs
      const found = template.findResources('AWS::Glue::Job');
      expect(Object.keys(found)).to.have.length(4);
      for (const [id, resource] of Object.entries(found)) {
        const p = resource.Properties as Json;
        // then none uses the retired runtimes or the capacity units that go with them
        expect(Number(p.GlueVersion), id).to.be.at.least(4);
        expect(p.WorkerType, id).to.equal('G.1X');
        expect(p.NumberOfWorkers, id).to.be.at.least(2);
        expect(p.MaxCapacity, id).to.equal(undefined);
        expect(p.AllocatedCapacity, id).to.equal(undefined);
      }
    });

    it('points at job scripts that exist in the repository', () => {
      // the code prefix mirrors the repository, so the path after it is repository-relative
      for (const job of jobs)
        expect(existsSync(join(projectRoot(), 'jobs/glue', job.script)), job.script).to.equal(true);
      expect(existsSync(join(projectRoot(), 'jobs/glue/lake_etl.py')), 'lake_etl.py').to.equal(true);
    });

    it('gives only the Python jobs the shared module, which their role may read', () => {
      // given the jobs that load extra Python files
      const withExtras = Object.entries(template.findResources('AWS::Glue::Job'))
        .filter(([, resource]) => (resource.Properties as Json).DefaultArguments['--extra-py-files'] !== undefined)
        .map(([id]) => id);
      // then they are the two Python jobs
      expect(withExtras.sort()).to.deep.equal(['ClicksPythonETLJob', 'ImpressionsPythonETLJob']);
      // and the key sits under the scripts prefix the ETL role may read
      const scripts = statementsOf(template.resource('ETLJobRole', 'AWS::IAM::Role') as Json).find(
        (s) => s.Sid === 'ReadJobScripts',
      )!;
      const readable = (scripts.Resource['Fn::Sub'] as string)
        .replace('arn:${AWS::Partition}:s3:::', 's3://')
        .replace(/\*$/, '');
      expect(SHARED_MODULE.startsWith(readable), `${SHARED_MODULE} under ${readable}`).to.equal(true);
    });

    it('pins the Python jobs to Python 3', () => {
      template.hasResource('ImpressionsPythonETLJob', 'AWS::Glue::Job', {
        Properties: { Command: { PythonVersion: '3' } },
      });
      template.hasResource('ClicksPythonETLJob', 'AWS::Glue::Job', { Properties: { Command: { PythonVersion: '3' } } });
    });
  });

  describe('IAM', () => {
    const crawlerRole = template.resource('CrawlerRole', 'AWS::IAM::Role') as Json;
    const etlRole = template.resource('ETLJobRole', 'AWS::IAM::Role') as Json;

    it('lets only Glue assume the roles', () => {
      for (const role of [crawlerRole, etlRole]) {
        expect(role.Properties.AssumeRolePolicyDocument.Statement).to.deep.equal([
          { Effect: 'Allow', Principal: { Service: ['glue.amazonaws.com'] }, Action: 'sts:AssumeRole' },
        ]);
      }
    });

    it('grants no action and no resource as a bare "*"', () => {
      for (const [id, role] of [
        ['CrawlerRole', crawlerRole],
        ['ETLJobRole', etlRole],
      ] as const) {
        for (const statement of statementsOf(role)) {
          for (const action of asList(statement.Action))
            expect(action, `${id} ${statement.Sid}`).to.not.match(/^(\*|[a-z0-9-]+:\*)$/);
          expect(asList(statement.Resource), `${id} ${statement.Sid}`).to.not.include('*');
        }
      }
    });

    it('gives the crawler the Glue service basics and read access to the raw folders only', () => {
      template.hasResource('CrawlerRole', 'AWS::IAM::Role', {
        Properties: { ManagedPolicyArns: exact(['arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole']) },
      });
      const statements = statementsOf(crawlerRole);
      expect(statements).to.deep.include({
        Effect: 'Allow',
        Sid: 'ReadRawData',
        Action: 's3:GetObject',
        Resource: { 'Fn::Sub': '${BucketARN}/data/raw/ad/*' },
      });
      expect(statements.flatMap((s) => asList(s.Action))).to.not.include('s3:PutObject');
    });

    it("limits the ETL jobs' catalog calls to this database and its tables", () => {
      const catalog = statementsOf(etlRole).find((s) => s.Sid === 'UseLakeCatalog')!;
      expect(catalog.Resource).to.deep.equal([
        glueArn('catalog'),
        glueArn('database/${Database}'),
        glueArn('table/${Database}/*'),
      ]);
      expect(catalog.Action).to.include.members([
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:GetPartitions',
        'glue:BatchCreatePartition',
      ]);
      expect(catalog.Action.every((a: string) => a.startsWith('glue:'))).to.equal(true);
    });

    it('lets the ETL jobs read raw data and their scripts, and write only the lake and scratch prefixes', () => {
      const statements = statementsOf(etlRole);
      const writes = statements.filter((s) =>
        asList(s.Action).some((a) => a === 's3:PutObject' || a === 's3:DeleteObject'),
      );
      expect(writes.flatMap((s) => asList(s.Resource))).to.deep.equal([
        { 'Fn::Sub': '${BucketARN}/data/lake/ad/*' },
        { 'Fn::Sub': '${BucketARN}/data/temp/glue/*' },
      ]);
      expect(statements).to.deep.include({
        Effect: 'Allow',
        Sid: 'ReadRawData',
        Action: 's3:GetObject',
        Resource: { 'Fn::Sub': '${BucketARN}/data/raw/ad/*' },
      });
      expect(statements).to.deep.include({
        Effect: 'Allow',
        Sid: 'ReadJobScripts',
        Action: 's3:GetObject',
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${CodeBucket}/${CodePrefix}/jobs/glue/*' },
      });
    });

    it("lets the ETL jobs write logs to Glue's log groups only", () => {
      const logs = statementsOf(etlRole).filter((s) => asList(s.Action).some((a) => String(a).startsWith('logs:')));
      expect(logs).to.have.length(1);
      expect(logs[0]!.Resource).to.deep.equal({
        'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws-glue/*',
      });
    });

    it('attaches no managed policy to the ETL role', () => {
      template.hasResource('ETLJobRole', 'AWS::IAM::Role', { Properties: { ManagedPolicyArns: absent() } });
    });
  });

  describe('outputs', () => {
    it('hands the database, the crawler, the Python ETL jobs and the table names to the batch pipeline', () => {
      template.hasOutput('Database', { Value: { Ref: 'Database' } });
      template.hasOutput('RawCrawler', { Value: { Ref: 'RawCrawler' } });
      template.hasOutput('ImpressionsETLJob', { Value: { Ref: 'ImpressionsPythonETLJob' } });
      template.hasOutput('ClicksETLJob', { Value: { Ref: 'ClicksPythonETLJob' } });
      template.hasOutput('ImpressionsTable', { Value: { Ref: 'ImpressionsTable' } });
      template.hasOutput('ClicksTable', { Value: { Ref: 'ClicksTable' } });
      expect(Object.keys(template.section('Outputs'))).to.have.members([
        'Database',
        'RawCrawler',
        'ImpressionsETLJob',
        'ClicksETLJob',
        'ImpressionsTable',
        'ClicksTable',
      ]);
    });
  });
});
