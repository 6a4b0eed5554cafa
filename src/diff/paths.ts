// The leaves where two values differ, each with its path: maps are followed
// key by key; lists element by element, an element inserted or removed
// reported as itself rather than as a shift of every later one; text of
// several lines line by line; anything else that differs is one change.
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
  if (Array.isArray(before) && Array.isArray(after)) {
    return sequenceChanges(before as unknown[], after as unknown[], (i) => `${path}[${i}]`);
  }
  if (typeof before === 'string' && typeof after === 'string' && before.includes('\n') && after.includes('\n')) {
    return sequenceChanges(before.split('\n'), after.split('\n'), (i) => `${path} (line ${i + 1})`);
  }
  return [change(path, before, after)];
}

function change(path: string, before: unknown, after: unknown): PathChange {
  return { path, ...(before === undefined ? {} : { old: before }), ...(after === undefined ? {} : { new: after }) };
}

/**
 * Two sequences aligned on their longest common subsequence of equal items:
 * between two equal items, the items that differ are paired in order with one
 * of the same kind (and compared below their path, which takes the new item's
 * position), and the rest are removed (at their old position) or added.
 */
function sequenceChanges(
  before: readonly unknown[],
  after: readonly unknown[],
  at: (index: number) => string,
): PathChange[] {
  const same = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);
  // lengths[i][j]: the longest common subsequence of before[i..] and after[j..]
  const lengths = Array.from({ length: before.length + 1 }, () => new Array<number>(after.length + 1).fill(0));
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      lengths[i]![j] = same(before[i], after[j])
        ? lengths[i + 1]![j + 1]! + 1
        : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const changes: PathChange[] = [];
  let removed: number[] = [];
  let added: number[] = [];
  const flush = () => {
    const unpaired: number[] = [];
    for (const j of added) {
      const k = removed.findIndex((i) => kind(before[i]) === kind(after[j]));
      if (k < 0) unpaired.push(j);
      else changes.push(...pathChanges(at(j), before[removed.splice(k, 1)[0]!], after[j]));
    }
    for (const i of removed) changes.push(change(at(i), before[i], undefined));
    for (const j of unpaired) changes.push(change(at(j), undefined, after[j]));
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    if (i < before.length && j < after.length && same(before[i], after[j])) {
      flush();
      i++;
      j++;
    } else if (j >= after.length || (i < before.length && lengths[i + 1]![j]! >= lengths[i]![j + 1]!)) {
      removed.push(i++);
    } else {
      added.push(j++);
    }
  }
  flush();
  return changes;
}

function kind(value: unknown): 'map' | 'list' | 'scalar' {
  return isMap(value) ? 'map' : Array.isArray(value) ? 'list' : 'scalar';
}

function join(path: string, key: string): string {
  const part = /^[A-Za-z0-9_:-]+$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${part}` : part;
}
