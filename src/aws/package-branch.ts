// `dataless package --branch NAME`: the checks that need no AWS (the branch
// config, the committed templates, the built bundles) first, then the region
// and the upload of everything the application templates point at.
import { resolve } from 'node:path';
import type { IO } from '../io';
import { loadConfig, type BranchConfig } from '../config/load';
import { resolveRegion } from './clients';
import { objectKey } from './s3';
import { APP_TEMPLATE, buildParameters, packageApp, type BuildParameters, type PackageResult } from './package';
import { checkGeneratedFiles, checkLocalArtifacts } from './preflight';

/** Where packaged templates go when no folder is named, relative to the repository root. */
const DEFAULT_PACKAGE_DIR = '.dataless/package';

/** Options of `dataless package`. */
export interface PackageBranchOptions {
  /** The repository root (templates, config/, dist/, jobs/). */
  readonly root: string;
  /** The branch whose config/<branch>.json supplies the parameters. */
  readonly branch: string;
  /** The bucket to upload to. */
  readonly bucket: string;
  /** Key prefix for everything uploaded. @default '' (the bucket's root) */
  readonly prefix?: string;
  /** Folder for the packaged template.yaml and template-config.json. @default '<root>/.dataless/package' */
  readonly outDir?: string;
  /** Build parameters to use instead of CodeBuild's environment or the defaults. @default from io.env */
  readonly build?: Partial<BuildParameters>;
}

/** What `dataless package` did, and where the result is. */
export interface PackageBranchResult extends PackageResult {
  /** The branch packaged. */
  readonly branch: string;
  /** The bucket uploaded to. */
  readonly bucket: string;
  /** The region the bucket is addressed in. */
  readonly region: string;
  /** The branch's parameters as passed to the stack. */
  readonly parameters: Readonly<Record<string, string>>;
}

/**
 * The checks that need no AWS, in order: the branch config (ConfigError, exit
 * 2), the committed templates against the code, the local artifacts they point at.
 */
export function checkBranch(root: string, branch: string): BranchConfig {
  const config = loadConfig(root, branch);
  const generated = checkGeneratedFiles(root);
  checkLocalArtifacts(root, generated);
  return config;
}

/** Options of uploadBranch: a checked config and a resolved region. */
export interface UploadBranchOptions extends PackageBranchOptions {
  /** The branch's config, already checked. */
  readonly config: BranchConfig;
  /** The region to address the bucket in. */
  readonly region: string;
}

/** Uploads (with the S3 client of `io.aws`) and writes the packaged templates for a checked branch config. */
export async function uploadBranch(options: UploadBranchOptions, io: IO): Promise<PackageBranchResult> {
  const outDir = options.outDir ?? resolve(options.root, DEFAULT_PACKAGE_DIR);
  const prefix = objectKey(options.prefix);
  io.err(
    `package: ${options.config.file} -> s3://${options.bucket}${prefix ? `/${prefix}` : ''} (${options.region})\n`,
  );
  const s3 = io.aws.s3({ region: options.region });
  try {
    const result = await packageApp(
      {
        root: options.root,
        template: APP_TEMPLATE,
        bucket: options.bucket,
        prefix,
        outDir,
        region: options.region,
        parameters: options.config.parameters,
        build: buildParameters(options.build ?? {}, io.env, options.region),
        s3,
      },
      io,
    );
    return {
      ...result,
      branch: options.branch,
      bucket: options.bucket,
      region: options.region,
      parameters: options.config.parameters,
    };
  } finally {
    s3.destroy();
  }
}

/**
 * Refuses before any AWS call when the config is invalid, the committed
 * templates are stale or a bundle is missing; otherwise uploads, writes the
 * packaged templates and returns what it did and where the root one is.
 */
export async function packageBranch(options: PackageBranchOptions, io: IO): Promise<PackageBranchResult> {
  const config = checkBranch(options.root, options.branch);
  const region = await resolveRegion({}, io.aws);
  return uploadBranch({ ...options, config, region }, io);
}

/** What `dataless package` reports: the uploads and where the packaged root template is (its `--json` document). */
export interface PackageSummary {
  readonly uploaded: number;
  readonly skipped: number;
  /** Bytes uploaded. */
  readonly bytes: number;
  /** Path of the packaged root template. */
  readonly template: string;
}

/** The report of a packaging run. */
export function packageSummary(result: PackageBranchResult): PackageSummary {
  return { uploaded: result.uploaded, skipped: result.skipped, bytes: result.bytes, template: result.template };
}

/** The text form of the report: the packaged root template's path, for a script to hand to the next step. */
export function formatPackage(summary: PackageSummary): string {
  return `${summary.template}\n`;
}
