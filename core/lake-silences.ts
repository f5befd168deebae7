/**
 * Where the lake is missing Okta events: the silences gap recovery reads back from the System Log API.
 *
 * The lake is asked which minutes of the last `lookbackHours` hold events (core/sql/lake-minutes.sql, one row per
 * minute, so the answer stays small whatever the volume). A silence is then:
 * - the tail: from the newest event to now, once it has lasted `silenceMinutes` plus the time an event takes to
 *   land in the lake (the partner stream's Firehose buffer and slack), or at once when Okta reports the log stream
 *   off (it delivers nothing more until someone re-activates it);
 * - a hole between two events at least `silenceMinutes` apart that ended in the last `recentGapHours`: what is left
 *   when the stream comes back after the last recovery (the hourly check sees each hole a few times, then lets it
 *   age out, so a quiet night is not read again forever);
 * - everything since the start of the lookback when the lake holds no event in it at all (`capped`: events before
 *   that start, if any, are for `okta-lake backfill`).
 *
 * A window starts AT the newest event before it (Okta's `since` is inclusive) and names that event's uuid, which the
 * recovery does not write again; it ends AT the first event after it (Okta's `until` is exclusive) or now.
 */
import type { QueryEngine } from '../engines/query-engine.ts';
import { SqlLiteral } from '../engines/sql-values.ts';
import { dayOf, parseIsoInstant } from '../schema/layout.ts';
import { boundSql } from './sql-files.ts';

/** How far back the lake is searched for the start of a silence. */
export const LOOKBACK_HOURS = 48;
/** A hole between two events counts while it ended this recently. */
export const RECENT_GAP_HOURS = 3;
/** At most this many windows per recovery (the newest): a quiet org has many short holes. */
export const MAX_WINDOWS = 24;

const HOUR_MS = 3_600_000;

/** One minute of the lake that holds events. */
export interface MinuteBucket {
  /** `YYYY-MM-DDTHH:MM` */
  readonly minute: string;
  readonly firstPublished: string;
  readonly lastPublished: string;
  readonly lastUuid: string;
}

/** A time range to read back from the System Log: `since` inclusive, `until` exclusive, ISO-8601 UTC. */
export interface RecoveryWindow {
  readonly since: string;
  readonly until: string;
  /** The uuid of the event at `since`, which the lake holds already. @default none */
  readonly skipUuid?: string;
  /** The silence began before the lookback; older events, if any, are not recovered. @default false */
  readonly capped?: boolean;
}

export interface SilenceOptions {
  readonly now: Date;
  /** Minutes without events that make a silence (the watchdog's). */
  readonly silenceMinutes: number;
  /** Seconds an event takes to land in the lake after Okta sent it (partner stream buffer + slack). */
  readonly landingLagSeconds: number;
  /** Okta reports our log stream not ACTIVE (or not there): the tail is missing however short it is. */
  readonly streamOff: boolean;
  /**
   * The okta-silent alarm fired: EventBridge itself saw no event for `silenceMinutes`, so the tail counts from
   * there, without waiting for the landing lag as well. @default false
   */
  readonly alarmed?: boolean;
  /** @default LOOKBACK_HOURS */
  readonly lookbackHours?: number;
  /** @default RECENT_GAP_HOURS */
  readonly recentGapHours?: number;
}

/** The minutes holding events between `from` and `to`, oldest first. */
export async function lakeMinutes(engine: QueryEngine, from: Date, to: Date): Promise<MinuteBucket[]> {
  const query = boundSql('core/sql/lake-minutes.sql', {
    from_dt: SqlLiteral.date(dayOf(from)),
    to_dt: SqlLiteral.date(dayOf(to)),
    from_published: from.toISOString(),
    to_published: to.toISOString(),
  });
  const rows = await engine.select(query.sql, query.params);
  return rows.map((r) => ({
    minute: String(r.minute),
    firstPublished: String(r.first_published),
    lastPublished: String(r.last_published),
    lastUuid: String(r.last_uuid),
  }));
}

const ms = (iso: string): number => parseIsoInstant(iso)?.getTime() ?? Number.NaN;

/** The silences in `buckets` (sorted by minute), as windows to read back, oldest first. */
export function findSilences(buckets: readonly MinuteBucket[], options: SilenceOptions): RecoveryWindow[] {
  const now = options.now.getTime();
  const silenceMs = options.silenceMinutes * 60_000;
  const lookbackStart = now - (options.lookbackHours ?? LOOKBACK_HOURS) * HOUR_MS;
  const recentFrom = now - (options.recentGapHours ?? RECENT_GAP_HOURS) * HOUR_MS;
  const until = options.now.toISOString();
  const valid = buckets.filter((b) => Number.isFinite(ms(b.firstPublished)) && Number.isFinite(ms(b.lastPublished)));
  if (valid.length === 0) return [{ since: new Date(lookbackStart).toISOString(), until, capped: true }];

  const windows: RecoveryWindow[] = [];
  for (let i = 1; i < valid.length; i++) {
    const before = valid[i - 1]!;
    const after = valid[i]!;
    const end = ms(after.firstPublished);
    if (end - ms(before.lastPublished) >= silenceMs && end >= recentFrom) {
      windows.push({ since: before.lastPublished, until: after.firstPublished, skipUuid: before.lastUuid });
    }
  }
  const newest = valid.at(-1)!;
  const tailThreshold = options.streamOff ? 60_000 : options.alarmed ? silenceMs : silenceMs + options.landingLagSeconds * 1000;
  if (now - ms(newest.lastPublished) >= tailThreshold) windows.push({ since: newest.lastPublished, until, skipUuid: newest.lastUuid });
  return windows.slice(-MAX_WINDOWS);
}

/** The lake's silences now: one query over the lookback, then `findSilences`. */
export async function findLakeSilences(engine: QueryEngine, options: SilenceOptions): Promise<{ windows: RecoveryWindow[]; newest: string | undefined }> {
  const from = new Date(options.now.getTime() - (options.lookbackHours ?? LOOKBACK_HOURS) * HOUR_MS);
  // An hour past now: an event whose `published` is a little ahead of this clock still counts as the newest.
  const buckets = await lakeMinutes(engine, from, new Date(options.now.getTime() + HOUR_MS));
  return { windows: findSilences(buckets, options), newest: buckets.at(-1)?.lastPublished };
}

/** Total length of the windows, in ms. */
export const windowsDurationMs = (windows: readonly RecoveryWindow[]): number => windows.reduce((n, w) => n + Math.max(0, ms(w.until) - ms(w.since)), 0);
