/**
 * What refresh-user fetches from Okta before it rebuilds a user's day: the user's System Log events (as actor or
 * as target) since the lake's newest hour of that day, written into the lake through the same sink as a backfill.
 * Events the lake holds already are left out first (the api-events Firehose stream cannot tell), so a refresh
 * writes only what the lake lacks and waits for a delivery only when it wrote something. The lake is up to one
 * Firehose buffer plus one hour behind Okta; this closes that gap for one user, now.
 */
import type { QueryEngine } from '../engines/query-engine.ts';
import { SqlLiteral } from '../engines/sql-values.ts';
import type { EventSink } from '../ingest/event-sink.ts';
import { addDays } from '../schema/layout.ts';
import { OktaApiError, type OktaClient } from '../okta-api/index.ts';
import { boundSql, boundSqlWithList } from './sql-files.ts';
import { pullSystemLog } from './system-log-pull.ts';

/** The Okta API, and where what it returns goes. */
export interface OktaFetch {
  readonly client: OktaClient;
  readonly sink: EventSink;
  /**
   * Waits until events just written can be queried (hours `YYYY-MM-DDTHH`, first write at `since`): needed where the
   * sink delivers later (Firehose); returns the hours still not readable when it gave up.
   * @default none: the sink's writes are readable at once (the local lake)
   */
  readonly settle?: (hours: readonly string[], since: Date) => Promise<readonly string[]>;
}

export interface FetchedUserEvents {
  /** The instant the query started from (the start of the lake's newest hour of the day, or of the day). */
  readonly since: string;
  readonly until: string;
  /** Events Okta returned. */
  readonly events: number;
  /** Of those, the ones the lake did not hold. */
  readonly written: number;
  readonly duplicates: number;
  /** Hours written whose events could not be read yet when the day was rebuilt (a slow delivery). */
  readonly notYetReadable: readonly string[];
}

/** An Okta user id: `00u` and letters or digits (Okta's are 20 characters long). The only value that goes into the filter. */
export const USER_ID = /^00u[A-Za-z0-9]{1,37}$/;

/** uuids asked about per query (bound values, in the WHERE clause). */
const KNOWN_UUIDS_PER_QUERY = 500;

/** `sink`, leaving out the events whose uuid okta_events holds in the days `fromDt` to `toDt`. */
function leavingOutKnown(engine: QueryEngine, sink: EventSink, fromDt: string, toDt: string): EventSink {
  return {
    write: async (events) => {
      const uuidOf = (e: object) => String((e as { uuid?: unknown }).uuid ?? '').toLowerCase();
      const asked = [...new Set(events.map(uuidOf).filter((u) => u !== ''))];
      const known = new Set<string>();
      const days = { from_dt: SqlLiteral.date(fromDt), to_dt: SqlLiteral.date(toDt) };
      for (let i = 0; i < asked.length; i += KNOWN_UUIDS_PER_QUERY) {
        const q = boundSqlWithList('core/sql/known-uuids.sql', 'uuids', asked.slice(i, i + KNOWN_UUIDS_PER_QUERY), days);
        for (const row of await engine.select(q.sql, q.params)) known.add(String(row.uuid));
      }
      const fresh = events.filter((e) => !known.has(uuidOf(e)));
      const wrote = await sink.write(fresh);
      return { ...wrote, duplicates: wrote.duplicates + (events.length - fresh.length) };
    },
  };
}

/** The Okta user id of a login, from the API (`GET /api/v1/users/{login}`); undefined when Okta has no such user. */
export async function oktaUserId(client: OktaClient, login: string): Promise<{ id: string; login: string } | undefined> {
  try {
    const { body } = await client.get<{ id?: unknown; profile?: { login?: unknown } }>(`/api/v1/users/${encodeURIComponent(login)}`);
    const id = typeof body.id === 'string' && USER_ID.test(body.id) ? body.id : undefined;
    return id ? { id, login: typeof body.profile?.login === 'string' ? body.profile.login : login } : undefined;
  } catch (e) {
    if (e instanceof OktaApiError && e.status === 404) return undefined;
    throw e;
  }
}

export async function fetchUserEvents(input: {
  readonly engine: QueryEngine;
  readonly fetch: OktaFetch;
  readonly userId: string;
  /** The day refreshed, `YYYY-MM-DD`. */
  readonly day: string;
  readonly now: () => Date;
}): Promise<FetchedUserEvents> {
  if (!USER_ID.test(input.userId)) throw new Error(`refresh-user: ${JSON.stringify(input.userId)} is not an Okta user id`);
  const q = boundSql('core/sql/newest-hour-of-day.sql', { day: SqlLiteral.date(input.day) });
  const [row] = await input.engine.select(q.sql, q.params);
  const newest = typeof row?.newest === 'string' ? row.newest : undefined;
  const since = newest ? new Date(`${newest.slice(0, 10)}T${newest.slice(11, 13)}:00:00.000Z`) : new Date(`${input.day}T00:00:00.000Z`);
  const dayEnd = new Date(`${addDays(input.day, 1)}T00:00:00.000Z`);
  const until = new Date(Math.min(input.now().getTime(), dayEnd.getTime()));
  if (since >= until) return { since: since.toISOString(), until: until.toISOString(), events: 0, written: 0, duplicates: 0, notYetReadable: [] };
  const startedAt = input.now();
  const pulled = await pullSystemLog({
    client: input.fetch.client,
    // A copy the partner stream delivered may sit in the next day's arrival partitions.
    sink: leavingOutKnown(input.engine, input.fetch.sink, addDays(input.day, -1), addDays(input.day, 1)),
    batchEvents: 1000,
    start: { since, until, filter: `actor.id eq "${input.userId}" or target.id eq "${input.userId}"` },
  });
  const notYetReadable = pulled.written > 0 && input.fetch.settle ? await input.fetch.settle(pulled.hours, startedAt) : [];
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    events: pulled.events,
    written: pulled.written,
    duplicates: pulled.duplicates,
    notYetReadable: [...notYetReadable],
  };
}
