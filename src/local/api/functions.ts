// Each function runs in its own worker thread, as in its own Lambda
// container: its own module instance and its own process.env (the variables
// the template declares, resolved to the local resources, plus the stand-in's
// endpoint and credentials). What the function logs goes to its log file.
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LocalFunction } from '../template/warehouse';

// Plain JavaScript so that it runs the same from lib/ and under tsx.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const handler = require(workerData.module)[workerData.exportName];
parentPort.on('message', async ({ id, event, context }) => {
  const deadline = Date.now() + context.timeoutMs;
  try {
    if (typeof handler !== 'function') throw new Error(workerData.exportName + ' is not a function of ' + workerData.module);
    const result = await handler(event, { ...context, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) });
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  }
});
`;

/** What an invocation returned, or why it failed. */
export type Invocation = { readonly result: unknown } | { readonly error: string };

/** A function running in a worker. */
export class FunctionWorker {
  private readonly worker: Worker;
  private readonly log: WriteStream;
  private readonly pending = new Map<string, (outcome: Invocation) => void>();

  constructor(
    readonly fn: LocalFunction,
    /** Variables every function gets: the stand-in's endpoint, region and credentials. */
    base: Readonly<Record<string, string | undefined>>,
    logDir: string,
  ) {
    this.log = createWriteStream(join(logDir, `${fn.logicalId}.log`), { flags: 'a' });
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...base, ...fn.environment, AWS_LAMBDA_FUNCTION_NAME: fn.name })) {
      if (value !== undefined) env[name] = value;
    }
    this.worker = new Worker(WORKER, {
      eval: true,
      env,
      stdout: true,
      stderr: true,
      workerData: { module: fn.module, exportName: fn.exportName },
    });
    this.worker.stdout.pipe(this.log, { end: false });
    this.worker.stderr.pipe(this.log, { end: false });
    this.worker.on('message', ({ id, ...outcome }: { id: string } & Invocation) => {
      this.pending.get(id)?.(outcome);
      this.pending.delete(id);
    });
    this.worker.on('error', (error) => this.failAll(String(error.stack ?? error)));
    this.worker.on('exit', (code) => this.failAll(`the function's worker exited with code ${code}`));
  }

  /** Invokes the handler with `event`; an error or the function's timeout gives `{ error }`. */
  invoke(event: unknown, requestId: string = randomUUID()): Promise<Invocation> {
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        resolve({ error: `Task timed out after ${this.fn.timeoutSeconds} seconds` });
      }, timeoutMs);
      this.pending.set(requestId, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
      this.worker.postMessage({
        id: requestId,
        event,
        context: { awsRequestId: requestId, functionName: this.fn.name, timeoutMs },
      });
    });
  }

  /** Writes a line to the function's log. */
  note(line: string): void {
    this.log.write(`${line}\n`);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private failAll(error: string): void {
    for (const [id, settle] of this.pending) {
      this.pending.delete(id);
      settle({ error });
    }
  }
}
