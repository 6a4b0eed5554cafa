import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError, UsageError } from '../errors';
import { formatDuration, parseDuration } from './duration';

/** The simulated users' behaviour, from the `Users` section. */
export interface UsersConfig {
  /** How many users browse at the same time. */
  readonly count: number;
  /** The chance, from 0 to 1, that a user clicks the ad it viewed. */
  readonly clickthroughProbability: number;
  /** Milliseconds between two views of one user. */
  readonly viewFrequencyMs: number;
  /** How far a view interval may stray from `viewFrequencyMs`, as a fraction of it (0.1 is ±10%). */
  readonly viewVariance: number;
  /** Milliseconds a user considers an ad before clicking it. */
  readonly considerDurationMs: number;
  /** How far the consideration may stray from `considerDurationMs`, as a fraction of it. */
  readonly considerVariance: number;
}

/** A validated load generator configuration. */
export interface LoadgenConfig {
  /** The file it was read from, as the user named it (for messages). */
  readonly file: string;
  /** The capture API's base URL; `/impressions` and `/clicks` are appended to its path. */
  readonly baseUrl: string;
  /** Milliseconds the users browse before the run stops. */
  readonly durationMs: number;
  /** How many distinct ad ids the users pick from. */
  readonly adsCount: number;
  /** The users' behaviour. */
  readonly users: UsersConfig;
}

/** What the command line may put in place of the file's values. */
export interface ConfigOverrides {
  /** Replaces `BaseURL`. @default the file's value */
  readonly baseUrl?: string;
  /** Replaces `Duration`, as a Go duration. @default the file's value */
  readonly duration?: string;
}

type Kind = 'url' | 'duration' | 'positiveDuration' | 'positiveInteger' | 'probability' | 'fraction';

interface Field {
  readonly key: string;
  readonly kind: Kind;
  /** Least milliseconds a duration may be. @default any duration its kind allows */
  readonly minMs?: number;
}

const SCHEMA: Readonly<Record<string, readonly Field[]>> = {
  '': [
    { key: 'BaseURL', kind: 'url' },
    { key: 'Duration', kind: 'positiveDuration' },
  ],
  Ads: [{ key: 'Count', kind: 'positiveInteger' }],
  Users: [
    { key: 'Count', kind: 'positiveInteger' },
    { key: 'ClickthroughProbability', kind: 'probability' },
    // Views are scheduled on epoch milliseconds (about 1.7e12), where a step
    // much under a millisecond is lost to rounding and the user never moves on.
    { key: 'ViewFrequency', kind: 'positiveDuration', minMs: 1 },
    { key: 'ViewVariance', kind: 'fraction' },
    { key: 'ConsiderDuration', kind: 'duration' },
    { key: 'ConsiderVariance', kind: 'fraction' },
  ],
};

/** Ads and users are held in memory; beyond this a run would exhaust it. */
const MAX_COUNT = 10_000_000;

const TOP_LEVEL_KEYS = ['BaseURL', 'Duration', 'Ads', 'Users'];

/** `${NAME}` or `$NAME`, the two forms Go's `os.ExpandEnv` understands. */
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Reads, expands and validates a load generator configuration file. Every
 * problem found is reported at once, each naming the file, the key and the
 * offending value.
 */
export async function loadConfig(
  file: string,
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly overrides?: ConfigOverrides },
): Promise<LoadgenConfig> {
  let text: string;
  try {
    text = await readFile(resolve(options.cwd, file), 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(
      `cannot read load generator configuration ${file}: ${reason}; pass its path with -c`,
      'CONFIG_UNREADABLE',
    );
  }
  return parseConfig(text, file, options.env, options.overrides ?? {});
}

/** Validates the text of a configuration file; `file` only names it in messages. */
export function parseConfig(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv,
  overrides: ConfigOverrides = {},
): LoadgenConfig {
  const unset = unsetVariables(text, env, overrides);
  const problems = unset.map((u) => u.message);
  const skip = new Set(unset.map((u) => u.key));
  const expanded = text.replace(
    VARIABLE,
    (_, braced: string | undefined, bare: string | undefined) => env[braced ?? bare!] ?? '',
  );

  const doc = parseDocument(expanded, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
    throw new ConfigError(`${file} is not valid YAML${where}: ${firstLine(first.message)}`);
  }
  const root: unknown = doc.toJS();
  if (root === null || root === undefined) {
    throw new ConfigError(`${file} is empty; it needs the keys ${TOP_LEVEL_KEYS.join(', ')}`);
  }
  if (!isPlainObject(root)) {
    throw new ConfigError(
      `${file} must be a YAML mapping with the keys ${TOP_LEVEL_KEYS.join(', ')}, not ${describe(root)}`,
    );
  }

  const effective: Record<string, unknown> = { ...root };
  if (overrides.baseUrl !== undefined) effective.BaseURL = overrides.baseUrl;
  if (overrides.duration !== undefined) effective.Duration = overrides.duration;

  const values = new Map<string, unknown>();
  const report = (message: string) => problems.push(message);
  checkKeys(effective, '', TOP_LEVEL_KEYS, report);
  for (const section of ['Ads', 'Users']) {
    const value = effective[section];
    if (value === undefined) {
      report(`${section} is missing; it needs the keys ${SCHEMA[section]!.map((f) => f.key).join(', ')}`);
      continue;
    }
    if (!isPlainObject(value)) {
      report(
        `${section} is ${describe(value)}; it must be a mapping with the keys ${SCHEMA[section]!.map((f) => f.key).join(', ')}`,
      );
      continue;
    }
    checkKeys(
      value,
      section,
      SCHEMA[section]!.map((f) => f.key),
      report,
    );
  }
  for (const [section, fields] of Object.entries(SCHEMA)) {
    const holder = section === '' ? effective : effective[section];
    if (!isPlainObject(holder)) continue;
    for (const field of fields) {
      const path = section === '' ? field.key : `${section}.${field.key}`;
      const source =
        path === 'BaseURL' && overrides.baseUrl !== undefined
          ? '--base-url'
          : path === 'Duration' && overrides.duration !== undefined
            ? '--duration'
            : undefined;
      if (source === undefined && skip.has(path)) continue; // already reported as an unset variable
      const checked = checkValue(field.kind, holder[field.key], path, source, field.minMs);
      if (typeof checked === 'string') {
        if (source === undefined) report(checked);
        else throw new UsageError(checked);
      } else values.set(path, checked.value);
    }
  }

  if (problems.length === 1) throw new ConfigError(`${file}: ${problems[0]!}`);
  if (problems.length > 1) {
    throw new ConfigError(`${file} has ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const get = (path: string) => values.get(path) as number;
  return {
    file,
    baseUrl: values.get('BaseURL') as string,
    durationMs: get('Duration'),
    adsCount: get('Ads.Count'),
    users: {
      count: get('Users.Count'),
      clickthroughProbability: get('Users.ClickthroughProbability'),
      viewFrequencyMs: get('Users.ViewFrequency'),
      viewVariance: get('Users.ViewVariance'),
      considerDurationMs: get('Users.ConsiderDuration'),
      considerVariance: get('Users.ConsiderVariance'),
    },
  };
}

/**
 * Finds `${NAME}` references to variables the environment does not set and
 * names the key whose value holds them. References in comments, and in a
 * value the command line overrides, do no harm and are let through.
 */
function unsetVariables(
  text: string,
  env: NodeJS.ProcessEnv,
  overrides: ConfigOverrides,
): { key?: string; message: string }[] {
  const unset = [...text.matchAll(VARIABLE)].filter((m) => env[m[1] ?? m[2]!] === undefined);
  if (unset.length === 0) return [];
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: false });
  const spans = doc.errors.length === 0 ? valueSpans(doc.contents, '') : [];
  const problems: { key?: string; message: string }[] = [];
  const seen = new Set<string>();
  for (const match of unset) {
    const offset = match.index!;
    const name = match[1] ?? match[2]!;
    const span = spans.find((s) => offset >= s.start && offset < s.end);
    const line = lines.linePos(offset).line;
    if (doc.errors.length === 0 && span === undefined) continue; // in a comment
    const key = span?.path;
    if (key === 'BaseURL' && overrides.baseUrl !== undefined) continue;
    if (key === 'Duration' && overrides.duration !== undefined) continue;
    const where = key === undefined ? `line ${line}` : `${key} (line ${line})`;
    const id = `${where}:${name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const escape = key === 'BaseURL' ? `set ${name} or pass --base-url` : `set ${name} in the environment`;
    problems.push({ key, message: `${where} refers to ${match[0]}, but ${name} is not set; ${escape}` });
  }
  return problems;
}

interface Span {
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

function valueSpans(node: Node | null, prefix: string): Span[] {
  if (!isMap(node)) return [];
  const spans: Span[] = [];
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?';
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const value = pair.value as Node | null;
    if (isMap(value)) spans.push(...valueSpans(value, path));
    else if (value && value.range) spans.push({ path, start: value.range[0], end: value.range[1] });
  }
  return spans;
}

function checkKeys(
  holder: Record<string, unknown>,
  section: string,
  allowed: readonly string[],
  report: (m: string) => void,
): void {
  for (const key of Object.keys(holder)) {
    if (allowed.includes(key)) continue;
    const path = section === '' ? key : `${section}.${key}`;
    const near = allowed.find((a) => a.toLowerCase() === key.toLowerCase());
    const hint = near ? ` (did you mean ${near}?)` : '';
    const place = section === '' ? 'at the top level' : `under ${section}`;
    report(`unknown key ${path}${hint}; the keys allowed ${place} are ${allowed.join(', ')}`);
  }
  for (const key of allowed) {
    if (holder[key] === undefined && !(section === '' && (key === 'Ads' || key === 'Users'))) {
      const path = section === '' ? key : `${section}.${key}`;
      report(`${path} is missing; ${expectation(kindOf(section, key))}`);
    }
  }
}

function kindOf(section: string, key: string): Kind {
  return SCHEMA[section]!.find((f) => f.key === key)!.kind;
}

function expectation(kind: Kind): string {
  switch (kind) {
    case 'url':
      return 'it must be an http:// or https:// URL, e.g. https://api.example.com/advertising';
    case 'duration':
      return 'it must be a duration of zero or more, written like 1s, 250ms or 1m30s';
    case 'positiveDuration':
      return 'it must be a duration above zero, written like 5s, 100ms, 1m30s or 72h';
    case 'positiveInteger':
      return `it must be a whole number from 1 to ${MAX_COUNT}`;
    case 'probability':
      return 'it must be a number from 0 to 1';
    case 'fraction':
      return 'it must be a fraction from 0 to 1 (0.1 means ±10%)';
  }
}

function checkValue(
  kind: Kind,
  value: unknown,
  path: string,
  source: string | undefined,
  minMs?: number,
): { value: unknown } | string {
  if (value === undefined) return { value: undefined }; // reported as missing
  const bad = (why = expectation(kind)) => `${source ?? path} is ${describe(value)}; ${why}`;
  switch (kind) {
    case 'url': {
      if (typeof value !== 'string' || value.trim() === '') return bad();
      let url: URL;
      try {
        url = new URL(value.trim());
      } catch {
        return bad();
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad();
      if (url.hostname === '') return bad();
      return { value: value.trim() };
    }
    case 'duration':
    case 'positiveDuration': {
      if (typeof value === 'number') return bad(`a duration needs a unit, e.g. ${value}s or ${value}ms`);
      if (typeof value !== 'string') return bad();
      const ms = parseDuration(value);
      if (ms === undefined || !Number.isFinite(ms) || ms < 0) return bad();
      if (kind === 'positiveDuration' && ms <= 0) return bad();
      if (minMs !== undefined && ms < minMs)
        return bad(`it must be at least ${formatDuration(minMs)}, written like 5s, 100ms or 1m30s`);
      return { value: ms };
    }
    case 'positiveInteger':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_COUNT) return bad();
      return { value };
    case 'probability':
    case 'fraction':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) return bad();
      return { value };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}

function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  // What YAML leaves once strings, lists and mappings are out: numbers, booleans and no value.
  return String(value as number | boolean | undefined);
}

function firstLine(text: string): string {
  return text
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/[.:]$/, '');
}
