/**
 * The `activity` table: one row per user per day, the daily snapshot the per-user checks read.
 *
 * Partitions: `dt` is the day; `batch` is `daily` for the nightly snapshot or `refresh-<user hash>` for an
 * on-demand refresh of one user. The nightly snapshot of a day replaces every batch of that day; readers
 * take the row with the latest `computed_at` per (user_id, dt) (see `snapshots/activity-current.sql`).
 */
import { array, bigint, string, timestamp, type RowOf, type TableDef } from './types.ts';

export const activityColumns = {
  user_id: string,
  login: string,
  display_name: string,
  event_count: bigint,
  sign_ins: bigint,
  sign_in_failures: bigint,
  /** Client IPs of the day's failed sign-ins (user.session.start FAILURE), distinct, sorted; null in rows written before it existed. */
  sign_in_failure_ips: array(string),
  mfa_used: bigint,
  mfa_failures: bigint,
  distinct_ips: bigint,
  ips: array(string),
  countries: array(string),
  asns: array(string),
  user_agents: array(string),
  devices: array(string),
  apps: array(string),
  admin_actions: bigint,
  first_seen: timestamp,
  last_seen: timestamp,
  computed_at: timestamp,
} as const;

export const activity: TableDef<typeof activityColumns> = {
  name: 'activity',
  description: 'Per-user daily activity: sign-ins, MFA, IPs, countries, ASNs, devices, apps, admin actions.',
  location: 'activity',
  columns: activityColumns,
  partitionKeys: ['dt', 'batch'],
};

export type ActivityRow = RowOf<typeof activityColumns> & { dt: string; batch: string };
