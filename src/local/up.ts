// `dataless local up`: the AWS stand-in (moto) and the local API, on
// loopback, with the warehouse's resources created from the templates; runs
// until its signal fires (Ctrl-C), then stops everything it started.
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join } from 'node:path';
import { LocalError } from '../errors';
import type { IO } from '../io';
import { loadConfig } from '../config/load';
import { FunctionWorker } from './api/functions';
import { serveApis } from './api/server';
import { MOTO_SERVER, motoClientSettings, motoEnvironment, startMoto, type MotoServer } from './moto';
import { provision } from './provision';
import { PYTHON } from './python';
import { LOCAL_DIR, removeState, runningState, writeState } from './state';
import { LOCAL_REGION } from './template/stack';
import { Warehouse } from './template/warehouse';

/** The port `up` serves the API on unless told otherwise (as `sam local start-api`). */
export const DEFAULT_PORT = 3000;

/** Options of `local up`. */
export interface UpOptions {
  /** The repository root. */
  readonly root: string;
  /** The port of the local API; 0 takes any free port. @default DEFAULT_PORT */
  readonly port?: number;
  /** The branch whose config/<branch>.json parameters the templates are evaluated with. @default 'master' */
  readonly branch?: string;
  /** Stops the run when fired. */
  readonly signal: AbortSignal;
  /**
   * Called once everything is up, with where it answers: the CLI presents it then, tests start talking. @default none
   */
  readonly onReady?: (ready: UpReady) => void;
}

/** Where the running warehouse answers: what `up` has to show, once everything is up. */
export interface UpReady {
  /** The local API's base URL, e.g. `http://127.0.0.1:3000`. */
  readonly baseUrl: string;
  /** The AWS stand-in's endpoint. */
  readonly endpoint: string;
}

/** The text form of a ready warehouse: its base URL, the one line `up` prints on stdout. */
export function formatUp(ready: UpReady): string {
  return `${ready.baseUrl}\n`;
}

/**
 * Runs the local warehouse until `options.signal` fires; returns where it answered. The run's result is known
 * long before the action returns (it serves until stopped), so it is also handed to `onReady` the moment
 * everything is up: that is where the CLI presents it, and where tests start talking to it.
 */
export async function up(options: UpOptions, io: IO): Promise<UpReady> {
  const { root } = options;
  const port = options.port ?? DEFAULT_PORT;
  const branch = options.branch ?? 'master';
  checkPrerequisites(root, io.env);
  const running = runningState(root);
  if (running)
    throw new LocalError(
      `a local warehouse is already running at ${running.baseUrl} (pid ${running.pid}); use it, or stop it with Ctrl-C first`,
      'LOCAL_RUNNING',
    );
  if (port !== 0 && !(await portFree(port)))
    throw new LocalError(`port ${port} on 127.0.0.1 is in use; pass --port with a free one`, 'LOCAL_PORT_IN_USE');

  const warehouse = Warehouse.open(root, loadConfig(root, branch).parameters, LOCAL_REGION);
  const apis = warehouse.apis();
  const logs = join(root, LOCAL_DIR, 'logs');
  mkdirSync(logs, { recursive: true });

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
  };
  try {
    io.err('local: starting the AWS stand-in (moto)\n');
    const moto: MotoServer = await startMoto({ root, logFile: join(logs, 'moto.log') });
    stops.push(() => moto.stop());
    const standIn = motoEnvironment(moto.endpoint, LOCAL_REGION);

    io.err('local: creating the resources the templates declare\n');
    const created = await provision(
      warehouse,
      { aws: io.aws, settings: motoClientSettings(moto.endpoint, LOCAL_REGION), env: { ...io.env, ...standIn } },
      root,
    );
    io.err(`local: buckets ${created.buckets.join(', ')}\n`);
    io.err(`local: delivery streams ${created.streams.join(', ')}\n`);
    io.err(`local: tables ${created.tables.join(', ')}\n`);
    io.err(`local: catalogue ${created.catalogTables.join(', ')}\n`);

    const workers = new Map<string, FunctionWorker>();
    for (const api of apis) {
      for (const route of api.routes) {
        if (!workers.has(route.function.logicalId))
          workers.set(route.function.logicalId, new FunctionWorker(route.function, { ...standIn, TZ: 'UTC' }, logs));
      }
    }
    stops.push(async () => {
      for (const worker of workers.values()) await worker.stop();
    });
    const server = await serveApis(apis, workers, port).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        throw new LocalError(`port ${port} on 127.0.0.1 is in use; pass --port with a free one`, 'LOCAL_PORT_IN_USE');
      throw error;
    });
    stops.push(() => server.close());

    writeState(root, {
      baseUrl: server.baseUrl,
      endpoint: moto.endpoint,
      pid: process.pid,
      standInPid: moto.pid,
      region: LOCAL_REGION,
      branch,
      logs,
      startedAt: new Date().toISOString(),
    });
    stops.push(async () => removeState(root));

    for (const api of apis)
      for (const route of api.routes)
        io.err(`local: ${route.method} ${server.baseUrl}${route.path} -> ${route.function.logicalId}\n`);
    const ready: UpReady = { baseUrl: server.baseUrl, endpoint: moto.endpoint };
    options.onReady?.(ready);
    io.err(
      [
        `local: the warehouse runs at ${server.baseUrl} (AWS stand-in ${moto.endpoint}); function logs in ${join(LOCAL_DIR, 'logs')}`,
        'local: authorization is not enforced locally (as with sam local); request validation is',
        'next, in another terminal:',
        `  dataless loadgen --base-url ${server.baseUrl} --duration 1m`,
        '  dataless local batch --date YYYY-MM-DD      # the day the events occurred (UTC); default yesterday',
        `  curl '${server.baseUrl}/traffic/<ad-id>?start=YYYY-MM-DD&end=YYYY-MM-DD'`,
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );

    await new Promise<void>((resolve) => {
      if (options.signal.aborted) resolve();
      else options.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    io.err('local: stopping\n');
    return ready;
  } finally {
    await stopAll();
  }
}

/** Refuses, in one line, what `up` cannot run without. */
function checkPrerequisites(root: string, env: NodeJS.ProcessEnv): void {
  if (!existsSync(join(root, MOTO_SERVER)) || !existsSync(join(root, PYTHON))) {
    throw new LocalError(
      "the project's Python environment (.venv with moto and pyspark) is missing; run `bash scripts/setup-python.sh`",
      'LOCAL_NO_PYTHON',
    );
  }
  if (!onPath('java', env.PATH ?? process.env.PATH ?? '')) {
    throw new LocalError(
      'java is not on PATH; the local batch runs Spark, which needs a Java 17 runtime: install one and try again',
      'LOCAL_NO_JAVA',
    );
  }
}

function onPath(command: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
