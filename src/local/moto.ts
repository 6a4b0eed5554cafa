// The moto server from the project's Python environment (`.venv/bin/moto_server`),
// run on a loopback port: the AWS stand-in of `dataless local up` and of the
// tests (test/support/moto.ts adds their hooks). Servers still running when
// the process exits are killed.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { ClientSettings } from '../aws/clients';
import { projectRoot } from '../paths';

/** Where the project's Python environment keeps the moto server, relative to the root. */
export const MOTO_SERVER = path.join('.venv', 'bin', 'moto_server');
const HOST = '127.0.0.1';

/** A running moto server. */
export interface MotoServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`, for AWS_ENDPOINT_URL or a client's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** The server's process id. */
  readonly pid: number;
  /** Forgets every resource created so far (moto's POST /moto-api/reset). */
  reset(): Promise<void>;
  /** Stops the server and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /** Project root holding `.venv/`. @default the repository this file is in */
  readonly root?: string;
  /** How long to wait for the server to answer, in milliseconds. @default 30000 */
  readonly timeoutMs?: number;
  /** Where the server's log goes (moto logs each request on stderr). @default the last lines are kept for errors only */
  readonly logFile?: string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a kill signal is all that can be sent.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** Starts moto_server and resolves once it answers HTTP. */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const root = options.root ?? projectRoot();
  const binary = path.join(root, MOTO_SERVER);
  if (!fs.existsSync(binary)) {
    throw new Error(
      `moto server not found at ${MOTO_SERVER}; run \`bash scripts/setup-python.sh\` to create the project's Python environment`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  // A port freed by the probe can be taken by someone else before moto binds
  // it; moto then exits at once and another port is tried.
  let lastError = new Error('moto server did not start');
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await launch(binary, root, port, timeoutMs, options.logFile);
    } catch (error) {
      lastError = error as Error;
      if (!/address already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError;
}

async function launch(
  binary: string,
  root: string,
  port: number,
  timeoutMs: number,
  logFile?: string,
): Promise<MotoServer> {
  installExitHook();
  const child = spawn(binary, ['-H', HOST, '-p', String(port)], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let log = '';
  child.stderr?.setEncoding('utf8');
  const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
  child.stderr?.on('data', (chunk: string) => {
    log = (log + chunk).slice(-4000); // the tail is enough to explain a failed start
    logStream?.write(chunk);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      logStream?.end();
      resolve();
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  child.once('error', (error) => {
    log += `\n${error.message}`;
  });

  const endpoint = `http://${HOST}:${port}`;
  const stop = async (): Promise<void> => {
    if (hasExited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited) {
      throw new Error(`moto server exited before it answered on ${endpoint}:\n${log.trim()}`);
    }
    if (await answers(endpoint)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto server did not answer on ${endpoint} within ${timeoutMs} ms:\n${log.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    endpoint,
    port,
    pid: child.pid ?? 0,
    stop,
    async reset() {
      const { status, body } = await request('POST', `${endpoint}/moto-api/reset`);
      if (status !== 200) throw new Error(`moto reset answered HTTP ${status}: ${body}`);
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    await request('GET', `${endpoint}/moto-api/`);
    return true;
  } catch {
    return false;
  }
}

function request(method: string, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** The dummy credentials moto accepts, for clients given them directly. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/** The region a moto server is addressed in unless told otherwise. */
const MOTO_REGION = 'us-east-1';

/** Client settings for a moto server at `endpoint`: its address, a region and its dummy credentials. */
export function motoClientSettings(endpoint: string, region = MOTO_REGION): ClientSettings {
  return { endpoint, region, credentials: MOTO_CREDENTIALS };
}

/**
 * The standard AWS SDK environment pointed at `endpoint` with moto's dummy
 * credentials; variables that could redirect the SDK elsewhere are unset.
 */
export function motoEnvironment(endpoint: string, region = MOTO_REGION): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_EC2_METADATA_DISABLED: 'true',
    // The SDK warns about Node.js versions it will drop; the test host's version is not under test.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
