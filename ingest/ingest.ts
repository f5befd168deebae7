/**
 * Local ingest: what Firehose does in AWS, for a file. Every non-blank input line ends up either as a row
 * of `okta_events` (Parquet, by arrival hour) or as a quarantined record with its bytes and reason; every
 * non-blank line is also kept, as it came, in the compressed raw archive.
 *
 * Streaming: lines are classified and normalized one at a time into a staging NDJSON file on disk, which
 * DuckDB converts to Parquet in batches, so memory does not grow with the input.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import type { DuckDbEngine } from '../engines/duckdb/engine.ts';
import { dayOf, hourOf, lakePaths, type Hour } from '../lake/layout.ts';
import { logEventColumns, okta_events } from '../schema/logevent.ts';
import { rowNormalizer } from '../schema/normalize.ts';
import { duckdbColumnsLiteral } from '../schema/types.ts';
import { classify } from './classify.ts';
import { isBlank, readLines } from './lines.ts';

export interface IngestOptions {
  /** Where the input came from, recorded with every quarantined line (a file path or `-`). */
  readonly source: string;
  /** The clock, for the date of the raw archive and quarantine of lines that carry no usable time. */
  readonly now?: () => Date;
  /** Called with the number of bytes read so far. */
  readonly onProgress?: (bytesRead: number) => void;
  /** Lines staged before each conversion to Parquet. @default 1_000_000 */
  readonly batchLines?: number;
}

export interface IngestSummary {
  readonly ingested: number;
  readonly quarantined: number;
  readonly blank: number;
  /** Arrival hours that received events, sorted. */
  readonly hours: readonly Hour[];
  /** Lake-relative paths of the quarantine files written. */
  readonly errorFiles: readonly string[];
  /** The first rejections (up to 10), to show where the input is wrong without opening the files. */
  readonly firstRejections: readonly { readonly line: number; readonly reason: string }[];
}

/** One output stream per partition folder, opened on first use. */
class PartitionedFiles {
  private readonly open = new Map<string, { stream: WriteStream | Gzip; file: WriteStream; path: string }>();

  constructor(
    private readonly root: string,
    private readonly prefix: string,
    private readonly fileName: string,
    private readonly gzip: boolean,
  ) {}

  async write(dt: string, data: Buffer | string): Promise<void> {
    let entry = this.open.get(dt);
    if (!entry) {
      const rel = join(this.prefix, `dt=${dt}`, this.fileName);
      mkdirSync(join(this.root, this.prefix, `dt=${dt}`), { recursive: true });
      const file = createWriteStream(join(this.root, rel));
      let stream: WriteStream | Gzip = file;
      if (this.gzip) {
        const gz = createGzip({ level: 6 });
        gz.pipe(file);
        stream = gz;
      }
      entry = { stream, file, path: rel };
      this.open.set(dt, entry);
    }
    if (!entry.stream.write(data)) await once(entry.stream, 'drain');
  }

  paths(): string[] {
    return [...this.open.values()].map((e) => e.path);
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.open.values()].map(async ({ stream, file }) => {
        const finished = once(file, 'close');
        stream.end();
        await finished;
      }),
    );
  }
}

export async function ingest(engine: DuckDbEngine, input: Readable | AsyncIterable<Buffer>, options: IngestOptions): Promise<IngestSummary> {
  const now = options.now ?? (() => new Date());
  const batchLines = options.batchLines ?? 1_000_000;
  const runId = `${now().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  const root = engine.root;
  const normalize = rowNormalizer(logEventColumns);
  const raw = new PartitionedFiles(root, lakePaths.raw, `${runId}.ndjson.gz`, true);
  const errors = new PartitionedFiles(root, lakePaths.errors, `${runId}.ndjson`, false);
  const stagingDir = join(root, '.staging', runId);
  mkdirSync(stagingDir, { recursive: true });

  let ingested = 0;
  let quarantined = 0;
  let blank = 0;
  const firstRejections: { line: number; reason: string }[] = [];
  const hours = new Map<string, Hour>();
  let batch = 0;
  let staged = 0;
  let stage = createWriteStream(join(stagingDir, `batch-${batch}.ndjson`));

  const flush = async () => {
    const path = stage.path as string;
    const closed = once(stage, 'close');
    stage.end();
    await closed;
    if (staged > 0) await convertToParquet(engine, path, `part-${runId}-${batch}`);
    rmSync(path, { force: true });
    staged = 0;
    batch++;
    stage = createWriteStream(join(stagingDir, `batch-${batch}.ndjson`));
  };

  let bytesRead = 0;
  try {
    for await (const line of readLines(input, (n) => options.onProgress?.((bytesRead += n)))) {
      if (isBlank(line.bytes)) {
        blank++;
        continue;
      }
      const result = classify(line.bytes.toString('utf8'));
      if (result.kind === 'rejected') {
        const day = dayOf(now());
        quarantined++;
        if (firstRejections.length < 10) firstRejections.push({ line: line.number, reason: result.reason });
        await raw.write(day, Buffer.concat([line.bytes, NEWLINE]));
        await errors.write(day, quarantineRecord(options.source, line.number, result.reason, line.bytes));
        continue;
      }
      const hour = hourOf(result.arrival);
      hours.set(`${hour.dt}T${hour.hour}`, hour);
      await raw.write(hour.dt, Buffer.concat([line.bytes, NEWLINE]));
      const row = normalize(result.event);
      row.dt = hour.dt;
      row.hour = hour.hour;
      if (!stage.write(`${JSON.stringify(row)}\n`)) await once(stage, 'drain');
      ingested++;
      if (++staged >= batchLines) await flush();
    }
    await flush();
  } finally {
    stage.destroy();
    await raw.close();
    await errors.close();
    rmSync(stagingDir, { recursive: true, force: true });
  }
  return {
    ingested,
    quarantined,
    blank,
    hours: [...hours.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, h]) => h),
    errorFiles: errors.paths(),
    firstRejections,
  };
}

const NEWLINE = Buffer.from('\n');

/** A quarantined line: where it was, why, and its exact bytes (base64) plus a readable copy. */
export interface QuarantineRecord {
  readonly source: string;
  readonly line: number;
  readonly reason: string;
  readonly bytes_base64: string;
  readonly text: string;
}

function quarantineRecord(source: string, line: number, reason: string, bytes: Buffer): string {
  const record: QuarantineRecord = { source, line, reason, bytes_base64: bytes.toString('base64'), text: bytes.toString('utf8') };
  return `${JSON.stringify(record)}\n`;
}

const STAGED_COLUMNS = duckdbColumnsLiteral(logEventColumns, { dt: 'VARCHAR', hour: 'VARCHAR' });

async function convertToParquet(engine: DuckDbEngine, stagedFile: string, filePrefix: string): Promise<void> {
  const target = join(engine.root, okta_events.location);
  mkdirSync(target, { recursive: true });
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  await engine.connection.run(
    `copy (select * from read_json(${quote(stagedFile)}, format = 'newline_delimited', records = true, columns = ${STAGED_COLUMNS}))
     to ${quote(target)} (format parquet, compression snappy, partition_by (dt, hour), filename_pattern ${quote(`${filePrefix}-{i}`)}, overwrite_or_ignore true)`,
  );
}
