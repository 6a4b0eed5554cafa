import type { Register } from './commands';
import { runAndPresent } from './present';

interface Flags {
  config: string;
  baseUrl?: string;
  duration?: string;
  concurrency: string;
  seed?: string;
}

export const register: Register = (program, io) => {
  program
    .command('loadgen')
    .summary('drive the capture API with simulated users')
    .description('simulate users viewing and clicking ads, and post their impressions and clicks to the capture API')
    .option('-c, --config <file>', 'load generator configuration (YAML)', 'config/loadgen.yaml')
    .option('--base-url <url>', "the capture API's base URL, instead of the file's BaseURL")
    .option('--duration <duration>', "how long to run, instead of the file's Duration (e.g. 30s, 5m, 1h30m)")
    .option('--concurrency <n>', 'requests in flight at most', '16')
    .option('--seed <n>', 'seed the random choices (ad ids, timings, clicks), to replay a run')
    .addHelpText(
      'after',
      [
        '',
        'References like ${NAME} in the configuration file are replaced with environment',
        'variables before it is read; the shipped config/loadgen.yaml expects API_ID, REGION',
        'and STAGE (or pass --base-url). Each batch prints a mark on stderr: "." accepted,',
        '"E" no answer, "F" refused or unreadable answer. Ctrl-C stops the users, sends the',
        'partial batches and waits for the answers; a second Ctrl-C quits at once.',
        'Exit status: 0 when every record was accepted, 1 when some were not, 2 for a bad',
        'configuration.',
      ].join('\n'),
    )
    .action(async (flags: Flags) => {
      const { loadgen, formatLoadgen } = await import('../loadgen');
      const options = {
        configFile: flags.config,
        baseUrl: flags.baseUrl,
        duration: flags.duration,
        concurrency: flags.concurrency,
        seed: flags.seed,
      };
      await runAndPresent(io, () => loadgen(options, io), { text: formatLoadgen });
    });
};
