/**
 * One user at a glance (`okta-lake user-360`): who they are (the identity inventory), their factors, devices and
 * admin roles, their daily activity of the last USER_360_DAYS days, the findings about them, and the posture checks
 * they fail on the day. Engine-agnostic (only `QueryEngine`); one query per section (core/sql/user-360/), the user
 * bound as a parameter. The Athena named query `user-360` (investigations/user-360.sql) gives the same facts as
 * rows of one result.
 */
import type { QueryEngine, ResultRow } from '../engines/query-engine.ts';
import { SqlLiteral } from '../engines/sql-values.ts';
import { addDays, parseDay } from '../schema/layout.ts';
import { readActivity, type UserActivity } from './daily.ts';
import { compareFindings, findingFromRow, isoTimestamp, type Finding } from './findings.ts';
import type { IdentityContext } from './identity-context.ts';
import { parseUserRef } from './refresh-user.ts';
import { boundSql, boundSqlWithList } from './sql-files.ts';

/** Days of activity and findings shown, the day included. @default 30 */
export const USER_360_DAYS = 30;

/** A row for people: timestamps as ISO-8601 UTC, everything else as the engine returned it. */
export type FactRow = Readonly<Record<string, string | number | boolean | null>>;

export interface User360 {
  /** The user as given (an Okta user id or a login). */
  readonly user: string;
  /** The day, and the first day of the activity and findings shown. */
  readonly day: string;
  readonly from_dt: string;
  /** As the lake knows them; user_id is null when only findings name the login. */
  readonly user_id: string | null;
  readonly login: string | null;
  /** The user's row of the newest inventory from from_dt to day (`inventory_dt` says which); null when none. */
  readonly identity: FactRow | null;
  /** The identity in one line's terms (core/identity-context.ts); null without an inventory. */
  readonly summary: IdentityContext | null;
  readonly factors: readonly FactRow[];
  readonly devices: readonly FactRow[];
  readonly roles: readonly FactRow[];
  /** One row per day with activity, oldest first. */
  readonly activity: readonly UserActivity[];
  /** Findings about the user or with them among the actors, newest first. */
  readonly findings: readonly Finding[];
  /** The posture checks the user fails on the day, most severe first. */
  readonly posture: readonly Finding[];
  /** Posture checks in the catalog (enabled): how many the user was checked against. */
  readonly postureChecks: number;
  /** False when the lake knows nothing of the user in those days (no inventory, activity or finding). */
  readonly found: boolean;
}

const TIMESTAMP_COLUMNS = new Set(['created', 'activated', 'status_changed', 'last_login', 'password_changed', 'collected_at', 'last_updated', 'last_verified']);

const factRow = (row: ResultRow): FactRow =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, TIMESTAMP_COLUMNS.has(k) && typeof v === 'string' ? isoTimestamp(v) : v]));

async function select(engine: QueryEngine, path: string, values: Parameters<typeof boundSql>[1]): Promise<ResultRow[]> {
  const q = boundSql(path, values);
  return engine.select(q.sql, q.params);
}

const STRENGTH_ORDER = ['high', 'medium', 'low', 'unknown'];

/** The one-line identity (identityLine) from the sections' rows. */
function summaryOf(identity: FactRow, factors: readonly FactRow[], roles: readonly FactRow[]): IdentityContext {
  const active = factors.filter((f) => f.status === 'ACTIVE');
  const factorsCollected = identity.factors_collected === true;
  const strongest = STRENGTH_ORDER.find((s) => active.some((f) => (STRENGTH_ORDER.includes(String(f.strength)) ? f.strength : 'unknown') === s));
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    user_id: String(identity.user_id),
    login: String(identity.login ?? ''),
    status: text(identity.status),
    identity_kind: text(identity.identity_kind),
    admin_roles: [...new Set(roles.filter((r) => (r.status ?? 'ACTIVE') === 'ACTIVE' && r.role_type).map((r) => String(r.role_type)))].sort(),
    roles_collected: identity.roles_collected === true,
    mfa_strength: !factorsCollected ? null : (strongest ?? 'none'),
    factors: [...new Set(active.map((f) => String(f.factor_type ?? '')).filter(Boolean))].sort(),
    factors_collected: factorsCollected,
    inventory_dt: String(identity.inventory_dt ?? ''),
  };
}

export interface User360Input {
  readonly engine: QueryEngine;
  /** An Okta user id or a login; checked with parseUserRef (InvalidUserError) before any SQL. */
  readonly user: string;
  /** `YYYY-MM-DD`. */
  readonly day: string;
  /** Ids of the enabled detections of cadence posture. */
  readonly postureDetections: readonly string[];
}

export async function user360(input: User360Input): Promise<User360> {
  const ref = parseUserRef(input.user);
  const day = parseDay(input.day);
  const { engine } = input;
  const fromDt = addDays(day, -(USER_360_DAYS - 1));
  const range = { from_dt: SqlLiteral.date(fromDt), day: SqlLiteral.date(day) };

  const [resolved] = await select(engine, 'core/sql/user-360/resolve.sql', { ...range, user: ref.value });
  const userId = typeof resolved?.user_id === 'string' && resolved.user_id !== '' ? resolved.user_id : null;
  const login = typeof resolved?.login === 'string' && resolved.login !== '' ? resolved.login : ref.kind === 'login' ? ref.value : null;

  const [identityRow] = userId ? await select(engine, 'core/sql/user-360/identity.sql', { ...range, user_id: userId }) : [];
  const identity = identityRow ? factRow(identityRow) : null;
  const perInventory = async (path: string) =>
    identity ? (await select(engine, path, { inventory_dt: SqlLiteral.date(String(identity.inventory_dt)), user_id: userId })).map(factRow) : [];
  const factors = await perInventory('core/sql/user-360/factors.sql');
  const devices = await perInventory('core/sql/user-360/devices.sql');
  const roles = await perInventory('core/sql/user-360/roles.sql');

  const activity = userId ? await readActivity(engine, { fromDt, toDt: day, user: userId }) : [];
  const findings = login ? (await select(engine, 'core/sql/user-360/findings.sql', { ...range, login })).map(findingFromRow) : [];
  let posture: Finding[] = [];
  if (login && input.postureDetections.length > 0) {
    const q = boundSqlWithList('core/sql/user-360/posture.sql', 'detections', [...input.postureDetections].sort(), { day: SqlLiteral.date(day), login });
    posture = (await engine.select(q.sql, q.params)).map(findingFromRow).sort(compareFindings);
  }
  return {
    user: input.user,
    day,
    from_dt: fromDt,
    user_id: userId,
    login,
    identity,
    summary: identity ? summaryOf(identity, factors, roles) : null,
    factors,
    devices,
    roles,
    activity,
    findings,
    posture,
    postureChecks: input.postureDetections.length,
    found: userId !== null || findings.length > 0,
  };
}
