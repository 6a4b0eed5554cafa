// `dataless bootstrap`: deploys build.yaml (source repository, artifact
// bucket, build project, pipeline) through a change set, like any stack. The
// GitHub token comes from an environment variable, never from a flag.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors';
import type { IO } from '../io';
import { resolveRegion, cloudFormationClient } from './clients';
import { describeStack, planStack } from './deploy/changeset';
import { DEFAULT_BOOTSTRAP_STACK } from './deploy/index';
import { renderOutputs } from './deploy/render';
import { checkStackName, deployStack, executionOptions, type ExecutionOptions, type StackDeployResult } from './deploy/stack';
import { checkGeneratedFiles } from './preflight';
import { BUILD_STACK } from '../stacks';
import { BOOTSTRAP_IDS } from '../stacks/build';

/** The bootstrap template, relative to the repository root. */
const BOOTSTRAP_TEMPLATE = BUILD_STACK.path;

/** The variable the GitHub token is read from when none is named. */
const DEFAULT_TOKEN_ENV = 'GITHUB_TOKEN';

/** Options of `dataless bootstrap`. */
export interface BootstrapOptions extends ExecutionOptions {
  /** The repository root holding build.yaml. */
  readonly root: string;
  /** The bootstrap stack; the pipeline deploys `<stackName>-<branch>`. @default 'dataless' */
  readonly stackName?: string;
  /** The GitHub owner to build from; without owner and repository the stack creates a CodeCommit repository. @default none */
  readonly githubOwner?: string;
  /** The GitHub repository (or, with CodeCommit, the name of the repository to create). @default none */
  readonly githubRepo?: string;
  /** The environment variable holding the GitHub token. @default 'GITHUB_TOKEN' */
  readonly githubTokenEnv?: string;
  /** The branch the pipeline builds. @default the template's default (master), or the current value on update */
  readonly branch?: string;
}

/** What bootstrap did. */
export interface BootstrapResult extends StackDeployResult {
  /** The clone URL of the source repository, when the stack has one. */
  readonly repoUrl?: string;
}

export async function bootstrap(options: BootstrapOptions, io: IO): Promise<BootstrapResult> {
  const stackName = options.stackName ?? DEFAULT_BOOTSTRAP_STACK;
  checkStackName(stackName);
  const tokenEnv = options.githubTokenEnv ?? DEFAULT_TOKEN_ENV;
  if (options.githubOwner && !options.githubRepo) {
    throw new UsageError('--github-owner needs --github-repo: name the repository to build from');
  }
  const token = io.env[tokenEnv];
  if (options.githubTokenEnv && !token) {
    throw new UsageError(`--github-token-env names ${tokenEnv}, which is not set or empty: export the GitHub token in ${tokenEnv}`);
  }
  checkGeneratedFiles(options.root, [BOOTSTRAP_TEMPLATE]);
  const templateBody = readFileSync(join(options.root, BOOTSTRAP_TEMPLATE), 'utf8');
  const region = await resolveRegion();

  const parameters: Record<string, string> = {};
  if (options.branch) parameters[BOOTSTRAP_IDS.branch] = options.branch;
  if (options.githubOwner) parameters[BOOTSTRAP_IDS.owner] = options.githubOwner;
  if (options.githubRepo) parameters[BOOTSTRAP_IDS.repo] = options.githubRepo;
  if (options.githubOwner && token) parameters[BOOTSTRAP_IDS.accessToken] = token;
  if (options.githubOwner && !token) {
    // On update the stack keeps the token it has; a new stack would quietly fall back to CodeCommit.
    const cfn = cloudFormationClient({ region });
    try {
      const existing = await describeStack(cfn, stackName);
      if (planStack(stackName, existing, true).type !== 'UPDATE') {
        throw new UsageError(`building from GitHub needs a token: export it in ${tokenEnv} (or name another variable with --github-token-env)`);
      }
    } finally {
      cfn.destroy();
    }
  }

  const result = await deployStack(
    {
      stackName,
      templateBody,
      templateName: BOOTSTRAP_TEMPLATE,
      parameters,
      parameterSource: 'the bootstrap flags',
      keepUnspecified: true,
      region,
      ...executionOptions(options),
    },
    io,
  );
  const repoUrl = result.outputs[BOOTSTRAP_IDS.repoUrl];
  if (result.outcome !== 'not-executed') {
    if (repoUrl) {
      io.out(`${repoUrl}\n`);
      const status = stackName === DEFAULT_BOOTSTRAP_STACK ? 'dataless status' : `dataless status --bootstrap-stack ${stackName}`;
      io.err(`push the branch the pipeline builds to ${repoUrl} to start it; \`${status}\` shows its progress\n`);
    } else {
      io.err(`stack ${stackName} has no ${BOOTSTRAP_IDS.repoUrl} output\n`);
      io.out(renderOutputs(result.outputs));
    }
  }
  return { ...result, repoUrl };
}
