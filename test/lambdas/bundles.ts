// Builds the Lambda bundles once per test run and loads them the way the
// Lambda runtime would: each load is a fresh module (a fresh "container"), so
// clients built lazily inside pick up the environment of the suite using them.
import path from 'node:path';
import type { ApiGatewayProxyEvent, ApiGatewayProxyResult } from '../../src/lambdas/shared/events';

const ROOT = path.resolve(__dirname, '..', '..');

interface Built {
  readonly name: string;
  readonly js: string;
  readonly zip: string;
  readonly jsBytes: number;
  readonly zipBytes: number;
}

let building: Promise<Built[]> | undefined;

/** Runs scripts/bundle-lambdas.js (once per process) and returns what it built. */
export function buildBundles(): Promise<Built[]> {
  if (!building) {
    const { bundleLambdas } = require(path.join(ROOT, 'scripts', 'bundle-lambdas.js')) as {
      bundleLambdas(options: { log?: (line: string) => void }): Promise<Built[]>;
    };
    building = bundleLambdas({ log: () => undefined });
  }
  return building;
}

/** Loads dist/lambdas/<name>/index.js as a new module instance and returns its handler. */
export function loadHandler<E, R>(name: string): (event: E, context?: unknown) => Promise<R> {
  const file = path.join(ROOT, 'dist', 'lambdas', name, 'index.js');
  delete require.cache[require.resolve(file)];
  const loaded = require(file) as { handler?: unknown };
  if (typeof loaded.handler !== 'function') throw new Error(`${name} bundle does not export a handler function`);
  return loaded.handler as (event: E, context?: unknown) => Promise<R>;
}

export type ApiHandler = (event: ApiGatewayProxyEvent, context?: unknown) => Promise<ApiGatewayProxyResult>;

/** Loads an API Gateway handler bundle. */
export function loadApiHandler(name: string): ApiHandler {
  return loadHandler<ApiGatewayProxyEvent, ApiGatewayProxyResult>(name);
}

/** An API Gateway proxy event with only the given fields. */
export function apiEvent(fields: ApiGatewayProxyEvent): ApiGatewayProxyEvent {
  return { body: null, isBase64Encoded: false, pathParameters: null, queryStringParameters: null, ...fields };
}

/** The parsed JSON body of a handler's response. */
export function bodyOf(result: ApiGatewayProxyResult): any {
  return JSON.parse(result.body);
}
