// Checks made before anything is uploaded or deployed: the committed
// templates are what the code generates, and every local artifact they point
// at has been built. Both read the disk only; no AWS call.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateError, ValidationError } from '../errors';
import { assetsOf } from '../cfn/assets';
import { parseTemplate } from '../cfn/yaml';
import { compareGenerated, generate, type GeneratedFile } from '../synth';
import { LAMBDA_BUNDLE_DIR } from '../stacks/shared/lambda';

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

/** Fails, listing every one, when an asset of a template (a Lambda bundle, a job script) does not exist. */
export function checkLocalArtifacts(root: string, templates: readonly GeneratedFile[]): void {
  const missing = templates
    .filter((t) => /\.ya?ml$/.test(t.path))
    .flatMap((t) => {
      const { CodePrefix, Files } = assetsOf(parseTemplate(t.content, t.path) as { Metadata?: unknown });
      return [...Files, ...CodePrefix].map((file) => ({ file, where: t.path }));
    })
    .filter((ref) => {
      const path = join(root, ...ref.file.split('/'));
      return !existsSync(path) || !statSync(path).isFile();
    });
  if (missing.length === 0) return;
  const bundles = missing.some((ref) => ref.file.startsWith(`${LAMBDA_BUNDLE_DIR}/`));
  throw new TemplateError(
    `${missing.length === 1 ? 'a file the templates point at is' : `${missing.length} files the templates point at are`} missing: ${missing
      .map((ref) => `${ref.file} (${ref.where})`)
      .join(', ')}${bundles ? '; run `npm ci` (or `npm run build`) to build the Lambda bundles' : ''}`,
    'ARTIFACT_MISSING',
  );
}
