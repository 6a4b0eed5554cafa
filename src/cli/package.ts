import { resolve } from 'node:path';
import type { Register } from './commands';
import { runAndPresent } from './present';

export const register: Register = (program, io) => {
  program
    .command('package')
    .summary('upload artifacts to S3 and write the packaged template')
    .description(
      'upload what the application templates point at (Lambda bundles, job code, nested templates) to S3 under content-hash keys, ' +
        'skipping objects already there, and write the packaged template.yaml and template-config.json for a change set. ' +
        'Refuses, before any AWS call, when the branch config is invalid, the committed templates are stale or a bundle is missing. ' +
        'Uses the standard AWS configuration (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL); inside CodeBuild the build parameters come from its environment',
    )
    .requiredOption('--branch <name>', 'the branch whose config/<name>.json supplies the parameters')
    .requiredOption('--bucket <bucket>', 'the S3 bucket to upload to')
    .option('--prefix <prefix>', 'key prefix for everything uploaded (default: the bucket root)')
    .option(
      '--out <dir>',
      'folder for template.yaml and template-config.json (default: .dataless/package/ in the repository)',
    )
    .option('--json', 'print {"uploaded", "skipped", "bytes", "template"} as JSON on stdout')
    .option('--build-id <id>', 'the Build parameter (default: CODEBUILD_BUILD_ID, else "manual")')
    .option(
      '--source-version <revision>',
      'the SourceVersion parameter (default: CODEBUILD_RESOLVED_SOURCE_VERSION, else "unknown")',
    )
    .option('--pipeline <name>', 'the CodePipeline parameter (default: from CODEBUILD_INITIATOR, else "manual")')
    .action(
      async (flags: {
        branch: string;
        bucket: string;
        prefix?: string;
        out?: string;
        json?: boolean;
        buildId?: string;
        sourceVersion?: string;
        pipeline?: string;
      }) => {
        const { packageBranch, packageSummary, formatPackage } = await import('../aws/package-branch');
        const { projectRoot } = await import('../paths');
        const options = {
          root: projectRoot(),
          branch: flags.branch,
          bucket: flags.bucket,
          prefix: flags.prefix,
          outDir: flags.out ? resolve(io.cwd, flags.out) : undefined,
          build: { Build: flags.buildId, SourceVersion: flags.sourceVersion, CodePipeline: flags.pipeline },
        };
        await runAndPresent(io, async () => packageSummary(await packageBranch(options, io)), {
          json: Boolean(flags.json),
          text: formatPackage,
        });
      },
    );
};
