import { Command, CommanderError } from 'commander';
import { DatalessError, errorCodes, type ErrorCode } from '../errors';
import { processIO, type IO } from '../io';
import { commands } from './commands';

/** What the run learns as it goes: whether to print stack traces, and whether the command answers in JSON. */
interface RunState {
  debug: boolean;
  /** Set when the command runs with `--json` (or `--format json`): its stdout, held so a failure joins the one document. */
  held?: string;
}

/** True when a command's options ask for JSON on stdout. */
function wantsJson(opts: { json?: unknown; format?: unknown }): boolean {
  return opts.json === true || opts.format === 'json';
}

/** Builds the command-line program; every command is wired in `./commands`. */
function buildProgram(io: IO, state: RunState): Command {
  const program = new Command('dataless')
    .description('Define, synthesize, validate, package and deploy the Dataless serverless data warehouse on AWS.')
    .option('--debug', 'print the error code and stack trace of a failure')
    .option('--no-color', 'never colour the output')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
    })
    .exitOverride();
  program.hook('preAction', (cmd, action) => {
    state.debug = Boolean(cmd.opts().debug);
    if (wantsJson(action.opts())) state.held = '';
  });
  const commandIO: IO = { ...io, out: (text) => (state.held === undefined ? io.out(text) : void (state.held += text)) };
  for (const register of commands) register(program, commandIO);
  return program;
}

/** Runs the CLI and returns the exit status. Errors are reported here and nowhere else. */
export async function main(argv: readonly string[], io?: IO): Promise<number> {
  const effectiveIO = io ?? processIO({ noColor: argv.includes('--no-color') });
  const state: RunState = { debug: argv.includes('--debug') };
  const program = buildProgram(effectiveIO, state);
  try {
    await program.parseAsync([...argv]);
    if (state.held !== undefined) effectiveIO.out(state.held);
    return (program as Command & { exitStatus?: number }).exitStatus ?? 0;
  } catch (error) {
    // A usage error found while parsing comes before the command runs: answer in JSON if the command line asked for it.
    const held = state.held ?? (error instanceof CommanderError && jsonRequested(argv) ? '' : undefined);
    return report(error, effectiveIO, state.debug, held);
  }
}

/** True when the command line asks for JSON output, read before (or without) parsing it. */
function jsonRequested(argv: readonly string[]): boolean {
  return (
    argv.includes('--json') ||
    argv.includes('--format=json') ||
    argv.some((arg, i) => arg === '--format' && argv[i + 1] === 'json')
  );
}

/** A failure as `--json` prints it. */
export interface ErrorJson {
  readonly code: ErrorCode;
  readonly message: string;
  readonly exitCode: number;
}

/**
 * Turns an error into a message on stderr and an exit status. With `--debug` the error's code is printed beside
 * the stack trace. `held` is the stdout of a command run with `--json` (empty when it printed nothing): then stdout
 * gets one JSON document, the command's result (if it printed one) with `error` beside it.
 */
export function report(error: unknown, io: IO, debug: boolean, held?: string): number {
  const failure = describe(error);
  if (failure === undefined) return 0;
  if (held !== undefined) io.out(withError(held, failure));
  if (error instanceof CommanderError) return failure.exitCode; // Commander has already printed its message.
  if (error instanceof DatalessError) {
    io.err(`error: ${error.message}\n`);
    if (debug) io.err(`code: ${error.code} (exit ${error.exitCode}): ${errorCodes[error.code].meaning}\n`);
    if (debug && error.stack) io.err(`${error.stack}\n`);
    if (debug && error.cause instanceof Error && error.cause.stack) io.err(`caused by: ${error.cause.stack}\n`);
    return error.exitCode;
  }
  io.err(`error: ${failure.message}\n`);
  if (debug) io.err(`code: ${failure.code} (exit ${failure.exitCode})\n`);
  if (debug && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  else io.err('(run again with --debug for the stack trace)\n');
  return failure.exitCode;
}

/** The code, message and exit status of a failure; undefined for Commander's help and version, which are not failures. */
function describe(error: unknown): ErrorJson | undefined {
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.help' ||
      error.code === 'commander.version'
    )
      return undefined;
    return { code: 'USAGE', message: error.message.replace(/^error: /, ''), exitCode: errorCodes.USAGE.exitCode };
  }
  if (error instanceof DatalessError) return { code: error.code, message: error.message, exitCode: error.exitCode };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'UNEXPECTED', message: `unexpected failure: ${message}`, exitCode: errorCodes.UNEXPECTED.exitCode };
}

/** The one JSON document of a failed `--json` command: its result object with `error` added, or `{"error": ...}` alone. */
function withError(held: string, error: ErrorJson): string {
  let result: unknown = {};
  if (held.trim() !== '') {
    try {
      result = JSON.parse(held);
    } catch {
      return held; // not JSON after all: stdout stays as the command wrote it
    }
  }
  const document =
    typeof result === 'object' && result !== null && !Array.isArray(result) ? { ...result, error } : { result, error };
  return `${JSON.stringify(document, null, 2)}\n`;
}
