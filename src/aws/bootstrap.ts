// `dataless bootstrap`: deploys build.yaml (source repository, artifact
// bucket, build project, pipeline) through a change set, like any stack. A
// GitHub repository is fetched through a CodeStar connection, so no token
// passes through the command or the stack.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors';
import type { IO } from '../io';
import { resolveRegion } from './clients';
import { describeStack, planStack } from './deploy/changeset';
import { DEFAULT_BOOTSTRAP_STACK, formatDeploy } from './deploy/index';
import {
  checkStackName,
  deployStack,
  executionOptions,
  type ExecutionOptions,
  type StackDeployResult,
} from './deploy/stack';
import { checkGeneratedFiles } from './preflight';
import { BUILD_STACK } from '../stacks';
import { BOOTSTRAP_IDS } from '../stacks/build';

/** The bootstrap template, relative to the repository root. */
const BOOTSTRAP_TEMPLATE = BUILD_STACK.path;

/** Options of `dataless bootstrap`. */
export interface BootstrapOptions extends ExecutionOptions {
  /** The repository root holding build.yaml. */
  readonly root: string;
  /** The bootstrap stack; the pipeline deploys `<stackName>-<branch>`. @default 'dataless' */
  readonly stackName?: string;
  /** The GitHub owner to build from; without owner and repository the pipeline builds from CodeCommit. @default none */
  readonly githubOwner?: string;
  /** The GitHub repository (or, with CodeCommit, the name of the repository to create). @default none */
  readonly githubRepo?: string;
  /** The ARN of the CodeStar connection to GitHub the pipeline fetches through. @default the current value on update */
  readonly githubConnection?: string;
  /** An existing CodeCommit repository to build from instead of creating one. @default none: the stack creates one */
  readonly codecommitRepository?: string;
  /** The branch the pipeline builds. @default the template's default (master), or the current value on update */
  readonly branch?: string;
}

/** What bootstrap did. */
export interface BootstrapResult extends StackDeployResult {
  /** The clone URL of the source repository, when the stack has one. */
  readonly repoUrl?: string;
}

/**
 * Deploys build.yaml to the bootstrap stack through a change set, like deploy, and returns how it ended with the
 * clone URL of the source repository; what to do next goes to stderr.
 */
export async function bootstrap(options: BootstrapOptions, io: IO): Promise<BootstrapResult> {
  const stackName = options.stackName ?? DEFAULT_BOOTSTRAP_STACK;
  checkStackName(stackName);
  if (options.githubOwner && !options.githubRepo) {
    throw new UsageError('--github-owner needs --github-repo: name the repository to build from');
  }
  if (options.githubConnection && !options.githubOwner) {
    throw new UsageError(
      '--github-connection needs --github-owner and --github-repo: name the GitHub repository the connection reaches',
    );
  }
  if (options.codecommitRepository && options.githubOwner) {
    throw new UsageError('--codecommit-repository and --github-owner name two sources: give one');
  }
  checkGeneratedFiles(options.root, [BOOTSTRAP_TEMPLATE]);
  const templateBody = readFileSync(join(options.root, BOOTSTRAP_TEMPLATE), 'utf8');
  const region = await resolveRegion({}, io.aws);

  const parameters: Record<string, string> = {};
  if (options.branch) parameters[BOOTSTRAP_IDS.branch] = options.branch;
  if (options.githubOwner) parameters[BOOTSTRAP_IDS.owner] = options.githubOwner;
  if (options.githubRepo) parameters[BOOTSTRAP_IDS.repo] = options.githubRepo;
  if (options.githubConnection) parameters[BOOTSTRAP_IDS.connection] = options.githubConnection;
  if (options.codecommitRepository) parameters[BOOTSTRAP_IDS.existingRepository] = options.codecommitRepository;
  if (options.githubOwner && !options.githubConnection) {
    // On update the stack keeps the connection it has; a new stack would quietly fall back to CodeCommit.
    const cfn = io.aws.cloudFormation({ region });
    try {
      const existing = await describeStack(cfn, stackName);
      if (planStack(stackName, existing, true).type !== 'UPDATE') {
        throw new UsageError(
          'building from GitHub needs a connection: create one in the CodePipeline console (Settings, Connections), authorise it in GitHub, then pass its ARN with --github-connection',
        );
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
      const status =
        stackName === DEFAULT_BOOTSTRAP_STACK ? 'dataless status' : `dataless status --bootstrap-stack ${stackName}`;
      io.err(`push the branch the pipeline builds to ${repoUrl} to start it; \`${status}\` shows its progress\n`);
    } else {
      io.err(`stack ${stackName} has no ${BOOTSTRAP_IDS.repoUrl} output\n`);
    }
  }
  return { ...result, repoUrl };
}

/**
 * The text form of a bootstrap: the change set's name when it was left for review, else the clone URL of the
 * source repository, else (a stack without one) the stack's outputs.
 */
export function formatBootstrap(result: BootstrapResult): string {
  return result.outcome !== 'not-executed' && result.repoUrl ? `${result.repoUrl}\n` : formatDeploy(result);
}
