import type { Register } from './commands';
import { addExecutionFlags, executionFlags, type ExecutionFlags } from './execution';

export const register: Register = (program, io) => {
  const command = program
    .command('bootstrap')
    .summary('deploy build.yaml, the CI/CD pipeline stack')
    .description(
      'deploy build.yaml, the CI/CD stack (source repository, artifact bucket, CodeBuild project and the pipeline that deploys ' +
        '<stack-name>-<branch>), through a change set like deploy, then print the RepoURL output on stdout. With --github-owner ' +
        'and --github-repo the pipeline builds from GitHub, with the token read from an environment variable; otherwise the stack ' +
        'creates a CodeCommit repository. On update, parameters not given keep their current values',
    )
    .option('--stack-name <name>', "the bootstrap stack (default: 'dataless', so that the pipeline deploys dataless-<branch>)")
    .option('--github-owner <owner>', 'the GitHub user or organisation that owns the repository')
    .option('--github-repo <repo>', 'the GitHub repository (without --github-owner: the name of the CodeCommit repository to create)')
    .option('--github-token-env <var>', 'the environment variable holding the GitHub token (default: GITHUB_TOKEN); the token is never a flag value')
    .option('--branch <name>', 'the branch the pipeline builds (default: master, or the current value on update)');
  addExecutionFlags(command).action(
    async (flags: ExecutionFlags & { stackName?: string; githubOwner?: string; githubRepo?: string; githubTokenEnv?: string; branch?: string }) => {
      const { bootstrap } = await import('../aws/bootstrap');
      const { projectRoot } = await import('../paths');
      await bootstrap(
        {
          root: projectRoot(),
          stackName: flags.stackName,
          githubOwner: flags.githubOwner,
          githubRepo: flags.githubRepo,
          githubTokenEnv: flags.githubTokenEnv,
          branch: flags.branch,
          ...executionFlags(flags),
        },
        io,
      );
    },
  );
};
