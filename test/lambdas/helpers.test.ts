import { expect } from 'chai';
import { batchOf } from '../../src/lambdas/shared/capture';
import { batchBy, mapConcurrently } from '../../src/lambdas/shared/batching';
import { BadRequestError, bodyText, jsonBody } from '../../src/lambdas/shared/http';
import { CLICKS, IMPRESSIONS, validateRecord } from '../../src/lambdas/shared/records';
import { backoffDelay, DEFAULT_RETRY } from '../../src/lambdas/shared/retry';
import { isDay, parseTimestamp } from '../../src/lambdas/shared/time';
import { decodePageToken, encodePageToken, parseTrafficQuery } from '../../src/lambdas/get-ad-traffic/query';
import { parseMetric, planCalls, type Entry } from '../../src/lambdas/publish-to-cloudwatch/metrics';
import { thrown } from '../support/failure';

describe('lambda helpers', function () {
  describe('batchBy', function () {
    const bytes = (n: number) => n;

    it('cuts a batch when it reaches the count limit', function () {
      const items = Array.from({ length: 1201 }, () => 1);

      const batches = batchBy(items, bytes, { maxCount: 500, maxBytes: 1e9 });

      expect(batches.map((b) => b.length)).to.deep.equal([500, 500, 201]);
    });

    it('cuts a batch before the item that would pass the byte limit', function () {
      const batches = batchBy([4, 4, 2, 5, 1, 10], bytes, { maxCount: 500, maxBytes: 10 });

      expect(batches).to.deep.equal([[4, 4, 2], [5, 1], [10]]);
    });

    it('keeps the order and every item', function () {
      const items = Array.from({ length: 50 }, (_, i) => (i * 7) % 13);

      const batches = batchBy(items, bytes, { maxCount: 4, maxBytes: 20 });

      expect(batches.flat()).to.deep.equal(items);
      expect(batches.every((b) => b.length <= 4 && b.reduce((a, c) => a + c, 0) <= 20)).to.equal(true);
    });

    it('answers no batches for no items', function () {
      expect(batchBy([], bytes, { maxCount: 1, maxBytes: 1 })).to.deep.equal([]);
    });

    it('refuses an item larger than a whole batch', function () {
      expect(thrown(() => batchBy([11], bytes, { maxCount: 5, maxBytes: 10 })).message).to.equal(
        'an item of 11 bytes exceeds the batch limit of 10 bytes',
      );
    });
  });

  describe('mapConcurrently', function () {
    it('keeps results in input order and never runs more than the limit at once', async function () {
      let inFlight = 0;
      let peak = 0;

      const results = await mapConcurrently([30, 10, 20, 5, 15], 2, async (ms, i) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, ms));
        inFlight--;
        return i;
      });

      expect(results).to.deep.equal([0, 1, 2, 3, 4]);
      expect(peak).to.equal(2);
    });
  });

  describe('backoffDelay', function () {
    it('doubles the ceiling each retry up to the cap, with full jitter below it', function () {
      const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 500 };

      const ceilings = [1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, policy, () => 0.99999));
      const floors = [1, 2, 3].map((retry) => backoffDelay(retry, policy, () => 0));

      expect(ceilings).to.deep.equal([99, 199, 399, 499, 499]);
      expect(floors).to.deep.equal([0, 0, 0]);
    });

    it('keeps the default policy under half a second of waiting in all', function () {
      const total = [1, 2, 3].reduce((sum, retry) => sum + backoffDelay(retry, DEFAULT_RETRY, () => 0.99999), 0);

      expect(DEFAULT_RETRY.maxAttempts).to.equal(4);
      expect(total).to.be.below(500);
    });
  });

  describe('timestamps and days', function () {
    it('reads the warehouse form as UTC and keeps it as is', function () {
      expect(parseTimestamp('2024-02-29 23:59:59')).to.deep.equal({
        epochMs: Date.UTC(2024, 1, 29, 23, 59, 59),
        canonical: '2024-02-29 23:59:59',
      });
    });

    it('converts ISO 8601 with a zone to UTC and keeps milliseconds', function () {
      expect(parseTimestamp('2024-01-01T01:00:00.123456+02:00')?.canonical).to.equal('2023-12-31 23:00:00.123');
      expect(parseTimestamp('2024-01-01T01:00:00Z')?.canonical).to.equal('2024-01-01 01:00:00');
      expect(parseTimestamp('2024-01-01 01:00:00.5')?.canonical).to.equal('2024-01-01 01:00:00.500');
    });

    it('rejects what is not a real moment', function () {
      for (const text of [
        '2023-02-29 00:00:00',
        '2024-13-01 00:00:00',
        '2024-01-01 24:00:00',
        '2024-01-01 12:60:00',
        '2024-01-01 12:00:60',
        '2024-01-01',
        '2024-01-01 12:00',
        '0099-01-01 00:00:00',
        '9999-12-31T23:00:00-05:00',
        ' 2024-01-01 00:00:00',
        '1704067200',
      ]) {
        expect(parseTimestamp(text), text).to.equal(undefined);
      }
    });

    it('knows real days from impossible ones', function () {
      expect(isDay('2024-02-29')).to.equal(true);
      expect(isDay('2023-02-29')).to.equal(false);
      expect(isDay('2024-04-31')).to.equal(false);
      expect(isDay('2024-1-01')).to.equal(false);
    });
  });

  describe('validateRecord', function () {
    it('renders a valid impression as one JSON line, fields in a fixed order', function () {
      const result = validateRecord(
        { occurred_at: '2024-03-01T10:00:00Z', ad_id: 'ad', impression_id: 'imp' },
        IMPRESSIONS,
      );

      expect(result.ok && result.line.toString()).to.equal(
        '{"impression_id":"imp","ad_id":"ad","occurred_at":"2024-03-01 10:00:00"}\n',
      );
    });

    it('requires click_id on a click', function () {
      const result = validateRecord({ impression_id: 'i', ad_id: 'a', occurred_at: '2024-03-01 10:00:00' }, CLICKS);

      expect(result).to.deep.equal({
        ok: false,
        message: 'click_id is missing; a click needs string fields click_id, impression_id, ad_id, occurred_at',
      });
    });

    it('names what is wrong with an invalid record', function () {
      const base = { impression_id: 'i', ad_id: 'a', occurred_at: '2024-03-01 10:00:00' };
      const cases: Array<[unknown, string]> = [
        [null, 'an impression must be a JSON object, got null'],
        [[base], 'an impression must be a JSON object, got array'],
        [{ ...base, ad_id: '' }, 'ad_id must be a non-empty string, got ""'],
        [{ ...base, ad_id: null }, 'ad_id must be a non-empty string, got null'],
        [{ ...base, occurred_at: 1709287200 }, 'occurred_at number is not a timestamp'],
        [{ ...base, occurred_at: undefined }, 'occurred_at is missing'],
        [{ ...base, extra: 1, more: 2 }, 'unknown field "extra", "more"'],
      ];
      for (const [value, message] of cases) {
        const result = validateRecord(value, IMPRESSIONS);
        expect(result.ok, message).to.equal(false);
        expect(!result.ok && result.message).to.contain(message);
      }
    });

    it('refuses a record larger than Firehose accepts', function () {
      const result = validateRecord(
        { impression_id: 'i'.repeat(1024 * 1024), ad_id: 'a', occurred_at: '2024-03-01 10:00:00' },
        IMPRESSIONS,
      );

      expect(!result.ok && result.message).to.match(/^the impression is \d+ bytes; firehose accepts at most 1024000$/);
    });
  });

  describe('request bodies', function () {
    it('decodes a base64 body and rejects one that is not base64', function () {
      expect(bodyText({ body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true })).to.equal('{"a":1}');
      expect(thrown(() => bodyText({ body: '%%%', isBase64Encoded: true }))).to.be.instanceOf(BadRequestError);
    });

    it('finds the batch array or explains what to send', function () {
      expect(batchOf({ impressions: [1] }, IMPRESSIONS)).to.deep.equal([1]);
      expect(thrown(() => batchOf({ impressions: 'x' }, IMPRESSIONS)).message).to.equal(
        '"impressions" must be an array, got string; send {"impressions": [...]}',
      );
      expect(thrown(() => jsonBody({ body: 'nope' }))).to.be.instanceOf(BadRequestError);
    });
  });

  describe('traffic query parameters', function () {
    const ad = '4f1c2b7e-8d3a-4c55-9e21-0a6b5d7c8e90';

    it('fills in today and the largest page by default', function () {
      const query = parseTrafficQuery({ pathParameters: { 'ad-id': ad } }, '2024-05-06');

      expect(query).to.deep.equal({ adId: ad, start: '2024-05-06', end: '2024-05-06', limit: 100 });
    });

    it('round-trips a page token for the same ad and range', function () {
      const token = encodePageToken(ad, '2024-05-03');

      expect(token).to.match(/^[A-Za-z0-9_-]+$/);
      expect(decodePageToken(token, ad, '2024-05-01', '2024-05-31')).to.equal('2024-05-03');
      const query = parseTrafficQuery(
        {
          pathParameters: { 'ad-id': ad },
          queryStringParameters: { start: '2024-05-01', end: '2024-05-31', page: token },
        },
        '2024-06-01',
      );
      expect(query.after).to.equal('2024-05-03');
    });
  });

  describe('metrics', function () {
    const now = Date.UTC(2024, 4, 6, 12, 0, 0);
    const encode = (row: unknown) => Buffer.from(JSON.stringify(row)).toString('base64');

    it('reads the real-time application output row', function () {
      const parsed = parseMetric(
        encode({ namespace: 'Warehouse/Advertising', name: 'Impressions', at: '2024-05-06 11:59:00.000', value: 42 }),
        now,
      );

      expect(parsed).to.deep.equal({
        ok: true,
        metric: {
          namespace: 'Warehouse/Advertising',
          name: 'Impressions',
          at: new Date(Date.UTC(2024, 4, 6, 11, 59)),
          value: 42,
        },
      });
    });

    it('drops rows CloudWatch would refuse', function () {
      const row = { namespace: 'Warehouse/Advertising', name: 'Impressions', at: '2024-05-06 11:59:00', value: 1 };
      const reasons = [
        { ...row, namespace: '' },
        { ...row, namespace: 'Bad|Namespace' },
        { ...row, name: '' },
        { ...row, at: '2024-05-06 15:00:00' },
        { ...row, at: '2024-04-01 00:00:00' },
        { ...row, value: '1' },
      ].map((bad) => {
        const parsed = parseMetric(encode(bad), now);
        return parsed.ok ? 'accepted' : parsed.reason;
      });

      expect(reasons).to.deep.equal([
        'namespace "" is not a CloudWatch namespace',
        'namespace "Bad|Namespace" is not a CloudWatch namespace',
        'name "" is not a metric name of 1 to 255 characters',
        'at "2024-05-06 15:00:00" is outside what CloudWatch accepts (two weeks back to two hours ahead)',
        'at "2024-04-01 00:00:00" is outside what CloudWatch accepts (two weeks back to two hours ahead)',
        'value "1" is not a number CloudWatch accepts',
      ]);
    });

    it('groups by namespace into calls of at most the API limit', function () {
      const entry = (recordId: string, namespace: string): Entry => ({
        recordId,
        metric: { namespace, name: 'm', at: new Date(now), value: 1 },
      });
      const entries = [...Array.from({ length: 5 }, (_, i) => entry(`a${i}`, 'A')), entry('b0', 'B'), entry('a5', 'A')];

      const calls = planCalls(entries, 3);

      expect(calls.map((c) => [c.namespace, c.entries.map((e) => e.recordId)])).to.deep.equal([
        ['A', ['a0', 'a1', 'a2']],
        ['A', ['a3', 'a4', 'a5']],
        ['B', ['b0']],
      ]);
    });

    it('keeps each call within the 1 MB request size, and no more calls than that needs', function () {
      // The JSON body the SDK sends for one call (AWS JSON 1.0: epoch seconds, names escaped).
      const bodyBytes = (call: { namespace: string; entries: readonly Entry[] }) =>
        Buffer.byteLength(
          JSON.stringify({
            Namespace: call.namespace,
            MetricData: call.entries.map(({ metric }) => ({
              MetricName: metric.name,
              Timestamp: metric.at.getTime() / 1000,
              Value: metric.value,
            })),
          }),
        );
      // 255 control characters: a name CloudWatch's length limit allows, six bytes each once escaped
      const longName = '\u0001'.repeat(255);
      const entries = Array.from({ length: 1000 }, (_, i): Entry => ({
        recordId: `r${i}`,
        metric: {
          namespace: 'Warehouse/Advertising',
          name: longName,
          at: new Date(now),
          value: -1.2345678901234567e107,
        },
      }));
      const total = bodyBytes({ namespace: 'Warehouse/Advertising', entries });

      const calls = planCalls(entries);

      expect(total).to.be.above(1_000_000);
      expect(calls.map(bodyBytes).every((bytes) => bytes <= 1_000_000)).to.equal(true);
      expect(calls).to.have.length(2);
      expect(calls.flatMap((c) => c.entries.map((e) => e.recordId))).to.deep.equal(entries.map((e) => e.recordId));
    });
  });
});
