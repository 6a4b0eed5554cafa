import { pointerSegments } from './json-source';

/** One thing wrong with a config file. */
export interface ConfigProblem {
  /** Repository-relative path of the file, e.g. `config/master.json`. */
  readonly file: string;
  /** Where in the JSON: a dotted path such as `Parameters.BaseDNSName`, or '' for the file as a whole. */
  readonly path: string;
  /** What kind of problem: a stable id such as `config-unknown-parameter`. */
  readonly rule: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
  /** 1-based line the problem points at. */
  readonly line: number;
  /** 1-based column the problem points at. */
  readonly column: number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JSON pointer as a path people read: `/Parameters/Stage` becomes `Parameters.Stage`. */
export function displayPath(pointer: string): string {
  return pointerSegments(pointer)
    .map((segment, i) =>
      IDENTIFIER.test(segment) ? `${i === 0 ? '' : '.'}${segment}` : `[${JSON.stringify(segment)}]`,
    )
    .join('');
}

/** `file:line:col rule path: message`, the same shape as the lint findings. */
export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.rule} ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** A value as it appears in a message: JSON, cut short when long. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** "a string", "a number", "an array", ... for a JSON value. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number') return 'a number';
  return 'a string';
}
