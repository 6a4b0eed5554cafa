// The real-time counts the capture functions write: the EMF document, the
// CAPTURE_METRICS switch, and (Firehose mocked, since moto accepts every
// record) that only the records Firehose accepted are counted.
import { FirehoseClient, PutRecordBatchCommand, type PutRecordBatchCommandInput } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { acceptedCount, captureHandler } from '../../src/lambdas/shared/capture';
import {
  ADVERTISING_NAMESPACE,
  CAPTURE_METRICS_MODES,
  CAPTURE_METRICS_VARIABLE,
  captureMetricsMode,
  countDocument,
  recordCount,
} from '../../src/lambdas/shared/metrics';
import { IMPRESSIONS } from '../../src/lambdas/shared/records';
import { ADVERTISING_NAMESPACE as DASHBOARD_NAMESPACE } from '../../src/stacks/advertising/realtime/metrics';
import {
  CAPTURE_METRICS_OFF,
  CAPTURE_METRICS_ON,
  CAPTURE_METRICS_VARIABLE as TEMPLATE_VARIABLE,
} from '../../src/stacks/shared/realtime-engine';
import { setEnv } from '../support/moto';
import { capturingStdout, emfDocuments } from '../support/stdout';
import { apiEvent, bodyOf } from './bundles';

const AT = Date.parse('2026-03-01T12:34:56.789Z');

describe('real-time counts (src/lambdas/shared/metrics.ts)', () => {
  describe('countDocument', () => {
    it('is an EMF document of one Count metric in Warehouse/Advertising, with no dimensions', () => {
      // when
      const document = countDocument('Impressions', 42, AT);
      // then
      expect(document).to.deep.equal({
        _aws: {
          Timestamp: AT,
          CloudWatchMetrics: [
            { Namespace: 'Warehouse/Advertising', Dimensions: [[]], Metrics: [{ Name: 'Impressions', Unit: 'Count' }] },
          ],
        },
        Impressions: 42,
      });
    });

    it('puts the value under the metric name, as EMF looks it up on the root', () => {
      const document = countDocument('Clicks', 3, AT);
      expect(document._aws.CloudWatchMetrics[0]!.Metrics).to.deep.equal([{ Name: 'Clicks', Unit: 'Count' }]);
      expect(document.Clicks).to.equal(3);
      expect(document).to.not.have.property('Impressions');
    });

    it('serializes to a single line', () => {
      const line = JSON.stringify(countDocument('Clicks', 0, AT));
      expect(line).to.not.include('\n');
      expect(JSON.parse(line)).to.deep.equal(countDocument('Clicks', 0, AT));
    });

    it('refuses counts that are not whole and non-negative, and timestamps that are not epoch milliseconds', () => {
      expect(() => countDocument('Clicks', -1, AT)).to.throw(
        RangeError,
        /count of Clicks must be a whole number of zero or more, got -1/,
      );
      expect(() => countDocument('Clicks', 1.5, AT)).to.throw(RangeError, /got 1.5/);
      expect(() => countDocument('Clicks', Number.NaN, AT)).to.throw(RangeError, /got NaN/);
      expect(() => countDocument('Clicks', 1, 1.5)).to.throw(RangeError, /timestamp must be whole milliseconds/);
    });

    it('uses the namespace the dashboard charts', () => {
      expect(ADVERTISING_NAMESPACE).to.equal(DASHBOARD_NAMESPACE);
    });
  });

  describe('CAPTURE_METRICS', () => {
    it('is the variable and the values the service template sets', () => {
      expect(CAPTURE_METRICS_VARIABLE).to.equal(TEMPLATE_VARIABLE);
      expect(CAPTURE_METRICS_MODES).to.have.members([CAPTURE_METRICS_ON, CAPTURE_METRICS_OFF]);
    });

    it('reads emf and off', () => {
      expect(captureMetricsMode({ CAPTURE_METRICS: 'emf' })).to.deep.equal({ mode: 'emf' });
      expect(captureMetricsMode({ CAPTURE_METRICS: 'off' })).to.deep.equal({ mode: 'off' });
    });

    it('is off when unset, so only a deployment that asks for counts gets them', () => {
      expect(captureMetricsMode({})).to.deep.equal({ mode: 'off' });
      expect(captureMetricsMode({ CAPTURE_METRICS: '' })).to.deep.equal({ mode: 'off' });
    });

    it('treats any other value as off and says which values are allowed', () => {
      const setting = captureMetricsMode({ CAPTURE_METRICS: 'EMF' });
      expect(setting.mode).to.equal('off');
      expect(setting.problem).to.equal(
        'environment variable CAPTURE_METRICS is "EMF"; set it to emf or off. No metrics are emitted until then',
      );
    });
  });

  describe('recordCount', () => {
    it('writes one EMF line stamped now when CAPTURE_METRICS is emf', () => {
      // given
      const lines: string[] = [];
      // when
      const written = recordCount({
        metric: 'Impressions',
        count: 7,
        env: { CAPTURE_METRICS: 'emf' },
        now: () => AT,
        write: (l) => lines.push(l),
      });
      // then
      expect(lines).to.have.length(1);
      expect(JSON.parse(lines[0]!)).to.deep.equal(countDocument('Impressions', 7, AT));
      expect(written).to.deep.equal(countDocument('Impressions', 7, AT));
    });

    it('writes nothing when CAPTURE_METRICS is off or unset', () => {
      const lines: string[] = [];
      for (const env of [{ CAPTURE_METRICS: 'off' }, {}]) {
        expect(recordCount({ metric: 'Clicks', count: 7, env, write: (l) => lines.push(l) })).to.equal(undefined);
      }
      expect(lines).to.deep.equal([]);
    });

    it('warns about a bad setting and writes nothing', () => {
      const lines: string[] = [];
      const warnings: string[] = [];
      recordCount({
        metric: 'Clicks',
        count: 7,
        env: { CAPTURE_METRICS: 'yes' },
        write: (l) => lines.push(l),
        warn: (m) => warnings.push(m),
      });
      expect(lines).to.deep.equal([]);
      expect(warnings).to.deep.equal([
        'environment variable CAPTURE_METRICS is "yes"; set it to emf or off. No metrics are emitted until then',
      ]);
    });

    it('writes to standard output by default, one line per document', async () => {
      const { lines } = await capturingStdout(async () => {
        recordCount({ metric: 'Clicks', count: 2, env: { CAPTURE_METRICS: 'emf' }, now: () => AT });
      });
      expect(lines).to.deep.equal([JSON.stringify(countDocument('Clicks', 2, AT))]);
    });
  });

  describe('acceptedCount', () => {
    it('counts the records that did not fail', () => {
      const result = {
        failed_count: 2,
        records: [
          { failed: false },
          { failed: true, error_code: 'InvalidRecord' },
          { failed: false },
          { failed: true },
        ],
      };
      expect(acceptedCount(result)).to.equal(2);
    });
  });

  describe('the capture handler (Firehose mocked)', function () {
    // Every FirehoseClient is mocked, the one the handler builds included; only
    // while this suite runs, as other suites talk to moto with real clients.
    let firehose: ReturnType<typeof mockClient>;
    const handler = captureHandler(IMPRESSIONS, 'IMPRESSIONS_DELIVERY_STREAM_NAME', 'Impressions');
    const impression = (n: number) => ({
      impression_id: `imp-${n}`,
      ad_id: 'ad-1',
      occurred_at: '2026-03-01 00:00:00',
    });
    const FAILED = { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'slow down' };
    let restoreEnv: () => void;
    const consoleWarn = console.warn;

    before(function () {
      firehose = mockClient(FirehoseClient);
    });

    beforeEach(function () {
      firehose.reset();
      console.warn = () => undefined;
      restoreEnv = setEnv({
        IMPRESSIONS_DELIVERY_STREAM_NAME: 'impressions',
        CAPTURE_METRICS: 'emf',
        AWS_REGION: 'us-east-1',
      });
    });

    afterEach(function () {
      console.warn = consoleWarn;
      restoreEnv();
    });

    after(function () {
      firehose.restore();
    });

    /** Firehose fails `imp-1` on every attempt and `imp-2` on the first only. */
    function failSome(): void {
      let call = 0;
      firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
        call += 1;
        const ids = (input.Records ?? []).map(
          (r) => JSON.parse(Buffer.from(r.Data!).toString('utf8')).impression_id as string,
        );
        const failing = call === 1 ? ['imp-1', 'imp-2'] : ['imp-1'];
        return {
          FailedPutCount: ids.filter((id) => failing.includes(id)).length,
          RequestResponses: ids.map((id) => (failing.includes(id) ? FAILED : { RecordId: `r-${id}` })),
        };
      });
    }

    it('counts only what Firehose accepted: not invalid records, not records that failed every attempt, retried ones once', async function () {
      // given five records: one invalid, one that always fails, one accepted on retry, two accepted at once
      failSome();
      const batch = [impression(0), { bad: true }, impression(1), impression(2), impression(3)];
      // when
      const { result, lines } = await capturingStdout(() =>
        handler(apiEvent({ body: JSON.stringify({ impressions: batch }) })),
      );
      // then the answer and the count agree: three captured
      expect(bodyOf(result).failed_count).to.equal(2);
      const documents = emfDocuments(lines);
      expect(documents).to.have.length(1);
      expect(documents[0]!.Impressions).to.equal(3);
      expect(documents[0]!._aws.CloudWatchMetrics).to.deep.equal([
        { Namespace: 'Warehouse/Advertising', Dimensions: [[]], Metrics: [{ Name: 'Impressions', Unit: 'Count' }] },
      ]);
    });

    it('writes nothing under CAPTURE_METRICS=off, and captures all the same', async function () {
      failSome();
      const restore = setEnv({ CAPTURE_METRICS: 'off' });
      try {
        const { result, lines } = await capturingStdout(() =>
          handler(apiEvent({ body: JSON.stringify({ impressions: [impression(0)] }) })),
        );
        expect(bodyOf(result)).to.deep.equal({ failed_count: 0, records: [{ failed: false }] });
        expect(lines).to.deep.equal([]);
      } finally {
        restore();
      }
    });

    it('counts nothing for a request it turns away', async function () {
      const { result, lines } = await capturingStdout(() => handler(apiEvent({ body: '{"clicks": []}' })));
      expect(result.statusCode).to.equal(400);
      expect(lines).to.deep.equal([]);
      expect(firehose.calls()).to.have.length(0);
    });
  });
});
