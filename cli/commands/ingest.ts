import { createReadStream, existsSync, statSync } from 'node:fs';
import { LocalLake } from '../../lake/local-lake.ts';
import { hourLabel } from '../../schema/layout.ts';
import type { IngestSummary } from '../../ingest/ingest.ts';
import { describeFirehoseError } from '../../ingest/firehose-records.ts';
import { looksLike, quoteHead } from '../../ingest/formats.ts';
import type { Io } from '../output.ts';
import { fileProgress } from '../progress.ts';
import { UsageError } from '../usage-error.ts';

export interface IngestArgs {
  readonly file: string;
  readonly lake: string;
  readonly json?: boolean;
}

/** Checks an input path names a readable file (`-` is stdin). */
export function inputStream(file: string) {
  if (file === '-') return process.stdin;
  if (!existsSync(file)) throw new UsageError(`input file ${file} does not exist`);
  if (!statSync(file).isFile()) throw new UsageError(`input ${file} is not a file`);
  return createReadStream(file, { highWaterMark: 1 << 20 });
}

export async function ingestInto(io: Io, lake: LocalLake, file: string): Promise<IngestSummary> {
  const input = inputStream(file);
  const progress = fileProgress(io, file === '-' ? undefined : file);
  try {
    return await lake.ingest(input, { source: file, onProgress: progress.update });
  } finally {
    progress.stop();
  }
}

const hourRange = (summary: IngestSummary) =>
  summary.hours.length ? ` (${hourLabel(summary.hours[0]!)} .. ${hourLabel(summary.hours[summary.hours.length - 1]!)})` : '';

const displayName = (source: string) => (source === '-' ? 'stdin' : source);

/** One line per rejection shown: `file:12: reason` for NDJSON, `file: record 3 (line 1, byte 2210): reason` otherwise. */
export function rejectionLines(summary: IngestSummary): string[] {
  const lines = summary.firstRejections.map((r) =>
    r.position === `line ${r.line}`
      ? `  ${displayName(r.source)}:${r.line}: ${r.reason}`
      : `  ${displayName(r.source)}: ${r.position}: ${r.reason}`,
  );
  if (summary.quarantined > summary.firstRejections.length) lines.push(`  ... and ${summary.quarantined - summary.firstRejections.length} more`);
  return lines;
}

export function errorFileLines(summary: IngestSummary, lakeRoot: string): string[] {
  return summary.errorFiles.map((f) => `  kept byte for byte, with positions and reasons, in ${lakeRoot}/${f}`);
}

/** Firehose's own reasons for the error records read, by code. */
export function firehoseErrorLines(summary: IngestSummary): string[] {
  if (summary.firehoseErrors.length === 0) return [];
  const total = summary.firehoseErrors.reduce((n, e) => n + e.count, 0);
  return [
    `read ${total} Firehose error record(s); Firehose's reasons:`,
    ...summary.firehoseErrors.map((e) => `  ${e.count} x ${describeFirehoseError(e)}`),
  ];
}

export function ingestReport(summary: IngestSummary, source: string, lakeRoot: string): string[] {
  const lines =
    summary.ingested === 0 && summary.duplicates > 0
      ? [`ingested 0 event(s): 0 new, ${summary.duplicates} already in the lake`]
      : [`ingested ${summary.ingested} event(s) into ${summary.hours.length} arrival hour(s)${hourRange(summary)}`];
  if (summary.ingested > 0 && summary.duplicates > 0) {
    lines.push(`skipped ${summary.duplicates} duplicate(s): their uuid was already in the lake or earlier in ${displayName(source)}`);
  }
  lines.push(`quarantined ${summary.quarantined} record(s)${summary.blank ? `; skipped ${summary.blank} blank line(s)` : ''}`);
  lines.push(...rejectionLines(summary), ...errorFileLines(summary, lakeRoot), ...firehoseErrorLines(summary));
  return lines;
}

/**
 * Why nothing came of an input, or undefined when something did (new events, or events the lake already
 * held): it was empty, it is not JSON (and what it looks like), or every record was rejected.
 */
export function nothingIngested(summary: IngestSummary, source: string): string | undefined {
  if (summary.ingested > 0 || summary.duplicates > 0) return undefined;
  const name = `nothing ingested from ${displayName(source)}`;
  const shape = summary.firstInput?.shape;
  if (summary.records === 0) {
    const what = shape?.gzip ? 'gzip of nothing' : summary.blank ? `only ${summary.blank} blank line(s)` : '0 bytes';
    return `${name}: it is empty (${what})`;
  }
  const like = shape && looksLike(shape.head);
  if (like) {
    return `${name}: it looks like ${like} (first bytes: ${quoteHead(shape.head)}); ingest reads Okta LogEvents as NDJSON, a JSON array or JSON objects back to back, gzipped or not`;
  }
  const reasons = summary.firstRejections.slice(0, 3).map((r) => `${r.position}: ${r.reason}`);
  return `${name}: every record was rejected (${summary.quarantined}); first reasons: ${reasons.join('; ')}`;
}

export async function ingestCommand(io: Io, args: IngestArgs): Promise<void> {
  const lake = await LocalLake.open(args.lake);
  let nothing: string | undefined;
  try {
    const summary = await ingestInto(io, lake, args.file);
    if (args.json) io.out(JSON.stringify({ ingested: summary.ingested, duplicates: summary.duplicates, quarantined: summary.quarantined }));
    else for (const line of ingestReport(summary, args.file, lake.root)) io.out(line);
    nothing = nothingIngested(summary, args.file);
  } finally {
    lake.close();
  }
  // After the report: what was quarantined is on disk and listed; the exit code says the file gave nothing.
  if (nothing) throw new UsageError(nothing);
}
