/**
 * `okta-lake backfill`: the System Log of an Okta org, from the API, into the lake: the history a new lake does
 * not have (Okta keeps 90 days), or hours the stream never delivered. Resumable (an interrupted run continues from
 * its checkpoint when started again with the same range), paced by Okta's rate limits, each event once. Then the
 * history is made useful at once: the daily snapshots of the days it covered are built, and with `--detect` the
 * hourly detections run over its hours, their findings recorded and summarized as history.
 */
import { historyLines, summarizeHistory } from '../../core/history.ts';
import type { Finding } from '../../core/findings.ts';
import { resolve } from 'node:path';
import { backfill, BackfillError, checkpointPath, resumableRange } from '../../lake/backfill.ts';
import { parseDay, parseHour, parseIsoInstant } from '../../schema/layout.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { OktaConfigError, SYSTEM_LOG_MAX_SINCE_DAYS } from '../../okta-api/index.ts';
import { oktaClientFromEnv } from '../okta-options.ts';
import { detectionSettings } from '../lake-options.ts';
import type { Io } from '../output.ts';
import { timeRangeProgress } from '../progress.ts';
import { UsageError } from '../usage-error.ts';

export interface BackfillArgs {
  readonly lake: string;
  readonly org: string;
  readonly since: string;
  readonly until?: string;
  readonly restart?: boolean;
  readonly snapshots?: boolean;
  readonly detect?: boolean;
  /** Events written and checkpointed at a time. @default 50000 */
  readonly batch?: string;
  readonly config?: string;
  readonly json?: boolean;
}

const DAY_MS = 86_400_000;

/** `2026-09-01`, `2026-09-01T00:00:00Z`, or `90d` (that many days before now). */
export function parseInstant(value: string, option: string, now: Date): Date {
  const relative = /^(\d{1,3})d$/.exec(value);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * DAY_MS);
  const wrong = new UsageError(`${option} "${value}" is not a date (2026-09-01), an ISO 8601 instant with a zone (2026-09-01T00:00:00Z) or a number of days back (90d)`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    // Strictly: a calendar date that does not exist (2026-02-30) is an error, not the day it rolls over to.
    try {
      return new Date(`${parseDay(value)}T00:00:00Z`);
    } catch {
      throw wrong;
    }
  }
  const instant = parseIsoInstant(value);
  if (!instant) throw wrong;
  return instant;
}

export async function backfillCommand(io: Io, args: BackfillArgs): Promise<void> {
  const now = new Date();
  const batchEvents = Number(args.batch ?? 50_000);
  if (!Number.isInteger(batchEvents) || batchEvents < 1000 || batchEvents > 1_000_000) throw new UsageError(`--batch ${args.batch} must be a whole number of events from 1000 to 1000000`);
  const client = oktaClientFromEnv(args.org);
  // The same command resumes an unfinished backfill, even one given relative to now (`--since 90d`).
  const typed = { since: args.since, until: args.until ?? null };
  const { since, until, resuming } = resumableRange(resolve(args.lake), client.orgUrl, typed, () => ({
    since: parseInstant(args.since, '--since', now),
    until: args.until === undefined ? now : parseInstant(args.until, '--until', now),
  }));
  if (since >= until) throw new UsageError(`--since ${since.toISOString()} is not before --until ${until.toISOString()}`);
  if (now.getTime() - since.getTime() > SYSTEM_LOG_MAX_SINCE_DAYS * DAY_MS) {
    throw new UsageError(`--since ${since.toISOString()} is more than ${SYSTEM_LOG_MAX_SINCE_DAYS} days ago, which Okta refuses (it keeps 90 days of events)`);
  }
  if (resuming && !args.json) io.err(`resuming the unfinished backfill from ${since.toISOString()} to ${until.toISOString()}`);
  const lake = await LocalLake.open(args.lake, detectionSettings(args.config));
  const stop = new AbortController();
  const interrupt = () => stop.abort();
  process.once('SIGINT', interrupt);
  const bar = timeRangeProgress(io, since, until, () => client.stats.rateLimitWaits);
  try {
    let result;
    try {
      result = await backfill({ lake, client, since, until, args: typed, restart: args.restart, batchEvents, signal: stop.signal, onProgress: bar.update });
    } catch (e) {
      if (e instanceof BackfillError || e instanceof OktaConfigError) throw new UsageError(e.message);
      if (stop.signal.aborted) {
        throw new Error(`interrupted; what was written is kept and checkpointed in ${checkpointPath(lake.root, client.orgUrl)}: run the same command again to resume`);
      }
      throw e;
    } finally {
      bar.stop();
    }
    const days = [...new Set(result.hours.map((h) => h.slice(0, 10)))].sort();
    const historical: Finding[] = [];
    if (args.snapshots !== false) {
      // Oldest first: each day's checks compare with the activity of the days before it.
      for (const day of days) historical.push(...(await lake.snapshotDay(day)).findings);
    }
    if (args.detect) {
      for (const label of result.hours) historical.push(...(await lake.detectHour(parseHour(label))).findings);
    }
    const stats = client.stats;
    const summary = {
      org: result.org,
      since: result.since,
      until: result.until,
      resumed: result.resumed,
      pages: result.pages,
      events: result.events,
      ingested: result.written,
      duplicates: result.duplicates,
      quarantined: result.quarantined,
      hours: result.hours.length,
      days,
      snapshots: args.snapshots === false ? 0 : days.length,
      requests: stats.requests,
      retries: stats.retries,
      rate_limit_waits: stats.rateLimitWaits,
      rate_limit_wait_ms: stats.rateLimitWaitMs,
      history: summarizeHistory(historical),
    };
    if (args.json) {
      io.out(JSON.stringify(summary));
      return;
    }
    io.out(`backfilled ${result.org} from ${result.since} to ${result.until}${result.resumed ? ' (resumed from its checkpoint)' : ''}`);
    io.out(`  ${result.events} event(s) in ${result.pages} page(s): ${result.written} new, ${result.duplicates} already in the lake, ${result.quarantined} quarantined`);
    io.out(`  ${stats.requests} request(s), ${stats.retries} retried, ${stats.rateLimitWaits} rate-limit wait(s) (${Math.round(stats.rateLimitWaitMs / 1000)} s)`);
    if (days.length) io.out(`  ${result.hours.length} hour(s) over ${days.length} day(s), ${days[0]} .. ${days.at(-1)}${args.snapshots === false ? '' : '; daily snapshots built'}`);
    for (const line of historyLines(summary.history)) io.out(`  ${line}`);
    if (!args.detect && result.hours.length) {
      io.out(`  run the hourly detections over them: okta-lake detect --lake ${args.lake} --from ${result.hours[0]} --to ${result.hours.at(-1)}`);
      io.out('  (a backfill given --detect runs them itself and summarizes their findings as history)');
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
    lake.close();
  }
}
