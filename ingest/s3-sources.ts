/**
 * The objects under an S3 prefix as ingest inputs: listed page by page, each read as a stream when its
 * turn comes, with the user's AWS credentials (whatever S3Client is given). Errors name the location.
 */
import { Readable } from 'node:stream';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { IngestInput, InputSource } from './ingest.ts';
import { S3ReadError } from './replay.ts';

/**
 * Every object under `s3://bucket/prefix`, in key order (the order ListObjectsV2 returns), listed page by
 * page as the replay goes so a prefix of any size costs one page of memory. "Folder" markers (keys ending
 * in `/`) are skipped. Each object is read as a stream when its turn comes.
 */
export async function* s3Sources(client: S3Client, bucket: string, prefix: string): AsyncGenerator<InputSource> {
  const where = `s3://${bucket}/${prefix}`;
  const pages = paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix });
  const iterator = pages[Symbol.asyncIterator]();
  for (;;) {
    let page: Awaited<ReturnType<typeof iterator.next>>;
    try {
      page = await iterator.next();
    } catch (e) {
      throw new S3ReadError(`listing ${where}`, e as Error);
    }
    if (page.done) return;
    for (const object of page.value.Contents ?? []) {
      const key = object.Key;
      if (!key || key.endsWith('/')) continue;
      const name = `s3://${bucket}/${key}`;
      yield {
        name,
        open: async () => {
          try {
            const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            return bodyStream(response.Body);
          } catch (e) {
            throw new S3ReadError(`reading ${name}`, e as Error);
          }
        },
      };
    }
  }
}

/** An S3 object's body as a byte stream, whichever form the SDK (or a test's mock) gives it in. */
function bodyStream(body: unknown): IngestInput {
  if (body === undefined || body === null) return [];
  if (body instanceof Readable) return body;
  if (typeof body === 'string' || body instanceof Uint8Array) return [body];
  const b = body as { [Symbol.asyncIterator]?: unknown; transformToWebStream?: () => unknown };
  if (typeof b[Symbol.asyncIterator] === 'function') return body as AsyncIterable<Uint8Array>;
  if (typeof b.transformToWebStream === 'function') return Readable.fromWeb(b.transformToWebStream() as never);
  throw new Error('the S3 object body is not a stream');
}
