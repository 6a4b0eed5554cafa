import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake capture API received. */
export interface Received {
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
  /** When the request arrived, on a counter shared by arrivals and answers over both endpoints. */
  readonly order: number;
  /** When it was answered, on the same counter. */
  readonly answered: number;
}

/** What the fake API answers; the default accepts every record. */
export type Responder = (
  path: string,
  body: unknown,
) => { status: number; body: string } | Promise<{ status: number; body: string }>;

/** A stand-in for the capture API on 127.0.0.1, answering as the real one does. */
export interface CaptureServer {
  readonly url: string;
  readonly received: Received[];
  /** The most requests that were being handled at the same time. */
  readonly maxConcurrent: number;
  respond: Responder;
  close(): Promise<void>;
}

/** Accepts every record: `{"failed_count": 0, "records": [{"failed": false}, ...]}`. */
export const acceptAll: Responder = (path, body) => {
  const key = path.endsWith('/clicks') ? 'clicks' : 'impressions';
  const records = ((body as Record<string, unknown[]>)[key] ?? []).map(() => ({ failed: false }));
  return { status: 200, body: JSON.stringify({ failed_count: 0, records }) };
};

export async function startCaptureServer(respond: Responder = acceptAll): Promise<CaptureServer> {
  let order = 0;
  let concurrent = 0;
  const state = {
    url: '',
    received: [] as Received[],
    maxConcurrent: 0,
    respond,
    close: () => Promise.resolve(),
  };
  const server = http.createServer((request, response) => {
    concurrent++;
    state.maxConcurrent = Math.max(state.maxConcurrent, concurrent);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const arrived = order++;
      void Promise.resolve(state.respond(request.url ?? '', body)).then((answer) => {
        state.received.push({
          path: request.url ?? '',
          status: answer.status,
          body,
          order: arrived,
          answered: order++,
        });
        concurrent--;
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(answer.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** The records of every batch received on `path`, in arrival order. */
export function recordsOn(server: CaptureServer, kind: 'impressions' | 'clicks'): Record<string, string>[] {
  return server.received
    .filter((r) => r.path.endsWith(`/${kind}`))
    .sort((a, b) => a.order - b.order)
    .flatMap((r) => (r.body as Record<string, Record<string, string>[]>)[kind] ?? []);
}
