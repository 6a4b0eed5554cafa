// What `dataless diff` reports: the stacks of two template trees compared by
// logical-id path, each with its resource, security, parameter and output
// changes. The JSON format is these objects as they are.

/** A CloudFormation or SAM template as parsed (long-form intrinsics). */
export interface Template {
  /** Where the template lists its assets, among other metadata (src/cfn/assets.ts). */
  readonly Metadata?: unknown;
  readonly Parameters?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly Resources?: Readonly<Record<string, TemplateResource>>;
  readonly Outputs?: Readonly<Record<string, unknown>>;
  readonly [section: string]: unknown;
}

/** One resource of a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly DeletionPolicy?: unknown;
  readonly UpdateReplacePolicy?: unknown;
  readonly [attribute: string]: unknown;
}

/** One stack of a tree: where it sits, where its template came from, and the template. */
export interface StackTemplate {
  /** The logical-id path from the root, e.g. `app/AdvertisingService/Lake`. */
  readonly path: string;
  /** Where the template came from: a repository path, or a stack's name or id. */
  readonly template: string;
  readonly body: Template;
}

/** Whether a change replaces the resource (CloudFormation deletes the old one once the new one exists). */
export type Replacement = 'never' | 'conditional' | 'always';

/** One changed value at a path inside a resource, parameter or output. */
export interface PathChange {
  /** Dotted path, e.g. `Properties.SecurityGroupIngress[0].CidrIp`; `[n]` indexes a list. */
  readonly path: string;
  /** The value before; absent when it was added. */
  readonly old?: unknown;
  /** The value after; absent when it was removed. */
  readonly new?: unknown;
}

/** A changed property of a modified resource, with what its change does. */
export interface PropertyChange extends PathChange {
  readonly replacement: Replacement;
}

export type ChangeKind = 'add' | 'remove' | 'modify';

/** A resource added, removed or modified. */
export interface ResourceChange {
  readonly logicalId: string;
  readonly type: string;
  readonly change: ChangeKind;
  /** The strongest replacement among the changed properties (`never` for additions and removals). */
  readonly replacement: Replacement;
  readonly properties: readonly PropertyChange[];
  /** A stateful resource removed or replaced without a policy that keeps its data. */
  readonly dataLoss: boolean;
}

/** One row of a security table. */
export interface SecurityChange {
  readonly kind: 'iam' | 'security-group' | 'resource-policy';
  readonly change: 'add' | 'remove';
  /** The logical id of the resource that holds the statement or rule. */
  readonly resource: string;
  /** It grants more than before: an Allow statement, a managed policy or a rule added that no removed one covered, or a Deny removed. */
  readonly broadening: boolean;
  /** IAM: Allow or Deny. */
  readonly effect?: string;
  /** IAM: who the statement applies to. */
  readonly principals?: readonly string[];
  readonly actions?: readonly string[];
  readonly resources?: readonly string[];
  readonly conditions?: unknown;
  /** IAM: a managed policy attached or detached. */
  readonly managedPolicy?: string;
  /** Security group: the group, direction, protocol and ports, and the peer. */
  readonly group?: string;
  readonly direction?: 'ingress' | 'egress';
  readonly protocol?: string;
  readonly peer?: string;
}

/** A parameter or output added, removed or changed; for parameters also the value a deployed stack has. */
export interface ValueChange {
  readonly name: string;
  readonly change: ChangeKind;
  readonly properties: readonly PathChange[];
}

/** Everything that changes in one stack. */
export interface StackReport {
  /** The logical-id path, e.g. `app/AdvertisingService/Lake`. */
  readonly path: string;
  /** The template it is built from (the new one; the old one for a stack that goes away). */
  readonly template: string;
  readonly resources: readonly ResourceChange[];
  readonly security: readonly SecurityChange[];
  readonly parameters: readonly ValueChange[];
  readonly outputs: readonly ValueChange[];
}

export interface Summary {
  readonly added: number;
  readonly removed: number;
  readonly modified: number;
  readonly replaced: number;
  readonly dataLoss: number;
  readonly broadening: number;
}

/** The whole report: the stacks that change, root first, then their nested stacks. */
export interface DiffReport {
  readonly stacks: readonly StackReport[];
  readonly summary: Summary;
}

/** The kinds of change `--fail-on` can name. */
export const FAIL_ON_KINDS = ['replacement', 'data-loss', 'broadening'] as const;
export type FailOnKind = (typeof FAIL_ON_KINDS)[number];

/** How many changes of a kind the report holds. */
export function countOf(summary: Summary, kind: FailOnKind): number {
  return kind === 'replacement' ? summary.replaced : kind === 'data-loss' ? summary.dataLoss : summary.broadening;
}

export function summarize(stacks: readonly StackReport[]): Summary {
  const resources = stacks.flatMap((s) => s.resources);
  return {
    added: resources.filter((r) => r.change === 'add').length,
    removed: resources.filter((r) => r.change === 'remove').length,
    modified: resources.filter((r) => r.change === 'modify').length,
    replaced: resources.filter((r) => r.change === 'modify' && r.replacement !== 'never').length,
    dataLoss: resources.filter((r) => r.dataLoss).length,
    broadening: stacks.flatMap((s) => s.security).filter((s) => s.broadening).length,
  };
}
