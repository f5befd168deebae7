/**
 * Pulls the System Log from the Okta API into the lake, page by page, resumably: what `backfill`, gap recovery and
 * a fetching refresh-user share.
 *
 * Pages are gathered into batches before they are written (a sink writes a batch as one unit: one Parquet file per
 * hour locally, a few PutRecordBatch calls in AWS), and the cursor of the last page of a batch is handed to
 * `checkpoint` only once the batch is written. So a run killed at any point resumes from its last checkpoint and
 * at most re-reads one batch, whose events the lake already holds: a sink that keeps each uuid once writes them
 * once.
 */
import { systemLogPages, type OktaClient, type SystemLogStart } from '../okta-api/index.ts';
import type { EventSink } from '../ingest/event-sink.ts';

export interface PullProgress {
  readonly pages: number;
  /** Events read from Okta. */
  readonly events: number;
  readonly written: number;
  readonly duplicates: number;
  readonly quarantined: number;
  /** `published` of the newest event read so far (ISO), for an ETA over the query's time range. */
  readonly lastPublished: string | undefined;
}

/** No page read yet. */
export const NO_PROGRESS: PullProgress = { pages: 0, events: 0, written: 0, duplicates: 0, quarantined: 0, lastPublished: undefined };

/** The progress of a pull that continued `earlier` (a resumed one): the counts added, the newest `lastPublished`. */
export function addProgress(earlier: PullProgress, later: PullProgress): PullProgress {
  return {
    pages: earlier.pages + later.pages,
    events: earlier.events + later.events,
    written: earlier.written + later.written,
    duplicates: earlier.duplicates + later.duplicates,
    quarantined: earlier.quarantined + later.quarantined,
    lastPublished: later.lastPublished ?? earlier.lastPublished,
  };
}

export interface PullResult extends PullProgress {
  /** Hours (`YYYY-MM-DDTHH`) that received events, sorted. */
  readonly hours: readonly string[];
  /** True when the query was read to its end; false when `shouldStop` ended it early. */
  readonly complete: boolean;
  /** Where to resume: the cursor after the last page written (undefined when complete). */
  readonly resumeFrom: string | undefined;
}

export interface PullOptions {
  readonly client: OktaClient;
  readonly start: SystemLogStart;
  readonly sink: EventSink;
  /** Events gathered before a write. @default 20000 */
  readonly batchEvents?: number;
  /** Called with the cursor after each written batch (and `undefined` once the query is read to its end). */
  readonly checkpoint?: (resumeFrom: string | undefined, progress: PullProgress) => Promise<void> | void;
  /** Called after every page. */
  readonly onPage?: (progress: PullProgress) => void;
  /** Asked after each written batch; true ends the pull there, resumable (e.g. a Lambda close to its timeout). */
  readonly shouldStop?: () => boolean;
  readonly signal?: AbortSignal;
}

export async function pullSystemLog(options: PullOptions): Promise<PullResult> {
  const batchEvents = options.batchEvents ?? 20_000;
  const hours = new Set<string>();
  let progress = NO_PROGRESS;
  let batch: object[] = [];
  let cursor: string | undefined;

  const flush = async (): Promise<void> => {
    if (batch.length > 0) {
      const wrote = await options.sink.write(batch);
      for (const h of wrote.hours) hours.add(h);
      progress = {
        ...progress,
        written: progress.written + wrote.written,
        duplicates: progress.duplicates + wrote.duplicates,
        quarantined: progress.quarantined + wrote.quarantined,
      };
      batch = [];
    }
    await options.checkpoint?.(cursor, progress);
  };

  for await (const page of systemLogPages(options.client, options.start, { signal: options.signal })) {
    batch.push(...page.events);
    cursor = page.nextUrl;
    const last = page.events.at(-1);
    progress = {
      ...progress,
      pages: progress.pages + 1,
      events: progress.events + page.events.length,
      lastPublished: typeof last?.published === 'string' ? last.published : progress.lastPublished,
    };
    options.onPage?.(progress);
    if (batch.length >= batchEvents) {
      await flush();
      if (options.shouldStop?.() && cursor !== undefined) {
        return { ...progress, hours: [...hours].sort(), complete: false, resumeFrom: cursor };
      }
    }
  }
  // Read to the end: nothing left to resume (a polling query's last cursor is where the next poll would start).
  cursor = undefined;
  await flush();
  return { ...progress, hours: [...hours].sort(), complete: true, resumeFrom: undefined };
}
