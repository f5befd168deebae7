/**
 * A backfill of the local lake from the Okta System Log API, resumable: the query's cursor is saved in the lake
 * after every batch written (`.checkpoints/backfill-<org host>.json`), so a run that is interrupted or killed
 * continues where it stopped when started again with the same org and time range. Events re-read after a kill
 * are already in the lake and are counted once (ingest keeps each uuid once).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addProgress, NO_PROGRESS, pullSystemLog, type PullProgress } from '../core/system-log-pull.ts';
import type { OktaClient } from '../okta-api/index.ts';
import { hourLabel, hourOf, parseIsoInstant } from '../schema/layout.ts';
import { LocalEventSink } from './local-event-sink.ts';
import type { LocalLake } from './local-lake.ts';

export interface BackfillCheckpoint {
  readonly version: 1;
  readonly org: string;
  readonly since: string;
  readonly until: string;
  /** `--since` and `--until` as the user gave them (`90d`, none): the same command resumes, whatever the clock says now. */
  readonly args?: { readonly since: string; readonly until: string | null };
  /** Where the query continues: the cursor after the last batch written. */
  readonly resumeFrom: string;
  readonly progress: PullProgress;
  /** Hours (`YYYY-MM-DDTHH`) that received events so far. */
  readonly hours: readonly string[];
  readonly startedAt: string;
  readonly updatedAt: string;
}

/** The checkpoint file of a backfill of `org` into the lake at `lakeRoot`. */
export const checkpointPath = (lakeRoot: string, org: URL): string =>
  join(lakeRoot, '.checkpoints', `backfill-${org.host.replace(/[^A-Za-z0-9.-]/g, '_')}.json`);

export class BackfillError extends Error {}

/** Reads a checkpoint; undefined when there is none. A file that is not a checkpoint is an error naming it. */
export function readCheckpoint(path: string): BackfillCheckpoint | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let cp: Partial<BackfillCheckpoint>;
  try {
    cp = JSON.parse(text) as Partial<BackfillCheckpoint>;
  } catch {
    throw new BackfillError(`${path} is not a backfill checkpoint (not JSON); delete it to start the backfill over`);
  }
  if (cp.version !== 1 || typeof cp.org !== 'string' || typeof cp.since !== 'string' || typeof cp.until !== 'string' || typeof cp.resumeFrom !== 'string') {
    throw new BackfillError(`${path} is not a backfill checkpoint of this version; delete it to start the backfill over`);
  }
  return cp as BackfillCheckpoint;
}

/** Written beside and renamed over the old one: a kill mid-write leaves the previous checkpoint whole. */
function writeCheckpoint(path: string, cp: BackfillCheckpoint): void {
  mkdirSync(dirname(path), { recursive: true });
  const next = `${path}.next`;
  writeFileSync(next, `${JSON.stringify(cp, null, 2)}\n`);
  renameSync(next, path);
}

/**
 * The instants of a range given as the user typed it (`--since 90d`, no `--until`: relative to now): those of the
 * unfinished backfill that was started with the same words, if the lake holds its checkpoint, so running the same
 * command again resumes it; else `resolve()`.
 */
export function resumableRange(
  lakeRoot: string,
  org: URL,
  args: { readonly since: string; readonly until: string | null },
  resolve: () => { since: Date; until: Date },
): { since: Date; until: Date; resuming: boolean } {
  const saved = readCheckpoint(checkpointPath(lakeRoot, org));
  if (saved && saved.org === org.origin && saved.args?.since === args.since && saved.args.until === args.until) {
    return { since: new Date(saved.since), until: new Date(saved.until), resuming: true };
  }
  return { ...resolve(), resuming: false };
}

export interface BackfillInput {
  readonly lake: LocalLake;
  readonly client: OktaClient;
  readonly since: Date;
  readonly until: Date;
  /** The range as the user gave it, kept in the checkpoint (see `resumableRange`). @default none */
  readonly args?: { readonly since: string; readonly until: string | null };
  /** Start over even when a checkpoint of another range exists (it is replaced). @default false */
  readonly restart?: boolean;
  /** Events gathered per write (one Parquet file per hour per batch). @default 50000 */
  readonly batchEvents?: number;
  readonly onProgress?: (progress: PullProgress) => void;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

export interface BackfillResult extends PullProgress {
  readonly org: string;
  readonly since: string;
  readonly until: string;
  /** True when this run continued an interrupted one. */
  readonly resumed: boolean;
  /** Hours that received events, sorted. */
  readonly hours: readonly string[];
}

export async function backfill(input: BackfillInput): Promise<BackfillResult> {
  const now = input.now ?? (() => new Date());
  const org = input.client.orgUrl;
  const since = input.since.toISOString();
  const until = input.until.toISOString();
  const path = checkpointPath(input.lake.root, org);
  const saved = readCheckpoint(path);
  const sameRange = saved !== undefined && saved.org === org.origin && saved.since === since && saved.until === until;
  if (saved && !sameRange && !input.restart) {
    throw new BackfillError(
      `an unfinished backfill of ${saved.org} from ${saved.since} to ${saved.until} is checkpointed in ${path}: ` +
        `resume it with the same --since and --until, or pass --restart to start this one instead`,
    );
  }
  const resume = sameRange ? saved : undefined;
  const startedAt = resume?.startedAt ?? now().toISOString();
  const earlier = resume?.progress ?? NO_PROGRESS;
  const hours = new Set(resume?.hours ?? []);
  const total = (p: PullProgress): PullProgress => addProgress(earlier, p);

  const sink = new LocalEventSink(input.lake, `okta-api ${org.origin}`);
  const recordingSink = {
    write: async (events: readonly object[]) => {
      const wrote = await sink.write(events);
      // The hours of every event of the batch, new or not: a batch read again after a kill holds events the lake
      // has already (all duplicates), and its hours must still be snapshotted and detected.
      for (const e of events) {
        const published = parseIsoInstant((e as { published?: unknown }).published);
        if (published) hours.add(hourLabel(hourOf(published)));
      }
      return wrote;
    },
  };
  const result = await pullSystemLog({
    client: input.client,
    start: resume ? { resumeFrom: resume.resumeFrom } : { since, until },
    sink: recordingSink,
    batchEvents: input.batchEvents ?? 50_000,
    signal: input.signal,
    onPage: (p) => input.onProgress?.(total(p)),
    checkpoint: (resumeFrom, p) => {
      if (resumeFrom === undefined) return;
      writeCheckpoint(path, {
        version: 1,
        org: org.origin,
        since,
        until,
        ...(input.args ? { args: input.args } : {}),
        resumeFrom,
        progress: total(p),
        hours: [...hours].sort(),
        startedAt,
        updatedAt: now().toISOString(),
      });
    },
  });
  rmSync(path, { force: true });
  return { ...total(result), org: org.origin, since, until, resumed: resume !== undefined, hours: [...hours].sort() };
}
