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

/**
 * Files as they are at a git revision of the repository at `root`; a usage
 * error when git does not know the revision. Every YAML file of the revision
 * is read with one `git cat-file --batch` (templates are few and small; a
 * process per file would cost more than the reading).
 */
export function revisionReader(root: string, revision: string): FileReader {
  const git = (args: string[], input?: string): Buffer =>
    execFileSync('git', ['-C', root, ...args], {
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`])
      .toString()
      .trim();
  } catch {
    throw new UsageError(
      `unknown revision ${JSON.stringify(revision)}: name a commit, branch or tag of the repository at ${root} (e.g. HEAD, main, HEAD~1)`,
    );
  }
  const prefix = git(['rev-parse', '--show-prefix']).toString().trim();
  const blobs = new Map<string, string>();
  for (const line of git(['ls-tree', '-r', '-z', '--full-tree', commit]).toString().split('\0')) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.*\.ya?ml)$/.exec(line);
    if (match && match[2]!.startsWith(prefix)) blobs.set(match[2]!.slice(prefix.length), match[1]!);
  }
  const contents = new Map<string, string>();
  if (blobs.size > 0) {
    const out = git(['cat-file', '--batch'], [...blobs.values()].join('\n') + '\n');
    let at = 0;
    for (const path of blobs.keys()) {
      const header = out.toString('utf8', at, out.indexOf(10, at));
      const size = Number(header.split(' ')[2]);
      const start = at + Buffer.byteLength(header) + 1;
      contents.set(path, out.toString('utf8', start, start + size));
      at = start + size + 1;
    }
  }
  return (path) => contents.get(path);
}

/**
 * The tree whose root template is the file `rootPath`; nested templates are
 * the files their locations name, relative to the parent. Sources that share
 * `parsed` parse a text they both read once (and hand over the same object,
 * which the comparison then skips at once).
 */
export function fileSource(
  read: FileReader,
  rootPath: string,
  where: string,
  parsed: Map<string, Template> = new Map(),
): TemplateSource {
  const load = (path: string): LoadedTemplate | undefined => {
    const text = read(path);
    if (text === undefined) return undefined;
    let body = parsed.get(text);
    if (!body) {
      body = parseTemplate(text, `${path} (${where})`) as Template;
      parsed.set(text, body);
    }
    return { template: path, body };
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
