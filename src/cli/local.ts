import { InvalidArgumentError } from 'commander';
import type { Register } from './commands';
import { present, runAndPresent } from './present';

function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return port;
}

export const register: Register = (program, io) => {
  const local = program
    .command('local')
    .summary('run the whole warehouse on this machine')
    .description(
      'run the warehouse on this machine: an AWS stand-in (moto) and the API with the bundled functions, and the daily batch on local Spark, all wired from the generated templates',
    );

  local
    .command('up')
    .description(
      'start the AWS stand-in and the local API on 127.0.0.1 and stay in the foreground until Ctrl-C; writes .dataless/local/state.json while running',
    )
    .option('--port <n>', 'port of the local API (0: any free port)', portNumber, 3000)
    .option('--branch <name>', 'evaluate the templates with config/<name>.json', 'master')
    .addHelpText(
      'after',
      [
        '',
        "Needs the project's Python environment (bash scripts/setup-python.sh), Java 17 for the batch,",
        'the templates (npx dataless synth) and the Lambda bundles (npm run build). Authorization is',
        "not enforced locally; the API definition's request validation is.",
      ].join('\n'),
    )
    .action(async (flags: { port: number; branch: string }) => {
      const { up, formatUp } = await import('../local/up');
      const { projectRoot } = await import('../paths');
      const { interruptOnSigint } = await import('../interrupt');
      // Ctrl-C, or a SIGTERM, stops everything `up` started.
      const interrupt = interruptOnSigint();
      const controller = new AbortController();
      const stop = () => controller.abort();
      interrupt.signal.addEventListener('abort', stop, { once: true });
      process.once('SIGTERM', stop);
      try {
        // up serves until stopped, so its result is presented when it is ready (its base URL, the line scripts
        // wait for), not when the action returns.
        await up(
          {
            root: projectRoot(),
            port: flags.port,
            branch: flags.branch,
            signal: controller.signal,
            onReady: (ready) => present(io, ready, { text: formatUp }),
          },
          io,
        );
      } finally {
        interrupt.dispose();
        process.off('SIGTERM', stop);
      }
    });

  local
    .command('batch')
    .description(
      "run the daily batch for a day against the running `local up`: the state machine's steps, in its order, with its variables, on local Spark and the AWS stand-in",
    )
    .option('--date <yyyy-mm-dd>', "the day to process (UTC); default yesterday, the scheduled run's day")
    .addHelpText(
      'after',
      [
        '',
        "First delivers what the stand-in's delivery streams hold as Firehose would (prefix, UTC hour",
        'folders, declared compression). Each step prints its name, what it read and wrote, and its',
        'duration; steps with no local engine (Redshift) are listed as skipped. Re-running a day changes',
        'nothing.',
      ].join('\n'),
    )
    .action(async (flags: { date?: string }) => {
      const { batch, formatBatch } = await import('../local/batch');
      const { projectRoot } = await import('../paths');
      await runAndPresent(io, () => batch({ root: projectRoot(), date: flags.date }, io), { text: formatBatch });
    });
};
