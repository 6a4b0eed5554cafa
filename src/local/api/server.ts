// The local HTTP API: every route of the API definitions, each handed to its
// function as API Gateway's Lambda proxy integration (REST API, payload 1.0)
// hands it, after the request validation the definition declares.
// Authorization is not enforced, as `sam local start-api` does not.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalApi, Route } from '../template/warehouse';
import { LOCAL_ACCOUNT } from '../template/stack';
import type { FunctionWorker } from './functions';
import { RequestValidator } from './validation';

/** A route, ready to match. */
interface Bound {
  readonly route: Route;
  readonly api: LocalApi;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly validator: RequestValidator;
  readonly worker: FunctionWorker;
}

/** The running local API. */
export interface LocalApiServer {
  readonly port: number;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Serves `apis` on 127.0.0.1:`port` (0: any free port), invoking each route's function through `workers` (keyed by function logical id). */
export async function serveApis(
  apis: readonly LocalApi[],
  workers: ReadonlyMap<string, FunctionWorker>,
  port: number,
): Promise<LocalApiServer> {
  const bound: Bound[] = apis.flatMap((api) => {
    const validator = new RequestValidator(api.definition);
    return api.routes.map((route) => {
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map((segment) => {
          const parameter = /^\{([^}+]+)(\+?)\}$/.exec(segment);
          if (!parameter) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(parameter[1]!);
          return parameter[2] ? '(.+)' : '([^/]+)';
        })
        .join('/');
      return {
        route,
        api,
        validator,
        names,
        pattern: new RegExp(`^${source}$`),
        worker: workers.get(route.function.logicalId)!,
      };
    });
  });

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void handle(bound, request, Buffer.concat(chunks))
        .then(({ statusCode, headers, body }) => {
          response.writeHead(statusCode, headers);
          response.end(body);
        })
        .catch((error: Error) => {
          response.writeHead(500, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ message: `local API failure: ${error.message}` }));
        });
    });
  });
  // Many loadgen users keep connections open.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    baseUrl: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Answer {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: string | Buffer;
}

const json = (statusCode: number, value: unknown): Answer => ({
  statusCode,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value),
});

async function handle(bound: readonly Bound[], request: http.IncomingMessage, body: Buffer): Promise<Answer> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const method = request.method ?? 'GET';
  let match: { bound: Bound; values: RegExpExecArray } | undefined;
  for (const candidate of bound) {
    const values = candidate.pattern.exec(url.pathname);
    if (values && candidate.route.method === method) {
      match = { bound: candidate, values };
      break;
    }
  }
  // API Gateway's answer to a method or resource the API does not have.
  if (!match) return json(403, { message: 'Missing Authentication Token' });
  const { route, api, validator, names, worker } = match.bound;

  const pathParameters = Object.fromEntries(
    names.map((name, index) => [name, decodeURIComponent(match!.values[index + 1]!)]),
  );
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!;
    headers[name] = request.rawHeaders[i + 1]!;
    (multiValueHeaders[name] ??= []).push(request.rawHeaders[i + 1]!);
  }
  const query: Record<string, string> = {};
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiValueQuery[name] ??= []).push(value);
  }
  const text = body.length > 0 ? body.toString('utf8') : null;
  const lowerHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

  const refusal = validator.check(route.operation, { query, headers: lowerHeaders, path: pathParameters, body: text });
  if (refusal) {
    const { statusCode, body: answer } = validator.answer(refusal);
    return { statusCode, headers: { 'Content-Type': 'application/json' }, body: answer };
  }

  const requestId = randomUUID();
  const event = {
    resource: route.path,
    path: url.pathname,
    httpMethod: method,
    headers: Object.keys(headers).length > 0 ? headers : null,
    multiValueHeaders: Object.keys(multiValueHeaders).length > 0 ? multiValueHeaders : null,
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: Object.keys(multiValueQuery).length > 0 ? multiValueQuery : null,
    pathParameters: names.length > 0 ? pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      resourceId: 'local',
      resourcePath: route.path,
      httpMethod: method,
      path: `/${api.stage}${url.pathname}`,
      stage: api.stage,
      requestId,
      extendedRequestId: requestId,
      requestTime: new Date().toUTCString(),
      requestTimeEpoch: Date.now(),
      protocol: `HTTP/${request.httpVersion}`,
      domainName: lowerHeaders.host ?? '127.0.0.1',
      identity: {
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: lowerHeaders['user-agent'] ?? null,
      },
    },
    body: text,
    isBase64Encoded: false,
  };

  const outcome = await worker.invoke(event, requestId);
  if ('error' in outcome) {
    worker.note(`${requestId} ${method} ${url.pathname}: ${outcome.error}`);
    return json(502, { message: 'Internal server error' });
  }
  const result = outcome.result as {
    statusCode?: unknown;
    headers?: Record<string, string>;
    multiValueHeaders?: Record<string, string[]>;
    body?: unknown;
    isBase64Encoded?: boolean;
  } | null;
  if (!result || typeof result.statusCode !== 'number') {
    worker.note(
      `${requestId} ${method} ${url.pathname}: the handler's answer has no numeric statusCode, which API Gateway answers with 502`,
    );
    return json(502, { message: 'Internal server error' });
  }
  const answerBody =
    typeof result.body === 'string' ? (result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body) : '';
  return {
    statusCode: result.statusCode,
    headers: { ...(result.multiValueHeaders ?? {}), ...(result.headers ?? {}) },
    body: answerBody,
  };
}
