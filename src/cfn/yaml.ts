import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_SCHEMA, Type, load, type Schema } from 'js-yaml';
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
  const rendered = renderYaml(template, banner);
  rendered.verify();
  return rendered.text;
}

/** YAML text and the check that it reads back as the value it came from. */
export interface RenderedYaml {
  readonly text: string;
  /** Parses the text back and compares it with the value; throws SERIALIZER_ROUND_TRIP on any difference. */
  readonly verify: () => void;
}

/**
 * `toYaml` with the round-trip check left to the caller, for one that writes
 * only some of what it renders (`dataless synth` leaves a file that already
 * holds these bytes alone, and checks only the files it is about to write).
 */
export function renderYaml(template: Record<string, unknown>, banner: readonly string[] = []): RenderedYaml {
  const head = banner.length > 0 ? banner.map((line) => `# ${line}`).join('\n') + '\n\n' : '';
  const value = orderTemplate(template);
  const document = emitDocument(value);
  return { text: head + document, verify: () => verifyRoundTrip(document, value) };
}

/** Writes any JSON value as a YAML document in the same style (e.g. a buildspec), checked the same way. */
export function toYamlDocument(value: unknown): string {
  const text = emitDocument(value);
  verifyRoundTrip(text, value);
  return text;
}

function verifyRoundTrip(text: string, value: unknown): void {
  const back = parseTemplate(text, '<generated>');
  if (!isDeepStrictEqual(back, value)) {
    throw new TemplateError(
      `the YAML written does not read back the same: ${firstDifference(value, back)}`,
      'SERIALIZER_ROUND_TRIP',
    );
  }
}

/** Reads CloudFormation YAML (short or long intrinsics) into long-form JSON, with YAML 1.1 booleans as CloudFormation reads them. */
export function parseTemplate(text: string, file: string): unknown {
  try {
    return load(text, { schema: cfnSchema(), filename: file, json: false });
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

// ---------------------------------------------------------------------------
// The emitter. Output is block style, two-space indents, sequences indented
// under their key; short lists of scalars inside intrinsics in flow style.
// A string is written plain only when no YAML 1.1 or 1.2 reader can take it
// for anything else; otherwise double-quoted (or a literal block if it spans
// lines).

type Json = unknown;

/** A value rendered for the position after `key:` or `- `: inline text, or a block on the following lines. */
interface Rendered {
  /** Text on the same line, after a space (may be empty when `block` is set and the value has no tag). */
  readonly inline: string;
  /** Lines that follow, already indented; undefined for a one-line value. */
  readonly block?: string[];
  /** A block that is a sequence or a mapping (as opposed to a literal scalar's lines). */
  readonly collection?: 'map' | 'seq';
}

function emitDocument(value: Json): string {
  const r = render(value, 0);
  if (r.block === undefined) return `${r.inline}\n`;
  return (r.inline ? `${r.inline}\n` : '') + r.block.join('\n') + '\n';
}

/** Renders a value whose block lines start at `indent` spaces. */
function render(value: Json, indent: number): Rendered {
  if (value === null) return { inline: 'null' };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TemplateError(`cannot write the number ${value} in a template`);
    return { inline: String(value) };
  }
  if (typeof value === 'boolean') return { inline: String(value) };
  if (typeof value === 'string') return renderString(value, indent, '');
  if (Array.isArray(value)) {
    if (value.length === 0) return { inline: '[]' };
    return { inline: '', block: seqLines(value, indent), collection: 'seq' };
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, Json>);
    if (entries.length === 0) return { inline: '{}' };
    if (entries.length === 1) {
      const short = renderIntrinsic(entries[0]![0], entries[0]![1], indent);
      if (short) return short;
    }
    return { inline: '', block: mapLines(entries, indent), collection: 'map' };
  }
  throw new TemplateError(`cannot write a value of type ${typeof value} in a template`);
}

function mapLines(entries: [string, Json][], indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, item] of entries) {
    if (item === undefined) throw new TemplateError(`cannot write an undefined value (key ${key})`);
    const r = render(item, indent + 2);
    lines.push(`${pad}${scalarText(key, 'key')}:${r.inline ? ` ${r.inline}` : ''}`);
    if (r.block) lines.push(...r.block);
  }
  return lines;
}

function seqLines(items: Json[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const item of items) {
    if (item === undefined) throw new TemplateError('cannot write an undefined value in a list');
    const r = render(item, indent + 2);
    if (r.block && !r.inline && r.collection) {
      // `- key: value` (or `- - item`): the first line of the block moves up beside the dash.
      lines.push(`${pad}- ${r.block[0]!.slice(indent + 2)}`, ...r.block.slice(1));
    } else {
      lines.push(`${pad}-${r.inline ? ` ${r.inline}` : ''}`);
      if (r.block) lines.push(...r.block);
    }
  }
  return lines;
}

/** The short form of an intrinsic, or undefined where only the long form is valid YAML. */
function renderIntrinsic(fn: string, arg: Json, indent: number): Rendered | undefined {
  if ((fn === 'Ref' || fn === 'Condition') && typeof arg === 'string')
    return { inline: `!${fn} ${scalarText(arg, 'block')}` };
  if (
    fn === 'Fn::GetAtt' &&
    Array.isArray(arg) &&
    arg.length === 2 &&
    arg.every((a) => typeof a === 'string' && isPlainSafe(a, 'block'))
  ) {
    return { inline: `!GetAtt ${arg[0]}.${arg[1]}` };
  }
  if (SEQUENCE_FUNCTIONS.has(fn) && Array.isArray(arg)) {
    const tag = shortName(fn);
    if (arg.length > 0 && isSimple(arg)) return { inline: `${tag} ${flowText(arg)}` };
    if (arg.length === 0) return { inline: `${tag} []` };
    return { inline: tag, block: seqLines(arg, indent), collection: 'seq' };
  }
  if (VALUE_FUNCTIONS.has(fn)) {
    const tag = shortName(fn);
    if (typeof arg === 'string') return renderString(arg, indent, tag);
    if (Array.isArray(arg)) {
      if (arg.length > 0 && isSimple(arg)) return { inline: `${tag} ${flowText(arg)}` };
      return arg.length === 0
        ? { inline: `${tag} []` }
        : { inline: tag, block: seqLines(arg, indent), collection: 'seq' };
    }
    const inner = render(arg, indent);
    // A node carries one tag: `!Base64 !Sub x` is not YAML, so keep the long form there.
    if (inner.inline.startsWith('!') || inner.block === undefined) return undefined;
    return { inline: tag, block: inner.block, collection: inner.collection };
  }
  return undefined;
}

/** A string after `key:`/`- ` (with an optional tag before it): plain, double-quoted, or a literal block. */
function renderString(value: string, indent: number, tag: string): Rendered {
  const prefix = tag ? `${tag} ` : '';
  // A literal block for text of several lines ending in at most one newline (`|` keeps it, `|-` has none).
  if (value.includes('\n') && !value.endsWith('\n\n') && isLiteralSafe(value)) {
    const chomp = value.endsWith('\n') ? '' : '-';
    const lines = (chomp ? value : value.slice(0, -1)).split('\n');
    const pad = ' '.repeat(Math.max(indent, 2));
    // Content that starts with a space or an empty line needs its indentation stated.
    const indicator = /^[ \n]/.test(value) ? '2' : '';
    return { inline: `${prefix}|${indicator}${chomp}`, block: lines.map((line) => (line === '' ? '' : pad + line)) };
  }
  return { inline: prefix + scalarText(value, 'block') };
}

/** Multi-line strings go in a literal block unless a line has trailing blanks or characters a block cannot hold. */
function isLiteralSafe(value: string): boolean {
  return !/[ \t]\n|[ \t]$|\r|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(value);
}

/** Flow style for short lists of scalars and simple intrinsics, block style for the rest. */
function isSimple(items: readonly Json[]): boolean {
  const simple = (v: Json): boolean => {
    if (v === null || typeof v !== 'object') return typeof v !== 'string' || !v.includes('\n');
    const entries = Object.entries(v as Record<string, Json>);
    if (Array.isArray(v) || entries.length !== 1) return false;
    const [fn, arg] = entries[0]!;
    if (fn === 'Ref' || fn === 'Condition') return typeof arg === 'string';
    if (fn === 'Fn::GetAtt') return Array.isArray(arg) && arg.length === 2 && arg.every((a) => typeof a === 'string');
    if (fn === 'Fn::Sub') return typeof arg === 'string' && !arg.includes('\n');
    if (fn === 'Fn::Equals' || fn === 'Fn::Not') return Array.isArray(arg) && arg.every(simple);
    return false;
  };
  return items.every(simple) && JSON.stringify(items).length <= 100;
}

function flowText(items: readonly Json[]): string {
  return `[${items.map(flowItem).join(', ')}]`;
}

function flowItem(value: Json): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' ? scalarText(value, 'flow') : String(value);
  }
  const [fn, arg] = Object.entries(value as Record<string, Json>)[0]!;
  if (fn === 'Ref' || fn === 'Condition') return `!${fn} ${scalarText(arg as string, 'flow')}`;
  if (fn === 'Fn::GetAtt') {
    const [a, b] = arg as [string, string];
    return isPlainSafe(a, 'flow') && isPlainSafe(b, 'flow') ? `!GetAtt ${a}.${b}` : `!GetAtt ${flowText([a, b])}`;
  }
  if (fn === 'Fn::Sub') return `!Sub ${scalarText(arg as string, 'flow')}`;
  return `${shortName(fn)} ${flowText(arg as Json[])}`;
}

/** Words YAML 1.1 or 1.2 reads as booleans, null, a value key or a merge key when plain. */
const RESERVED =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|=|<<)$/;
/**
 * What YAML 1.1 (CloudFormation, cfn-lint) or 1.2 may read as a number or a
 * date: integers in any base (with `_` and 1.1's sexagesimal `1:20`), floats
 * (1.1's pattern, which even takes `3.0.1`), infinities, NaN and anything
 * starting like a timestamp.
 */
const NUMBER_LIKE = [
  /^[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9._]*(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
];

/** True when the string can be written without quotes and read back as the same string. */
function isPlainSafe(value: string, context: 'block' | 'flow' | 'key'): boolean {
  if (value === '' || RESERVED.test(value) || NUMBER_LIKE.some((pattern) => pattern.test(value))) return false;
  // Indicators that may not start a plain scalar (a dash may, before a non-space), and space at either end.
  if (/^[?:,[\]{}#&*!|>'"%@`\s]|^-(?:\s|$)/.test(value) || /\s$/.test(value)) return false;
  if (/: |:$| #|[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(value)) return false;
  if (context === 'flow' && /[,[\]{}]/.test(value)) return false;
  return true;
}

/** Plain where safe; else single-quoted where that needs fewer escapes than double quotes, else double-quoted. */
function scalarText(value: string, context: 'block' | 'flow' | 'key'): string {
  if (isPlainSafe(value, context)) return value;
  const count = (c: string) => value.split(c).length - 1;
  if (count('"') > count("'") && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(value))
    return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------
// The reader's schema: CloudFormation's short-form tags, each resolving to
// the long-form JSON, plus YAML 1.1's extra booleans, which CloudFormation
// (a YAML 1.1 reader) would take for true or false.

let schema: Schema | undefined;

function cfnSchema(): Schema {
  if (schema) return schema;
  const functions = ['Ref', 'Condition', 'Fn::GetAtt', ...SEQUENCE_FUNCTIONS, ...VALUE_FUNCTIONS];
  const tags = functions.flatMap((fn) =>
    (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) =>
        new Type(shortName(fn), {
          kind,
          construct: (data: unknown) => {
            if (fn === 'Fn::GetAtt' && typeof data === 'string') {
              const dot = data.indexOf('.');
              return { [fn]: dot < 0 ? [data] : [data.slice(0, dot), data.slice(dot + 1)] };
            }
            return { [fn]: kind === 'scalar' && data === null ? '' : data };
          },
        }),
    ),
  );
  // It takes the place of the core schema's bool type, so it keeps true and false.
  const yaml11Bool = new Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (data: string | null) =>
      data !== null &&
      /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE)$/.test(data),
    construct: (data: string) => /^(?:y|yes|on|true)$/i.test(data),
  });
  schema = DEFAULT_SCHEMA.extend({ implicit: [yaml11Bool], explicit: tags });
  return schema;
}

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
