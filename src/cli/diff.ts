import { Option } from 'commander';
import type { Register } from './commands';
import { runAndPresent } from './present';

export const register: Register = (program, io) => {
  program
    .command('diff')
    .summary('what a change does to the stacks: replacements, data loss, permissions')
    .description(
      'compare the generated templates in the working tree (build.yaml and templates-out/, as they are on disk) with the same files at a ' +
        'git revision (default HEAD), or with a deployed stack and its nested stacks (--branch, --stack-name). Nested stacks are matched by ' +
        'their logical-id path from the root (app/AdvertisingService/Lake), so a renamed template file still diffs against its predecessor; ' +
        'the bootstrap stack (build.yaml) is its own tree. For each stack: resources added, removed and modified with each changed property ' +
        "(old -> new) and whether it replaces the resource (never, conditional, always, from the AWS CDK's service specification), data loss " +
        '(a stateful resource removed or replaced without a Retain or Snapshot policy), IAM statements, managed policies, resource policies and ' +
        'security group rules added and removed, each marked when it broadens access, and parameters and outputs. Works offline in the git ' +
        'mode; the deployed mode uses the standard AWS configuration. Exit 0 when the report is made, 1 with --fail-on and a matching change, ' +
        '2 for bad usage (unknown revision, a revision without generated templates, a stack that does not exist)',
    )
    .option('--base <rev>', 'the git revision to compare with (default: HEAD)')
    .option(
      '--branch <name>',
      "compare with the branch's deployed stack (<bootstrap stack>-<name>), and config/<name>.json with its parameter values",
    )
    .option(
      '--stack-name <name>',
      'compare with this deployed stack (the bootstrap stack is compared with build.yaml, any other with templates-out/app.yaml)',
    )
    .option('--bootstrap-stack <name>', "the bootstrap stack, for the default stack name (default: 'dataless')")
    .addOption(
      new Option('--format <format>', 'text (coloured on a terminal), markdown (a review comment) or json')
        .choices(['text', 'markdown', 'json'])
        .default('text'),
    )
    .option('--security-only', 'show only the IAM and security group tables')
    .option(
      '--fail-on <kinds>',
      'exit 1 when the report has any of these comma-separated kinds of change: replacement, data-loss, broadening',
    )
    .action(
      async (flags: {
        base?: string;
        branch?: string;
        stackName?: string;
        bootstrapStack?: string;
        format: 'text' | 'markdown' | 'json';
        securityOnly?: boolean;
        failOn?: string;
      }) => {
        const { diff, formatDiff, parseFailOn } = await import('../diff');
        const { projectRoot } = await import('../paths');
        const options = {
          root: projectRoot(),
          base: flags.base,
          branch: flags.branch,
          stackName: flags.stackName,
          bootstrapStack: flags.bootstrapStack,
          failOn: flags.failOn === undefined ? [] : parseFailOn(flags.failOn),
        };
        // Every format, json included, is a rendering of the report (`--format json` prints the report object, not
        // the result with its base), so the presentation is always the formatter's.
        await runAndPresent(io, () => diff(options, io), {
          text: (result) =>
            formatDiff(result, { format: flags.format, securityOnly: Boolean(flags.securityOnly), color: io.outColor }),
        });
      },
    );
};
