/**
 * Where a replay reads from: a folder downloaded from the lake bucket (`aws s3 sync s3://BUCKET/okta/raw/
 * raw/`), or the S3 prefix itself, read with the user's AWS credentials (s3-sources.ts, loaded only for an
 * S3 location: the SDK is slow to load). Either way the result is a list of inputs for one ingest run
 * (ingest.ts), each opened when its turn comes and read as a stream; what each file holds (gzip or not,
 * concatenated objects, Firehose error records) is told from its content.
 *
 * Why replay: Firehose keeps every record it received in `okta/raw/` (gzip of the LogEvents back to back)
 * and every record it could not convert in `okta/errors/`; replaying those folders into the lake, with
 * events the lake holds already skipped, is how an event that reached AWS but not the Parquet table gets
 * back in.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { InputSource } from './ingest.ts';

export type ReplayLocation =
  | { readonly kind: 'folder'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

/** A replay location that cannot be read as given; the message says what is wrong and how to fix it. */
export class ReplayLocationError extends Error {}

/** `s3://bucket/prefix` or a local path. */
export function parseReplayLocation(value: string): ReplayLocation {
  if (!/^s3:\/\//i.test(value)) return { kind: 'folder', path: value };
  const m = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(value);
  if (!m || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(m[1]!)) {
    throw new ReplayLocationError(`"${value}" is not an S3 location of the form s3://BUCKET/PREFIX (e.g. s3://acme-okta-lake/okta/raw/2026/11/24/)`);
  }
  return { kind: 's3', bucket: m[1]!, prefix: m[2]! };
}

const READ_CHUNK = 1 << 20;

/**
 * Every file under `path` (or `path` itself when it is a file), sorted by path, which for Firehose's
 * `YYYY/MM/DD/HH/` prefixes and timestamped names is arrival order. Hidden files (`.DS_Store`) and hidden
 * folders are left out. Listed once, up front, so files written while the replay runs are not read.
 */
export function folderSources(path: string): InputSource[] {
  if (!existsSync(path)) throw new ReplayLocationError(`folder ${path} does not exist`);
  const open = (file: string) => () => createReadStream(file, { highWaterMark: READ_CHUNK });
  if (statSync(path).isFile()) return [{ name: path, open: open(path) }];
  const files = readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => !relative(path, file).split(sep).some((part) => part.startsWith('.')))
    .sort();
  return files.map((file) => ({ name: file, open: open(file) }));
}

/** Names the S3 location in an SDK error, which otherwise says only "Access Denied" or "NoSuchBucket". */
export class S3ReadError extends Error {
  constructor(what: string, cause: Error) {
    super(`${what}: ${cause.name && cause.name !== 'Error' ? `${cause.name}: ` : ''}${cause.message}`, { cause });
  }
}
