// Closes the gap between the stand-in's Firehose and the real one. moto
// writes each PutRecordBatch at once as one uncompressed object, named as
// Firehose names objects but without the compression's extension; Firehose
// buffers records (BufferingHints: an interval and a size) and writes one
// object per buffer, compressed as declared. Before a batch, the local run
// delivers what moto wrote as Firehose would have: the objects of each
// buffering interval, within the same UTC hour folder, concatenated (split at
// the buffer size), compressed and named with the extension, and the
// originals removed.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { LocalError } from '../errors';
import type { DeliveryStream } from './template/warehouse';

/** Compression formats the local delivery reproduces, with the extension Firehose gives their objects. */
const COMPRESSION: Readonly<Record<string, { extension: string; compress: (data: Buffer) => Buffer }>> = {
  UNCOMPRESSED: { extension: '', compress: (data) => data },
  GZIP: { extension: '.gz', compress: (data) => gzipSync(data) },
};

/** What one stream's delivery did. */
export interface Delivered {
  readonly stream: string;
  /** moto's per-request objects taken. */
  readonly objectsIn: number;
  /** Objects written as Firehose would. */
  readonly objectsOut: number;
  readonly bytes: number;
}

/** The name moto gives an object: `<stream>-<version>-YYYY-MM-DD-HH-MM-SS-<dashed uuid>`. */
function motoObject(stream: string): RegExp {
  const escaped = stream.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^${escaped}-(\\d+)-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
  );
}

/** Delivers what the stand-in's streams wrote, as Firehose would have. */
export async function deliver(streams: readonly DeliveryStream[], s3: S3Client): Promise<Delivered[]> {
  const results: Delivered[] = [];
  for (const stream of streams) {
    const format = COMPRESSION[stream.compression];
    if (!format) {
      throw new LocalError(
        `delivery stream ${stream.logicalId} declares ${stream.compression} compression, which the local run does not reproduce (it does ${Object.keys(COMPRESSION).join(', ')})`,
        'LOCAL_COMPRESSION',
      );
    }
    const pattern = motoObject(stream.name);
    const pending: Array<{ key: string; folder: string; version: string; stamp: string; window: number }> = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: stream.bucket, Prefix: stream.prefix, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) {
        const key = item.Key!;
        const slash = key.lastIndexOf('/');
        const match = pattern.exec(key.slice(slash + 1));
        if (!match) continue;
        const [, version, year, month, day, hour, minute, second] = match;
        const epoch =
          Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) / 1000;
        pending.push({
          key,
          folder: key.slice(0, slash + 1),
          version: version!,
          stamp: `${year}-${month}-${day}-${hour}-${minute}-${second}`,
          window: Math.floor(epoch / stream.bufferSeconds),
        });
      }
      token = page.NextContinuationToken;
    } while (token);
    pending.sort((a, b) => a.key.localeCompare(b.key));

    const groups = new Map<string, typeof pending>();
    for (const object of pending) {
      const group = `${object.folder}\u0000${object.window}`;
      groups.set(group, [...(groups.get(group) ?? []), object]);
    }
    let objectsOut = 0;
    let bytes = 0;
    const limit = stream.bufferMegabytes * 1024 * 1024;
    for (const objects of groups.values()) {
      let buffer: Buffer[] = [];
      let size = 0;
      let first = objects[0]!;
      const flush = async () => {
        if (size === 0) return;
        const body = format.compress(Buffer.concat(buffer));
        const key = `${first.folder}${stream.name}-${first.version}-${first.stamp}-${randomBytes(16).toString('hex')}${format.extension}`;
        await s3.send(new PutObjectCommand({ Bucket: stream.bucket, Key: key, Body: body }));
        objectsOut += 1;
        bytes += body.length;
        buffer = [];
        size = 0;
      };
      for (const object of objects) {
        const answer = await s3.send(new GetObjectCommand({ Bucket: stream.bucket, Key: object.key }));
        const data = Buffer.from(await answer.Body!.transformToByteArray());
        if (size > 0 && size + data.length > limit) {
          await flush();
          first = object;
        }
        buffer.push(data);
        size += data.length;
      }
      await flush();
    }
    for (let start = 0; start < pending.length; start += 1000) {
      await s3.send(
        new DeleteObjectsCommand({
          Bucket: stream.bucket,
          Delete: { Objects: pending.slice(start, start + 1000).map(({ key }) => ({ Key: key })) },
        }),
      );
    }
    results.push({ stream: stream.name, objectsIn: pending.length, objectsOut, bytes });
  }
  return results;
}
