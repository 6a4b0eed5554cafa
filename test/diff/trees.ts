// The real generated template trees, read from the working tree, and copies
// of them with one change made, for comparing.
import { diskReader, fileSource } from '../../src/diff/files';
import { TREES } from '../../src/diff';
import type { DiffReport, StackReport, StackTemplate } from '../../src/diff/model';
import { walkTree } from '../../src/diff/walk';
import { projectRoot } from '../../src/paths';

/** Every stack of the generated trees (app and its nested stacks, then bootstrap), as on disk. */
export async function generatedTrees(): Promise<StackTemplate[]> {
  const stacks: StackTemplate[] = [];
  for (const tree of TREES)
    stacks.push(...(await walkTree(fileSource(diskReader(projectRoot()), tree.file, 'working tree'), tree.name)));
  return stacks;
}

// Tests edit templates freely: a loose shape is all they need.
type Editable = any;

/** A deep copy of the trees with `edit` applied to the template of the stack at `path`. */
export function changed(
  trees: readonly StackTemplate[],
  path: string,
  edit: (template: Editable) => void,
): StackTemplate[] {
  const copy = structuredClone(trees) as StackTemplate[];
  const stack = copy.find((s) => s.path === path);
  if (!stack) throw new Error(`no stack ${path} among ${copy.map((s) => s.path).join(', ')}`);
  edit(stack.body);
  return copy;
}

/** The report of one stack, or a failure that lists the stacks reported. */
export function stackOf(report: DiffReport, path: string): StackReport {
  const stack = report.stacks.find((s) => s.path === path);
  if (!stack)
    throw new Error(`the report has no stack ${path}, only ${report.stacks.map((s) => s.path).join(', ') || 'none'}`);
  return stack;
}

export const LAKE = 'app/AdvertisingService/Lake';
export const PIPELINE = 'app/AdvertisingService/BatchPipeline';
export const SERVICE = 'app/AdvertisingService';
