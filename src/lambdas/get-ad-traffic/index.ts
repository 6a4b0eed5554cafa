// GET /traffic/{ad-id}?start=YYYY-MM-DD&end=YYYY-MM-DD&limit=N&page=TOKEN:
// the ad's daily impression and click totals from the ad traffic table, a page
// at a time, oldest day first.
import { DynamoDBClient, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { lazily, requireEnv } from '../shared/env';
import type { ApiGatewayProxyEvent, ApiGatewayProxyResult, LambdaContext } from '../shared/events';
import { BadRequestError, badRequest, internalError, jsonResponse } from '../shared/http';
import { utcDay } from '../shared/time';
import { encodePageToken, parseTrafficQuery, type TrafficQuery } from './query';

/** One day of one ad's traffic. */
export interface AdDay {
  day: string;
  impressions: number;
  clicks: number;
}

export interface AdTraffic {
  count: number;
  /** Token for the next page as `page`, or empty when this is the last. */
  next: string;
  days: AdDay[];
}

const dynamodb = lazily(() => new DynamoDBClient({}));

export async function handler(event: ApiGatewayProxyEvent, context?: LambdaContext): Promise<ApiGatewayProxyResult> {
  let query: TrafficQuery;
  try {
    query = parseTrafficQuery(event, utcDay(new Date()));
  } catch (error) {
    if (error instanceof BadRequestError) return badRequest(error.message);
    throw error;
  }
  try {
    return jsonResponse(200, await queryTraffic(query, requireEnv('AD_TRAFFIC_TABLE_NAME')));
  } catch (error) {
    console.error(`querying ad traffic for ${query.adId} failed:`, error);
    return internalError(context?.awsRequestId);
  }
}

async function queryTraffic(query: TrafficQuery, tableName: string): Promise<AdTraffic> {
  const output = await dynamodb().send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: '#ad = :ad AND #day BETWEEN :start AND :end',
      ExpressionAttributeNames: { '#ad': 'ad_id', '#day': 'day' },
      ExpressionAttributeValues: {
        ':ad': { S: query.adId },
        ':start': { S: query.start },
        ':end': { S: query.end },
      },
      ScanIndexForward: true,
      Limit: query.limit,
      ...(query.after === undefined
        ? {}
        : { ExclusiveStartKey: { ad_id: { S: query.adId }, day: { S: query.after } } }),
    }),
  );
  const days = (output.Items ?? []).map(toAdDay);
  const lastDay = output.LastEvaluatedKey?.day?.S;
  return {
    count: days.length,
    next: lastDay === undefined ? '' : encodePageToken(query.adId, lastDay),
    days,
  };
}

function toAdDay(item: Record<string, AttributeValue>): AdDay {
  return {
    day: item.day?.S ?? '',
    impressions: numberOf(item.impressions),
    clicks: numberOf(item.clicks),
  };
}

/** A numeric attribute's value; an absent attribute counts as zero. */
function numberOf(value: AttributeValue | undefined): number {
  return value?.N === undefined ? 0 : Number(value.N);
}
