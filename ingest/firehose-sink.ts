/**
 * The AWS lake as an `EventSink`: events pulled from the Okta API are put on the api-events Firehose stream, which
 * converts them to Parquet through the same Glue table as the partner stream and writes each under the hour of its
 * own `published` (dynamic partitioning: modules/firehose.ts). Each record is one LogEvent's JSON, exactly what the
 * partner rule sends the main stream (`$.detail`), so the raw backup and `okta-lake replay` read both alike.
 *
 * Firehose's limits (Amazon Data Firehose quotas, https://docs.aws.amazon.com/firehose/latest/dev/limits.html):
 * PutRecordBatch takes at most 500 records or 4 MiB per call, whichever is smaller, and a record at most 1,000 KiB
 * before base64 encoding. A call can succeed while some of its records fail (`FailedPutCount`, an `ErrorCode` per
 * record): only those are sent again, with exponential backoff and full jitter. A call refused as a whole for a
 * reason worth retrying (throttled, service unavailable, a server fault) is sent again the same way.
 *
 * An event this sink cannot write is not sent but quarantined: it is counted, and its uuid and the reason are
 * logged. Reasons: no string `uuid`; a `published` that is not UTC ISO-8601 ending in `Z` (the stream's partition
 * keys are `published[0:10]` and `published[11:13]`, so anything else would land in a wrong partition); a record
 * over 1,000 KiB.
 *
 * The sink cannot tell which uuids the lake holds already (`duplicates` is always 0): the pull that feeds it
 * resumes from a checkpoint, so it sends each event once (core/system-log-pull.ts).
 */
import { PutRecordBatchCommand, type FirehoseClient, type PutRecordBatchResponseEntry } from '@aws-sdk/client-firehose';
import { fullJitterDelay } from '../okta-api/backoff.ts';
import type { EventSink, SinkWrite } from './event-sink.ts';

/** PutRecordBatch: at most 500 records per call. */
export const MAX_RECORDS_PER_CALL = 500;
/** PutRecordBatch: at most 4 MiB per call. */
export const MAX_BYTES_PER_CALL = 4 * 1024 * 1024;
/** Firehose: a record is at most 1,000 KiB before base64 encoding. */
export const MAX_RECORD_BYTES = 1000 * 1024;

/** Okta's `published`: UTC, `2026-11-25T04:02:11.123Z`. */
const PUBLISHED_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Error names of a whole call worth sending again. */
const RETRYABLE_CALL_ERRORS = new Set(['ServiceUnavailableException', 'ThrottlingException', 'LimitExceededException', 'InternalFailure', 'InternalServerError']);

export interface FirehoseEventSinkOptions {
  readonly firehose: FirehoseClient;
  /** The api-events delivery stream. */
  readonly deliveryStreamName: string;
  /** Attempts per record (and per whole call), the first included. @default 6 */
  readonly maxAttempts?: number;
  /** First backoff ceiling; doubles after each retry. @default 200 */
  readonly retryBaseMs?: number;
  /** Largest backoff ceiling. @default 10000 */
  readonly retryMaxMs?: number;
  /** @default a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), for the jitter. @default Math.random */
  readonly random?: () => number;
  /** Structured log (quarantined events, retries). @default silent */
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

/** A write that failed for good: records Firehose still refused after every attempt. */
export class FirehoseSinkError extends Error {
  override readonly name = 'FirehoseSinkError';
  constructor(
    message: string,
    /** Records not accepted. */
    readonly failed: number,
  ) {
    super(message);
  }
}

interface Encoded {
  readonly uuid: string;
  readonly hour: string;
  readonly data: Uint8Array;
}

export class FirehoseEventSink implements EventSink {
  readonly #o: Required<Omit<FirehoseEventSinkOptions, 'log'>> & Pick<FirehoseEventSinkOptions, 'log'>;

  constructor(options: FirehoseEventSinkOptions) {
    if (!options.deliveryStreamName) throw new Error('FirehoseEventSink: deliveryStreamName is empty');
    this.#o = {
      maxAttempts: 6,
      retryBaseMs: 200,
      retryMaxMs: 10_000,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      ...options,
    };
  }

  async write(events: readonly object[]): Promise<SinkWrite> {
    const records: Encoded[] = [];
    let quarantined = 0;
    for (const event of events) {
      const checked = this.#encode(event);
      if ('reason' in checked) {
        quarantined++;
        this.#o.log?.('event quarantined: not sent to Firehose', { uuid: checked.uuid, reason: checked.reason });
      } else records.push(checked);
    }
    for (const call of calls(records)) await this.#put(call);
    return { written: records.length, duplicates: 0, quarantined, hours: [...new Set(records.map((r) => r.hour))].sort() };
  }

  #encode(event: object): Encoded | { uuid: string | undefined; reason: string } {
    const { uuid, published } = event as { uuid?: unknown; published?: unknown };
    const id = typeof uuid === 'string' && uuid.trim() !== '' ? uuid : undefined;
    if (!id) return { uuid: undefined, reason: 'no uuid' };
    if (typeof published !== 'string' || !PUBLISHED_UTC.test(published)) {
      return { uuid: id, reason: `published ${JSON.stringify(published)} is not UTC ISO-8601 ending in Z (the stream partitions by it)` };
    }
    const data = Buffer.from(JSON.stringify(event), 'utf8');
    if (data.length > MAX_RECORD_BYTES) {
      return { uuid: id, reason: `${data.length} bytes; Firehose takes a record of at most ${MAX_RECORD_BYTES} bytes (1,000 KiB)` };
    }
    // The stream's partition keys, as its JQ query reads them: .published[0:10] and .published[11:13].
    return { uuid: id, hour: `${published.slice(0, 10)}T${published.slice(11, 13)}`, data };
  }

  /** Puts one call's records, then again the ones Firehose refused, until all are in or the attempts are spent. */
  async #put(records: readonly Encoded[]): Promise<void> {
    let pending = records;
    let lastError = '';
    for (let attempt = 1; ; attempt++) {
      let responses: readonly PutRecordBatchResponseEntry[] | undefined;
      try {
        const out = await this.#o.firehose.send(
          new PutRecordBatchCommand({ DeliveryStreamName: this.#o.deliveryStreamName, Records: pending.map((r) => ({ Data: r.data })) }),
        );
        responses = out.RequestResponses ?? [];
        if ((out.FailedPutCount ?? 0) === 0) return;
      } catch (e) {
        if (!retryableCall(e)) throw e;
        lastError = `${(e as Error).name}: ${(e as Error).message}`;
      }
      if (responses) {
        const failed = pending.filter((_, i) => responses![i]?.ErrorCode !== undefined || responses![i]?.RecordId === undefined);
        lastError = failedSummary(responses);
        pending = failed;
      }
      if (attempt >= this.#o.maxAttempts) {
        throw new FirehoseSinkError(
          `Firehose stream ${this.#o.deliveryStreamName} refused ${pending.length} of ${records.length} records after ${attempt} attempts (${lastError}); ` +
            'the pull stops before its checkpoint and resumes from the last one',
          pending.length,
        );
      }
      const delayMs = fullJitterDelay(attempt, { baseDelayMs: this.#o.retryBaseMs, maxDelayMs: this.#o.retryMaxMs }, this.#o.random);
      this.#o.log?.('Firehose refused records, retrying them', { stream: this.#o.deliveryStreamName, records: pending.length, attempt, delayMs, error: lastError });
      await this.#o.sleep(delayMs);
    }
  }
}

/** Splits records into PutRecordBatch calls of at most 500 records and 4 MiB. */
export function calls<T extends { readonly data: Uint8Array }>(records: readonly T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const r of records) {
    if (current.length === MAX_RECORDS_PER_CALL || (current.length > 0 && bytes + r.data.length > MAX_BYTES_PER_CALL)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += r.data.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function retryableCall(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { name?: unknown; $fault?: unknown; $retryable?: unknown };
  return RETRYABLE_CALL_ERRORS.has(String(err.name)) || err.$fault === 'server' || err.$retryable !== undefined;
}

function failedSummary(responses: readonly PutRecordBatchResponseEntry[]): string {
  const codes = new Map<string, number>();
  for (const r of responses) if (r.ErrorCode) codes.set(r.ErrorCode, (codes.get(r.ErrorCode) ?? 0) + 1);
  return [...codes].map(([code, n]) => `${n} × ${code}`).join(', ') || 'no reason given';
}
