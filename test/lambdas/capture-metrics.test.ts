// The bundled capture handlers against moto, with their standard output
// captured as the Lambda runtime would pass it to CloudWatch Logs: one EMF
// line per request with the count of records the delivery stream accepted.
import { expect } from 'chai';
import { capturingStdout, emfDocuments } from '../support/stdout';
import { setEnv } from '../support/moto';
import { apiEvent, bodyOf } from './bundles';
import { click, impression, post, useCaptureHandlers } from './capture-fixture';

describe('capture handlers counting for the real-time dashboard (bundled, against moto)', function () {
  this.timeout(60_000);
  const capture = useCaptureHandlers({ CAPTURE_METRICS: 'emf' });

  /** How many records the stream wrote to the bucket. */
  async function storedCount(kind: 'impressions' | 'clicks'): Promise<number> {
    return (await capture.delivered(kind)).flat().length;
  }

  it('writes one Impressions line counting the records the stream accepted, not the invalid ones', async function () {
    // given seven valid impressions and two invalid ones
    const batch = [...Array.from({ length: 7 }, impression), { ad_id: 'x' }, 'not an object'];
    const before = Date.now();
    // when
    const { result, lines } = await capturingStdout(() => capture.captureImpressions(post('impressions', batch)));
    // then one EMF document counts the seven the stream holds
    expect(bodyOf(result).failed_count).to.equal(2);
    expect(await storedCount('impressions')).to.equal(7);
    const documents = emfDocuments(lines);
    expect(documents).to.have.length(1);
    const [document] = documents;
    expect(document!._aws.CloudWatchMetrics).to.deep.equal([
      { Namespace: 'Warehouse/Advertising', Dimensions: [[]], Metrics: [{ Name: 'Impressions', Unit: 'Count' }] },
    ]);
    expect(document!.Impressions).to.equal(7);
    expect(document!._aws.Timestamp).to.be.within(before, Date.now());
    expect(Object.keys(document!)).to.have.members(['_aws', 'Impressions']);
  });

  it('writes a Clicks line from the clicks handler', async function () {
    const { lines } = await capturingStdout(() => capture.captureClicks(post('clicks', [click(), click(), click()])));

    const documents = emfDocuments(lines);
    expect(documents.map((d) => [d._aws.CloudWatchMetrics[0].Metrics[0].Name, d.Clicks])).to.deep.equal([
      ['Clicks', 3],
    ]);
    expect(await storedCount('clicks')).to.equal(3);
  });

  it('writes one line for the whole request, however many calls the delivery took', async function () {
    const { lines } = await capturingStdout(() =>
      capture.captureImpressions(post('impressions', Array.from({ length: 1234 }, impression))),
    );

    expect(emfDocuments(lines).map((d) => d.Impressions)).to.deep.equal([1234]);
    expect(await storedCount('impressions')).to.equal(1234);
  });

  it('counts zero when the stream took nothing', async function () {
    const restore = setEnv({ IMPRESSIONS_DELIVERY_STREAM_NAME: 'no-such-stream' });
    try {
      const { result, lines } = await capturingStdout(() =>
        capture.captureImpressions(post('impressions', [impression(), impression()])),
      );

      expect(bodyOf(result).failed_count).to.equal(2);
      expect(emfDocuments(lines).map((d) => d.Impressions)).to.deep.equal([0]);
    } finally {
      restore();
    }
  });

  it('writes nothing under CAPTURE_METRICS=off, as under the legacy engine, and still captures', async function () {
    const restore = setEnv({ CAPTURE_METRICS: 'off' });
    try {
      const { result, lines } = await capturingStdout(() =>
        capture.captureImpressions(post('impressions', [impression(), impression()])),
      );

      expect(bodyOf(result).failed_count).to.equal(0);
      expect(await storedCount('impressions')).to.equal(2);
      expect(lines).to.deep.equal([]);
    } finally {
      restore();
    }
  });

  it('writes nothing for a malformed request', async function () {
    const { result, lines } = await capturingStdout(() =>
      capture.captureImpressions(apiEvent({ body: '{"impressions": {}}' })),
    );

    expect(result.statusCode).to.equal(400);
    expect(lines).to.deep.equal([]);
  });
});
