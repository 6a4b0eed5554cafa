import type { Register } from './commands';
import { runAndPresent } from './present';

export const register: Register = (program, io) => {
  program
    .command('status')
    .summary('show the build pipeline, the application stack, the last batch run and the alarms in ALARM')
    .description(
      "show the build pipeline's state (each stage and action, the latest run, the failing action's message) from the " +
        "bootstrap stack's Pipeline, and the status of the application stack it deploys: <bootstrap stack>-<branch>, " +
        'which with the defaults is dataless-<branch>, the same stack `dataless deploy --branch` deploys; then, found through ' +
        "that stack's resources, the batch state machine's last successful run (the day it processed, when it ended, how " +
        "long it took) and the stack's alarms in ALARM (docs/operations.md says what to do about each). Exit 0 when reported " +
        '(a failed pipeline, stack, run or alarm included); with --follow, exit 1 when the followed operation fails',
    )
    .option('--stack-name <name>', 'the stack to report (default: <bootstrap stack>-<branch>)')
    .option(
      '--branch <name>',
      "the branch, for the default stack name (default: the bootstrap stack's Branch parameter)",
    )
    .option('--bootstrap-stack <name>', "the bootstrap stack holding the pipeline (default: 'dataless')")
    .option(
      '--follow',
      'when an operation is in progress on the stack, follow its events until it ends (Ctrl-C stops following, not the operation)',
    )
    .option('--json', 'print the result as JSON on stdout')
    .action(
      async (flags: {
        stackName?: string;
        branch?: string;
        bootstrapStack?: string;
        follow?: boolean;
        json?: boolean;
      }) => {
        const { status, formatStatus } = await import('../aws/status');
        await runAndPresent(
          io,
          () =>
            status(
              {
                stackName: flags.stackName,
                branch: flags.branch,
                bootstrapStack: flags.bootstrapStack,
                follow: Boolean(flags.follow),
              },
              io,
            ),
          { json: Boolean(flags.json), text: (result) => formatStatus(result, { color: io.outColor }) },
        );
      },
    );
};
