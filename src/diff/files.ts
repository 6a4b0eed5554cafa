// Template trees from files: the working tree as it is on disk, or a git
// revision of it (read with `git show`, nothing checked out).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateError, UsageError } from '../errors';
import { localPath } from '../cfn/locations';
import { parseTemplate } from '../cfn/yaml';
import type { Template } from './model';
import type { LoadedTemplate, TemplateSource } from './walk';

/** Reads a repository-relative file; undefined when it does not exist. */
export type FileReader = (path: string) => string | undefined;

/** Files as they are on disk under `root`. */
export function diskReader(root: string): FileReader {
  return (path) => {
    const file = join(root, ...path.split('/'));
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
}

/** Files as they are at a git revision of the repository at `root`; a usage error when git does not know the revision. */
export function revisionReader(root: string, revision: string): FileReader {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  let commit: string;
  try {
    commit = git('rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`).trim();
  } catch {
    throw new UsageError(
      `unknown revision ${JSON.stringify(revision)}: name a commit, branch or tag of the repository at ${root} (e.g. HEAD, main, HEAD~1)`,
    );
  }
  const files = new Set(git('ls-tree', '-r', '--name-only', '--full-tree', commit).split('\n'));
  const prefix = git('rev-parse', '--show-prefix').trim();
  return (path) => {
    const full = `${prefix}${path}`;
    return files.has(full) ? git('show', `${commit}:${full}`) : undefined;
  };
}

/** The tree whose root template is the file `rootPath`; nested templates are the files their locations name, relative to the parent. */
export function fileSource(read: FileReader, rootPath: string, where: string): TemplateSource {
  const load = (path: string): LoadedTemplate | undefined => {
    const text = read(path);
    return text === undefined
      ? undefined
      : { template: path, body: parseTemplate(text, `${path} (${where})`) as Template };
  };
  return {
    root: async () => load(rootPath),
    nested: async (parent, logicalId, location) => {
      const path = localPath(parent.template, location);
      if (!path) return undefined;
      const loaded = load(path);
      if (!loaded)
        throw new TemplateError(
          `${parent.template} (${where}): ${logicalId} points at ${path}, which does not exist there`,
          'TEMPLATE_MISSING',
        );
      return loaded;
    },
  };
}
