/**
 * Refresh one user, now: their activity for today so far and the daily checks for them alone. What a finding
 * about a user triggers at once (the near-time escalation), and what `okta-lake refresh-user` runs.
 *
 * Engine-agnostic (only `QueryEngine`). The user is given by an Okta user id or a login; the value is checked
 * against a strict pattern before any SQL runs, then only ever passed as a query parameter. The refresh writes
 * the activity partition `{dt: today, batch: 'refresh-<hash>'}` and the findings partition
 * `{dt: today, run: 'refresh-<hash>'}`, `<hash>` being the first 16 hex digits of sha256(user id): re-running
 * a refresh replaces both. Readers take the latest row per user and day (`snapshots/activity-current.sql`), and
 * the nightly snapshot of the day deletes the refresh batches, so a user has one current row per day. The
 * findings keep the ids of the daily run (detection, user, day), so the nightly run does not notify them again.
 */
import { addDays, dayOf, parseDay } from '../schema/layout.ts';
import { readActivity, runDailyChecks, writeActivity, type UserActivity } from './daily.ts';
import type { RunContext } from './detection-run.ts';
import type { Finding } from './findings.ts';
import { boundSql } from './sql-files.ts';
import { fetchUserEvents, oktaUserId, USER_ID, type FetchedUserEvents, type OktaFetch } from './user-events-fetch.ts';
import { collectUserInventory, inventoryRefreshBatch, type InventorySummary } from './inventory-collect.ts';
import type { IdentityRules } from '../inventory/identity-kind.ts';
import type { InventorySource } from '../inventory/source.ts';

/**
 * A login in e-mail form (Okta's default login format): a local part of letters, digits and `. _ % + ' -`
 * (an apostrophe, as in o'brien@, is a real login character; the value is a parameter, never SQL text), `@`, and
 * a domain of two or more dot-separated labels.
 */
const LOGIN = /^[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const MAX_LOGIN_LENGTH = 254;

/** How far back the lake's activity is searched to resolve a login to a user id. @default 90 days */
export const RESOLVE_LOOKBACK_DAYS = 90;

export class InvalidUserError extends Error {}

/** Checks a user given by id or login; the error names the value and the accepted forms. */
export function parseUserRef(value: string): { readonly kind: 'id' | 'login'; readonly value: string } {
  if (USER_ID.test(value)) return { kind: 'id', value };
  if (value.length <= MAX_LOGIN_LENGTH && LOGIN.test(value)) return { kind: 'login', value };
  throw new InvalidUserError(
    `user ${JSON.stringify(value)} is neither an Okta user id (00u followed by letters and digits, e.g. ` +
      `00u1a2b3c4d5e6f7g8h9) nor a login in e-mail form (e.g. jane.doe@example.com)`,
  );
}

/**
 * `refresh-` and the first 16 hex digits of sha256(user id): the activity batch and findings run of a refresh, the
 * same name as the batch its inventory refresh writes.
 */
export const refreshRunName: (userId: string) => string = inventoryRefreshBatch;

export interface RefreshUserInput extends RunContext {
  /** An Okta user id (`00u...`) or a login. */
  readonly user: string;
  /**
   * The day to refresh, `YYYY-MM-DD`. A finding's escalation passes the day of its window: the hourly run of
   * 23:00 fires after midnight, when "today" is already the next day. @default today, by `now`
   */
  readonly day?: string;
  /**
   * The Okta API, to fetch the user's events since the lake's newest hour of the day before rebuilding it.
   * @default none: the refresh uses what the lake holds
   */
  readonly fetch?: OktaFetch;
  /**
   * Where to read the user's identity (user, factors, devices, roles) before their activity and checks, so the
   * activity row's identity columns and their posture checks see the user as they are now.
   * @default none: the activity and the posture checks read the day's inventory as collected
   */
  readonly inventory?: { readonly source: InventorySource; readonly rules?: IdentityRules };
}

export interface RefreshUserResult {
  /** The user as given. */
  readonly user: string;
  /** Today (UTC), the day refreshed. */
  readonly day: string;
  /**
   * Whether the lake knows the user (an event today, or activity in the last 90 days). When it does not, nothing
   * was written: `user_id`, `login`, `run` and `activity` are null, and there are no findings.
   */
  readonly found: boolean;
  readonly user_id: string | null;
  readonly login: string | null;
  /** The activity batch and findings run this refresh wrote. */
  readonly run: string | null;
  /** The user's activity today so far; null when they have no event today. */
  readonly activity: UserActivity | null;
  /** The daily checks' findings for the user today, most severe first. */
  readonly findings: readonly Finding[];
  /** Those not in the lake before this refresh: the ones to notify. */
  readonly newFindings: readonly Finding[];
  /** What was fetched from Okta first; null when the refresh used the lake only (no API access given). */
  readonly fetched: FetchedUserEvents | null;
  /** The user's inventory refreshed before the checks; null when no source was given or it has no such user. */
  readonly inventory: InventorySummary | null;
}

export async function refreshUser(input: RefreshUserInput): Promise<RefreshUserResult> {
  // Validation comes first: a value that is neither an id nor a login never reaches the engine.
  const ref = parseUserRef(input.user);
  const { engine } = input;
  const day = input.day === undefined ? dayOf(input.now()) : parseDay(input.day, 'refresh day');

  const resolve = boundSql('snapshots/resolve-user.sql', { user: ref.value, day, from_dt: addDays(day, -RESOLVE_LOOKBACK_DAYS) });
  let [match] = await engine.select(resolve.sql, resolve.params);
  let fetched: FetchedUserEvents | null = null;
  if (input.fetch) {
    // The user's id: the lake's, else Okta's (a user new to the lake); the events since the lake's newest hour.
    const known = typeof match?.user_id === 'string' && match.user_id !== '' ? match.user_id : undefined;
    const userId = known ?? (ref.kind === 'id' ? ref.value : (await oktaUserId(input.fetch.client, ref.value))?.id);
    if (userId) {
      fetched = await fetchUserEvents({ engine, fetch: input.fetch, userId, day, now: input.now });
      if (!known && fetched.written > 0) [match] = await engine.select(resolve.sql, resolve.params);
    }
  }
  if (!match || typeof match.user_id !== 'string' || match.user_id === '') {
    return { user: input.user, day, found: false, user_id: null, login: null, run: null, activity: null, findings: [], newFindings: [], fetched, inventory: null };
  }
  const userId = match.user_id;
  const run = refreshRunName(userId);

  // The inventory first: the activity row carries the user's identity (status, kind, roles, MFA) as refreshed.
  const inventory = input.inventory
    ? ((await collectUserInventory({ engine, source: input.inventory.source, user: userId, day, now: input.now, ...(input.inventory.rules ? { rules: input.inventory.rules } : {}) })) ?? null)
    : null;
  await writeActivity(engine, day, run, userId, input.now);
  const checks = await runDailyChecks({ ...input, day, userId, run });
  const [activity] = await readActivity(engine, { fromDt: day, toDt: day, user: userId });
  return {
    user: input.user,
    day,
    found: true,
    user_id: userId,
    login: activity?.login ?? String(match.login ?? ''),
    run,
    activity: activity ?? null,
    findings: checks.findings,
    newFindings: checks.newFindings,
    fetched,
    inventory,
  };
}
