import { resolve } from 'node:path';
import type { Register } from './commands';
import { addExecutionFlags, executionFlags, type ExecutionFlags } from './execution';
import { runAndPresent } from './present';

export const register: Register = (program, io) => {
  const command = program
    .command('deploy')
    .summary('deploy a branch through a CloudFormation change set')
    .description(
      "package a branch's application stack and deploy it through a CloudFormation change set: what the change does to the deployed stacks (the `dataless diff` report: replacements, " +
        'data loss, broadened permissions, which the question names) and the change set are shown (nested stacks expanded), confirmed on a terminal (without one, --yes is required), executed, and followed event by event ' +
        'until the stack settles; then its outputs are printed on stdout. A change set without changes is deleted and the ' +
        'command succeeds. Uses the standard AWS configuration (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL)',
    )
    .option(
      '--branch <name>',
      'the branch whose config/<name>.json supplies the parameters (required unless --template)',
    )
    .option(
      '--stack-name <name>',
      'the stack to create or update (default: <bootstrap stack>-<branch>, i.e. dataless-<branch>, the stack the pipeline deploys)',
    )
    .option('--bucket <bucket>', 'the S3 bucket to package to (default: the artifact bucket of the bootstrap stack)')
    .option(
      '--bootstrap-stack <name>',
      "the bootstrap stack, for the default bucket and stack name (default: 'dataless')",
    )
    .option('--prefix <prefix>', 'key prefix for everything uploaded (default: the bucket root)')
    .option(
      '--template <file>',
      'deploy this template file as it is, without packaging (needs --stack-name; --branch then only supplies parameter values)',
    );
  addExecutionFlags(command)
    .option('--out <dir>', 'folder for the packaged templates (default: .dataless/package/ in the repository)')
    .action(
      async (
        flags: ExecutionFlags & {
          branch?: string;
          stackName?: string;
          bucket?: string;
          bootstrapStack?: string;
          prefix?: string;
          template?: string;
          out?: string;
        },
      ) => {
        const { deploy, formatDeploy } = await import('../aws/deploy');
        const { projectRoot } = await import('../paths');
        await runAndPresent(
          io,
          () =>
            deploy(
              {
                root: projectRoot(),
                branch: flags.branch,
                stackName: flags.stackName,
                bucket: flags.bucket,
                bootstrapStack: flags.bootstrapStack,
                prefix: flags.prefix,
                template: flags.template ? resolve(io.cwd, flags.template) : undefined,
                ...executionFlags(flags),
                outDir: flags.out ? resolve(io.cwd, flags.out) : undefined,
              },
              io,
            ),
          { text: formatDeploy },
        );
      },
    );
};
