// The leaves where two values differ, each with its path: maps are followed
// key by key, lists of the same length element by element; anything else
// that differs is one change.
import { isDeepStrictEqual } from 'node:util';
import type { PathChange } from './model';

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where `before` and `after` differ, below `path`; values absent on one side are left out of the change. */
export function pathChanges(path: string, before: unknown, after: unknown): PathChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => pathChanges(join(path, key), before[key], after[key]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => pathChanges(`${path}[${i}]`, item, after[i]));
  }
  return [{ path, ...(before === undefined ? {} : { old: before }), ...(after === undefined ? {} : { new: after }) }];
}

function join(path: string, key: string): string {
  const part = /^[A-Za-z0-9_:-]+$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${part}` : part;
}
