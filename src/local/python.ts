// The Python side of the local run (src/local/spark/local_batch.py), run with
// the project's .venv: a one-shot command, or a long-lived process that runs
// batch steps in one SparkSession, one JSON line in and one out per step.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { DatalessError } from '../errors';

/** The project's Python, relative to the root. */
export const PYTHON = join('.venv', 'bin', 'python');
const SCRIPT = join('src', 'local', 'spark', 'local_batch.py');

/** Runs `local_batch.py ...args` to completion with `input` on stdin; rejects with its stderr's tail. */
export function runPython(
  root: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  input: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, PYTHON), [join(root, SCRIPT), ...args], {
      cwd: root,
      env: cleanEnv(env),
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (log = (log + chunk).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new DatalessError(`local_batch.py ${args.join(' ')} failed (exit ${code}): ${lastLine(log)}`, {
            code: 'LOCAL_PYTHON',
          }),
        );
    });
    child.stdin.end(input);
  });
}

/** What a step answered. */
export interface StepAnswer {
  readonly ok: boolean;
  readonly error?: string;
  /** What the step read, e.g. `1200 rows`. */
  readonly in?: string;
  /** What it wrote. */
  readonly out?: string;
  /** Anything worth saying, e.g. that there was nothing new. */
  readonly note?: string;
}

/** A running `local_batch.py serve`. */
export class SparkSteps {
  private readonly child: ChildProcess;
  private readonly answers: AsyncIterator<string>;
  private log = '';

  constructor(
    root: string,
    scratch: string,
    env: Readonly<Record<string, string | undefined>>,
    logTo: (text: string) => void,
  ) {
    this.child = spawn(join(root, PYTHON), [join(root, SCRIPT), 'serve', scratch], {
      cwd: root,
      env: cleanEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      this.log = (this.log + chunk).slice(-8000);
      logTo(chunk);
    });
    this.answers = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }

  /** Sends one step and waits for its answer. */
  async send(step: Record<string, unknown>): Promise<StepAnswer> {
    this.child.stdin!.write(`${JSON.stringify(step)}\n`);
    const next = await this.answers.next();
    if (next.done)
      throw new DatalessError(`the local Spark process ended unexpectedly: ${lastLine(this.log)}`, {
        code: 'LOCAL_PYTHON',
      });
    return JSON.parse(next.value) as StepAnswer;
  }

  /** Stops Spark and waits for the process to end. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end(`${JSON.stringify({ op: 'stop' })}\n`);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

function cleanEnv(env: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop() ?? '(no output)';
}
