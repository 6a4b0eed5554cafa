// Assertions over generated templates, in the spirit of the CDK's
// assertions library: targeted checks with partial matching, and failure
// messages that show what was expected and the closest candidates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual, inspect } from 'node:util';
import { parseTemplate } from '../../src/cfn/yaml';
import { closest } from '../../src/config/suggest';
import { projectRoot } from '../../src/paths';

const MATCHER = Symbol('matcher');

/** A custom matcher: returns undefined on a match, or why it does not match. */
export interface Matcher {
  readonly [MATCHER]: true;
  readonly name: string;
  test(actual: unknown, path: string): string | undefined;
}

function matcher(name: string, test: (actual: unknown, path: string) => string | undefined): Matcher {
  return { [MATCHER]: true, name, test };
}

function isMatcher(value: unknown): value is Matcher {
  return typeof value === 'object' && value !== null && (value as Matcher)[MATCHER] === true;
}

const show = (value: unknown) => inspect(value, { depth: 6, breakLength: 120 });

/** Partial object match: listed keys must match, other keys are ignored. Nested objects match partially too. */
export function objectLike(pattern: Record<string, unknown>): Matcher {
  return matcher('objectLike', (actual, path) => {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return `${path}: expected an object, got ${show(actual)}`;
    for (const [key, expected] of Object.entries(pattern)) {
      const problem = match(expected, (actual as Record<string, unknown>)[key], `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  });
}

/** Exact match: no partial matching anywhere inside. */
export function exact(pattern: unknown): Matcher {
  return matcher('exact', (actual, path) =>
    isDeepStrictEqual(pattern, actual) ? undefined : `${path}: expected exactly ${show(pattern)}, got ${show(actual)}`,
  );
}

/** An array containing elements that match these patterns, in this order (others may sit between). */
export function arrayWith(...patterns: unknown[]): Matcher {
  return matcher('arrayWith', (actual, path) => {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${show(actual)}`;
    let from = 0;
    for (const pattern of patterns) {
      const index = actual.findIndex((item, i) => i >= from && match(pattern, item, path) === undefined);
      if (index < 0) return `${path}: no element matches ${describe(pattern)} (elements: ${show(actual)})`;
      from = index + 1;
    }
    return undefined;
  });
}

/** The key must be absent (or undefined). */
export function absent(): Matcher {
  return matcher('absent', (actual, path) =>
    actual === undefined ? undefined : `${path}: expected no value, got ${show(actual)}`,
  );
}

/** Any value but undefined. */
export function anyValue(): Matcher {
  return matcher('anyValue', (actual, path) =>
    actual === undefined ? `${path}: expected a value, found none` : undefined,
  );
}

/** A string matching a regular expression, or containing a substring. */
export function stringLike(pattern: RegExp | string): Matcher {
  return matcher(`stringLike(${String(pattern)})`, (actual, path) => {
    if (typeof actual !== 'string') return `${path}: expected a string like ${String(pattern)}, got ${show(actual)}`;
    const ok = typeof pattern === 'string' ? actual.includes(pattern) : pattern.test(actual);
    return ok ? undefined : `${path}: expected a string like ${String(pattern)}, got ${show(actual)}`;
  });
}

function describe(pattern: unknown): string {
  return isMatcher(pattern) ? pattern.name : show(pattern);
}

/**
 * Matches `actual` against `expected`: matchers apply themselves, plain
 * objects match partially (objectLike), arrays and scalars exactly (with
 * nested objects inside arrays still partial).
 */
export function match(expected: unknown, actual: unknown, path = '$'): string | undefined {
  if (isMatcher(expected)) return expected.test(actual, path);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${show(actual)}`;
    if (expected.length !== actual.length)
      return `${path}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const problem = match(expected[i], actual[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object')
    return objectLike(expected as Record<string, unknown>).test(actual, path);
  return isDeepStrictEqual(expected, actual) ? undefined : `${path}: expected ${show(expected)}, got ${show(actual)}`;
}

type Section = Record<string, Record<string, unknown>>;

/** A parsed template (intrinsics in long form) with assertion methods. */
export class TemplateAssertions {
  constructor(
    readonly json: Record<string, unknown>,
    readonly name: string,
  ) {}

  /** Parses YAML text, intrinsics intact. */
  static fromYaml(text: string, name = '<template>'): TemplateAssertions {
    return new TemplateAssertions(parseTemplate(text, name) as Record<string, unknown>, name);
  }

  /** Loads a generated template by repository-relative path, e.g. `templates-out/app.yaml`. */
  static load(path: string): TemplateAssertions {
    return TemplateAssertions.fromYaml(readFileSync(join(projectRoot(), path), 'utf8'), path);
  }

  section(name: string): Section {
    return (this.json[name] ?? {}) as Section;
  }

  /** Resources of a type, by logical id. */
  findResources(type: string, props?: unknown): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [id, r] of Object.entries(this.section('Resources'))) {
      if (r.Type !== type) continue;
      if (props !== undefined && match(props, r.Properties ?? {}, `${id}.Properties`) !== undefined) continue;
      out[id] = r;
    }
    return out;
  }

  /** The resource with this logical id, checking its type; fails when absent. */
  resource(logicalId: string, type?: string): Record<string, unknown> {
    const r = this.section('Resources')[logicalId];
    if (!r)
      throw new Error(
        `${this.name}: no resource ${logicalId}${didYouMean(logicalId, Object.keys(this.section('Resources')))}`,
      );
    if (type && r.Type !== type)
      throw new Error(`${this.name}: resource ${logicalId} is ${String(r.Type)}, expected ${type}`);
    return r;
  }

  /** Asserts a resource with this id and type exists, and that its whole definition matches `pattern` partially. */
  hasResource(logicalId: string, type: string, pattern: Record<string, unknown> = {}): void {
    const r = this.resource(logicalId, type);
    const problem = match(pattern, r, logicalId);
    if (problem) throw new Error(`${this.name}: resource ${logicalId} does not match:\n  ${problem}`);
  }

  /** Asserts some resource of `type` has properties matching `props` (partially). */
  hasResourceProperties(type: string, props: unknown): void {
    const candidates = Object.entries(this.section('Resources')).filter(([, r]) => r.Type === type);
    if (candidates.length === 0) {
      throw new Error(
        `${this.name}: no resource of type ${type} (types present: ${[...new Set(Object.values(this.section('Resources')).map((r) => r.Type))].join(', ')})`,
      );
    }
    const problems = candidates.map(([id, r]) => ({
      id,
      problem: match(props, r.Properties ?? {}, `${id}.Properties`),
    }));
    if (problems.some((p) => p.problem === undefined)) return;
    throw new Error(
      `${this.name}: no ${type} has properties matching ${show(props)}\n` +
        `closest candidates:\n` +
        problems
          .slice(0, 3)
          .map((p) => `  ${p.id}: ${p.problem}`)
          .join('\n'),
    );
  }

  /** Asserts the number of resources of a type. */
  resourceCountIs(type: string, count: number): void {
    const ids = Object.keys(this.findResources(type));
    if (ids.length !== count)
      throw new Error(`${this.name}: expected ${count} ${type}, found ${ids.length}: ${ids.join(', ')}`);
  }

  /** Asserts an output exists and matches the pattern (partially). */
  hasOutput(logicalId: string, pattern: Record<string, unknown> = {}): void {
    this.hasEntry('Outputs', logicalId, pattern);
  }

  /** Asserts a condition exists and, if given, equals the expected expression. */
  hasCondition(logicalId: string, expression?: unknown): void {
    const conditions = this.section('Conditions') as Record<string, unknown>;
    if (!(logicalId in conditions))
      throw new Error(`${this.name}: no condition ${logicalId}${didYouMean(logicalId, Object.keys(conditions))}`);
    if (expression !== undefined) {
      const problem = match(expression, conditions[logicalId], `Conditions.${logicalId}`);
      if (problem) throw new Error(`${this.name}: condition ${logicalId} does not match:\n  ${problem}`);
    }
  }

  /** Asserts a parameter exists and matches the pattern (partially). */
  hasParameter(logicalId: string, pattern: Record<string, unknown> = {}): void {
    this.hasEntry('Parameters', logicalId, pattern);
  }

  private hasEntry(section: string, logicalId: string, pattern: Record<string, unknown>): void {
    const entries = this.section(section);
    const entry = entries[logicalId];
    if (entry === undefined)
      throw new Error(
        `${this.name}: no ${section.slice(0, -1).toLowerCase()} ${logicalId}${didYouMean(logicalId, Object.keys(entries))}`,
      );
    const problem = match(pattern, entry, `${section}.${logicalId}`);
    if (problem)
      throw new Error(`${this.name}: ${section.slice(0, -1).toLowerCase()} ${logicalId} does not match:\n  ${problem}`);
  }
}

/** " (did you mean X?)" for the nearest known name, or nothing when none is close. */
function didYouMean(name: string, known: readonly string[]): string {
  const best = closest(name, known);
  return best === undefined ? '' : ` (did you mean ${best}?)`;
}
