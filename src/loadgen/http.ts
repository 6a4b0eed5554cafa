import http from 'node:http';
import https from 'node:https';

/** What came back for one POST. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** Keep-alive agents for both schemes, sized to the number of requests in flight. */
export interface Agents {
  readonly http: http.Agent;
  readonly https: https.Agent;
}

export function createAgents(maxSockets: number): Agents {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

export function destroyAgents(agents: Agents): void {
  agents.http.destroy();
  agents.https.destroy();
}

/**
 * POSTs a JSON body and collects the answer. Rejects on transport failures:
 * refused or reset connections, DNS failures, and no answer within `timeoutMs`.
 */
export function postJson(url: URL, body: string, agents: Agents, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
        response.on('aborted', () => reject(new Error('the connection closed before the answer was complete')));
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
