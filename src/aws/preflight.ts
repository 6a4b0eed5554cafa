// Checks made before anything is uploaded or deployed: the committed
// templates are what the code generates, and every local artifact they point
// at has been built. Both read the disk only; no AWS call.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateError, ValidationError } from '../errors';
import { parseTemplate } from '../cfn/yaml';
import { compareGenerated, generate, type GeneratedFile } from '../synth';
import { ARTIFACT_PROPERTY, localPath } from '../cfn/locations';

/** What a template file points at on the local disk. */
interface LocalReference {
  /** The template and the resource that points. */
  readonly where: string;
  /** Repository-relative path of the file it points at. */
  readonly file: string;
}

/**
 * Fails unless the files under `root` are exactly what `dataless synth`
 * generates (all of them, or only the paths in `only`). Returns the generated
 * files for further checks.
 */
export function checkGeneratedFiles(root: string, only?: readonly string[]): GeneratedFile[] {
  const files = generate().filter((f) => !only || only.includes(f.path));
  const problems = files.flatMap((file) => {
    const status = compareGenerated(root, file);
    return status === 'unchanged' ? [] : [`${file.path} is ${status}`];
  });
  if (problems.length > 0) {
    throw new ValidationError(
      `the committed templates are not what the code generates (${problems.join(', ')}): run \`npx dataless synth\`, review and commit the result, then try again`,
      'SYNTH_STALE',
    );
  }
  return files;
}

/** Fails, listing every one, when a template points at a local file (a Lambda bundle, an API definition) that does not exist. */
export function checkLocalArtifacts(root: string, templates: readonly GeneratedFile[]): void {
  const missing = templates
    .filter((t) => /\.ya?ml$/.test(t.path))
    .flatMap((t) => localReferences(t))
    .filter((ref) => {
      const path = join(root, ...ref.file.split('/'));
      return !existsSync(path) || !statSync(path).isFile();
    });
  if (missing.length === 0) return;
  const bundles = missing.some((ref) => ref.file.startsWith('dist/'));
  throw new TemplateError(
    `${missing.length === 1 ? 'a file the templates point at is' : `${missing.length} files the templates point at are`} missing: ${missing
      .map((ref) => `${ref.file} (${ref.where})`)
      .join(', ')}${bundles ? '; run `npm ci` (or `npm run build`) to build the Lambda bundles' : ''}`,
    'ARTIFACT_MISSING',
  );
}

function localReferences(template: GeneratedFile): LocalReference[] {
  const json = parseTemplate(template.content, template.path) as {
    Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
    Globals?: { Function?: { CodeUri?: unknown } };
  };
  const refs: LocalReference[] = [];
  const add = (value: unknown, where: string) => {
    const file = localPath(template.path, value);
    if (file) refs.push({ where, file });
  };
  for (const [id, resource] of Object.entries(json.Resources ?? {})) {
    const property = ARTIFACT_PROPERTY.get(resource.Type ?? '');
    if (property) add(resource.Properties?.[property], `${template.path}: ${id}`);
  }
  add(json.Globals?.Function?.CodeUri, `${template.path}: Globals.Function`);
  return refs;
}
