// Handing a template to CloudFormation: inline when it fits the API's limit,
// else uploaded to S3 under its content hash and passed by URL.
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { TemplateError, UsageError } from '../../errors';
import type { IO } from '../../io';
import { awsError, isNotFound } from '../errors';
import type { TemplateSource } from './changeset';

/** The largest TemplateBody CloudFormation accepts, in bytes. */
export const INLINE_TEMPLATE_LIMIT = 51_200;

/** The largest template CloudFormation reads from S3 (TemplateURL, nested stacks), in bytes. */
export const URL_TEMPLATE_LIMIT = 1_000_000;

/** Fails, naming the template, when it is too large for CloudFormation to read from S3. */
export function checkTemplateSize(body: string, name: string): void {
  const size = Buffer.byteLength(body);
  if (size > URL_TEMPLATE_LIMIT) {
    throw new TemplateError(`${name} is ${size} bytes, over the ${URL_TEMPLATE_LIMIT}-byte limit of a template CloudFormation reads from S3: split it into nested stacks`, 'TEMPLATE_TOO_LARGE');
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

/** The URL CloudFormation reads an object from (the service reads S3 itself, so never a local endpoint). */
export function s3ObjectUrl(bucket: string, region: string, key: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${bucket}.s3.${region}.${domain}/${key.split('/').map(encodeURIComponent).join('/')}`;
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
  const hash = createHash('sha256').update(options.body).digest('hex');
  const key = [(options.prefix ?? '').replace(/^\/+|\/+$/g, ''), 'templates', `${hash}.yaml`].filter(Boolean).join('/');
  const { HeadObjectCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const s3 = options.s3();
  try {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key }));
      io.err(`template: s3://${options.bucket}/${key} already there (${size} bytes)\n`);
    } catch (error) {
      if (!isNotFound(error)) throw awsError(`checking s3://${options.bucket}/${key}`, error);
      try {
        await s3.send(new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: options.body, ContentType: 'text/yaml' }));
      } catch (e) {
        throw awsError(`uploading ${options.name} to s3://${options.bucket}/${key}`, e);
      }
      io.err(`template: uploaded ${options.name} to s3://${options.bucket}/${key} (${size} bytes, over the inline limit)\n`);
    }
  } finally {
    s3.destroy();
  }
  return { url: s3ObjectUrl(options.bucket, options.region, key) };
}
