// Local files a template points at, declared as assets of that template. A code
// asset (a job script, a bootstrap script) is uploaded by `dataless package`
// under the code prefix the template is given, at its repository path; a file
// asset (a Lambda bundle) is uploaded under its content hash and the property
// that holds its relative path is rewritten to the S3 address. The template
// lists both under ASSETS_METADATA, so packaging and the pre-deploy check read
// them from the template instead of guessing from its text.
import { posix } from 'node:path';
import { TemplateError } from '../errors';
import { sub, type Intrinsic, type SubPart } from './intrinsics';

/** The top-level Metadata key under which a template lists its assets. */
export const ASSETS_METADATA = 'Dataless::Assets';

/** A template's assets, as its Metadata lists them: repository paths, sorted. */
export interface AssetList {
  /** Uploaded under `${CodeBucket}/${CodePrefix}/` at their repository path. */
  readonly CodePrefix?: readonly string[];
  /** Uploaded under their content hash; the properties pointing at them are rewritten. */
  readonly Files?: readonly string[];
}

/** Where the packaged repository files are: a bucket and a key prefix without a trailing slash. */
export interface CodeLocation {
  readonly bucket: SubPart;
  readonly prefix: SubPart;
}

const REPOSITORY_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9_./-]+$/;

function checkPath(path: string, source: string): string {
  if (!REPOSITORY_PATH.test(path) || path.endsWith('/')) {
    throw new TemplateError(
      `${source}: asset '${path}' must be a repository-relative file path (letters, digits, _ . - /, no ..)`,
    );
  }
  return path;
}

/** The assets a template declares; the template owns one and lists it in its Metadata. */
export class Assets {
  private readonly code = new Set<string>();
  private readonly files = new Set<string>();

  constructor(private readonly template: { readonly source: string; readonly path: string | undefined }) {}

  /** The repository files this template reaches through a code location, bucket and prefix given. */
  codeAt(location: CodeLocation): CodeAssets {
    return new CodeAssets(location, (path) => this.code.add(checkPath(path, this.template.source)));
  }

  /** Declares a file a property points at (e.g. a Lambda bundle's CodeUri): its path relative to the template. */
  file(path: string): string {
    const { source, path: templatePath } = this.template;
    if (!templatePath)
      throw new TemplateError(`${source}: a template with file assets must be declared with its own path`);
    this.files.add(checkPath(path, source));
    const relative = posix.relative(posix.dirname(templatePath), path);
    return relative.startsWith('.') ? relative : `./${relative}`;
  }

  /** The list for the template's Metadata; undefined when there are none. */
  list(): AssetList | undefined {
    if (this.code.size === 0 && this.files.size === 0) return undefined;
    return {
      ...(this.code.size > 0 ? { CodePrefix: [...this.code].sort() } : {}),
      ...(this.files.size > 0 ? { Files: [...this.files].sort() } : {}),
    };
  }
}

/** Repository files under one code location; each use declares the file as an asset. */
export class CodeAssets implements CodeLocation {
  readonly bucket: SubPart;
  readonly prefix: SubPart;

  constructor(
    location: CodeLocation,
    private readonly declare: (path: string) => void,
  ) {
    this.bucket = location.bucket;
    this.prefix = location.prefix;
  }

  /** `s3://bucket/prefix/path` of a repository file. */
  url(path: string): Intrinsic {
    this.declare(path);
    return sub`s3://${this.bucket}/${this.prefix}/${path}`;
  }

  /** `prefix/path`, the object key of a repository file, for APIs that take bucket and key apart. */
  key(path: string): Intrinsic {
    this.declare(path);
    return sub`${this.prefix}/${path}`;
  }

  /** The repository path itself, declared, for text that spells out the location through its own placeholders. */
  path(path: string): string {
    this.declare(path);
    return path;
  }
}

/** The assets a parsed template lists in its Metadata. */
export function assetsOf(template: { readonly Metadata?: unknown }): Required<AssetList> {
  const list = ((template.Metadata ?? {}) as Record<string, AssetList | undefined>)[ASSETS_METADATA] ?? {};
  return { CodePrefix: list.CodePrefix ?? [], Files: list.Files ?? [] };
}
