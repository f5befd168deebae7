/**
 * Collects the identity inventory into the lake: every user, each user's factors (one call per user), every
 * device with its users, and the admin roles of the users who hold one; or the same for one user (the near-time
 * cascade). Written as one partition `{dt: day, batch}` per inventory table (schema/inventory.ts).
 *
 * Engine-agnostic (only `QueryEngine`): the CLI runs it on DuckDB, the inventory Lambda on Athena. The source is
 * the live API or a saved folder (inventory/source.ts). A part the source cannot give is skipped and named in the
 * summary; the users' rows say which parts were read (`factors_collected`, `roles_collected`), so a check never
 * takes "not collected" for "none".
 *
 * A large org's factors (one call per user, paced by Okta's limit on a user's sub-resources: 600 to 1,200 a minute)
 * may not all be read within a Lambda's 15 minutes. Given a time (`factorsUntil`), the collection reads the users
 * whose factors were read longest ago first, and carries the others' factors over from the newest inventory of the
 * week before: every user's factors are then at most a few days old, and each run writes a complete snapshot.
 */
import { createHash } from 'node:crypto';
import type { QueryEngine } from '../engines/query-engine.ts';
import type { OktaDevice, OktaUser } from '../okta-api/identity-objects.ts';
import { inventoryTables, okta_admin_roles, okta_devices, okta_factors, okta_users, type OktaAdminRoleRow, type OktaDeviceRow, type OktaFactorRow, type OktaUserRow } from '../schema/inventory.ts';
import { addDays, parseDay } from '../schema/layout.ts';
import { SqlLiteral } from '../engines/sql-values.ts';
import { boundSql, boundSqlWithList } from './sql-files.ts';
import { isoTimestamp } from './findings.ts';
import { DEFAULT_IDENTITY_RULES, identityClassifier, type IdentityRules } from '../inventory/identity-kind.ts';
import { deviceRows, factorRows, roleRows, userRow, type RowContext } from '../inventory/rows.ts';
import { PartUnavailable, type InventoryPart, type InventorySource } from '../inventory/source.ts';

/** The batch of the whole org's collection of a day; a refresh of one user writes `refresh-<hash>`. */
export const INVENTORY_DAILY_BATCH = 'daily';

/** Refused factor calls, none answered, after which the factors part counts as refused (a missing scope). */
const REFUSALS_BEFORE_GIVING_UP = 20;

/** Per-user calls (factors, roles) in flight at once; the client's transport bounds concurrency again (4). */
const PER_USER_CONCURRENCY = 8;

export interface InventoryProgress {
  readonly part: InventoryPart;
  /** Users whose factors or roles were read so far, devices listed so far. */
  readonly done: number;
  /** How many there are, when known. */
  readonly total: number | undefined;
}

export interface CollectInventoryInput {
  readonly engine: QueryEngine;
  readonly source: InventorySource;
  /** The day the snapshot describes, `YYYY-MM-DD` (its `dt`). */
  readonly day: string;
  /** @default DEFAULT_IDENTITY_RULES */
  readonly rules?: IdentityRules;
  readonly now: () => Date;
  readonly onProgress?: (p: InventoryProgress) => void;
  /**
   * When to stop reading factors (one call per user, the bulk of a collection): users not reached by then keep the
   * factors of the newest inventory of the week before, and the next collection reads them first. A Lambda passes
   * its timeout minus the time writing takes; a large org is then read completely over a few days instead of never.
   * @default none: every user's factors are read
   */
  readonly factorsUntil?: Date;
}

export interface SkippedPart {
  readonly part: InventoryPart;
  readonly reason: string;
}

export interface InventorySummary {
  readonly day: string;
  readonly batch: string;
  /** Where it came from (org URL or folder). */
  readonly source: string;
  /** Rows written per table. */
  readonly users: number;
  readonly factors: number;
  readonly devices: number;
  readonly roles: number;
  /** Parts not collected, and why. */
  readonly skipped: readonly SkippedPart[];
  /** API calls made (the live API only). */
  readonly apiCalls: number | undefined;
  /**
   * Users whose factors were not read in the time given (`factorsUntil`): `carried` kept the factors of the
   * inventory of `from`, `unread` had none to keep (their factors count as not collected).
   */
  readonly factorsDeferred: { readonly carried: number; readonly unread: number; readonly from: string | null } | undefined;
}

/** Runs `fn` over `items`, `limit` at a time, in order of completion; the first error stops the rest and is thrown. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Reads a part, or records why it is skipped; any error other than PartUnavailable propagates. */
async function part<T>(skipped: SkippedPart[], fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof PartUnavailable)) throw e;
    skipped.push({ part: e.part, reason: e.reason });
    return undefined;
  }
}

interface Collected {
  readonly users: OktaUserRow[];
  readonly factors: OktaFactorRow[];
  readonly devices: OktaDeviceRow[];
  readonly roles: OktaAdminRoleRow[];
}

async function write(engine: QueryEngine, day: string, batch: string, rows: Collected): Promise<void> {
  const partition = { dt: day, batch };
  // Users last: the *_current views pick a user's batch from okta_users, so a reader sees a batch's factors, devices
  // and roles before its users point at them, never users pointing at rows not yet written.
  await engine.writeRows(okta_factors, partition, rows.factors);
  await engine.writeRows(okta_devices, partition, rows.devices);
  await engine.writeRows(okta_admin_roles, partition, rows.roles);
  await engine.writeRows(okta_users, partition, rows.users);
}

/** The whole org's inventory of `day`, as batch `daily`; the day's refresh batches are deleted after it is written. */
export async function collectInventory(input: CollectInventoryInput): Promise<InventorySummary> {
  const day = parseDay(input.day);
  const ctx: RowContext = { collectedAt: input.now().toISOString() };
  const classify = identityClassifier(input.rules ?? DEFAULT_IDENTITY_RULES);
  const skipped: SkippedPart[] = [];
  const progress = input.onProgress ?? (() => {});

  // By id, the last listing winning: a user whose status changed between the plain listing and the DEPROVISIONED
  // search is in both, and the later record is the newer.
  const byId = new Map<string, OktaUser>();
  try {
    for await (const u of input.source.users()) byId.set(u.id, u);
  } catch (e) {
    if (e instanceof PartUnavailable) throw new Error(`cannot collect the inventory from ${input.source.description}: ${e.message}`);
    throw e;
  }
  const users = [...byId.values()];
  const logins = new Map(users.map((u) => [u.id, typeof u.profile?.login === 'string' ? u.profile.login : null]));
  const owner = (userId: string) => ({ user_id: userId, login: logins.get(userId) ?? null });

  // Devices and roles first (a few calls): the time limit, when there is one, is spent on the factors.
  const devices: OktaDeviceRow[] = [];
  await part(skipped, async () => {
    for await (const d of input.source.devices()) {
      devices.push(...deviceRows(d, ctx));
      progress({ part: 'devices', done: devices.length, total: undefined });
    }
  });

  const roles: OktaAdminRoleRow[] = [];
  const rolesRead = await part(skipped, async () => {
    const assignees: string[] = [];
    for await (const id of input.source.roleAssignees()) assignees.push(id);
    let done = 0;
    await eachLimited([...new Set(assignees)], PER_USER_CONCURRENCY, async (id) => {
      roles.push(...roleRows(owner(id), await input.source.rolesOf(id), ctx));
      progress({ part: 'roles', done: ++done, total: assignees.length });
    });
    return true;
  });

  // Factors: one call per user, the longest-unread first. Okta may refuse some users and not others (an admin role
  // scoped to some groups): those users' factors count as not read; refusals with no success at all (a missing scope)
  // stop the part after a few calls instead of being asked 10,000 times.
  const previous = await previousFactorReads(input.engine, day);
  const ordered = [...users].sort((a, b) => (previous.readAt.get(a.id) ?? '').localeCompare(previous.readAt.get(b.id) ?? ''));
  const factors: OktaFactorRow[] = [];
  const factorsReadAt = new Map<string, string>();
  const refused = new Map<string, string>();
  let factorsDone = 0;
  const outOfTime = () => input.factorsUntil !== undefined && input.now().getTime() >= input.factorsUntil.getTime();
  const factorsRead = await part(skipped, () =>
    eachLimited(ordered, PER_USER_CONCURRENCY, async (u) => {
      if (outOfTime()) return;
      try {
        factors.push(...factorRows(owner(u.id), await input.source.factorsOf(u.id), ctx));
        factorsReadAt.set(u.id, ctx.collectedAt);
      } catch (e) {
        if (!(e instanceof PartUnavailable)) throw e;
        refused.set(u.id, e.reason);
        if (factorsReadAt.size === 0 && refused.size >= REFUSALS_BEFORE_GIVING_UP) throw e;
      }
      progress({ part: 'factors', done: ++factorsDone, total: users.length });
    }).then(() => {
      // Every user refused: the part is not there, whatever the count.
      if (factorsReadAt.size === 0 && refused.size > 0) throw new PartUnavailable('factors', refused.values().next().value!);
      return true;
    }),
  );
  if (factorsRead && refused.size > 0) {
    skipped.push({ part: 'factors', reason: `Okta refused the factors of ${refused.size} of ${users.length} users (their factors count as not read): ${refused.values().next().value}` });
  }
  let factorsDeferred: InventorySummary['factorsDeferred'];
  if (factorsRead && factorsReadAt.size + refused.size < users.length) {
    const notReached = users.filter((u) => !factorsReadAt.has(u.id) && !refused.has(u.id));
    const carriable = notReached.filter((u) => previous.readAt.has(u.id)).map((u) => u.id);
    if (previous.dt !== null && carriable.length > 0) {
      factors.push(...(await carriedFactors(input.engine, previous.dt, carriable)));
      for (const id of carriable) factorsReadAt.set(id, previous.readAt.get(id)!);
    }
    factorsDeferred = { carried: carriable.length, unread: notReached.length - carriable.length, from: previous.dt };
  }

  const rolesCollected = rolesRead === true;
  const userRows = users.map((u) => {
    const readAt = factorsRead === true ? factorsReadAt.get(u.id) : undefined;
    return userRow(u, classify(u), { factors: readAt !== undefined, roles: rolesCollected, factorsReadAt: readAt ?? null }, ctx);
  });
  const rows = { users: userRows, factors: factorsRead === true ? factors : [], devices, roles: rolesCollected ? roles : [] };
  await write(input.engine, day, INVENTORY_DAILY_BATCH, rows);
  for (const table of inventoryTables) await input.engine.clearPartitions(table, { dt: day }, { dt: day, batch: INVENTORY_DAILY_BATCH });
  return summary(day, INVENTORY_DAILY_BATCH, input.source, rows, skipped, factorsDeferred);
}

/** How far back a collection looks for factors to carry over. */
const CARRY_DAYS = 7;

/**
 * When each user's factors were last read, in the newest inventory of the week before `day`. Two queries: the day
 * first, then that day's rows with it as a literal, so Athena reads one day's partitions (a `max(dt)` subquery is no
 * constant when Athena plans, and would have it list every partition of the table).
 */
async function previousFactorReads(engine: QueryEngine, day: string): Promise<{ readonly dt: string | null; readonly readAt: ReadonlyMap<string, string> }> {
  const newest = boundSql('core/sql/newest-inventory-day.sql', { from_dt: SqlLiteral.date(addDays(day, -CARRY_DAYS)), to_dt: SqlLiteral.date(addDays(day, -1)) });
  const [found] = await engine.select(newest.sql, newest.params);
  const dt = typeof found?.dt === 'string' && found.dt !== '' ? found.dt : null;
  const readAt = new Map<string, string>();
  if (dt === null) return { dt, readAt };
  const q = boundSql('core/sql/previous-factor-reads.sql', { dt: SqlLiteral.date(dt) });
  for (const r of await engine.select(q.sql, q.params)) {
    if (typeof r.user_id === 'string' && typeof r.factors_read_at === 'string') readAt.set(r.user_id, isoTimestamp(r.factors_read_at));
  }
  return { dt, readAt };
}

/** The factor rows of `userIds` in the inventory of `dt`, as rows to write again (bound in batches of ids). */
async function carriedFactors(engine: QueryEngine, dt: string, userIds: readonly string[]): Promise<OktaFactorRow[]> {
  const out: OktaFactorRow[] = [];
  for (let i = 0; i < userIds.length; i += 500) {
    const q = boundSqlWithList('core/sql/carried-factors.sql', 'user_ids', userIds.slice(i, i + 500), { dt: SqlLiteral.date(dt) });
    for (const r of await engine.select(q.sql, q.params)) {
      const row = Object.fromEntries(Object.keys(okta_factors.columns).map((c) => [c, r[c] ?? null])) as OktaFactorRow;
      out.push({ ...row, created: stamp(r.created), last_updated: stamp(r.last_updated), last_verified: stamp(r.last_verified), collected_at: stamp(r.collected_at) });
    }
  }
  return out;
}

const stamp = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? isoTimestamp(v) : null);

function summary(
  day: string,
  batch: string,
  source: InventorySource,
  rows: Collected,
  skipped: readonly SkippedPart[],
  factorsDeferred?: InventorySummary['factorsDeferred'],
): InventorySummary {
  return {
    day,
    batch,
    source: source.description,
    users: rows.users.length,
    factors: rows.factors.length,
    devices: rows.devices.length,
    roles: rows.roles.length,
    skipped,
    apiCalls: source.calls?.(),
    factorsDeferred,
  };
}

/** `refresh-` and the first 16 hex digits of sha256(user id): the inventory batch of a refresh of one user. */
export const inventoryRefreshBatch = (userId: string): string => `refresh-${createHash('sha256').update(userId, 'utf8').digest('hex').slice(0, 16)}`;

export interface CollectUserInventoryInput extends Omit<CollectInventoryInput, 'onProgress'> {
  /** An Okta user id or login. */
  readonly user: string;
}

/**
 * One user's inventory now (user, factors, devices, roles) as batch `refresh-<hash>` of `day`: what a finding about
 * the user cascades into before their posture checks run. Undefined when the source has no such user (nothing written).
 */
export async function collectUserInventory(input: CollectUserInventoryInput): Promise<InventorySummary | undefined> {
  const day = parseDay(input.day);
  const ctx: RowContext = { collectedAt: input.now().toISOString() };
  const user = await input.source.user(input.user);
  if (!user) return undefined;
  const skipped: SkippedPart[] = [];
  const who = { user_id: user.id, login: typeof user.profile?.login === 'string' ? user.profile.login : null };
  const factors = await part(skipped, async () => factorRows(who, await input.source.factorsOf(user.id), ctx));
  const devices = await part(skipped, async () => (await input.source.devicesOf(user)).flatMap((d: OktaDevice) => deviceRows(d, ctx)));
  const roles = await part(skipped, async () => roleRows(who, await input.source.rolesOf(user.id), ctx));
  const classify = identityClassifier(input.rules ?? DEFAULT_IDENTITY_RULES);
  const rows: Collected = {
    users: [userRow(user, classify(user), { factors: factors !== undefined, roles: roles !== undefined }, ctx)],
    factors: factors ?? [],
    devices: devices ?? [],
    roles: roles ?? [],
  };
  const batch = inventoryRefreshBatch(user.id);
  await write(input.engine, day, batch, rows);
  return summary(day, batch, input.source, rows, skipped);
}
