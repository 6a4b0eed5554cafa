// `dataless deploy`: the application stack of a branch, packaged and deployed
// through a change set; or, with a template file, that template as it is.
import { existsSync, readFileSync } from 'node:fs';
import type { Stack } from '@aws-sdk/client-cloudformation';
import { relative } from 'node:path';
import { DeploymentError, TemplateError, UsageError } from '../../errors';
import type { IO } from '../../io';
import { loadConfig, type BranchConfig } from '../../config/load';
import { resolveRegion, type AwsClients } from '../clients';
import { awsError, isMissingStack } from '../errors';
import type { BuildParameters } from '../package';
import { checkBranch, uploadBranch } from '../package-branch';
import { renderOutputs } from './render';
import { BOOTSTRAP_IDS } from '../../stacks/build';
import { ROOT_STACK } from '../../stacks';
import { checkStackName, deployStack, executionOptions, type ExecutionOptions, type StackDeployResult } from './stack';

/** The bootstrap stack `dataless bootstrap` creates when no name is given. */
export const DEFAULT_BOOTSTRAP_STACK = 'dataless';

/** The application stack of a branch: what the bootstrap stack's pipeline deploys, `<bootstrap stack>-<branch>`. */
export function appStackName(branch: string, bootstrapStack: string = DEFAULT_BOOTSTRAP_STACK): string {
  return `${bootstrapStack}-${branch.replace(/[^A-Za-z0-9-]/g, '-')}`;
}

/** Options of `dataless deploy`. */
export interface DeployOptions extends ExecutionOptions {
  /** The repository root. */
  readonly root: string;
  /** The branch whose config/<branch>.json supplies the parameters; optional with `template`. @default none */
  readonly branch?: string;
  /** The stack. @default `<bootstrapStack>-<branch>`, i.e. `dataless-<branch>` */
  readonly stackName?: string;
  /** A template file to deploy as it is, without packaging (needs `stackName`). @default the packaged application template */
  readonly template?: string;
  /** The bucket to package to (and for a template over the inline limit). @default the artifact bucket of the bootstrap stack */
  readonly bucket?: string;
  /** Key prefix for uploads. @default '' */
  readonly prefix?: string;
  /** The bootstrap stack: its artifact bucket and its name are the defaults of `bucket` and of the stack name's prefix. @default 'dataless' */
  readonly bootstrapStack?: string;
  /** Folder for the packaged templates. @default '<root>/.dataless/package' */
  readonly outDir?: string;
  /** Build parameters instead of CodeBuild's environment or the defaults. @default from io.env */
  readonly build?: Partial<BuildParameters>;
}

/**
 * Deploys the branch's packaged application stack (or, with `template`, that file as it is) through a change
 * set and returns how it ended: the change set, what it changed, the stack's status and outputs. The review,
 * the change set, the question and the events go to stderr as they happen.
 */
export async function deploy(options: DeployOptions, io: IO): Promise<StackDeployResult> {
  if (!options.template && !options.branch)
    throw new UsageError(
      'name the branch to deploy with --branch (or a template file with --template and --stack-name)',
    );
  if (options.template && !options.stackName)
    throw new UsageError('--template needs --stack-name: a template deployed as it is has no default stack');
  const bootstrapStack = options.bootstrapStack ?? DEFAULT_BOOTSTRAP_STACK;
  const stackName = options.stackName ?? appStackName(options.branch!, bootstrapStack);
  checkStackName(stackName);

  // Everything that needs no AWS comes first: config errors before any call.
  let config: BranchConfig | undefined;
  if (options.template) {
    config = options.branch ? loadConfig(options.root, options.branch) : undefined;
    if (!existsSync(options.template))
      throw new TemplateError(`template file ${options.template} does not exist`, 'TEMPLATE_MISSING');
  } else {
    config = checkBranch(options.root, options.branch!);
  }
  const region = await resolveRegion({}, io.aws);
  const { reviewChange } = await import('./review');
  const common = {
    stackName,
    region,
    prefix: options.prefix,
    ...executionOptions(options),
    review: (stack: Stack) =>
      reviewChange(
        {
          root: options.root,
          stackName,
          region,
          template: options.template ?? ROOT_STACK.path,
          branch: options.branch,
          stack,
        },
        io,
      ),
  };

  if (options.template) {
    return deployStack(
      {
        ...common,
        templateBody: readFileSync(options.template, 'utf8'),
        templateName: displayPath(options.template, options.root),
        parameters: config?.parameters ?? {},
        parameterSource: config ? config.file : 'a branch config (--branch)',
        bucket: options.bucket,
      },
      io,
    );
  } else {
    const bucket = options.bucket ?? (await bootstrapBucket(io.aws, bootstrapStack, region));
    const packaged = await uploadBranch(
      {
        root: options.root,
        branch: options.branch!,
        bucket,
        prefix: options.prefix,
        outDir: options.outDir,
        build: options.build,
        config: config!,
        region,
      },
      io,
    );
    const templateConfig = JSON.parse(readFileSync(packaged.templateConfig, 'utf8')) as {
      Parameters: Record<string, string>;
    };
    return deployStack(
      {
        ...common,
        templateBody: readFileSync(packaged.template, 'utf8'),
        templateName: displayPath(packaged.template, options.root),
        parameters: templateConfig.Parameters,
        parameterSource: config!.file,
        bucket,
      },
      io,
    );
  }
}

/** The text form of a deployment: the change set's name when it was left for review, else the stack's outputs. */
export function formatDeploy(result: StackDeployResult): string {
  return result.outcome === 'not-executed' ? `${result.changeSetName}\n` : renderOutputs(result.outputs);
}

/** The artifact bucket of the bootstrap stack (its `Bucket` resource). */
export async function bootstrapBucket(aws: AwsClients, bootstrapStack: string, region: string): Promise<string> {
  const { DescribeStackResourceCommand } = await import('@aws-sdk/client-cloudformation');
  const cfn = aws.cloudFormation({ region });
  try {
    const answer = await cfn.send(
      new DescribeStackResourceCommand({ StackName: bootstrapStack, LogicalResourceId: BOOTSTRAP_IDS.bucket }),
    );
    const bucket = answer.StackResourceDetail?.PhysicalResourceId;
    if (!bucket)
      throw new DeploymentError(
        `the ${BOOTSTRAP_IDS.bucket} of stack ${bootstrapStack} has no name yet (${answer.StackResourceDetail?.ResourceStatus}); pass --bucket`,
      );
    return bucket;
  } catch (error) {
    if (isMissingStack(error)) {
      throw new UsageError(
        `deploy needs an S3 bucket for the packaged code: pass --bucket, or create the bootstrap stack first (\`dataless bootstrap\`), whose artifact bucket is the default (looked for in stack ${bootstrapStack} in ${region})`,
      );
    }
    if (error instanceof DeploymentError) throw error;
    throw awsError(`finding the artifact bucket of stack ${bootstrapStack}`, error);
  } finally {
    cfn.destroy();
  }
}

function displayPath(path: string, root: string): string {
  const rel = relative(root, path);
  return rel.startsWith('..') ? path : rel.split('\\').join('/');
}
