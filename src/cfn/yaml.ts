import { isDeepStrictEqual } from 'node:util';
import { Document, Scalar, YAMLMap, YAMLSeq, parse, type Node, type ScalarTag, type CollectionTag } from 'yaml';
import { TemplateError } from '../errors';

/** Top-level sections, in the order every generated file lists them. */
export const SECTION_ORDER = [
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Mappings',
  'Conditions',
  'Transform',
  'Globals',
  'Resources',
  'Outputs',
] as const;

/** Resource attributes, in the order every generated resource lists them. */
export const RESOURCE_ATTRIBUTE_ORDER = [
  'Type',
  'Condition',
  'DependsOn',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'UpdatePolicy',
  'CreationPolicy',
  'Metadata',
  'Properties',
] as const;

/** Intrinsics whose short form takes a sequence: `!If [a, b, c]`. */
const SEQUENCE_FUNCTIONS = new Set([
  'Fn::And',
  'Fn::Cidr',
  'Fn::Equals',
  'Fn::FindInMap',
  'Fn::If',
  'Fn::Join',
  'Fn::Not',
  'Fn::Or',
  'Fn::Select',
  'Fn::Split',
]);

/** Intrinsics whose short form takes one value: `!Base64 value`. */
const VALUE_FUNCTIONS = new Set(['Fn::Base64', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Sub', 'Fn::Transform']);

const shortName = (fn: string) => '!' + fn.replace(/^Fn::/, '');

/**
 * Writes a template (plain CloudFormation JSON) as canonical YAML: short-form
 * intrinsics, fixed section and attribute order, a banner, and the same bytes
 * for the same input. The output is parsed back and compared with the input;
 * any difference in meaning is an error.
 */
export function toYaml(template: Record<string, unknown>, banner: readonly string[] = []): string {
  const doc = new Document(null, { version: '1.1' });
  doc.contents = node(doc, orderTemplate(template)) as YAMLMap;
  if (banner.length > 0) doc.commentBefore = banner.map((line) => ` ${line}`).join('\n');
  const text = doc.toString({ lineWidth: 0, blockQuote: 'literal', indentSeq: true, flowCollectionPadding: false });
  const back = parseTemplate(text, '<generated>');
  if (!isDeepStrictEqual(back, template)) {
    throw new TemplateError(`the YAML written for the template does not read back the same: ${firstDifference(template, back)}`, 'SERIALIZER_ROUND_TRIP');
  }
  return text;
}

/** Reads CloudFormation YAML (short or long intrinsics) into long-form JSON. */
export function parseTemplate(text: string, file: string): unknown {
  try {
    return parse(text, { version: '1.1', customTags: CFN_TAGS, uniqueKeys: true, maxAliasCount: 0 });
  } catch (error) {
    throw new TemplateError(`${file}: cannot read the template: ${(error as Error).message}`, 'TEMPLATE_UNREADABLE');
  }
}

function orderTemplate(template: Record<string, unknown>): Record<string, unknown> {
  const ordered = orderKeys(template, SECTION_ORDER);
  const resources = ordered.Resources as Record<string, Record<string, unknown>> | undefined;
  if (resources) {
    ordered.Resources = Object.fromEntries(
      Object.entries(resources).map(([id, r]) => [id, orderKeys(r, RESOURCE_ATTRIBUTE_ORDER)]),
    );
  }
  return ordered;
}

function orderKeys(object: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const rank = (key: string) => {
    const i = order.indexOf(key);
    return i < 0 ? order.length : i;
  };
  const keys = Object.keys(object).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((k) => [k, object[k]]));
}

function node(doc: Document, value: unknown): Node {
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) seq.items.push(node(doc, item));
    return seq;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const short = intrinsicNode(doc, entries[0]![0], entries[0]![1]);
      if (short) return short;
    }
    const map = new YAMLMap();
    for (const [key, item] of entries) map.items.push(doc.createPair(key, node(doc, item)));
    return map;
  }
  return doc.createNode(value) as Node;
}

/** The short form of an intrinsic, or undefined where only the long form is valid YAML. */
function intrinsicNode(doc: Document, fn: string, arg: unknown): Node | undefined {
  if (fn === 'Ref' && typeof arg === 'string') return tagged(new Scalar(arg), '!Ref');
  if (fn === 'Condition' && typeof arg === 'string') return tagged(new Scalar(arg), '!Condition');
  if (fn === 'Fn::GetAtt' && Array.isArray(arg) && arg.length === 2 && arg.every((a) => typeof a === 'string')) {
    return tagged(new Scalar(`${arg[0]}.${arg[1]}`), '!GetAtt');
  }
  if (SEQUENCE_FUNCTIONS.has(fn) && Array.isArray(arg)) {
    const seq = node(doc, arg) as YAMLSeq;
    seq.flow = isSimple(arg);
    return tagged(seq, shortName(fn));
  }
  if (VALUE_FUNCTIONS.has(fn)) {
    const inner = node(doc, arg);
    // A node carries one tag: `!Base64 !Sub x` is not YAML, so keep the long form there.
    if (inner.tag) return undefined;
    if (inner instanceof YAMLSeq) inner.flow = isSimple(arg as unknown[]);
    return tagged(inner, shortName(fn));
  }
  return undefined;
}

function tagged<T extends Node>(n: T, tag: string): T {
  n.tag = tag;
  return n;
}

/** Flow style for short lists of scalars and simple intrinsics, block style for the rest. */
function isSimple(items: readonly unknown[]): boolean {
  const simple = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object') return typeof v !== 'string' || !v.includes('\n');
    const entries = Object.entries(v as Record<string, unknown>);
    if (Array.isArray(v) || entries.length !== 1) return false;
    const [fn, arg] = entries[0]!;
    if (fn === 'Ref' || fn === 'Condition') return true;
    if (fn === 'Fn::GetAtt') return Array.isArray(arg) && arg.every((a) => typeof a === 'string');
    if (fn === 'Fn::Sub') return typeof arg === 'string' && !arg.includes('\n');
    if (fn === 'Fn::Equals' || fn === 'Fn::Not') return Array.isArray(arg) && arg.every(simple);
    return false;
  };
  return items.every(simple) && JSON.stringify(items).length <= 100;
}

function shortTag(fn: string, kind: 'scalar' | 'seq' | 'map'): ScalarTag | CollectionTag {
  const tag = shortName(fn);
  if (kind === 'scalar') {
    return {
      tag,
      resolve: (value: string) => {
        if (fn === 'Fn::GetAtt') {
          const dot = value.indexOf('.');
          return { [fn]: [value.slice(0, dot), value.slice(dot + 1)] };
        }
        return { [fn]: value };
      },
    } as ScalarTag;
  }
  return {
    tag,
    collection: kind,
    resolve: (collection: YAMLSeq | YAMLMap) => ({ [fn]: collection.toJSON() }),
  } as unknown as CollectionTag;
}

const ALL_FUNCTIONS = ['Ref', 'Condition', 'Fn::GetAtt', ...SEQUENCE_FUNCTIONS, ...VALUE_FUNCTIONS];

/** The YAML tags CloudFormation accepts, each resolving to the long-form JSON. */
const CFN_TAGS = ALL_FUNCTIONS.flatMap((fn) => [shortTag(fn, 'scalar'), shortTag(fn, 'seq'), shortTag(fn, 'map')]);

function firstDifference(expected: unknown, actual: unknown, path = '$'): string {
  if (isDeepStrictEqual(expected, actual)) return 'none';
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      const e = (expected as Record<string, unknown>)[key];
      const a = (actual as Record<string, unknown>)[key];
      if (!isDeepStrictEqual(e, a)) return firstDifference(e, a, `${path}.${key}`);
    }
  }
  return `${path}: wrote ${JSON.stringify(expected)}, read back ${JSON.stringify(actual)}`;
}
