import { main } from '../../src/cli/main';
import { memoryIO, type IO } from '../../src/io';

/** What a test may set on the IO host of a run: above all `aws`, the clients the command's action gets. */
export type RunOverrides = Partial<Omit<IO, 'out' | 'err'>>;

/** Runs `dataless ...args` as the binary would, on a memory IO with an empty environment: the exit status and what was written. */
export async function run(...args: string[]): Promise<{ code: number; io: ReturnType<typeof memoryIO> }> {
  return runWith({}, ...args);
}

/** As run, on an IO host with the overrides given (e.g. `{ aws }`, clients on moto or scripted ones). */
export async function runWith(
  overrides: RunOverrides,
  ...args: string[]
): Promise<{ code: number; io: ReturnType<typeof memoryIO> }> {
  const io = memoryIO({ env: {}, ...overrides });
  const code = await main(['node', 'dataless', ...args], io);
  return { code, io };
}
