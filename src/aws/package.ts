// `dataless package`: uploads what the generated templates point at to S3
// under content-hash keys and rewrites the local references, leaving a
// packaged root template and its parameter file for a change set.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { TemplateError } from '../errors';
import type { IO } from '../io';
import { assetsOf } from '../cfn/assets';
import { parseTemplate, toYaml } from '../cfn/yaml';
import { NESTED_TEMPLATE_PROPERTY, localPath } from '../cfn/locations';
import { writeFileAtomic } from '../cfn/write';
import { checkTemplateSize } from './deploy/template';
import { objectKey, putIfAbsent, s3ObjectUrl, sha256 } from './s3';
import { ROOT_STACK } from '../stacks';
import { LAMBDA_BUNDLE_DIR } from '../stacks/shared/lambda';

/** The parameters the build fills in (never the branch config). */
export interface BuildParameters {
  /** The pipeline that built the stack. */
  readonly CodePipeline: string;
  /** The region it was built in. */
  readonly BuildRegion: string;
  /** The source version (commit) built. */
  readonly SourceVersion: string;
  /** The unique build id. */
  readonly Build: string;
}

/** Options of one packaging run. */
export interface PackageOptions {
  /** The repository root. */
  readonly root: string;
  /** Repository-relative path of the root template. @default APP_TEMPLATE, 'templates-out/app.yaml' */
  readonly template?: string;
  /** The bucket to upload to. */
  readonly bucket: string;
  /** Key prefix for everything uploaded. @default '' (the bucket's root) */
  readonly prefix?: string;
  /** Folder the packaged templates and template-config.json are written to. */
  readonly outDir: string;
  /** The region the bucket is in (for template URLs). */
  readonly region: string;
  /** The branch's parameters, already validated. */
  readonly parameters: Readonly<Record<string, string | number>>;
  /** The build's parameters. */
  readonly build: BuildParameters;
  /** The S3 client to use. */
  readonly s3: S3Client;
}

/** What a packaging run did. */
export interface PackageResult {
  readonly uploaded: number;
  readonly skipped: number;
  /** Bytes uploaded. */
  readonly bytes: number;
  /** Path of the packaged root template. */
  readonly template: string;
  /** Path of the parameter file beside it. */
  readonly templateConfig: string;
  /** The code prefix passed to the stack (where job scripts live). */
  readonly codePrefix: string;
  /** S3 requests made (HEAD and PUT). */
  readonly requests: number;
}

/** The root application template, relative to the repository root. */
export const APP_TEMPLATE = ROOT_STACK.path;

/** S3 requests in flight at once while packaging. */
const UPLOAD_CONCURRENCY = 8;

/** Runs `fn` over the items with at most `limit` calls in flight; fails with the first error. */
async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function packageApp(options: PackageOptions, io: IO): Promise<PackageResult> {
  const rootTemplate = options.template ?? APP_TEMPLATE;
  const key = (...parts: string[]) => objectKey(options.prefix, ...parts);
  const counters = { uploaded: 0, skipped: 0, bytes: 0, requests: 0 };

  const upload = async (artifact: { key: string; body: Uint8Array; contentType: string }): Promise<void> => {
    if (!(await putIfAbsent(options.s3, { bucket: options.bucket, ...artifact }))) {
      counters.requests++;
      counters.skipped++;
      io.err(`  skipped   s3://${options.bucket}/${artifact.key} (already there)\n`);
      return;
    }
    counters.requests += 2;
    counters.uploaded++;
    counters.bytes += artifact.body.byteLength;
    io.err(`  uploaded  s3://${options.bucket}/${artifact.key} (${artifact.body.byteLength} bytes)\n`);
  };

  // 1. The code assets of every template: one folder per distinct content.
  const templatesRead = new Map<string, Record<string, unknown>>();
  const readTemplate = (path: string): Record<string, unknown> => {
    let json = templatesRead.get(path);
    if (!json) {
      const file = join(options.root, ...path.split('/'));
      if (!existsSync(file))
        throw new TemplateError(`${path} does not exist: run \`npx dataless synth\``, 'TEMPLATE_MISSING');
      json = parseTemplate(readFileSync(file, 'utf8'), path) as Record<string, unknown>;
      templatesRead.set(path, json);
    }
    return json;
  };
  const checkFile = (file: string, where: string): void => {
    const full = join(options.root, ...file.split('/'));
    if (!existsSync(full) || !statSync(full).isFile()) {
      const hint = file.startsWith(`${LAMBDA_BUNDLE_DIR}/`) ? ' (run `npm run build` to build the Lambda bundles)' : '';
      throw new TemplateError(`${where} has the asset ${file}, which does not exist${hint}`, 'ARTIFACT_MISSING');
    }
  };
  const codeFiles = collectCodeFiles(rootTemplate, readTemplate);
  for (const file of codeFiles) checkFile(file.path, file.where);
  const treeHash = sha256(
    codeFiles.map((f) => `${f.path}\0${sha256(readFileSync(join(options.root, ...f.path.split('/'))))}\n`).join(''),
  ).slice(0, 16);
  const codePrefix = key('code', treeHash);
  io.err(`package: ${codeFiles.length} code files under s3://${options.bucket}/${codePrefix}/\n`);
  // Job files are many and small: check and upload them a few at a time.
  await inParallel(codeFiles, UPLOAD_CONCURRENCY, (file) =>
    upload({
      key: `${codePrefix}/${file.path}`,
      body: readFileSync(join(options.root, ...file.path.split('/'))),
      contentType: 'text/plain',
    }),
  );

  // 2. File assets and nested templates, children first.
  const packaged = new Map<string, { key: string; text: string }>();
  const packageTemplate = async (path: string, stack: readonly string[]): Promise<{ key: string; text: string }> => {
    if (stack.includes(path))
      throw new TemplateError(`nested templates form a cycle: ${[...stack, path].join(' -> ')}`);
    const done = packaged.get(path);
    if (done) return done;
    const json = structuredClone(readTemplate(path));
    const resources = (json.Resources ?? {}) as Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    for (const resource of Object.values(resources)) {
      const props = resource.Properties ?? {};
      const nested = NESTED_TEMPLATE_PROPERTY.get(resource.Type);
      const child = nested && localPath(path, props[nested]);
      if (nested && child)
        props[nested] = s3ObjectUrl(
          options.bucket,
          options.region,
          (await packageTemplate(child, [...stack, path])).key,
        );
    }
    // Every value that points at one of the template's file assets becomes that file's S3 address.
    const files = new Map<string, string>();
    for (const file of assetsOf(json).Files) files.set(file, `s3://${options.bucket}/${await uploadFile(file, path)}`);
    const rewrite = (value: unknown): unknown => {
      if (typeof value === 'string') return files.get(localPath(path, value) ?? '') ?? value;
      if (Array.isArray(value)) return value.map(rewrite);
      if (value !== null && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
      return value;
    };
    json.Resources = rewrite(json.Resources);
    if (json.Globals) json.Globals = rewrite(json.Globals);

    const text = toYaml(json, [`Packaged by \`dataless package\` from ${path}.`]);
    checkTemplateSize(text, `${path} (packaged)`);
    const result = { key: key('templates', `${sha256(text)}.yaml`), text };
    packaged.set(path, result);
    if (path !== rootTemplate)
      writeFileAtomic(join(options.outDir, ...relative(posix.dirname(rootTemplate), path).split(sep)), text);
    return result;
  };

  const uploadFile = async (file: string, where: string): Promise<string> => {
    checkFile(file, where);
    const body = readFileSync(join(options.root, ...file.split('/')));
    const extension = posix.extname(file) || '.bin';
    const objectKey = key('artifacts', `${sha256(body)}${extension}`);
    await upload({
      key: objectKey,
      body,
      contentType: extension === '.zip' ? 'application/zip' : 'application/octet-stream',
    });
    return objectKey;
  };

  const root = await packageTemplate(rootTemplate, []);
  // Nested templates were uploaded as they were packaged; the root is handed to CloudFormation directly.
  for (const [path, result] of packaged) {
    if (path !== rootTemplate)
      await upload({ key: result.key, body: Buffer.from(result.text), contentType: 'text/yaml' });
  }

  const templatePath = join(options.outDir, 'template.yaml');
  writeFileAtomic(templatePath, root.text);
  const declared = Object.keys((readTemplate(rootTemplate).Parameters ?? {}) as Record<string, unknown>);
  const parameters: Record<string, string> = {};
  const all: Record<string, string | number> = {
    ...options.parameters,
    CodeBucket: options.bucket,
    CodePrefix: codePrefix,
    ...options.build,
  };
  for (const name of Object.keys(all).sort()) {
    if (declared.includes(name)) parameters[name] = String(all[name]);
  }
  const templateConfig = join(options.outDir, 'template-config.json');
  writeFileAtomic(templateConfig, `${JSON.stringify({ Parameters: parameters }, null, 2)}\n`);
  io.err(`package: ${counters.uploaded} uploaded (${counters.bytes} bytes), ${counters.skipped} already there\n`);
  return { ...counters, template: templatePath, templateConfig, codePrefix };
}

/** The code assets of the root template and every template it nests, sorted by path, each with the first template that lists it. */
function collectCodeFiles(
  rootTemplate: string,
  read: (path: string) => Record<string, unknown>,
): { path: string; where: string }[] {
  const files = new Map<string, string>();
  for (const path of templateTree(rootTemplate, read)) {
    for (const file of assetsOf(read(path)).CodePrefix) if (!files.has(file)) files.set(file, path);
  }
  return [...files].sort(([a], [b]) => a.localeCompare(b)).map(([path, where]) => ({ path, where }));
}

/** The paths of a template and of every template it nests, parents first. */
function templateTree(rootTemplate: string, read: (path: string) => Record<string, unknown>): string[] {
  const visited: string[] = [];
  const visit = (path: string) => {
    if (visited.includes(path)) return;
    visited.push(path);
    for (const resource of Object.values(
      (read(path).Resources ?? {}) as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
    )) {
      const property = NESTED_TEMPLATE_PROPERTY.get(resource.Type);
      const child = property && localPath(path, resource.Properties?.[property]);
      if (child) visit(child);
    }
  };
  visit(rootTemplate);
  return visited;
}

/** Build parameters from flags or, inside CodeBuild, from its environment. */
export function buildParameters(
  flags: Partial<BuildParameters>,
  env: NodeJS.ProcessEnv,
  region: string,
): BuildParameters {
  const initiator = env.CODEBUILD_INITIATOR ?? '';
  return {
    CodePipeline:
      flags.CodePipeline ??
      (initiator.startsWith('codepipeline/') ? initiator.slice('codepipeline/'.length) : 'manual'),
    BuildRegion: flags.BuildRegion ?? env.AWS_REGION ?? region,
    SourceVersion: flags.SourceVersion ?? env.CODEBUILD_RESOLVED_SOURCE_VERSION ?? 'unknown',
    Build: flags.Build ?? env.CODEBUILD_BUILD_ID ?? 'manual',
  };
}
