// `dataless diff`: the generated templates in the working tree against a git
// revision of them, or against a deployed stack; a report per stack, and an
// exit status for CI (`--fail-on`).
import { createHash } from 'node:crypto';
import type { Stack } from '@aws-sdk/client-cloudformation';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UsageError, ValidationError } from '../errors';
import type { IO } from '../io';
import { APP_STACK, BUILD_STACK, ROOT_STACK } from '../stacks';
import { compareTrees } from './compare';
import { diskReader, fileSource, revisionReader, type FileReader } from './files';
import {
  countOf,
  FAIL_ON_KINDS,
  summarize,
  type DiffReport,
  type FailOnKind,
  type StackReport,
  type StackTemplate,
  type Template,
  type ValueChange,
} from './model';
import { alignPackaged } from './packaged';
import { renderReport, type DiffFormat } from './render';
import { walkTree } from './walk';

/** The template trees: the application (root stack and its nested stacks) and the bootstrap stack, each named by its root. */
export const TREES = [
  { name: 'app', file: APP_STACK.path },
  { name: 'bootstrap', file: BUILD_STACK.path },
] as const;

/** Options of `dataless diff`. */
export interface DiffOptions {
  /** The repository root. */
  readonly root: string;
  /** The git revision to compare with. @default 'HEAD' (when no stack is named) */
  readonly base?: string;
  /** Compare with the deployed stack of this branch (`<bootstrapStack>-<branch>`), and its config with the stack's parameter values. @default none */
  readonly branch?: string;
  /** Compare with this deployed stack. @default `<bootstrapStack>-<branch>` with a branch */
  readonly stackName?: string;
  /** The bootstrap stack: the prefix of branch stacks, and the stack compared with build.yaml. @default 'dataless' */
  readonly bootstrapStack?: string;
  /** Fail (exit 1) when the report has a change of these kinds. @default none */
  readonly failOn?: readonly FailOnKind[];
}

/** The report, and the side it was compared with. */
export interface DiffResult {
  readonly report: DiffReport;
  readonly base: string;
}

/** How `dataless diff` shows its report. */
export interface DiffPresentation {
  /** The report's format. @default 'text' */
  readonly format?: DiffFormat;
  /** Show only the security tables. @default false */
  readonly securityOnly?: boolean;
  /** Colour the text format. @default false */
  readonly color?: boolean;
}

/**
 * The report as the command prints it: text, markdown, or (`--format json`)
 * the report object alone, as it always was; the side compared with is in the
 * text forms' summary line.
 */
export function formatDiff(result: DiffResult, presentation: DiffPresentation = {}): string {
  return renderReport(result.report, presentation.format ?? 'text', {
    base: result.base,
    securityOnly: presentation.securityOnly,
    color: presentation.color,
  });
}

/** Parses `--fail-on replacement,data-loss`; a usage error names an unknown kind. */
export function parseFailOn(value: string): FailOnKind[] {
  const kinds = value
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const kind of kinds) {
    if (!(FAIL_ON_KINDS as readonly string[]).includes(kind))
      throw new UsageError(
        `--fail-on: unknown kind ${JSON.stringify(kind)}; use any of ${FAIL_ON_KINDS.join(', ')}, separated by commas`,
      );
  }
  return kinds as FailOnKind[];
}

/**
 * Compares the working tree's templates with a git revision or a deployed
 * stack and returns the report. With `failOn`, a change of those kinds fails
 * with DIFF_FAIL_ON, the report attached.
 */
export async function diff(options: DiffOptions, io: IO): Promise<DiffResult> {
  const deployed = options.branch !== undefined || options.stackName !== undefined;
  if (deployed && options.base !== undefined)
    throw new UsageError(
      '--base compares with a git revision, --branch and --stack-name with a deployed stack: give one or the other',
    );
  const result = deployed ? await diffDeployed(options, io) : await diffRevision(options.root, options.base ?? 'HEAD');
  const failing = (options.failOn ?? []).filter((kind) => countOf(result.report.summary, kind) > 0);
  if (failing.length > 0) {
    throw new ValidationError(
      `the change has ${failing.map((kind) => counted(countOf(result.report.summary, kind), kind)).join(', ')} (--fail-on ${(options.failOn ?? []).join(',')})`,
      'DIFF_FAIL_ON',
    ).withResult(result);
  }
  return result;
}

/** A count of one kind of change, in words. */
function counted(n: number, kind: FailOnKind): string {
  const s = n === 1 ? '' : 's';
  return kind === 'replacement'
    ? `${n} replacement${s}`
    : kind === 'data-loss'
      ? `${n} resource${s} losing data`
      : `${n} broadening change${s}`;
}

/** The working tree's trees against the same files at a git revision. */
export async function diffRevision(root: string, revision: string): Promise<DiffResult> {
  const before = revisionReader(root, revision);
  if (TREES.every((tree) => before(tree.file) === undefined)) {
    throw new UsageError(
      `revision ${revision} has no generated templates (${TREES.map((t) => t.file).join(', ')}): name a revision made after they were committed`,
    );
  }
  const parsed = new Map<string, Template>();
  const old = await trees(before, `at ${revision}`, parsed);
  const current = await trees(diskReader(root), 'working tree', parsed);
  return { report: compareTrees(old, current, { cacheDir: cacheDir(root) }), base: revision };
}

async function trees(read: FileReader, where: string, parsed: Map<string, Template>): Promise<StackTemplate[]> {
  const all: StackTemplate[] = [];
  for (const tree of TREES) all.push(...(await walkTree(fileSource(read, tree.file, where, parsed), tree.name)));
  return all;
}

/** Where the service specification's facts are cached: the project's own scratch folder. */
function cacheDir(root: string): string {
  return join(root, '.dataless', 'cache');
}

/** Options of diffDeployed beyond the command's. */
export interface DeployedDiffOptions extends DiffOptions {
  /** The region. @default the SDK's configured region */
  readonly region?: string;
  /** The root template to compare, absolute or relative to the root. @default build.yaml for the bootstrap stack, else templates-out/app.yaml */
  readonly template?: string;
  /** The stack as already described, so that it is not asked for again. @default described here */
  readonly deployedStack?: Stack;
}

/**
 * The working tree's templates (the application tree, or the bootstrap tree
 * for the bootstrap stack) against the deployed stack and its nested stacks;
 * with a branch, also the branch config's values against the stack's. A
 * usage error when the stack does not exist.
 */
export async function diffDeployed(options: DeployedDiffOptions, io: IO): Promise<DiffResult> {
  const result = await compareDeployed(options, io);
  if (!result.deployed) {
    throw new UsageError(
      `stack ${result.stackName} does not exist in ${result.region}: name a deployed stack with --stack-name or --branch (or compare with a git revision with --base)`,
    );
  }
  return result.deployed;
}

/** What compareDeployed found: the report, or that there is no such stack. */
export interface DeployedComparison {
  readonly stackName: string;
  readonly region: string;
  /** The comparison; undefined when the stack does not exist. */
  readonly deployed?: DiffResult;
}

/** As diffDeployed, but a stack that does not exist is an answer, not an error (deploy then creates it). */
export async function compareDeployed(options: DeployedDiffOptions, io: IO): Promise<DeployedComparison> {
  const { appStackName, DEFAULT_BOOTSTRAP_STACK } = await import('../aws/deploy/index');
  const { checkStackName } = await import('../aws/deploy/stack');
  const { resolveRegion } = await import('../aws/clients');
  const { deployedSource } = await import('../aws/deployed');
  const bootstrapStack = options.bootstrapStack ?? DEFAULT_BOOTSTRAP_STACK;
  const stackName = options.stackName ?? appStackName(options.branch!, bootstrapStack);
  checkStackName(stackName);
  const tree = stackName === bootstrapStack ? TREES[1] : TREES[0];
  const rootFile = options.template
    ? relative(options.root, resolve(options.root, options.template)).split(sep).join('/')
    : tree.file;
  const config =
    options.branch !== undefined && tree === TREES[0]
      ? (await import('../config/load')).loadConfig(options.root, options.branch)
      : undefined;

  const local = await walkTree(fileSource(diskReader(options.root), rootFile, 'working tree'), tree.name);
  if (local.length === 0) throw new UsageError(`${rootFile} does not exist: run \`npx dataless synth\``);
  const region = options.region ?? (await resolveRegion({}, io.aws));
  const cfn = io.aws.cloudFormation({ region });
  let remote: StackTemplate[];
  const source = deployedSource(cfn, stackName, options.deployedStack);
  try {
    remote = await walkTree(source, tree.name);
  } finally {
    cfn.destroy();
  }
  if (remote.length === 0) return { stackName, region };
  const aligned = alignPackaged(remote, local, (file, address) => sameContent(options.root, file, address));
  let report = compareTrees(aligned, local, { cacheDir: cacheDir(options.root) });
  if (config)
    report = withValues(report, local[0]!, parameterValueChanges(config.parameters, local[0]!, source.parameters()));
  return { stackName, region, deployed: { report, base: `stack ${stackName}` } };
}

/** True when the packaged address ends in the SHA-256 of the local file, the key `dataless package` stores it under. */
function sameContent(root: string, file: string, address: string): boolean {
  const path = join(root, ...file.split('/'));
  if (!existsSync(path)) return false;
  return address.includes(createHash('sha256').update(readFileSync(path)).digest('hex'));
}

/**
 * The value each config parameter will have (the config's, else the new
 * template's default) against the stack's current one; NoEcho values, which
 * CloudFormation masks, and parameters the build sets are left out.
 */
export function parameterValueChanges(
  given: Readonly<Record<string, string>>,
  root: StackTemplate,
  current: readonly { ParameterKey?: string; ParameterValue?: string }[],
): ValueChange[] {
  const { isConfigParameter } = require('../config/schema') as typeof import('../config/schema');
  const configurable = ROOT_STACK.build()
    .parameterList()
    .filter(isConfigParameter)
    .map((p) => p.logicalId);
  const values = new Map(current.map((p) => [p.ParameterKey ?? '', p.ParameterValue]));
  const changes: ValueChange[] = [];
  for (const name of configurable) {
    const declared = root.body.Parameters?.[name];
    if (!declared || declared.NoEcho === true || declared.NoEcho === 'true' || !values.has(name)) continue;
    const fallback = declared.Default;
    const next =
      given[name] ?? (typeof fallback === 'string' || typeof fallback === 'number' ? String(fallback) : undefined);
    const previous = values.get(name);
    if (next !== undefined && next !== previous)
      changes.push({ name, change: 'modify', properties: [{ path: 'Value', old: previous, new: next }] });
  }
  return changes;
}

function withValues(report: DiffReport, root: StackTemplate, values: readonly ValueChange[]): DiffReport {
  if (values.length === 0) return report;
  const existing = report.stacks.find((s) => s.path === root.path);
  const merged: StackReport = existing
    ? { ...existing, parameters: [...existing.parameters, ...values] }
    : { path: root.path, template: root.template, resources: [], security: [], parameters: values, outputs: [] };
  const stacks = existing ? report.stacks.map((s) => (s === existing ? merged : s)) : [merged, ...report.stacks];
  return { stacks, summary: summarize(stacks) };
}
