import { expect } from 'chai';
import { setEnv } from '../support/moto';
import { apiEvent, bodyOf } from './bundles';
import { click, impression, post, useCaptureHandlers } from './capture-fixture';

describe('capture handlers (bundled, against moto)', function () {
  this.timeout(60_000);
  const capture = useCaptureHandlers();
  const { delivered } = capture;

  it('delivers a full batch of 500 impressions in one call, one JSON line per record', async function () {
    const records = Array.from({ length: 500 }, () => impression());

    const result = await capture.captureImpressions(post('impressions', records));

    expect(result.statusCode).to.equal(200);
    expect(result.headers['Content-Type']).to.equal('application/json');
    const body = bodyOf(result);
    expect(body.failed_count).to.equal(0);
    expect(body.records).to.have.length(500);
    expect(body.records.every((r: { failed: boolean }) => r.failed === false)).to.equal(true);
    const objects = await delivered('impressions');
    expect(objects).to.have.length(1);
    expect(objects[0]!.map((line) => JSON.parse(line))).to.deep.equal(records);
  });

  it('splits a batch of 1234 impressions into calls of at most 500 records', async function () {
    const records = Array.from({ length: 1234 }, () => impression());

    const result = await capture.captureImpressions(post('impressions', records));

    expect(bodyOf(result).failed_count).to.equal(0);
    const objects = await delivered('impressions');
    expect(objects.map((lines) => lines.length).sort((a, b) => a - b)).to.deep.equal([234, 500, 500]);
    const ids = objects.flat().map((line) => JSON.parse(line).impression_id);
    expect(new Set(ids)).to.deep.equal(new Set(records.map((r) => r.impression_id)));
  });

  it('delivers the valid records of a mixed batch and reports each invalid one as InvalidRecord, in order', async function () {
    const valid = [impression(), impression(), impression()];
    const batch = [
      valid[0],
      impression({ ad_id: undefined }),
      impression({ impression_id: 42 }),
      valid[1],
      impression({ occurred_at: 'yesterday' }),
      impression({ occurred_at: '2024-02-30 00:00:00' }),
      'not an object',
      impression({ campaign: 'spring' }),
      valid[2],
    ];

    const result = await capture.captureImpressions(apiEvent({ body: JSON.stringify({ impressions: batch }) }));

    const body = bodyOf(result);
    expect(result.statusCode).to.equal(200);
    expect(body.failed_count).to.equal(6);
    expect(body.records.map((r: { failed: boolean }) => r.failed)).to.deep.equal([
      false,
      true,
      true,
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
    const messages = body.records.filter((r: { failed: boolean }) => r.failed);
    expect(messages.every((r: { error_code: string }) => r.error_code === 'InvalidRecord')).to.equal(true);
    expect(body.records[1].error_message).to.equal(
      'impressions[1]: ad_id is missing; an impression needs string fields impression_id, ad_id, occurred_at',
    );
    expect(body.records[2].error_message).to.contain('impression_id must be a non-empty string, got number');
    expect(body.records[4].error_message).to.contain('occurred_at "yesterday" is not a timestamp');
    expect(body.records[5].error_message).to.contain('"2024-02-30 00:00:00" is not a timestamp');
    expect(body.records[6].error_message).to.contain('must be a JSON object, got string');
    expect(body.records[7].error_message).to.contain('unknown field "campaign"');
    const lines = (await delivered('impressions')).flat().map((line) => JSON.parse(line));
    expect(lines).to.deep.equal(valid);
    expect(capture.warnings).to.deep.equal(['6 of 9 impressions failed (InvalidRecord)']);
  });

  it('delivers clicks, click_id first, to the clicks stream', async function () {
    const records = [click(), click()];

    const result = await capture.captureClicks(post('clicks', records));

    expect(bodyOf(result)).to.deep.equal({ failed_count: 0, records: [{ failed: false }, { failed: false }] });
    const [lines] = await delivered('clicks');
    expect(lines).to.deep.equal(
      records.map(
        (r) =>
          `{"click_id":"${r.click_id}","impression_id":"${r.impression_id}","ad_id":"${r.ad_id}","occurred_at":"${r.occurred_at}"}`,
      ),
    );
    expect(await delivered('impressions')).to.deep.equal([]);
  });

  it('rejects a click without click_id', async function () {
    const result = await capture.captureClicks(post('clicks', [impression()]));

    expect(bodyOf(result).records[0]).to.deep.include({ failed: true, error_code: 'InvalidRecord' });
    expect(bodyOf(result).records[0].error_message).to.contain('click_id is missing');
    expect(await delivered('clicks')).to.deep.equal([]);
  });

  it('stores occurred_at in the canonical UTC form when given ISO 8601 with an offset', async function () {
    const record = impression({ occurred_at: '2024-03-01T23:30:00.250-02:00' });

    await capture.captureImpressions(post('impressions', [record]));

    const [[line]] = await delivered('impressions');
    expect(JSON.parse(line!).occurred_at).to.equal('2024-03-02 01:30:00.250');
  });

  it('reads a base64-encoded body', async function () {
    const record = impression();
    const body = Buffer.from(JSON.stringify({ impressions: [record] })).toString('base64');

    const result = await capture.captureImpressions(apiEvent({ body, isBase64Encoded: true }));

    expect(bodyOf(result).failed_count).to.equal(0);
    expect((await delivered('impressions')).flat().map((line) => JSON.parse(line))).to.deep.equal([record]);
  });

  it('answers an empty batch with no records and sends nothing', async function () {
    const result = await capture.captureImpressions(post('impressions', []));

    expect(bodyOf(result)).to.deep.equal({ failed_count: 0, records: [] });
    expect(await delivered('impressions')).to.deep.equal([]);
  });

  const malformed: Array<[string, { body: string | null; isBase64Encoded?: boolean }, string]> = [
    ['a body that is not JSON', { body: '{"impressions": [' }, 'request body is not valid JSON'],
    ['an empty body', { body: '' }, 'request body is empty'],
    ['a missing body', { body: null }, 'request body is empty'],
    ['a JSON array body', { body: '[]' }, 'request body must be a JSON object, got array'],
    ['a body without the batch key', { body: '{"clicks": []}' }, 'request body has no "impressions"'],
    ['a batch that is an object', { body: '{"impressions": {}}' }, '"impressions" must be an array, got object'],
    ['a batch that is null', { body: '{"impressions": null}' }, '"impressions" must be an array, got null'],
    ['a base64 body that is not base64', { body: '***', isBase64Encoded: true }, 'not valid base64'],
  ];
  for (const [what, event, message] of malformed) {
    it(`answers 400 with a JSON error for ${what}`, async function () {
      const result = await capture.captureImpressions(apiEvent(event));

      expect(result.statusCode).to.equal(400);
      expect(bodyOf(result).error).to.contain(message);
      expect(await delivered('impressions')).to.deep.equal([]);
    });
  }

  it('reports every valid record failed, not dropped, when the delivery stream does not exist', async function () {
    const restore = setEnv({ IMPRESSIONS_DELIVERY_STREAM_NAME: 'no-such-stream' });
    try {
      const result = await capture.captureImpressions(post('impressions', [impression(), { bad: true }, impression()]));

      const body = bodyOf(result);
      expect(result.statusCode).to.equal(200);
      expect(body.failed_count).to.equal(3);
      expect(body.records[0]).to.deep.include({ failed: true, error_code: 'ResourceNotFoundException' });
      expect(body.records[1]).to.deep.include({ failed: true, error_code: 'InvalidRecord' });
      expect(body.records[2]).to.deep.include({ failed: true, error_code: 'ResourceNotFoundException' });
      expect(body.records[0].error_message).to.contain('no-such-stream');
    } finally {
      restore();
    }
  });

  it('answers 500 with a request id when the stream name is not configured', async function () {
    const restore = setEnv({ IMPRESSIONS_DELIVERY_STREAM_NAME: undefined });
    const errors: unknown[][] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const result = await capture.captureImpressions(post('impressions', [impression()]), { awsRequestId: 'req-1' });

      expect(result.statusCode).to.equal(500);
      expect(bodyOf(result).error).to.equal('internal error; quote request id req-1');
      expect(String(errors[0]?.[1])).to.contain('IMPRESSIONS_DELIVERY_STREAM_NAME is not set');
    } finally {
      console.error = consoleError;
      restore();
    }
  });
});
