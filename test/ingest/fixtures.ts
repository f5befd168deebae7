/**
 * Inputs as AWS writes them, built in the test from real sample LogEvents: Firehose's raw backup (gzip of
 * the LogEvents back to back, no newline), Firehose error records (one JSON object per line, the original
 * record base64 in `rawData`), a System Log API page (a JSON array). Plus readers of what a lake keeps.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { QuarantineRecord } from '../../ingest/ingest.ts';
import { corpusPath } from '../support/corpus.ts';

export type LogEvent = Record<string, unknown> & { uuid: string; published: string; eventType: string };

const linesOf = (file: string) =>
  readFileSync(corpusPath('events', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

/**
 * Real sample LogEvents (EventBridge envelopes unwrapped), each uuid once: the corpus repeats some uuids on
 * purpose (redeliveries, scrubbed placeholders), and a round trip needs to know what "new" means.
 */
export function sampleEvents(): LogEvent[] {
  const seen = new Set<string>();
  const out: LogEvent[] = [];
  for (const file of ['real-samples.ndjson', 'admin-takeover-scenario.ndjson', 'eventbridge-envelopes.ndjson']) {
    for (const line of linesOf(file)) {
      const o = JSON.parse(line) as Record<string, unknown>;
      const event = (o['detail-type'] ? o.detail : o) as LogEvent;
      const key = event.uuid.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(event);
    }
  }
  return out;
}

/** A Firehose raw backup object: the records' JSON back to back, gzip, one member per record group (`members`). */
export function firehoseRawObject(events: readonly object[], members = 1): Buffer {
  const per = Math.ceil(events.length / members);
  const parts: Buffer[] = [];
  for (let i = 0; i < events.length; i += per) parts.push(gzipSync(events.slice(i, i + per).map((e) => JSON.stringify(e)).join('')));
  return Buffer.concat(parts);
}

export interface FirehoseErrorOptions {
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** One Firehose error record for `record` (its bytes as sent), shaped as the Firehose developer guide documents it. */
export function firehoseErrorRecord(record: string | Buffer, options: FirehoseErrorOptions = {}): string {
  return JSON.stringify({
    attemptsMade: 1,
    arrivalTimestamp: 1_764_000_000_000,
    errorCode: options.errorCode ?? 'DataFormatConversion.MalformedData',
    errorMessage: options.errorMessage ?? 'The given JSON record is malformed or does not match the schema.',
    attemptEndingTimestamp: 1_764_000_060_000,
    rawData: Buffer.from(record).toString('base64'),
    sequenceNumber: '49654321098765432109876543210987654321098765432109876543',
    subSequenceNumber: 0,
    dataCatalogTable: { catalogId: '123456789012', databaseName: 'okta_lake', tableName: 'okta_events', region: 'eu-west-1', versionId: 'LATEST' },
  });
}

/** A Firehose error output file: error records one per line. */
export function firehoseErrorFile(records: readonly (string | Buffer)[], options: FirehoseErrorOptions = {}): Buffer {
  return Buffer.from(`${records.map((r) => firehoseErrorRecord(r, options)).join('\n')}\n`);
}

export const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

/** Every record of a lake's raw archive, as text, sorted. */
export function rawArchive(lakeRoot: string): string[] {
  return filesUnder(join(lakeRoot, 'okta/raw'))
    .flatMap((f) => gunzipSync(readFileSync(f)).toString('utf8').split('\n'))
    .filter(Boolean)
    .sort();
}

/** Every quarantine record a lake holds. */
export function quarantined(lakeRoot: string): QuarantineRecord[] {
  let files: string[];
  try {
    files = filesUnder(join(lakeRoot, 'okta/errors'));
  } catch {
    return [];
  }
  return files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as QuarantineRecord),
  );
}

export const ndjson = (events: readonly object[]) => Buffer.from(`${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
