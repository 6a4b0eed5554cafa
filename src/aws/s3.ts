// Objects under content-hash keys: how a key is formed under the user's
// prefix, and the upload that skips an object already there (same key, same
// bytes). Packaging and the hand-over of a large template both use them.
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { DeploymentError } from '../errors';
import { awsError, isNotFound } from './errors';

/** The hex SHA-256 of some content: the name it is stored under. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A key under the prefix; slashes around the prefix are dropped, and no prefix is the bucket's root. */
export function objectKey(prefix: string | undefined, ...parts: string[]): string {
  return [(prefix ?? '').replace(/^\/+|\/+$/g, ''), ...parts].filter(Boolean).join('/');
}

/** The URL CloudFormation reads an object from (the service reads S3 itself, so never a local endpoint). */
export function s3ObjectUrl(bucket: string, region: string, key: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${bucket}.s3.${region}.${domain}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** One object to store. */
export interface S3Object {
  readonly bucket: string;
  readonly key: string;
  readonly body: Uint8Array | string;
  readonly contentType: string;
  /** What the body is, for messages. @default the object's s3:// address */
  readonly name?: string;
}

/** Uploads the object unless its key is already in the bucket; true when it was uploaded. */
export async function putIfAbsent(s3: S3Client, object: S3Object): Promise<boolean> {
  const address = `s3://${object.bucket}/${object.key}`;
  const { HeadObjectCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  try {
    await s3.send(new HeadObjectCommand({ Bucket: object.bucket, Key: object.key }));
    return false;
  } catch (error) {
    if (!isNotFound(error)) {
      if (
        (error as { name?: string }).name === 'Forbidden' ||
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403
      ) {
        throw new DeploymentError(
          `no permission to read ${address}: check that the bucket exists and the credentials may use it`,
          { cause: error },
        );
      }
      throw awsError(`checking ${address}`, error);
    }
  }
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: object.bucket,
        Key: object.key,
        Body: object.body,
        ContentType: object.contentType,
      }),
    );
  } catch (error) {
    throw awsError(`uploading ${object.name ? `${object.name} to ` : ''}${address}`, error);
  }
  return true;
}
