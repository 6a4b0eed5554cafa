import { Command, CommanderError } from 'commander';
import { DatalessError } from '../errors';
import { processIO, type IO } from '../io';
import { commands } from './commands';

/** Builds the command-line program; every command is wired in `./commands`. */
function buildProgram(io: IO, state: { debug: boolean }): Command {
  const program = new Command('dataless')
    .description('Define, synthesize, validate, package and deploy the Dataless serverless data warehouse on AWS.')
    .option('--debug', 'print stack traces for errors')
    .option('--no-color', 'never colour the output')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
    })
    .exitOverride();
  program.hook('preAction', (cmd) => {
    state.debug = Boolean(cmd.opts().debug);
  });
  for (const register of commands) register(program, io);
  return program;
}

/** Runs the CLI and returns the exit status. Errors are reported here and nowhere else. */
export async function main(argv: readonly string[], io?: IO): Promise<number> {
  const effectiveIO = io ?? processIO({ noColor: argv.includes('--no-color') });
  const state = { debug: argv.includes('--debug') };
  const program = buildProgram(effectiveIO, state);
  try {
    await program.parseAsync([...argv]);
    return (program as Command & { exitStatus?: number }).exitStatus ?? 0;
  } catch (error) {
    return report(error, effectiveIO, state.debug);
  }
}

/** Turns an error into a message on stderr and an exit status. */
export function report(error: unknown, io: IO, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help text).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') {
      return 0;
    }
    return 2;
  }
  if (error instanceof DatalessError) {
    io.err(`error: ${error.message}\n`);
    if (debug && error.stack) io.err(`${error.stack}\n`);
    if (debug && error.cause instanceof Error && error.cause.stack) io.err(`caused by: ${error.cause.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`error: unexpected failure: ${message}\n`);
  if (debug && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  else io.err('(run again with --debug for the stack trace)\n');
  return 1;
}
