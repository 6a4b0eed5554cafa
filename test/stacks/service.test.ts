import Ajv from 'ajv';
import { expect } from 'chai';
import { join } from 'node:path';
import { TemplateError } from '../../src/errors';
import type { CaptureResult } from '../../src/lambdas/shared/capture';
import { badRequest } from '../../src/lambdas/shared/http';
import { parseTimestamp } from '../../src/lambdas/shared/time';
import { projectRoot } from '../../src/paths';
import { TIMESTAMP_PATTERN } from '../../src/stacks/advertising/service/definition';
import { OpenApi, json, lambdaProxy } from '../../src/stacks/advertising/service/openapi';
import { resolve, stackContext } from '../support/conditions';
import { TemplateAssertions, absent, arrayWith, exact, objectLike } from '../support/template';

const PATH = 'templates-out/advertising/service.yaml';

type Json = Record<string, any>;

/** Every Action of every statement of every policy of a role. */
function actionsOf(role: Json): string[] {
  const statements = (role.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement);
  return statements.flatMap((s: Json) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

/** The statements of a role's inline policies. */
function statementsOf(role: Json): Json[] {
  return (role.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement);
}

describe('templates-out/advertising/service.yaml (the advertising service)', () => {
  const template = TemplateAssertions.load(PATH);
  const resources = template.section('Resources');
  const definition = (resources.API as Json).Properties.DefinitionBody as Json;

  it('uses the SAM transform', () => {
    expect(template.json.Transform).to.equal('AWS::Serverless-2016-10-31');
  });

  describe('parameters', () => {
    it("declares every parameter of the original service, the alarm topic and the traffic route's authorization, so the root passes the same set", () => {
      const names = [
        'CodePipeline',
        'BuildRegion',
        'SourceVersion',
        'Build',
        'CodeBucket',
        'CodePrefix',
        'KeyPair',
        'Stage',
        'DeploymentPreference',
        'Subnet',
        'SecurityGroup',
        'TaskRunnerCredentialsARN',
        'BucketName',
        'BucketARN',
        'EnableEC2Instance',
        'EnableEMRCluster',
        'RedshiftClusterId',
        'RedshiftDatabase',
        'RedshiftUsername',
        'RedshiftPassword',
        'EnablePipeline',
        'RedshiftSpectrumRoleARN',
        'PipelineRole',
        'PipelineRoleARN',
        'PipelineResourceRole',
        'PipelineResourceRoleARN',
        'RealTimeEngine',
        'BatchEngine',
        'EnableBatchSchedule',
        'AdTrafficBillingMode',
        'AlarmTopicArn',
        'TrafficAuthorization',
        'PermissionsBoundaryArn',
      ];
      expect(Object.keys(template.section('Parameters'))).to.have.members(names);
    });

    it("takes the real-time engine switch with the root's default and values", () => {
      template.hasParameter('RealTimeEngine', {
        Default: 'capture-metrics',
        AllowedValues: exact(['capture-metrics', 'kinesis-analytics-sql']),
      });
      template.hasCondition('LegacyRealTime', { 'Fn::Equals': [{ Ref: 'RealTimeEngine' }, 'kinesis-analytics-sql'] });
    });

    it("takes the batch engine and schedule switches with the root's defaults and values", () => {
      template.hasParameter('BatchEngine', {
        Default: 'step-functions',
        AllowedValues: exact(['step-functions', 'data-pipeline']),
      });
      template.hasParameter('EnableBatchSchedule', { Default: '' });
    });

    it('masks the secrets and keeps the original defaults', () => {
      template.hasParameter('TaskRunnerCredentialsARN', { Default: '' });
      template.hasParameter('RedshiftPassword', { NoEcho: true });
      template.hasParameter('RedshiftDatabase', { Default: 'dataless' });
      template.hasParameter('RedshiftUsername', { Default: 'dataless' });
      template.hasParameter('EnablePipeline', { Default: 'yes' });
      template.hasParameter('DeploymentPreference', { Default: 'Canary10Percent5Minutes' });
    });

    it('offers the deployment preferences SAM knows', () => {
      template.hasParameter('DeploymentPreference', {
        AllowedValues: arrayWith(
          'Canary10Percent5Minutes',
          'Linear10PercentEvery1Minute',
          'Linear10PercentEvery10Minutes',
          'AllAtOnce',
        ),
      });
    });

    it('requires a stage name API Gateway accepts, since an empty stage cannot deploy', () => {
      const stage = template.section('Parameters').Stage as Json;
      expect(stage.Default).to.equal(undefined);
      const pattern = new RegExp(stage.AllowedPattern);
      expect(pattern.test('Prod')).to.equal(true);
      expect(pattern.test('feature_x-2')).to.equal(true);
      expect(pattern.test('')).to.equal(false);
      expect(pattern.test('a b')).to.equal(false);
    });
  });

  describe('delivery streams', () => {
    for (const [id, folder] of [
      ['ImpressionsDeliveryStream', 'impressions'],
      ['ClicksDeliveryStream', 'clicks'],
    ] as const) {
      it(`${id} puts gzipped ${folder} under data/raw/ad/${folder}/ with the original buffering`, () => {
        template.hasResource(id, 'AWS::KinesisFirehose::DeliveryStream', {
          Properties: {
            DeliveryStreamType: 'DirectPut',
            ExtendedS3DestinationConfiguration: {
              BucketARN: { Ref: 'BucketARN' },
              Prefix: `data/raw/ad/${folder}/`,
              CompressionFormat: 'GZIP',
              BufferingHints: { IntervalInSeconds: 900, SizeInMBs: 128 },
              RoleARN: { 'Fn::GetAtt': ['DeliveryStreamRole', 'Arn'] },
            },
          },
        });
      });

      it(`${id} encrypts the records it holds and logs why a delivery to S3 failed`, () => {
        const stream = `${id.replace('DeliveryStream', '')}DeliveryErrorLogStream`;
        template.hasResource(id, 'AWS::KinesisFirehose::DeliveryStream', {
          Properties: {
            DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
            ExtendedS3DestinationConfiguration: {
              CloudWatchLoggingOptions: {
                Enabled: true,
                LogGroupName: { Ref: 'DeliveryErrorLogGroup' },
                LogStreamName: { Ref: stream },
              },
            },
          },
        });
        template.hasResource(stream, 'AWS::Logs::LogStream', {
          Properties: { LogGroupName: { Ref: 'DeliveryErrorLogGroup' }, LogStreamName: `${folder}-s3-delivery` },
        });
      });
    }

    it('lets Firehose write objects under the raw ad prefix only', () => {
      const role = template.resource('DeliveryStreamRole', 'AWS::IAM::Role') as Json;
      expect(role.Properties.AssumeRolePolicyDocument.Statement).to.deep.equal([
        { Effect: 'Allow', Principal: { Service: ['firehose.amazonaws.com'] }, Action: 'sts:AssumeRole' },
      ]);
      expect(role.Properties.ManagedPolicyArns).to.equal(undefined);
      const statements = statementsOf(role);
      const objectWrites = statements.filter((s) => [s.Action].flat().includes('s3:PutObject'));
      expect(objectWrites).to.have.length(1);
      expect(objectWrites[0]!.Resource).to.deep.equal({ 'Fn::Sub': '${BucketARN}/data/raw/ad/*' });
      const logWrites = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('logs:')));
      expect(logWrites).to.deep.equal([
        { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: { 'Fn::GetAtt': ['DeliveryErrorLogGroup', 'Arn'] } },
      ]);
      const bucketLevel = statements.filter((s) => s !== objectWrites[0] && !logWrites.includes(s));
      for (const s of bucketLevel) {
        expect(s.Resource).to.deep.equal({ Ref: 'BucketARN' });
        expect([s.Action].flat().every((a: string) => /^s3:(Get|List)/.test(a))).to.equal(true);
      }
    });
  });

  describe('throughput alarms', () => {
    const expected = [
      ['RecordsPerSecondAlarm', 'IncomingRecords', 4000],
      ['TransactionsPerSecondAlarm', 'PutRecordBatch.Requests', 1600],
      ['DataThroughputAlarm', 'IncomingBytes', 4194304],
    ] as const;

    it('has six quota alarms, three per stream', () => {
      const quota = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a: Json) =>
        expected.some(([, metric]) => a.Properties.MetricName === metric),
      );
      expect(quota).to.have.length(6);
    });

    for (const stream of ['ImpressionsDeliveryStream', 'ClicksDeliveryStream']) {
      for (const [suffix, metric, threshold] of expected) {
        it(`${stream}${suffix} alarms when the average ${metric} exceeds ${threshold} in 3 of 5 minutes, telling the topic of both changes`, () => {
          template.hasResource(`${stream}${suffix}`, 'AWS::CloudWatch::Alarm', {
            Properties: {
              Namespace: 'AWS/Firehose',
              MetricName: metric,
              Dimensions: [{ Name: 'DeliveryStreamName', Value: { Ref: stream } }],
              Statistic: 'Average',
              ComparisonOperator: 'GreaterThanThreshold',
              Threshold: threshold,
              Period: 60,
              EvaluationPeriods: 5,
              DatapointsToAlarm: 3,
              AlarmActions: [{ Ref: 'AlarmTopicArn' }],
              OKActions: [{ Ref: 'AlarmTopicArn' }],
            },
          });
        });
      }
    }
  });

  describe('functions', () => {
    const functions = [
      ['CaptureImpressionsLambda', 'capture-impressions'],
      ['CaptureClicksLambda', 'capture-clicks'],
      ['QueryAdTrafficTableLambda', 'get-ad-traffic'],
    ] as const;

    for (const [id, bundle] of functions) {
      it(`${id} runs the ${bundle} bundle on Node.js 22 as APILambdaRole, logging to its own group`, () => {
        template.hasResource(id, 'AWS::Serverless::Function', {
          Properties: {
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            CodeUri: `../../dist/lambdas/${bundle}.zip`,
            Role: { 'Fn::GetAtt': ['APILambdaRole', 'Arn'] },
            LoggingConfig: { LogGroup: { Ref: `${id}LogGroup` } },
          },
        });
        template.hasResource(`${id}LogGroup`, 'AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 } });
      });
    }

    it('points every CodeUri at a bundle the build produces, relative to the template', () => {
      for (const [, bundle] of functions) {
        const fromTemplate = join(projectRoot(), 'templates-out', 'advertising', `../../dist/lambdas/${bundle}.zip`);
        expect(fromTemplate).to.equal(join(projectRoot(), 'dist', 'lambdas', `${bundle}.zip`));
      }
    });

    it('gives every function the stream and table names, traced, behind a gradually deployed alias', () => {
      const globals = (template.json.Globals as Json).Function;
      expect(globals).to.deep.include({
        Tracing: 'Active',
        AutoPublishAlias: 'Live',
        DeploymentPreference: {
          Enabled: true,
          Type: { Ref: 'DeploymentPreference' },
          Role: { 'Fn::GetAtt': ['CodeDeployServiceRole', 'Arn'] },
        },
      });
      expect(globals.Environment.Variables).to.deep.equal({
        IMPRESSIONS_DELIVERY_STREAM_NAME: { Ref: 'ImpressionsDeliveryStream' },
        CLICKS_DELIVERY_STREAM_NAME: { Ref: 'ClicksDeliveryStream' },
        AD_TRAFFIC_TABLE_NAME: { 'Fn::GetAtt': ['BatchPipeline', 'Outputs.AdTrafficTable'] },
      });
    });

    describe('real-time counts', () => {
      /** A value for each parameter without a default, as the root passes. */
      const required = Object.fromEntries(
        Object.entries(template.section('Parameters'))
          .filter(([, p]) => p.Default === undefined)
          .map(([id]) => [id, `given-${id}`]),
      );
      const captureMetrics = (id: string) => (resources[id] as Json).Properties.Environment?.Variables?.CAPTURE_METRICS;
      const valueUnder = (engine: string, id: string) =>
        resolve(captureMetrics(id), stackContext(PATH, template.json, { ...required, RealTimeEngine: engine }));

      it("switches the capture functions' counts with the engine: on by default, off under Kinesis Analytics", () => {
        for (const id of ['CaptureImpressionsLambda', 'CaptureClicksLambda']) {
          expect(captureMetrics(id), id).to.deep.equal({ 'Fn::If': ['LegacyRealTime', 'off', 'emf'] });
          expect(valueUnder('capture-metrics', id), id).to.equal('emf');
          expect(valueUnder('kinesis-analytics-sql', id), id).to.equal('off');
        }
      });

      it('leaves the query function without the setting, since it captures nothing', () => {
        expect((resources.QueryAdTrafficTableLambda as Json).Properties.Environment).to.equal(undefined);
        expect((template.json.Globals as Json).Function.Environment.Variables.CAPTURE_METRICS).to.equal(undefined);
      });

      it('needs no grant beyond the log groups the capture functions already write, as the counts are log lines', () => {
        const statements = statementsOf(template.resource('APILambdaRole', 'AWS::IAM::Role'));
        expect(actionsOf(template.resource('APILambdaRole'))).to.not.include('cloudwatch:PutMetricData');
        const logs = statements.find((s) => [s.Action].flat().includes('logs:PutLogEvents'))!;
        for (const id of ['CaptureImpressionsLambda', 'CaptureClicksLambda']) {
          const group = (resources[id] as Json).Properties.LoggingConfig.LogGroup.Ref as string;
          expect(logs.Resource, id).to.deep.include({ 'Fn::GetAtt': [group, 'Arn'] });
        }
      });
    });

    it('tags the functions and the API with the build that deployed them', () => {
      const tags = {
        'dataless:pipeline': { Ref: 'CodePipeline' },
        'dataless:build-region': { Ref: 'BuildRegion' },
        'dataless:source-version': { Ref: 'SourceVersion' },
        'dataless:build': { Ref: 'Build' },
      };
      expect((template.json.Globals as Json).Function.Tags).to.deep.equal(tags);
      expect((resources.API as Json).Properties.Tags).to.deep.equal(tags);
    });
  });

  describe('roles', () => {
    it('grants no wildcard action in any role, and attaches no managed policy but CodeDeploy its own', () => {
      for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Role'))) {
        for (const action of actionsOf(r)) expect(action, `${id} grants ${action}`).not.to.match(/\*/);
        if (id === 'CodeDeployServiceRole') continue;
        expect((r as Json).Properties.ManagedPolicyArns, `${id} attaches managed policies`).to.equal(undefined);
      }
    });

    it('declares the role CodeDeploy shifts the functions as, under the id SAM gave the one it generated, so that it carries the boundary', () => {
      template.hasResource('CodeDeployServiceRole', 'AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: ['codedeploy.amazonaws.com'] },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda'],
        },
      });
    });

    it('lets the API functions put batches on the two streams, query the ad traffic table, log and trace', () => {
      const statements = statementsOf(template.resource('APILambdaRole', 'AWS::IAM::Role'));
      expect(statements).to.deep.include({
        Effect: 'Allow',
        Action: 'firehose:PutRecordBatch',
        Resource: [
          { 'Fn::GetAtt': ['ImpressionsDeliveryStream', 'Arn'] },
          { 'Fn::GetAtt': ['ClicksDeliveryStream', 'Arn'] },
        ],
      });
      expect(statements).to.deep.include({
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: { 'Fn::GetAtt': ['BatchPipeline', 'Outputs.AdTrafficTableArn'] },
      });
      expect(statements).to.deep.include({
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [
          { 'Fn::GetAtt': ['CaptureImpressionsLambdaLogGroup', 'Arn'] },
          { 'Fn::GetAtt': ['CaptureClicksLambdaLogGroup', 'Arn'] },
          { 'Fn::GetAtt': ['QueryAdTrafficTableLambdaLogGroup', 'Arn'] },
        ],
      });
      expect(statements).to.deep.include({
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: '*',
      });
      expect(statements).to.have.length(4);
    });

    it('lets API Gateway invoke the live aliases of the three functions and nothing else', () => {
      const role = template.resource('APIRole', 'AWS::IAM::Role') as Json;
      expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).to.deep.equal({
        Service: ['apigateway.amazonaws.com'],
      });
      expect(statementsOf(role)).to.deep.equal([
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: [
            { Ref: 'CaptureImpressionsLambda.Alias' },
            { Ref: 'CaptureClicksLambda.Alias' },
            { Ref: 'QueryAdTrafficTableLambda.Alias' },
          ],
        },
      ]);
    });
  });

  describe('API', () => {
    it('deploys the Stage parameter as its stage, traced, throttled, with metrics for every method', () => {
      template.hasResource('API', 'AWS::Serverless::Api', {
        Properties: {
          StageName: { Ref: 'Stage' },
          OpenApiVersion: '3.0.1',
          TracingEnabled: true,
          MethodSettings: [
            {
              HttpMethod: '*',
              ResourcePath: '/*',
              MetricsEnabled: true,
              ThrottlingRateLimit: 500,
              ThrottlingBurstLimit: 1000,
            },
          ],
        },
      });
      expect((template.json.Globals as Json).Api).to.deep.equal({
        TracingEnabled: true,
        EndpointConfiguration: 'EDGE',
      });
    });

    it('writes an access log line per request, as JSON, to a log group of its own', () => {
      const setting = (template.resource('API').Properties as Json).AccessLogSetting;
      expect(setting.DestinationArn).to.deep.equal({ 'Fn::GetAtt': ['APIAccessLogGroup', 'Arn'] });
      expect(Object.keys(JSON.parse(setting.Format))).to.include.members([
        'requestId',
        'ip',
        'caller',
        'httpMethod',
        'resourcePath',
        'status',
      ]);
      template.hasResource('APIAccessLogGroup', 'AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 } });
    });

    it("reserves each function a share of the account's concurrency, so anonymous callers cannot take all of it", () => {
      const reserved = Object.fromEntries(
        Object.entries(template.findResources('AWS::Serverless::Function')).map(([id, f]) => [
          id,
          (f.Properties as Json).ReservedConcurrentExecutions,
        ]),
      );
      expect(reserved).to.deep.equal({
        CaptureImpressionsLambda: 50,
        CaptureClicksLambda: 50,
        QueryAdTrafficTableLambda: 10,
      });
    });

    it('requires IAM (SigV4) authorization on GET /traffic unless TrafficAuthorization is none, and none on the capture routes', () => {
      expect(definition.components.securitySchemes).to.deep.equal({
        sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
      });
      expect(definition.paths['/traffic/{ad-id}'].get.security).to.deep.equal({
        'Fn::If': ['TrafficNeedsIam', [{ sigv4: [] }], []],
      });
      template.hasCondition('TrafficNeedsIam', { 'Fn::Equals': [{ Ref: 'TrafficAuthorization' }, 'iam'] });
      template.hasParameter('TrafficAuthorization', { Default: 'iam', AllowedValues: ['iam', 'none'] });
      expect(definition.paths['/impressions'].post.security).to.equal(undefined);
      expect(definition.paths['/clicks'].post.security).to.equal(undefined);
      expect(definition.security, 'no default for the whole API').to.equal(undefined);
    });

    it('inlines an OpenAPI 3 document with exactly the three operations', () => {
      expect(definition.openapi).to.match(/^3\.0\./);
      expect(Object.keys(definition.paths)).to.have.members(['/impressions', '/clicks', '/traffic/{ad-id}']);
      expect(Object.keys(definition.paths['/impressions'])).to.deep.equal(['post']);
      expect(Object.keys(definition.paths['/clicks'])).to.deep.equal(['post']);
      expect(Object.keys(definition.paths['/traffic/{ad-id}'])).to.deep.equal(['get']);
    });

    for (const [path, method, fn] of [
      ['/impressions', 'post', 'CaptureImpressionsLambda'],
      ['/clicks', 'post', 'CaptureClicksLambda'],
      ['/traffic/{ad-id}', 'get', 'QueryAdTrafficTableLambda'],
    ] as const) {
      it(`proxies ${method.toUpperCase()} ${path} to the live alias of ${fn} with APIRole's credentials`, () => {
        expect(definition.paths[path][method]['x-amazon-apigateway-integration']).to.deep.equal({
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: {
            'Fn::Sub': [
              'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FunctionArn}/invocations',
              { FunctionArn: { Ref: `${fn}.Alias` } },
            ],
          },
          credentials: { 'Fn::GetAtt': ['APIRole', 'Arn'] },
          passthroughBehavior: 'when_no_match',
        });
      });
    }

    it('takes batches as {"impressions": [...]} and {"clicks": [...]} and answers with per-record results', () => {
      for (const [path, schema] of [
        ['/impressions', 'Impressions'],
        ['/clicks', 'Clicks'],
      ]) {
        const op = definition.paths[path!].post;
        expect(op.requestBody).to.deep.include({ required: true });
        expect(op.requestBody.content['application/json'].schema).to.deep.equal({
          $ref: `#/components/schemas/${schema}`,
        });
        expect(op.responses['200'].content['application/json'].schema).to.deep.equal({
          $ref: '#/components/schemas/CaptureResponse',
        });
        expect(op.responses['400'].content['application/json'].schema).to.deep.equal({
          $ref: '#/components/schemas/Error',
        });
      }
    });

    it('reads traffic by ad id (path, uuid) with optional start, end, limit (1 to 100) and page', () => {
      const op = definition.paths['/traffic/{ad-id}'].get;
      const params = Object.fromEntries(op.parameters.map((p: Json) => [p.name, p]));
      expect(Object.keys(params)).to.have.members(['ad-id', 'start', 'end', 'limit', 'page']);
      expect(params['ad-id']).to.deep.include({
        in: 'path',
        required: true,
        schema: { type: 'string', format: 'uuid' },
      });
      expect(params.start).to.deep.include({
        in: 'query',
        required: false,
        schema: { $ref: '#/components/schemas/Day' },
      });
      expect(params.end).to.deep.include({
        in: 'query',
        required: false,
        schema: { $ref: '#/components/schemas/Day' },
      });
      expect(params.limit).to.deep.include({
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 100 },
      });
      expect(params.page).to.deep.include({
        in: 'query',
        required: false,
        schema: { $ref: '#/components/schemas/PageToken' },
      });
      expect(op.responses['200'].content['application/json'].schema).to.deep.equal({
        $ref: '#/components/schemas/AdTraffic',
      });
      expect(op.responses['400'].content['application/json'].schema).to.deep.equal({
        $ref: '#/components/schemas/Error',
      });
    });

    it('refers only to schemas it declares', () => {
      const refs = JSON.stringify(definition).match(/#\/components\/schemas\/[A-Za-z0-9]+/g) ?? [];
      const declared = Object.keys(definition.components.schemas);
      for (const ref of new Set(refs)) expect(declared).to.include(ref.split('/').pop());
      for (const name of declared) expect(name).to.match(/^[A-Za-z0-9]+$/);
    });

    it('validates every request body and parameter, answering failures in the handlers\' {"error"} shape', () => {
      expect(definition['x-amazon-apigateway-request-validators']).to.deep.equal({
        all: { validateRequestBody: true, validateRequestParameters: true },
      });
      expect(definition['x-amazon-apigateway-request-validator']).to.equal('all');
      for (const type of ['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS']) {
        const response = definition['x-amazon-apigateway-gateway-responses'][type];
        expect(response.statusCode).to.equal(400);
        const rendered = response.responseTemplates['application/json'].replace(
          '$context.error.messageString',
          '"Invalid request body"',
        );
        expect(JSON.parse(rendered)).to.deep.equal({ error: 'Invalid request body' });
      }
    });

    describe('schemas', () => {
      // Formats are not checked, as API Gateway's validator does not check them either.
      const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
      ajv.addSchema({ $id: 'api', components: definition.components });
      const validator = (name: string) => ajv.getSchema(`api#/components/schemas/${name}`)!;
      const impression = {
        impression_id: '5f0c7c5e-3f7e-4d8e-9a53-6d3c4b0a1f11',
        ad_id: '0b6d3f3e-2d0f-4f4c-8c55-1a2b3c4d5e6f',
        occurred_at: '2024-05-01 12:30:00',
      };
      const click = { ...impression, click_id: '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' };

      it('accepts a batch of impressions and a batch of clicks', () => {
        expect(validator('Impressions')({ impressions: [impression] })).to.equal(true);
        expect(
          validator('Clicks')({ clicks: [click, { ...click, occurred_at: '2024-05-01T12:30:00.250Z' }] }),
        ).to.equal(true);
      });

      it('rejects empty and oversized batches, missing fields and unknown fields', () => {
        const impressions = validator('Impressions');
        expect(impressions({ impressions: [] })).to.equal(false);
        expect(impressions({ impressions: Array(501).fill(impression) })).to.equal(false);
        expect(impressions({ impressions: Array(500).fill(impression) })).to.equal(true);
        expect(impressions({ impressions: [{ ...impression, ad_id: undefined }] })).to.equal(false);
        expect(impressions({ impressions: [{ ...impression, colour: 'red' }] })).to.equal(false);
        expect(impressions({ clicks: [impression] })).to.equal(false);
        expect(validator('Clicks')({ clicks: [impression] })).to.equal(false);
      });

      it('describes the capture answer the handlers give', () => {
        const answer: CaptureResult = {
          failed_count: 1,
          records: [
            { failed: false },
            { failed: true, error_code: 'InvalidRecord', error_message: 'clicks[1]: ad_id is missing' },
          ],
        };
        expect(validator('CaptureResponse')(answer)).to.equal(true);
        expect(validator('CaptureResponse')({ records: [] })).to.equal(false);
      });

      it('describes the traffic answer and the error answer the handlers give', () => {
        const traffic = { count: 1, next: '', days: [{ day: '2024-05-01', impressions: 10, clicks: 2 }] };
        expect(validator('AdTraffic')(traffic)).to.equal(true);
        expect(validator('AdTraffic')({ ...traffic, days: [{ day: '1 May', impressions: 1, clicks: 0 }] })).to.equal(
          false,
        );
        expect(validator('Error')(JSON.parse(badRequest('limit is not allowed').body))).to.equal(true);
      });

      it('accepts the timestamp forms the capture handlers accept', () => {
        const pattern = new RegExp(TIMESTAMP_PATTERN);
        const accepted = [
          '2024-05-01 12:30:00',
          '2024-05-01 12:30:00.123',
          '2024-05-01T12:30:00Z',
          '2024-05-01t12:30:00.5+02:00',
          '2024-05-01T12:30:00-0530',
        ];
        const refused = ['2024-05-01', '2024-05-01 12:30', '12:30:00 2024-05-01', '2024-05-01 12:30:00 UTC', ''];
        for (const text of accepted) {
          expect(parseTimestamp(text), text).not.to.equal(undefined);
          expect(pattern.test(text), text).to.equal(true);
        }
        for (const text of refused) {
          expect(parseTimestamp(text), text).to.equal(undefined);
          expect(pattern.test(text), text).to.equal(false);
        }
      });
    });
  });

  describe('nested stacks', () => {
    it('nests the lake, giving it the code and data bucket', () => {
      template.hasResource('Lake', 'AWS::Serverless::Application', {
        Properties: {
          Location: './lake.yaml',
          Parameters: {
            CodeBucket: { Ref: 'CodeBucket' },
            CodePrefix: { Ref: 'CodePrefix' },
            BucketName: { Ref: 'BucketName' },
            BucketARN: { Ref: 'BucketARN' },
          },
        },
      });
    });

    it('nests the batch pipeline, giving it the lake database, crawler and ETL jobs and the batch settings', () => {
      template.hasResource('BatchPipeline', 'AWS::Serverless::Application', {
        Properties: {
          Location: './pipeline.yaml',
          Parameters: objectLike({
            CodeBucket: { Ref: 'CodeBucket' },
            BucketName: { Ref: 'BucketName' },
            Database: { 'Fn::GetAtt': ['Lake', 'Outputs.Database'] },
            RawCrawler: { 'Fn::GetAtt': ['Lake', 'Outputs.RawCrawler'] },
            ImpressionsETLJob: { 'Fn::GetAtt': ['Lake', 'Outputs.ImpressionsETLJob'] },
            ClicksETLJob: { 'Fn::GetAtt': ['Lake', 'Outputs.ClicksETLJob'] },
            RedshiftPassword: { Ref: 'RedshiftPassword' },
            EnablePipeline: { Ref: 'EnablePipeline' },
            PipelineRoleARN: { Ref: 'PipelineRoleARN' },
            BatchEngine: { Ref: 'BatchEngine' },
            EnableBatchSchedule: { Ref: 'EnableBatchSchedule' },
          }),
        },
      });
      const given = (resources.BatchPipeline as Json).Properties.Parameters as Json;
      for (const [name, value] of Object.entries(given)) {
        if (!['Database', 'RawCrawler', 'ImpressionsETLJob', 'ClicksETLJob'].includes(name))
          expect(value, name).to.deep.equal({ Ref: name });
      }
    });

    it("nests the real-time stack, giving it the two delivery streams, the engine switch, the alarm topic and the roles' boundary", () => {
      template.hasResource('RealTime', 'AWS::Serverless::Application', {
        Properties: {
          Location: './realtime.yaml',
          Parameters: exact({
            ImpressionsDeliveryStreamArn: { 'Fn::GetAtt': ['ImpressionsDeliveryStream', 'Arn'] },
            ClicksDeliveryStreamArn: { 'Fn::GetAtt': ['ClicksDeliveryStream', 'Arn'] },
            RealTimeEngine: { Ref: 'RealTimeEngine' },
            AlarmTopicArn: { Ref: 'AlarmTopicArn' },
            PermissionsBoundaryArn: { Ref: 'PermissionsBoundaryArn' },
          }),
        },
      });
    });

    it('keeps the real-time, lake and batch resources out of this template', () => {
      for (const id of [
        'RealTimeAdvertisingDashboard',
        'Database',
        'RawCrawler',
        'AdTrafficTable',
        'AdvertisingTable',
        'EMRPipeline',
      ]) {
        expect(resources[id], id).to.equal(undefined);
      }
      template.resourceCountIs('AWS::Serverless::Application', 3);
    });
  });

  describe('outputs', () => {
    it('gives the root the API id, its stage and its base URL', () => {
      template.hasOutput('API', { Value: { Ref: 'API' } });
      template.hasOutput('Stage', { Value: { Ref: 'API.Stage' } });
      template.hasOutput('BaseURL', {
        Value: { 'Fn::Sub': 'https://${API}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}' },
        Export: absent(),
      });
    });
  });
});

describe('OpenApi (the document builder)', () => {
  const integration = lambdaProxy(
    'arn:aws:lambda:us-east-1:123456789012:function:f:Live',
    'arn:aws:iam::123456789012:role/api',
  );

  it('hands back a $ref to each declared schema', () => {
    const api = new OpenApi({ title: 'T', version: '1' });
    expect(api.schema('Thing', { type: 'string' })).to.deep.equal({ $ref: '#/components/schemas/Thing' });
    expect(api.toJSON().components.schemas).to.deep.equal({ Thing: { type: 'string' } });
  });

  it("refuses a schema declared twice or named outside API Gateway's model names", () => {
    const api = new OpenApi({ title: 'T', version: '1' });
    api.schema('Thing', { type: 'string' });
    expect(() => api.schema('Thing', { type: 'string' })).to.throw(TemplateError, /schema Thing is declared twice/);
    expect(() => api.schema('my-thing', { type: 'string' })).to.throw(
      TemplateError,
      /'my-thing' may hold only letters and digits/,
    );
  });

  it('refuses an operation whose path parameter is not declared as a required path parameter', () => {
    const api = new OpenApi({ title: 'T', version: '1' });
    const op = {
      summary: 's',
      operationId: 'o',
      responses: { '200': { description: 'ok' } },
      'x-amazon-apigateway-integration': integration,
    };
    expect(() => api.operation('/things/{id}', 'get', op)).to.throw(
      TemplateError,
      /GET \/things\/\{id\} needs a required path parameter id/,
    );
    api.operation('/things/{id}', 'get', {
      ...op,
      parameters: [{ name: 'id', in: 'path', required: true, description: 'd', schema: { type: 'string' } }],
    });
    expect(Object.keys(api.toJSON().paths)).to.deep.equal(['/things/{id}']);
  });

  it('refuses a second operation on the same path and method', () => {
    const api = new OpenApi({ title: 'T', version: '1' });
    const op = {
      summary: 's',
      operationId: 'o',
      responses: { '200': { description: 'ok', content: json({ type: 'string' }) } },
      'x-amazon-apigateway-integration': integration,
    };
    api.operation('/things', 'post', op);
    api.operation('/things', 'get', op);
    expect(() => api.operation('/things', 'post', op)).to.throw(TemplateError, /POST \/things is declared twice/);
  });

  it('leaves out the API Gateway extensions nobody set', () => {
    const doc = new OpenApi({ title: 'T', version: '1' }).toJSON();
    expect(doc).to.deep.equal({
      openapi: '3.0.1',
      info: { title: 'T', version: '1' },
      paths: {},
      components: { schemas: {} },
    });
  });
});
