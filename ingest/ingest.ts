/**
 * Local ingest: what Firehose does in AWS, for files. Every record of the input ends up as a new row of
 * `okta_events` (Parquet, by arrival hour), as a duplicate of an event the lake holds already (counted,
 * not written twice), or as a quarantined record with its exact bytes, position and reason; every record
 * is also kept, as it came, in the compressed raw archive.
 *
 * Input: NDJSON, concatenated JSON objects (Firehose's raw backup), JSON arrays (`GET /api/v1/logs`) or
 * Firehose error records, gzipped or not, told apart by content (formats.ts); bare LogEvents and
 * EventBridge envelopes (classify.ts).
 *
 * Streaming: records are classified and normalized one at a time into a staging NDJSON file on disk,
 * which DuckDB converts to Parquet in batches (convert.ts), so memory does not grow with the input.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { DuckDbEngine } from '../engines/duckdb/engine.ts';
import { dayOf, hourOf, lakePaths, parseHour, type Hour } from '../schema/layout.ts';
import { logEventColumns } from '../schema/logevent.ts';
import { rowNormalizer } from '../schema/normalize.ts';
import { classify, type Classified } from './classify.ts';
import { convertBatch, DEFAULT_MAX_OBJECT_BYTES, type ConvertedBatch } from './convert.ts';
import { ChunkedFile, PartitionedFiles } from './files.ts';
import type { FirehoseError } from './firehose-records.ts';
import { DEFAULT_MAX_RECORD_BYTES, readRecords, type InputShape } from './formats.ts';
import { isBlank } from './lines.ts';
import { positionLabel, type InputRecord } from './record.ts';

export type IngestInput = Readable | AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

/** One input of an ingest: a file, stdin, an S3 object. Opened when its turn comes. */
export interface InputSource {
  /** Recorded with every quarantined record: a path, `-`, or `s3://bucket/key`. */
  readonly name: string;
  readonly open: () => IngestInput | Promise<IngestInput>;
}

export interface IngestOptions {
  /** Where the input came from, recorded with every quarantined record (a file path or `-`). */
  readonly source: string;
  /** The clock, for the date of the raw archive and quarantine of records that carry no usable time. */
  readonly now?: () => Date;
  /** Called with the number of input bytes read so far (compressed bytes for gzip). */
  readonly onProgress?: (bytesRead: number) => void;
  /** Records staged before each conversion to Parquet (Parquet files per hour grow with the batches an hour spans). @default 50_000 */
  readonly batchLines?: number;
  /** The longest row one event may stage, in bytes (DuckDB's read_json `maximum_object_size`); a longer one is quarantined. @default 16 MiB */
  readonly maxObjectBytes?: number;
  /** The most one record (or NDJSON line) may hold before it is cut into pieces and quarantined; bounds memory. @default 64 MiB */
  readonly maxRecordBytes?: number;
}

export type IngestSourcesOptions = Omit<IngestOptions, 'source'> & {
  /** Called as each input is opened, with its position (0-based). */
  readonly onSource?: (name: string, index: number) => void;
};

export interface Rejection {
  readonly source: string;
  /** 1-based line of the record's first byte. */
  readonly line: number;
  /** 1-based record index, for JSON values (not NDJSON). */
  readonly record?: number;
  /** Byte offset of the record's first byte in the decompressed input. */
  readonly offset: number;
  /** `line 12`, or `record 3 (line 1, byte 2210)`. */
  readonly position: string;
  readonly reason: string;
}

export interface FirehoseErrorCount extends FirehoseError {
  /** Firehose error records read with this code; `errorMessage` is the first one's. */
  readonly count: number;
}

export interface IngestSummary {
  /** Inputs read. */
  readonly files: number;
  /** Records read (blank NDJSON lines aside): ingested + duplicates + quarantined. */
  readonly records: number;
  /** New events written to `okta_events`. */
  readonly ingested: number;
  /** Events skipped because their uuid was in the lake already or earlier in the input. */
  readonly duplicates: number;
  readonly quarantined: number;
  readonly blank: number;
  /** Arrival hours that received new events, sorted. */
  readonly hours: readonly Hour[];
  /** Lake-relative paths of the quarantine files written. */
  readonly errorFiles: readonly string[];
  /** The first rejections (up to 10), to show where the input is wrong without opening the files. */
  readonly firstRejections: readonly Rejection[];
  /** Firehose error records read, by error code. */
  readonly firehoseErrors: readonly FirehoseErrorCount[];
  /** What the first input looked like (to say what a file that gave nothing was). */
  readonly firstInput?: { readonly source: string; readonly shape: InputShape };
}

/** A quarantined record: where it was, why, and its exact bytes (base64) plus a readable copy. */
export interface QuarantineRecord {
  readonly source: string;
  /** 1-based line of the record's first byte. */
  readonly line: number;
  /** 1-based record index, for JSON values (concatenated objects, arrays); absent for NDJSON. */
  readonly record?: number;
  /** Byte offset of the record's first byte in the decompressed input. */
  readonly offset: number;
  /** For a record too long to hold, cut into pieces: which piece this is. */
  readonly part?: number;
  readonly reason: string;
  /** Set when the record was a Firehose error record: Firehose's own reason. */
  readonly firehose_error?: FirehoseError;
  readonly bytes_base64: string;
  readonly text: string;
}

export async function ingest(engine: DuckDbEngine, input: IngestInput, options: IngestOptions): Promise<IngestSummary> {
  const { source, ...rest } = options;
  return ingestSources(engine, [{ name: source, open: () => input }], rest);
}

const NEWLINE = Buffer.from('\n');
const MAX_REJECTIONS_SHOWN = 10;

export async function ingestSources(
  engine: DuckDbEngine,
  sources: Iterable<InputSource> | AsyncIterable<InputSource>,
  options: IngestSourcesOptions = {},
): Promise<IngestSummary> {
  const now = options.now ?? (() => new Date());
  const batchLines = options.batchLines ?? 50_000;
  const maxObjectBytes = options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const runId = `${now().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  const root = engine.root;
  const normalize = rowNormalizer(logEventColumns, { sparse: true });
  const raw = new PartitionedFiles(root, lakePaths.raw, `${runId}.ndjson.gz`, true);
  const errors = new PartitionedFiles(root, lakePaths.errors, `${runId}.ndjson`, false);
  const stagingDir = join(root, '.staging', runId);
  mkdirSync(stagingDir, { recursive: true });

  let files = 0;
  let records = 0;
  let ingested = 0;
  let duplicates = 0;
  let quarantined = 0;
  let blank = 0;
  const firstRejections: Rejection[] = [];
  const firehoseErrors = new Map<string, { errorCode: string; errorMessage: string; count: number }>();
  const hoursTouched = new Set<string>();
  let firstInput: IngestSummary['firstInput'];

  // The batch being staged.
  let batch = 0;
  let staged = 0;
  let minDt = '';
  let maxDt = '';
  let stage = new ChunkedFile(join(stagingDir, `batch-${batch}.ndjson`), false);
  /** The uuids (lower case) staged in this batch: a repeat is a duplicate, left out before staging. */
  let batchUuids = new Set<string>();

  // DuckDB converts one batch (in its own threads) while the next is parsed; at most one is in flight.
  let converting: Promise<void> = Promise.resolve();
  let conversionError: unknown;
  const awaitConversion = async () => {
    await converting;
    if (conversionError !== undefined) throw conversionError;
  };
  const tally = (done: ConvertedBatch) => {
    ingested += done.written;
    duplicates += done.duplicates;
    for (const label of done.hours) hoursTouched.add(label);
  };

  /** Hands the staged rows to DuckDB for conversion to Parquet and starts the next staging file. */
  const flush = async () => {
    const done = stage;
    const info = { file: done.path, filePrefix: `part-${runId}-${batch}`, rows: staged, minDt, maxDt };
    const wrote = await done.close();
    await awaitConversion();
    converting = (wrote ? convertBatch(engine, info, { maxObjectBytes }).then(tally) : Promise.resolve()).then(
      () => rmSync(done.path, { force: true }),
      (e: unknown) => {
        conversionError = e;
      },
    );
    staged = 0;
    batchUuids = new Set();
    minDt = maxDt = '';
    batch++;
    stage = new ChunkedFile(join(stagingDir, `batch-${batch}.ndjson`), false);
  };

  /** Counts and keeps a rejected record; its raw-archive copy goes under `archiveDt` (default: today). */
  const quarantine = async (source: string, r: InputRecord, reason: string, found?: Classified, archiveDt?: string) => {
    const first = !r.cut || r.cut.part === 1;
    if (first) {
      quarantined++;
      if (firstRejections.length < MAX_REJECTIONS_SHOWN) {
        firstRejections.push({ source, line: r.line, record: r.record, offset: r.offset, position: positionLabel(r), reason });
      }
    }
    const day = dayOf(now());
    if (!r.damage) await archive(archiveDt ?? day, found?.original ?? r.bytes, !r.cut || r.cut.last);
    await errors.write(day, quarantineRecord(source, r, reason, found?.firehose));
  };

  const archive = async (dt: string, bytes: Buffer, endOfRecord = true) => {
    await raw.write(dt, bytes);
    if (endOfRecord) await raw.write(dt, NEWLINE);
  };

  const take = async (source: string, r: InputRecord) => {
    if (r.damage) {
      records++;
      return quarantine(source, r, r.damage);
    }
    if (r.cut) {
      if (r.cut.part === 1) records++;
      return quarantine(source, r, `longer than ${r.cut.maxBytes} bytes, the most one record may hold: kept in pieces, this is piece ${r.cut.part}${r.cut.last ? ', the last' : ''}`);
    }
    if (isBlank(r.bytes)) {
      blank++;
      return;
    }
    records++;
    const result = classify(r.bytes.toString('utf8'));
    if (result.firehose) {
      const seen = firehoseErrors.get(result.firehose.errorCode);
      if (seen) seen.count++;
      else firehoseErrors.set(result.firehose.errorCode, { ...result.firehose, count: 1 });
    }
    if (result.kind === 'rejected') return quarantine(source, r, result.reason, result);

    const hour = hourOf(result.arrival);
    const row = normalize(result.event) as Record<string, unknown>;
    const uuid = String(row.uuid).toLowerCase();
    if (batchUuids.has(uuid)) {
      await archive(hour.dt, result.original ?? r.bytes);
      duplicates++;
      return;
    }
    row.dt = hour.dt;
    row.hour = hour.hour;
    const json = JSON.stringify(row);
    // Exact size only when it could matter: a UTF-16 unit is at most 3 UTF-8 bytes.
    if (json.length * 3 + 1 > maxObjectBytes) {
      const bytes = Buffer.byteLength(json) + 1;
      if (bytes > maxObjectBytes) {
        const reason = `its row for the lake is ${bytes} bytes, over the ${maxObjectBytes}-byte limit of one JSON object in the conversion to Parquet (DuckDB read_json maximum_object_size)`;
        return quarantine(source, r, reason, result, hour.dt);
      }
    }
    await archive(hour.dt, result.original ?? r.bytes);
    await stage.write(`${json}\n`);
    batchUuids.add(uuid);
    if (staged === 0 || hour.dt < minDt) minDt = hour.dt;
    if (staged === 0 || hour.dt > maxDt) maxDt = hour.dt;
    if (++staged >= batchLines) await flush();
  };

  let bytesRead = 0;
  try {
    for await (const source of sources) {
      options.onSource?.(source.name, files);
      files++;
      const input = await source.open();
      const read = readRecords(input, {
        maxRecordBytes,
        onBytes: (n) => options.onProgress?.((bytesRead += n)),
        onShape: (shape) => (firstInput ??= { source: source.name, shape }),
      });
      for await (const r of read) await take(source.name, r);
    }
    await flush();
    await awaitConversion();
    await raw.close();
    await errors.close();
  } catch (e) {
    raw.destroy();
    errors.destroy();
    throw e;
  } finally {
    stage.destroy();
    await converting;
    rmSync(stagingDir, { recursive: true, force: true });
    rmEmptyDir(join(root, '.staging'));
  }
  return {
    files,
    records,
    ingested,
    duplicates,
    quarantined,
    blank,
    hours: [...hoursTouched].sort().map((label) => parseHour(label)),
    errorFiles: errors.paths(),
    firstRejections,
    firehoseErrors: [...firehoseErrors.values()],
    firstInput,
  };
}

function rmEmptyDir(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // Already gone, or another ingest is using it: leave it.
  }
}

function quarantineRecord(source: string, r: InputRecord, reason: string, firehose: FirehoseError | undefined): string {
  const record: QuarantineRecord = {
    source,
    line: r.line,
    ...(r.record === undefined ? {} : { record: r.record }),
    offset: r.offset,
    ...(r.cut ? { part: r.cut.part } : {}),
    reason,
    ...(firehose ? { firehose_error: firehose } : {}),
    bytes_base64: r.bytes.toString('base64'),
    text: r.bytes.toString('utf8'),
  };
  return `${JSON.stringify(record)}\n`;
}
