/**
 * Who the user behind a finding is, from the identity inventory: status, identity kind, admin roles, active
 * factors and the strongest one's strength. The notifiers add it to a user finding's message, so whoever reads
 * "brute force against alice" also reads "ACTIVE human, admin roles SUPER_ADMIN, strongest MFA low (sms)".
 *
 * Engine-agnostic (only `QueryEngine`); the SQL is core/sql/identity-context.sql. Logins are bound parameters, in
 * its WHERE clause only. A day without an inventory falls back to the newest one of the days before (up to
 * INVENTORY_LOOKBACK_DAYS): an hourly finding of today is usually read before today's inventory is collected.
 */
import type { QueryEngine, ResultRow } from '../engines/query-engine.ts';
import { SqlLiteral } from '../engines/sql-values.ts';
import { addDays, parseDay } from '../schema/layout.ts';
import type { Finding } from './findings.ts';
import { jsonListOf, nullableTextOf, textOf } from './result-values.ts';
import { boundSqlWithList } from './sql-files.ts';

/** How many days before a finding's day the newest inventory of the user may be. @default 3 */
export const INVENTORY_LOOKBACK_DAYS = 3;

/** Logins per query: one bound parameter each. */
const LOGINS_PER_QUERY = 100;

export interface IdentityContext {
  readonly user_id: string;
  readonly login: string;
  /** ACTIVE, SUSPENDED, ... */
  readonly status: string | null;
  /** human, service or guest. */
  readonly identity_kind: string | null;
  /** Active admin role types, sorted; empty when none, or when roles were not collected (`roles_collected`). */
  readonly admin_roles: readonly string[];
  readonly roles_collected: boolean;
  /** high, medium, low, unknown, or none (no ACTIVE factor); null when factors were not collected. */
  readonly mfa_strength: string | null;
  /** Types of the ACTIVE factors (sms, push, webauthn, ...), sorted. */
  readonly factors: readonly string[];
  readonly factors_collected: boolean;
  /** The inventory day this was read from, `YYYY-MM-DD`. */
  readonly inventory_dt: string;
}

/** Identities by lower-cased login. */
export type IdentityMap = ReadonlyMap<string, IdentityContext>;

function contextFromRow(row: ResultRow): IdentityContext {
  return {
    user_id: textOf(row, 'user_id'),
    login: textOf(row, 'login'),
    status: nullableTextOf(row, 'status'),
    identity_kind: nullableTextOf(row, 'identity_kind'),
    admin_roles: jsonListOf(row, 'admin_roles'),
    roles_collected: row.roles_collected === true,
    mfa_strength: nullableTextOf(row, 'mfa_strength'),
    factors: jsonListOf(row, 'factors'),
    factors_collected: row.factors_collected === true,
    inventory_dt: textOf(row, 'inventory_dt'),
  };
}

/**
 * The identity of each of `logins` (case-insensitive) on `day`, or on the newest inventory day before it within
 * INVENTORY_LOOKBACK_DAYS. A login the inventory does not hold has no entry.
 */
export async function identityContext(engine: QueryEngine, day: string, logins: readonly string[]): Promise<Map<string, IdentityContext>> {
  const to = parseDay(day, 'identity day');
  const wanted = [...new Set(logins.map((l) => l.toLowerCase()).filter((l) => l !== ''))].sort();
  const out = new Map<string, IdentityContext>();
  const days = { from_dt: SqlLiteral.date(addDays(to, -INVENTORY_LOOKBACK_DAYS)), day: SqlLiteral.date(to) };
  for (let i = 0; i < wanted.length; i += LOGINS_PER_QUERY) {
    const q = boundSqlWithList('core/sql/identity-context.sql', 'logins', wanted.slice(i, i + LOGINS_PER_QUERY), days);
    for (const row of await engine.select(q.sql, q.params)) {
      const ctx = contextFromRow(row);
      out.set(ctx.login.toLowerCase(), ctx);
    }
  }
  return out;
}

/** The identity of a login, whatever its case. */
export const identityOf = (identities: IdentityMap | undefined, login: string): IdentityContext | undefined => identities?.get(login.toLowerCase());

/**
 * One line for people: `ACTIVE human, admin roles SUPER_ADMIN, strongest MFA low (sms)`; the inventory day is named
 * when it is not `day`. A part the inventory could not read says so rather than "none".
 */
export function identityLine(ctx: IdentityContext, day?: string): string {
  const roles = !ctx.roles_collected
    ? 'admin roles not collected'
    : ctx.admin_roles.length === 0
      ? 'no admin role'
      : `admin roles ${ctx.admin_roles.join(', ')}`;
  const mfa =
    ctx.mfa_strength === null
      ? 'MFA not collected'
      : ctx.mfa_strength === 'none'
        ? 'no active MFA factor'
        : `strongest MFA ${ctx.mfa_strength}${ctx.factors.length ? ` (${ctx.factors.join(', ')})` : ''}`;
  const asOf = day !== undefined && ctx.inventory_dt !== '' && ctx.inventory_dt !== day ? ` (inventory of ${ctx.inventory_dt})` : '';
  return `${ctx.status ?? 'unknown status'} ${ctx.identity_kind ?? 'identity'}, ${roles}, ${mfa}${asOf}`;
}

/**
 * The identities of the users that `findings` are about (entity type `user`), each read on its finding's day.
 * For a notification: a failure to read them is reported to `onError` and gives an empty map, so the findings are
 * still announced, without the identity line.
 */
export async function findingIdentities(
  engine: QueryEngine,
  findings: readonly Finding[],
  onError: (error: unknown) => void = () => {},
): Promise<Map<string, IdentityContext>> {
  const byDay = new Map<string, Set<string>>();
  for (const f of findings) {
    if (f.entity.type !== 'user' || f.entity.id === '' || f.dt === '') continue;
    byDay.set(f.dt, (byDay.get(f.dt) ?? new Set()).add(f.entity.id));
  }
  const out = new Map<string, IdentityContext>();
  try {
    // Days in order, so a login found on two days keeps the later day's identity.
    for (const [day, logins] of [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      for (const [login, ctx] of await identityContext(engine, day, [...logins])) out.set(login, ctx);
    }
  } catch (e) {
    onError(e);
    return new Map();
  }
  return out;
}
