// The security tables of one stack: IAM statements and managed policies, and
// security group rules, added and removed, from the diff library's reading of
// each resource (identity policies, policy resources, resource policies,
// Lambda permissions, inline and separate SG rules). The library says
// whether a whole template's permissions broaden; here each row is judged:
// an added Allow statement or rule is broadening unless a removed one of the
// same resource already granted all of it, so a narrowed statement is not.
import { isDeepStrictEqual } from 'node:util';
import type { TemplateDiff } from '@aws-cdk/cloudformation-diff';
import type { IamChanges } from '@aws-cdk/cloudformation-diff/lib/iam/iam-changes';
import type { Statement, Targets } from '@aws-cdk/cloudformation-diff/lib/iam/statement';
import type { SecurityGroupChanges } from '@aws-cdk/cloudformation-diff/lib/network/security-group-changes';
import type { SecurityGroupRule } from '@aws-cdk/cloudformation-diff/lib/network/security-group-rule';
import type { SecurityChange } from './model';
import { policiesOwner } from './sam';

/** Scrutiny types whose statements are a resource's own policy rather than an identity's. */
const RESOURCE_POLICY_SCRUTINY = new Set(['InlineResourcePolicy', 'ResourcePolicyResource', 'LambdaPermission']);

interface Scrutinized {
  readonly resourceLogicalId: string;
  readonly scrutinyType: string;
}

/** The part of TemplateDiff that finds the changes worth scrutiny (public in the JavaScript, private in the typings). */
interface Scrutiny {
  scrutinizablePropertyChanges(types: readonly string[]): Scrutinized[];
  scrutinizableResourceChanges(types: readonly string[]): Scrutinized[];
}

function groupBy<T extends Scrutinized>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Every security row of a stack's diff, by resource. */
export function securityChanges(diff: TemplateDiff): SecurityChange[] {
  const { IamChanges } =
    require('@aws-cdk/cloudformation-diff/lib/iam/iam-changes') as typeof import('@aws-cdk/cloudformation-diff/lib/iam/iam-changes');
  const { SecurityGroupChanges } =
    require('@aws-cdk/cloudformation-diff/lib/network/security-group-changes') as typeof import('@aws-cdk/cloudformation-diff/lib/network/security-group-changes');
  const scrutiny = diff as unknown as Scrutiny;
  const rows: SecurityChange[] = [];

  const propertyTypes = IamChanges.IamPropertyScrutinies.map(String);
  const resourceTypes = IamChanges.IamResourceScrutinies.map(String);
  const iam = [
    ...scrutiny.scrutinizablePropertyChanges(propertyTypes).map((c) => ({ c, property: true })),
    ...scrutiny.scrutinizableResourceChanges(resourceTypes).map((c) => ({ c, property: false })),
  ];
  const iamGroups = new Map<string, typeof iam>();
  for (const item of iam) {
    const kind = RESOURCE_POLICY_SCRUTINY.has(item.c.scrutinyType) ? 'resource-policy' : 'iam';
    const key = `${item.c.resourceLogicalId}\0${kind}`;
    iamGroups.set(key, [...(iamGroups.get(key) ?? []), item]);
  }
  for (const [key, items] of iamGroups) {
    const [id, kind] = key.split('\0') as [string, 'iam' | 'resource-policy'];
    const changes = new IamChanges({
      propertyChanges: items.filter((i) => i.property).map((i) => i.c) as never,
      resourceChanges: items.filter((i) => !i.property).map((i) => i.c) as never,
    });
    rows.push(...iamRows(changes, policiesOwner(id) ?? id, kind));
  }

  const ingress = groupBy(scrutiny.scrutinizablePropertyChanges(['IngressRules']), (c) => c.resourceLogicalId);
  const egress = groupBy(scrutiny.scrutinizablePropertyChanges(['EgressRules']), (c) => c.resourceLogicalId);
  const ingressResources = groupBy(
    scrutiny.scrutinizableResourceChanges(['IngressRuleResource']),
    (c) => c.resourceLogicalId,
  );
  const egressResources = groupBy(
    scrutiny.scrutinizableResourceChanges(['EgressRuleResource']),
    (c) => c.resourceLogicalId,
  );
  const ids = new Set([...ingress.keys(), ...egress.keys(), ...ingressResources.keys(), ...egressResources.keys()]);
  for (const id of ids) {
    const changes = new SecurityGroupChanges({
      ingressRulePropertyChanges: (ingress.get(id) ?? []) as never,
      egressRulePropertyChanges: (egress.get(id) ?? []) as never,
      ingressRuleResourceChanges: (ingressResources.get(id) ?? []) as never,
      egressRuleResourceChanges: (egressResources.get(id) ?? []) as never,
    });
    rows.push(...ruleRows(changes, id));
  }
  return rows;
}

function iamRows(changes: IamChanges, resource: string, kind: 'iam' | 'resource-policy'): SecurityChange[] {
  const { additions, removals } = changes.statements;
  const rows: SecurityChange[] = [];
  for (const s of additions) {
    const negative = String(s.effect) === 'Deny';
    const covered = removals.some((r) => covers(r, s));
    rows.push({ kind, change: 'add', resource, broadening: !negative && !covered, ...statementFields(s) });
  }
  for (const s of removals) {
    const negative = String(s.effect) === 'Deny';
    const stillDenied = additions.some((a) => covers(a, s));
    rows.push({ kind, change: 'remove', resource, broadening: negative && !stillDenied, ...statementFields(s) });
  }
  for (const p of changes.managedPolicies.additions)
    rows.push({ kind, change: 'add', resource, broadening: true, managedPolicy: p.managedPolicyArn });
  for (const p of changes.managedPolicies.removals)
    rows.push({ kind, change: 'remove', resource, broadening: false, managedPolicy: p.managedPolicyArn });
  return rows;
}

function statementFields(
  s: Statement,
): Pick<SecurityChange, 'effect' | 'principals' | 'actions' | 'resources' | 'conditions'> {
  return {
    effect: s.effect,
    principals: targetList(s.principals),
    actions: targetList(s.actions),
    resources: targetList(s.resources),
    ...(s.condition === undefined ? {} : { conditions: readableCondition(s.condition) }),
  };
}

function targetList(t: Targets): string[] {
  return t.values.map((v) => (t.not ? `NOT ${readable(v)}` : readable(v)));
}

/** The library writes an intrinsic it cannot render as its JSON; a `Fn::Sub` reads better as its string. */
function readable(value: string): string {
  return value.replace(/\{"Fn::Sub":("(?:[^"\\]|\\.)*")\}/g, (_, text: string) => JSON.parse(text) as string);
}

/** A condition with its values made readable in the same way. */
function readableCondition(value: unknown): unknown {
  if (typeof value === 'string') return readable(value);
  if (Array.isArray(value)) return value.map(readableCondition);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readableCondition(v)]));
  return value;
}

/** True when `wide` grants (or denies) at least everything `narrow` does: same effect, each target within one of wide's, and no condition of wide's that narrow lacks. */
function covers(wide: Statement, narrow: Statement): boolean {
  if (wide.effect !== narrow.effect) return false;
  const within = (w: Targets, n: Targets, ignoreCase: boolean) => {
    if (w.not || n.not) return w.not === n.not && isDeepStrictEqual([...w.values].sort(), [...n.values].sort());
    if (w.values.length === 0) return n.values.length === 0;
    return n.values.every((value) => w.values.some((pattern) => globMatch(pattern, value, ignoreCase)));
  };
  if (
    !within(wide.actions, narrow.actions, true) ||
    !within(wide.resources, narrow.resources, false) ||
    !within(wide.principals, narrow.principals, false)
  )
    return false;
  const wideCondition = (wide.condition ?? {}) as Record<string, unknown>;
  const narrowCondition = (narrow.condition ?? {}) as Record<string, unknown>;
  return Object.entries(wideCondition).every(([k, v]) => isDeepStrictEqual(narrowCondition[k], v));
}

function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === value) return true;
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'i' : '',
  );
  return regex.test(value);
}

function ruleRows(changes: SecurityGroupChanges, resource: string): SecurityChange[] {
  const rows: SecurityChange[] = [];
  const add = (
    rule: SecurityGroupRule,
    change: 'add' | 'remove',
    direction: 'ingress' | 'egress',
    removed: readonly SecurityGroupRule[],
  ) =>
    rows.push({
      kind: 'security-group',
      change,
      resource,
      broadening: change === 'add' && !removed.some((r) => ruleCovers(r, rule)),
      group: rule.groupId,
      direction,
      protocol: rule.describeProtocol(),
      peer: rule.describePeer(),
    });
  for (const r of changes.ingress.additions) add(r, 'add', 'ingress', changes.ingress.removals);
  for (const r of changes.egress.additions) add(r, 'add', 'egress', changes.egress.removals);
  for (const r of changes.ingress.removals) add(r, 'remove', 'ingress', []);
  for (const r of changes.egress.removals) add(r, 'remove', 'egress', []);
  return rows;
}

/** True when `wide` opens at least what `narrow` does: same group and protocol, a port range around narrow's, a peer that contains narrow's. */
function ruleCovers(wide: SecurityGroupRule, narrow: SecurityGroupRule): boolean {
  if (wide.groupId !== narrow.groupId || (wide.ipProtocol !== '-1' && wide.ipProtocol !== narrow.ipProtocol))
    return false;
  if (
    wide.ipProtocol !== '-1' &&
    ((wide.fromPort ?? -Infinity) > (narrow.fromPort ?? -Infinity) ||
      (wide.toPort ?? Infinity) < (narrow.toPort ?? Infinity))
  )
    return false;
  const [w, n] = [wide.peer, narrow.peer];
  if (!w || !n) return isDeepStrictEqual(w, n);
  if (w.kind === 'cidr-ip' && n.kind === 'cidr-ip') return cidrContains(w.ip, n.ip);
  return isDeepStrictEqual(w, n);
}

function cidrContains(wide: string, narrow: string): boolean {
  if (wide === narrow) return true;
  const parse = (cidr: string) => {
    const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    if (!match) return undefined;
    const [a, b, c, d, bits] = match.slice(1).map(Number) as [number, number, number, number, number];
    return { address: ((a << 24) | (b << 16) | (c << 8) | d) >>> 0, bits };
  };
  const [w, n] = [parse(wide), parse(narrow)];
  if (!w || !n || w.bits > n.bits) return false;
  const mask = w.bits === 0 ? 0 : (~0 << (32 - w.bits)) >>> 0;
  return (w.address & mask) >>> 0 === (n.address & mask) >>> 0;
}
