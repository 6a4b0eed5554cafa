import { DatalessError } from '../errors';
import type { IO } from '../io';

/** How a command shows its result: `--json` prints the result itself; otherwise `text` renders it. */
export interface Presentation<R> {
  /** Print the result as one JSON document on stdout. @default false */
  readonly json?: boolean;
  /** The text form of the result for stdout; empty for a command whose text output is its progress alone. */
  readonly text: (result: R) => string;
}

/**
 * Writes an action's result to stdout, as JSON or as text. The one place a
 * command's result becomes output: actions return data and never decide this.
 */
export function present<R>(io: IO, result: R, presentation: Presentation<R>): void {
  if (presentation.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const text = presentation.text(result);
  if (text !== '') io.out(text);
}

/**
 * Runs an action and presents its result. When the action fails with what it
 * had found attached (`DatalessError.result`), that is presented the same way
 * before the error goes on to be reported (src/cli/main.ts).
 */
export async function runAndPresent<R>(io: IO, action: () => Promise<R>, presentation: Presentation<R>): Promise<R> {
  let result: R;
  try {
    result = await action();
  } catch (error) {
    if (error instanceof DatalessError && error.result !== undefined) present(io, error.result as R, presentation);
    throw error;
  }
  present(io, result, presentation);
  return result;
}
