import { main } from '../../src/cli/main';
import { memoryIO } from '../../src/io';

/** Runs `dataless ...args` as the binary would, on a memory IO with an empty environment: the exit status and what was written. */
export async function run(...args: string[]): Promise<{ code: number; io: ReturnType<typeof memoryIO> }> {
  const io = memoryIO({ env: {} });
  const code = await main(['node', 'dataless', ...args], io);
  return { code, io };
}
