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
  /**
   * Identity context from the day's inventory (okta_users_current, okta_factors_current, okta_admin_roles_current
   * of `dt`): null when no inventory of that day holds the user, and in rows written before these columns existed.
   * `user_status`: the Okta status (ACTIVE, SUSPENDED, ...); `identity_kind`: human, service or guest.
   */
  user_status: string,
  identity_kind: string,
  /** The user's active admin role types (SUPER_ADMIN, ...), distinct, sorted; empty for none; null when roles were not collected. */
  admin_roles: array(string),
  /** Strength of the strongest ACTIVE factor: high, medium, low, unknown; 'none' without one; null when factors were not collected. */
  mfa_strength: string,
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
  description: "Per-user daily activity: sign-ins, MFA, IPs, countries, ASNs, devices, apps, admin actions, and the user's identity (status, kind, admin roles, MFA strength) from the day's inventory.",
  location: 'activity',
  columns: activityColumns,
  partitionKeys: ['dt', 'batch'],
};

export type ActivityRow = RowOf<typeof activityColumns> & { dt: string; batch: string };
