// Handing a template to CloudFormation: inline when it fits the API's limit,
// else uploaded to S3 under its content hash and passed by URL.
import type { S3Client } from '@aws-sdk/client-s3';
import { TemplateError, UsageError } from '../../errors';
import type { IO } from '../../io';
import { objectKey, putIfAbsent, s3ObjectUrl, sha256 } from '../s3';
import type { TemplateSource } from './changeset';

/** The largest TemplateBody CloudFormation accepts, in bytes. */
export const INLINE_TEMPLATE_LIMIT = 51_200;

/** The largest template CloudFormation reads from S3 (TemplateURL, nested stacks), in bytes. */
export const URL_TEMPLATE_LIMIT = 1_000_000;

/** Fails, naming the template, when it is too large for CloudFormation to read from S3. */
export function checkTemplateSize(body: string, name: string): void {
  const size = Buffer.byteLength(body);
  if (size > URL_TEMPLATE_LIMIT) {
    throw new TemplateError(
      `${name} is ${size} bytes, over the ${URL_TEMPLATE_LIMIT}-byte limit of a template CloudFormation reads from S3: split it into nested stacks`,
      'TEMPLATE_TOO_LARGE',
    );
  }
}

/** Options of templateSource. */
export interface TemplateSourceOptions {
  /** The template text. */
  readonly body: string;
  /** Where the text came from, for messages. */
  readonly name: string;
  /** The bucket for templates over the limit. @default none: such templates are refused */
  readonly bucket?: string;
  /** Key prefix in the bucket. @default '' */
  readonly prefix?: string;
  /** The bucket's region, for its URL. */
  readonly region: string;
  /** Creates the S3 client when an upload is needed. */
  readonly s3: () => S3Client;
}

export async function templateSource(options: TemplateSourceOptions, io: IO): Promise<TemplateSource> {
  const size = Buffer.byteLength(options.body);
  if (size <= INLINE_TEMPLATE_LIMIT) return { body: options.body };
  checkTemplateSize(options.body, options.name);
  if (!options.bucket) {
    throw new UsageError(
      `${options.name} is ${size} bytes, over the ${INLINE_TEMPLATE_LIMIT}-byte limit of an inline template: pass --bucket so that it can be uploaded to S3 and passed by URL`,
    );
  }
  const key = objectKey(options.prefix, 'templates', `${sha256(options.body)}.yaml`);
  const s3 = options.s3();
  try {
    if (
      await putIfAbsent(s3, {
        bucket: options.bucket,
        key,
        body: options.body,
        contentType: 'text/yaml',
        name: options.name,
      })
    ) {
      io.err(
        `template: uploaded ${options.name} to s3://${options.bucket}/${key} (${size} bytes, over the inline limit)\n`,
      );
    } else {
      io.err(`template: s3://${options.bucket}/${key} already there (${size} bytes)\n`);
    }
  } finally {
    s3.destroy();
  }
  return { url: s3ObjectUrl(options.bucket, options.region, key) };
}
