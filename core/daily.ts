/**
 * The daily run: the per-user activity snapshot of one day, then every daily detection over it.
 *
 * Engine-agnostic (only `QueryEngine`): the same code runs on DuckDB locally and on Athena in the nightly
 * Lambda. The snapshot of a day is `snapshots/activity.sql` over that day's arrival partitions of `okta_events`,
 * written as the activity partition `{dt: day, batch: 'daily'}`; the refresh batches that on-demand refreshes
 * wrote during the day are then deleted, so after the nightly run a day holds one row per user. Re-running a
 * day replaces its rows and its findings partition `{dt: day, run: 'daily'}`, with the same finding ids.
 *
 * The parameters a daily detection's query may use:
 * | parameter          | value                                                                                   |
 * |--------------------|-----------------------------------------------------------------------------------------|
 * | `:day`             | the day, `YYYY-MM-DD` (the `dt` of its activity rows and of the events it was built from) |
 * | `:user_id`         | null (every user), or the one user id a refresh checks; match `user_id` or `login`     |
 * | `:history_from_dt` | the first `dt` of activity history to read: the day minus the detection's `history_days` threshold (the day itself when it has none) |
 * | each threshold     | the configured value, or the default from `detection.yaml`                              |
 */
import type { QueryEngine, ResultRow } from '../engines/query-engine.ts';
import { addDays, parseDay } from '../schema/layout.ts';
import { activity as activityTable } from '../schema/activity.ts';
import type { Detection, ThresholdValue } from './catalog.ts';
import { runDetections, type DetectionRunResult, type DetectionWindow, type RunContext } from './detection-run.ts';
import { isoTimestamp } from './findings.ts';
import { SqlLiteral, type SqlQuery } from '../engines/sql-values.ts';
import { sqlTimestamp, thresholdLiterals, type SqlParam } from './sql-params.ts';
import { jsonListOf, nullableTextOf, numberOf, textOf } from './result-values.ts';
import { boundSql } from './sql-files.ts';

/** Days back a posture finding counts as already failing (see runDailyChecks). @default 7 */
export const POSTURE_MEMORY_DAYS = 7;

/** The activity batch and findings run of the nightly snapshot. */
export const DAILY_BATCH = 'daily';
export const DAILY_RUN = 'daily';

/** One user's activity on one day, as read back from the `activity` table. */
export interface UserActivity {
  readonly user_id: string;
  readonly login: string;
  readonly display_name: string;
  /** From the day's inventory; null when it has none for the user (see snapshots/activity.sql). */
  readonly user_status: string | null;
  readonly identity_kind: string | null;
  /** Active admin role types; null when the day's inventory has no roles for the user (not collected, or no inventory). */
  readonly admin_roles: readonly string[] | null;
  /** high, medium, low, unknown or none; null when factors were not collected or there is no inventory. */
  readonly mfa_strength: string | null;
  readonly event_count: number;
  readonly sign_ins: number;
  readonly sign_in_failures: number;
  /** Client IPs of the failed sign-ins; empty in rows written before the column existed. */
  readonly sign_in_failure_ips: readonly string[];
  readonly mfa_used: number;
  readonly mfa_failures: number;
  readonly distinct_ips: number;
  readonly ips: readonly string[];
  readonly countries: readonly string[];
  readonly asns: readonly string[];
  readonly user_agents: readonly string[];
  readonly devices: readonly string[];
  readonly apps: readonly string[];
  readonly admin_actions: number;
  /** ISO-8601 UTC. */
  readonly first_seen: string;
  readonly last_seen: string;
  readonly computed_at: string;
  readonly dt: string;
  readonly batch: string;
}

export type DailyChecksInput = RunContext;

export interface DailySnapshotInput extends DailyChecksInput {
  /** The day, `YYYY-MM-DD` (UTC). */
  readonly day: string;
}

export interface DailySnapshotResult extends DetectionRunResult {
  readonly day: string;
  /** Users with activity on the day (rows of the snapshot). */
  readonly users: number;
}

/** The findings window of a daily check: the whole day, in the findings partition `{dt: day, run}`. */
export function dailyWindow(day: string, run: string): DetectionWindow {
  return {
    start: sqlTimestamp(new Date(`${day}T00:00:00.000Z`)),
    end: sqlTimestamp(new Date(`${addDays(day, 1)}T00:00:00.000Z`)),
    partition: { dt: day, run },
  };
}

/** The parameters of one daily detection's query (see the table above). */
export function dailyParams(
  detection: Detection,
  thresholds: Readonly<Record<string, ThresholdValue>> | undefined,
  day: string,
  userId: string | null,
): Record<string, SqlParam> {
  const values = thresholds ?? {};
  const historyDays = values.history_days;
  if (historyDays !== undefined && (typeof historyDays !== 'number' || !Number.isInteger(historyDays) || historyDays < 0)) {
    throw new Error(`detection ${detection.id}: threshold history_days must be a whole number of days, got ${JSON.stringify(historyDays)}`);
  }
  return {
    ...thresholdLiterals(values),
    day: SqlLiteral.date(day),
    // The one value from outside: bound, and every query uses it only in a WHERE clause.
    user_id: userId,
    history_from_dt: SqlLiteral.date(addDays(day, -(historyDays ?? 0))),
  };
}

/** `snapshots/activity.sql` with its parameters: the activity rows of `day`, of every user or of one. */
export function activityQuery(day: string, userId: string | null, computedAt: Date): SqlQuery {
  return boundSql('snapshots/activity.sql', { day: SqlLiteral.date(day), user_id: userId, computed_at: SqlLiteral.timestamp(sqlTimestamp(computedAt)) });
}

/** Computes the activity of `day` (every user, or one) and writes it as the activity partition `{dt: day, batch}`. */
export async function writeActivity(engine: QueryEngine, day: string, batch: string, userId: string | null, now: () => Date): Promise<void> {
  await engine.replacePartition(activityTable, { dt: day, batch }, [activityQuery(day, userId, now())]);
}

/**
 * Runs every enabled daily detection and posture check for `day`, for every user (`userId` null) or one, and
 * writes the findings partition `{dt: day, run}`.
 *
 * A posture finding is new only when it did not already fail with the same evidence on one of the
 * POSTURE_MEMORY_DAYS days before (its id does not hash the day, see core/sql/finding-from-detection.sql): an
 * identity that stays without MFA is notified when it starts failing, not every night, and a night without an
 * inventory (a failed collection) does not make every failure new again the night after. A failure that went away
 * and came back within those days is not notified again.
 */
export async function runDailyChecks(
  input: DailyChecksInput & { readonly day: string; readonly userId: string | null; readonly run: string },
): Promise<DetectionRunResult> {
  const detections = input.catalog.filter((d) => (d.cadence === 'daily' || d.cadence === 'posture') && !input.disabled?.has(d.id));
  const result = await runDetections({
    engine: input.engine,
    detections,
    window: dailyWindow(input.day, input.run),
    paramsFor: (d) => dailyParams(d, input.thresholds.get(d.id), input.day, input.userId),
    exclusions: input.exclusions,
    now: input.now,
  });
  const posture = new Set(detections.filter((d) => d.cadence === 'posture').map((d) => d.id));
  if (!result.newFindings.some((f) => posture.has(f.detection))) return result;
  const before = boundSql('core/sql/posture-findings-before.sql', { from_dt: addDays(input.day, -POSTURE_MEMORY_DAYS), to_dt: addDays(input.day, -1) });
  const failingBefore = new Set((await input.engine.select(before.sql, before.params)).map((r) => String(r.finding_id)));
  return { ...result, newFindings: result.newFindings.filter((f) => !posture.has(f.detection) || !failingBefore.has(f.finding_id)) };
}

/**
 * The nightly run for one day: snapshot every user's activity into `{dt: day, batch: 'daily'}`, delete the day's
 * refresh batches (written first, deleted after, so a reader never sees the day empty), then the daily checks.
 */
export async function runDailySnapshot(input: DailySnapshotInput): Promise<DailySnapshotResult> {
  const day = parseDay(input.day);
  const { engine } = input;
  await writeActivity(engine, day, DAILY_BATCH, null, input.now);
  await engine.clearPartitions(activityTable, { dt: day }, { dt: day, batch: DAILY_BATCH });

  const users = boundSql('snapshots/activity-users.sql', { dt: day, batch: DAILY_BATCH });
  const [row] = await engine.select(users.sql, users.params);
  const result = await runDailyChecks({ ...input, day, userId: null, run: DAILY_RUN });
  return { ...result, day, users: Number(row?.users ?? 0) };
}

/** The current activity row of each user and day from `fromDt` to `toDt`, of every user or of one (id or login). */
export async function readActivity(
  engine: QueryEngine,
  range: { readonly fromDt: string; readonly toDt: string; readonly user?: string | null },
): Promise<UserActivity[]> {
  const q = boundSql('snapshots/activity-current.sql', { from_dt: range.fromDt, to_dt: range.toDt, user_id: range.user ?? null });
  const rows = await engine.select(q.sql, q.params);
  return rows.map(activityFromRow);
}

/** A row of `snapshots/activity-current.sql` (arrays as JSON text) as a `UserActivity`. */
export function activityFromRow(row: ResultRow): UserActivity {
  return {
    user_id: textOf(row, 'user_id'),
    login: textOf(row, 'login'),
    display_name: textOf(row, 'display_name'),
    user_status: nullableTextOf(row, 'user_status'),
    identity_kind: nullableTextOf(row, 'identity_kind'),
    admin_roles: row.admin_roles === null || row.admin_roles === undefined ? null : jsonListOf(row, 'admin_roles'),
    mfa_strength: nullableTextOf(row, 'mfa_strength'),
    event_count: numberOf(row, 'event_count'),
    sign_ins: numberOf(row, 'sign_ins'),
    sign_in_failures: numberOf(row, 'sign_in_failures'),
    sign_in_failure_ips: jsonListOf(row, 'sign_in_failure_ips'),
    mfa_used: numberOf(row, 'mfa_used'),
    mfa_failures: numberOf(row, 'mfa_failures'),
    distinct_ips: numberOf(row, 'distinct_ips'),
    ips: jsonListOf(row, 'ips'),
    countries: jsonListOf(row, 'countries'),
    asns: jsonListOf(row, 'asns'),
    user_agents: jsonListOf(row, 'user_agents'),
    devices: jsonListOf(row, 'devices'),
    apps: jsonListOf(row, 'apps'),
    admin_actions: numberOf(row, 'admin_actions'),
    first_seen: isoTimestamp(textOf(row, 'first_seen')),
    last_seen: isoTimestamp(textOf(row, 'last_seen')),
    computed_at: isoTimestamp(textOf(row, 'computed_at')),
    dt: textOf(row, 'dt'),
    batch: textOf(row, 'batch'),
  };
}
