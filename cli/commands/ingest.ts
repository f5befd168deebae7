import { createReadStream, existsSync, statSync } from 'node:fs';
import { LocalLake } from '../../lake/local-lake.ts';
import { hourLabel } from '../../lake/layout.ts';
import type { IngestSummary } from '../../ingest/ingest.ts';
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

export function ingestReport(summary: IngestSummary, source: string, lakeRoot: string): string[] {
  const lines = [
    `ingested ${summary.ingested} event(s) into ${summary.hours.length} arrival hour(s)` +
      (summary.hours.length ? ` (${hourLabel(summary.hours[0]!)} .. ${hourLabel(summary.hours[summary.hours.length - 1]!)})` : ''),
    `quarantined ${summary.quarantined} line(s)${summary.blank ? `; skipped ${summary.blank} blank line(s)` : ''}`,
  ];
  for (const r of summary.firstRejections) lines.push(`  ${source === '-' ? 'stdin' : source}:${r.line}: ${r.reason}`);
  if (summary.quarantined > summary.firstRejections.length) lines.push(`  ... and ${summary.quarantined - summary.firstRejections.length} more`);
  for (const f of summary.errorFiles) lines.push(`  kept byte for byte, with line numbers and reasons, in ${lakeRoot}/${f}`);
  return lines;
}

export async function ingestCommand(io: Io, args: IngestArgs): Promise<void> {
  const lake = await LocalLake.open(args.lake);
  try {
    const summary = await ingestInto(io, lake, args.file);
    if (args.json) io.out(JSON.stringify({ ingested: summary.ingested, quarantined: summary.quarantined }));
    else for (const line of ingestReport(summary, args.file, lake.root)) io.out(line);
  } finally {
    lake.close();
  }
}
