import type { Register } from './commands';
import { addExecutionFlags, executionFlags, type ExecutionFlags } from './execution';
import { runAndPresent } from './present';

export const register: Register = (program, io) => {
  const command = program
    .command('bootstrap')
    .summary('deploy build.yaml, the CI/CD pipeline stack')
    .description(
      'deploy build.yaml, the CI/CD stack (source repository, artifact bucket, CodeBuild project and the pipeline that deploys ' +
        '<stack-name>-<branch>), through a change set like deploy, then print the RepoURL output on stdout. With --github-owner, ' +
        '--github-repo and --github-connection the pipeline builds from GitHub through that CodeStar connection; otherwise it builds ' +
        'from CodeCommit, from the repository --codecommit-repository names or from one the stack creates. A push to the branch starts ' +
        'the pipeline. On update, parameters not given keep their current values',
    )
    .option(
      '--stack-name <name>',
      "the bootstrap stack (default: 'dataless', so that the pipeline deploys dataless-<branch>)",
    )
    .option('--github-owner <owner>', 'the GitHub user or organisation that owns the repository')
    .option(
      '--github-repo <repo>',
      'the GitHub repository (without --github-owner: the name of the CodeCommit repository to create)',
    )
    .option(
      '--github-connection <arn>',
      'the ARN of the CodeStar connection to GitHub, created and authorised in the console',
    )
    .option('--codecommit-repository <name>', 'build from this existing CodeCommit repository instead of creating one')
    .option('--branch <name>', 'the branch the pipeline builds (default: master, or the current value on update)');
  addExecutionFlags(command).action(
    async (
      flags: ExecutionFlags & {
        stackName?: string;
        githubOwner?: string;
        githubRepo?: string;
        githubConnection?: string;
        codecommitRepository?: string;
        branch?: string;
      },
    ) => {
      const { bootstrap, formatBootstrap } = await import('../aws/bootstrap');
      const { projectRoot } = await import('../paths');
      await runAndPresent(
        io,
        () =>
          bootstrap(
            {
              root: projectRoot(),
              stackName: flags.stackName,
              githubOwner: flags.githubOwner,
              githubRepo: flags.githubRepo,
              githubConnection: flags.githubConnection,
              codecommitRepository: flags.codecommitRepository,
              branch: flags.branch,
              ...executionFlags(flags),
            },
            io,
          ),
        { text: formatBootstrap },
      );
    },
  );
};
