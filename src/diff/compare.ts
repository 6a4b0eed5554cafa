// Comparing two template trees stack by stack. Which property changes replace
// a resource, which resources are stateful and what IAM and security-group
// changes a resource carries come from the AWS CDK's diff library and the
// service specification it ships, loaded here, and only here, when a stack
// differs (no other command pays for it), and read through the cached facts
// of ./spec.
import type { ResourceDifference, TemplateDiff } from '@aws-cdk/cloudformation-diff';
import type {
  ChangeKind,
  DiffReport,
  PathChange,
  PropertyChange,
  Replacement,
  ResourceChange,
  StackReport,
  StackTemplate,
  Template,
  TemplateResource,
  ValueChange,
} from './model';
import { summarize } from './model';
import { isDeepStrictEqual } from 'node:util';
import { pathChanges } from './paths';
import { judgedType, libraryView, policiesOwner } from './sam';
import { securityChanges } from './security';
import { resourceFacts, useCachedFacts } from './spec';

/** Options of compareTrees. */
export interface CompareOptions {
  /** Where the service specification's facts are cached. @default none: drawn from the specification on each run */
  readonly cacheDir?: string;
}

/** Deletion and replacement policies that keep a resource's data. */
const KEEPS_DATA = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);

const RANK: Readonly<Record<Replacement, number>> = { never: 0, conditional: 1, always: 2 };

type Library = typeof import('@aws-cdk/cloudformation-diff');

let library: Library | undefined;
let facts: CompareOptions = {};
function lib(): Library {
  if (!library) {
    library = require('@aws-cdk/cloudformation-diff') as Library;
    useCachedFacts(facts.cacheDir);
  }
  return library;
}

/** The service specification's word on whether a type holds data (a bucket, table, log group, cluster...). */
function isStateful(type: string): boolean {
  return Boolean(resourceFacts(judgedType(type), facts.cacheDir)?.isStateful);
}

/** Compares two trees (either may be empty) and reports the stacks that change, in the new tree's order, then those that went away. */
export function compareTrees(
  before: readonly StackTemplate[],
  after: readonly StackTemplate[],
  options: CompareOptions = {},
): DiffReport {
  facts = { cacheDir: options.cacheDir };
  const old = new Map(before.map((s) => [s.path, s]));
  const paths = [
    ...after.map((s) => s.path),
    ...before.map((s) => s.path).filter((p) => !after.some((s) => s.path === p)),
  ];
  const stacks: StackReport[] = [];
  for (const path of paths) {
    const a = old.get(path);
    const b = after.find((s) => s.path === path);
    if (a && b && isDeepStrictEqual(a.body, b.body)) continue;
    const report = compareStacks(path, a, b);
    if (report.resources.length + report.security.length + report.parameters.length + report.outputs.length > 0)
      stacks.push(report);
  }
  return { stacks, summary: summarize(stacks) };
}

/** One stack's changes; `before` or `after` is undefined for a stack that appears or goes away. */
export function compareStacks(
  path: string,
  before: StackTemplate | undefined,
  after: StackTemplate | undefined,
): StackReport {
  const oldBody: Template = before?.body ?? {};
  const newBody: Template = after?.body ?? {};
  const diff = lib().fullDiff(libraryView(oldBody), libraryView(newBody));
  const resources: ResourceChange[] = [];
  diff.resources.forEachDifference((id, change) => {
    if (policiesOwner(id) !== undefined) return;
    resources.push(resourceChange(id, change, oldBody.Resources?.[id], newBody.Resources?.[id]));
  });
  return {
    path,
    template: (after ?? before)!.template,
    resources,
    security: securityChanges(diff as TemplateDiff),
    parameters: valueChanges(oldBody.Parameters, newBody.Parameters),
    outputs: valueChanges(oldBody.Outputs, newBody.Outputs),
  };
}

function resourceChange(
  logicalId: string,
  change: ResourceDifference,
  before: TemplateResource | undefined,
  after: TemplateResource | undefined,
): ResourceChange {
  const type = (after ?? before)!.Type;
  if (!before) return { logicalId, type, change: 'add', replacement: 'never', properties: [], dataLoss: false };
  if (!after) {
    return {
      logicalId,
      type,
      change: 'remove',
      replacement: 'never',
      properties: [],
      dataLoss: isStateful(before.Type) && !keeps(before.DeletionPolicy),
    };
  }
  const properties: PropertyChange[] = [];
  if (before.Type !== after.Type)
    properties.push({ path: 'Type', old: before.Type, new: after.Type, replacement: 'always' });
  for (const [name, property] of Object.entries(change.propertyUpdates)) {
    const replacement = impact(property.changeImpact);
    properties.push(
      ...pathChanges(`Properties.${name}`, before.Properties?.[name], after.Properties?.[name]).map((c) => ({
        ...c,
        replacement,
      })),
    );
  }
  for (const name of Object.keys(change.otherChanges)) {
    if (name === 'Type') continue;
    properties.push(
      ...pathChanges(name, before[name], after[name]).map((c) => ({ ...c, replacement: 'never' as const })),
    );
  }
  const replacement = properties.reduce<Replacement>(
    (worst, p) => (RANK[p.replacement] > RANK[worst] ? p.replacement : worst),
    'never',
  );
  const dataLoss = replacement !== 'never' && isStateful(before.Type) && !keeps(before.UpdateReplacePolicy);
  return { logicalId, type, change: 'modify', replacement, properties, dataLoss };
}

function keeps(policy: unknown): boolean {
  return typeof policy === 'string' && KEEPS_DATA.has(policy);
}

function impact(value: string | undefined): Replacement {
  return value === 'WILL_REPLACE' ? 'always' : value === 'MAY_REPLACE' ? 'conditional' : 'never';
}

function valueChanges(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>> | undefined,
): ValueChange[] {
  const names = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const changes: ValueChange[] = [];
  for (const name of names) {
    const [a, b] = [before?.[name], after?.[name]];
    const properties: PathChange[] = pathChanges('', a, b);
    if (properties.length === 0) continue;
    const change: ChangeKind = a === undefined ? 'add' : b === undefined ? 'remove' : 'modify';
    changes.push({ name, change, properties: change === 'modify' ? properties : [] });
  }
  return changes;
}
