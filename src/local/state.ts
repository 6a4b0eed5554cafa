// `.dataless/local/state.json`: where a running `local up` can be reached.
// Written when everything is up, removed when it stops; `local batch` (and
// anyone else) reads it to find the API and the AWS stand-in.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LocalError } from '../errors';
import { writeFileAtomic } from '../cfn/write';

/** The local run's folder, relative to the root. */
export const LOCAL_DIR = join('.dataless', 'local');

/** What state.json holds. */
export interface LocalState {
  /** The local API, e.g. `http://127.0.0.1:3000`. */
  readonly baseUrl: string;
  /** The AWS stand-in's endpoint. */
  readonly endpoint: string;
  /** The process running `local up`. */
  readonly pid: number;
  /** The stand-in's process. */
  readonly standInPid: number;
  /** The region the stand-in's resources are in. */
  readonly region: string;
  /** The branch whose configuration the run uses. */
  readonly branch: string;
  /** Where the functions' and the stand-in's logs are. */
  readonly logs: string;
  readonly startedAt: string;
}

export function statePath(root: string): string {
  return join(root, LOCAL_DIR, 'state.json');
}

/** The state of a running `up`, or undefined when none runs (a file left by a process that is gone is removed). */
export function runningState(root: string): LocalState | undefined {
  const file = statePath(root);
  if (!existsSync(file)) return undefined;
  let state: LocalState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as LocalState;
  } catch {
    rmSync(file, { force: true });
    return undefined;
  }
  if (!alive(state.pid)) {
    rmSync(file, { force: true });
    return undefined;
  }
  return state;
}

/** The running `up`'s state, or the one-line refusal that says to start it. */
export function requireRunning(root: string): LocalState {
  const state = runningState(root);
  if (!state)
    throw new LocalError(
      'no local warehouse is running; start one with `dataless local up` in another terminal',
      'LOCAL_NOT_RUNNING',
    );
  return state;
}

export function writeState(root: string, state: LocalState): void {
  mkdirSync(join(root, LOCAL_DIR), { recursive: true });
  writeFileAtomic(statePath(root), `${JSON.stringify(state, null, 2)}\n`);
}

export function removeState(root: string): void {
  rmSync(statePath(root), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
