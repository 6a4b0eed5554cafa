import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { motoEnvironment, setEnv, useMoto } from '../support/moto';
import { apiEvent, bodyOf, buildBundles, loadApiHandler, type ApiHandler } from './bundles';

const TABLE = 'ad-traffic';
const AD = '4f1c2b7e-8d3a-4c55-9e21-0a6b5d7c8e90';
const OTHER_AD = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';

function isoDay(start: string, offset: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

/** January 2024 for AD: impressions 100 + n and clicks n on day n. */
const JANUARY = Array.from({ length: 31 }, (_, i) => ({
  day: isoDay('2024-01-01', i),
  impressions: 101 + i,
  clicks: 1 + i,
}));

function traffic(query: Record<string, string> | null, adId: string = AD) {
  return apiEvent({ pathParameters: { 'ad-id': adId }, queryStringParameters: query });
}

describe('get-ad-traffic handler (bundled, against moto)', function () {
  this.timeout(60_000);
  const moto = useMoto();
  let dynamodb: DynamoDBClient;
  let restoreEnv: () => void;
  let getAdTraffic: ApiHandler;
  const today = new Date().toISOString().slice(0, 10);

  before(async function () {
    await buildBundles();
    restoreEnv = setEnv({ ...motoEnvironment(moto.server.endpoint), AD_TRAFFIC_TABLE_NAME: TABLE });
    dynamodb = new DynamoDBClient({});
    await dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [
          { AttributeName: 'ad_id', AttributeType: 'S' },
          { AttributeName: 'day', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'ad_id', KeyType: 'HASH' },
          { AttributeName: 'day', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const items = [
      ...JANUARY.map((d) => ({ ad: AD, ...d })),
      { ad: AD, day: today, impressions: 7, clicks: 2 },
      { ad: OTHER_AD, day: '2024-01-05', impressions: 999, clicks: 99 },
    ];
    for (let i = 0; i < items.length; i += 25) {
      await dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [TABLE]: items.slice(i, i + 25).map((item) => ({
              PutRequest: {
                Item: {
                  ad_id: { S: item.ad },
                  day: { S: item.day },
                  impressions: { N: String(item.impressions) },
                  clicks: { N: String(item.clicks) },
                },
              },
            })),
          },
        }),
      );
    }
    getAdTraffic = loadApiHandler('get-ad-traffic');
  });

  after(function () {
    dynamodb?.destroy();
    restoreEnv?.();
  });

  it('answers the days of the range, oldest first, with their impressions and clicks', async function () {
    const result = await getAdTraffic(traffic({ start: '2024-01-10', end: '2024-01-12' }));

    expect(result.statusCode).to.equal(200);
    expect(bodyOf(result)).to.deep.equal({
      count: 3,
      next: '',
      days: [
        { day: '2024-01-10', impressions: 110, clicks: 10 },
        { day: '2024-01-11', impressions: 111, clicks: 11 },
        { day: '2024-01-12', impressions: 112, clicks: 12 },
      ],
    });
  });

  it('pages through a month seven days at a time with the next token', async function () {
    const range = { start: '2024-01-01', end: '2024-01-31', limit: '7' };
    const pages: Array<{ count: number; next: string; days: unknown[] }> = [];
    let page: string | undefined;
    do {
      const result = await getAdTraffic(traffic(page === undefined ? range : { ...range, page }));
      expect(result.statusCode, result.body).to.equal(200);
      const body = bodyOf(result);
      pages.push(body);
      page = body.next === '' ? undefined : body.next;
    } while (page !== undefined && pages.length < 10);

    expect(pages.map((p) => p.count)).to.deep.equal([7, 7, 7, 7, 3]);
    expect(pages.map((p) => p.next !== '')).to.deep.equal([true, true, true, true, false]);
    expect(pages.flatMap((p) => p.days)).to.deep.equal(JANUARY);
  });

  it('defaults start and end to today (UTC) and reads a mixed-case ad id', async function () {
    const result = await getAdTraffic(traffic(null, AD.toUpperCase()));

    expect(bodyOf(result)).to.deep.equal({ count: 1, next: '', days: [{ day: today, impressions: 7, clicks: 2 }] });
  });

  it('answers no days for an ad without traffic', async function () {
    const result = await getAdTraffic(
      traffic({ start: '2024-01-01', end: '2024-12-31' }, '00000000-0000-4000-8000-000000000000'),
    );

    expect(bodyOf(result)).to.deep.equal({ count: 0, next: '', days: [] });
  });

  const tokenFor = (ad: string, day: string) => Buffer.from(JSON.stringify({ ad, day })).toString('base64url');
  const badRequests: Array<[string, ReturnType<typeof traffic>, string]> = [
    ['a missing ad id', apiEvent({ pathParameters: null }), 'path parameter ad-id is missing'],
    ['an ad id that is not a UUID', traffic(null, 'ad-42'), 'path parameter ad-id "ad-42" is not a UUID'],
    [
      'a start that is not a day',
      traffic({ start: '2024-1-5' }),
      'query parameter start "2024-1-5" is not a day; use YYYY-MM-DD',
    ],
    ['an impossible start day', traffic({ start: '2024-02-30' }), 'query parameter start "2024-02-30" is not a day'],
    ['an end that is not a day', traffic({ end: 'tomorrow' }), 'query parameter end "tomorrow" is not a day'],
    [
      'a start after the end',
      traffic({ start: '2024-01-10', end: '2024-01-09' }),
      'start 2024-01-10 is after end 2024-01-09',
    ],
    [
      'an end before the default start',
      traffic({ end: '2024-01-09' }),
      'end 2024-01-09 is before start, which defaults to today',
    ],
    [
      'a start after the default end',
      traffic({ start: '2999-01-01' }),
      'start 2999-01-01 is after end, which defaults to today',
    ],
    [
      'a limit of 0',
      traffic({ limit: '0' }),
      'query parameter limit "0" is not allowed; use a whole number from 1 to 100',
    ],
    ['a limit over 100', traffic({ limit: '101' }), 'query parameter limit "101" is not allowed'],
    ['a limit that is not a number', traffic({ limit: 'ten' }), 'query parameter limit "ten" is not allowed'],
    ['a fractional limit', traffic({ limit: '2.5' }), 'query parameter limit "2.5" is not allowed'],
    ['a page that is not base64url', traffic({ page: 'a+b/c=' }), 'query parameter page "a+b/c=" is not a page token'],
    ['a page that does not decode to a token', traffic({ page: 'bm90IGpzb24' }), 'is not a page token'],
    [
      'a page token without a day',
      traffic({ page: Buffer.from('{"ad":"x"}').toString('base64url') }),
      'is not a page token',
    ],
    [
      'a page token made for another ad',
      traffic({ start: '2024-01-01', end: '2024-01-31', page: tokenFor(OTHER_AD, '2024-01-07') }),
      `query parameter page is a token for another ad, not ${AD}`,
    ],
    [
      'a page token outside the range',
      traffic({ start: '2024-02-01', end: '2024-02-28', page: tokenFor(AD, '2024-01-07') }),
      'query parameter page resumes after 2024-01-07, outside start 2024-02-01 to end 2024-02-28',
    ],
  ];
  for (const [what, event, message] of badRequests) {
    it(`answers 400 naming the parameter for ${what}`, async function () {
      const result = await getAdTraffic(event);

      expect(result.statusCode).to.equal(400);
      expect(result.headers['Content-Type']).to.equal('application/json');
      expect(bodyOf(result).error).to.contain(message);
    });
  }

  it('answers 500 without internals when the table does not exist', async function () {
    const restore = setEnv({ AD_TRAFFIC_TABLE_NAME: 'no-such-table' });
    const errors: unknown[][] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const result = await getAdTraffic(traffic({ start: '2024-01-01' }), { awsRequestId: 'req-9' });

      expect(result.statusCode).to.equal(500);
      expect(bodyOf(result)).to.deep.equal({ error: 'internal error; quote request id req-9' });
      expect(String(errors[0]?.[0])).to.contain(`querying ad traffic for ${AD} failed`);
      expect(String(errors[0]?.[1])).to.contain('ResourceNotFoundException');
    } finally {
      console.error = consoleError;
      restore();
    }
  });
});
