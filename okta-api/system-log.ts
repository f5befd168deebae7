/**
 * The System Log (`GET /api/v1/logs`) as an async iterator of pages a caller can checkpoint and resume.
 * https://developer.okta.com/docs/reference/system-log-query/
 *
 * Okta's rules this follows:
 * - A query without `until` (and ASCENDING order) is a *polling* query: ordered by when Okta stored each event, its
 *   next link is always present, even on an empty page, so reading stops at the first empty page. That page's
 *   next link is where the next poll starts.
 * - A query with `until` is *bounded*: ordered by `published`, finite; the last page has no next link.
 * - At most 1000 events a page; `since` more than 180 days ago is refused; data older than 90 days is gone;
 *   `since` and `after` do not combine; `filter` cannot use `published`.
 * - Resume from the saved next URL (best), or from its `after` cursor with the same `until`, `filter` and `q`.
 *   Never page by moving `since` yourself: Okta warns that skips or duplicates events.
 */
import type { OktaClient } from './client.ts';
import { OktaConfigError } from './errors.ts';

/** A System Log event: the fields every event has, and the rest as Okta sends them. */
export interface OktaLogEvent {
  readonly uuid: string;
  readonly published: string;
  readonly eventType: string;
  readonly [field: string]: unknown;
}

export interface SystemLogQuery {
  /** Lower bound (inclusive), ISO 8601 or Date. Okta refuses more than 180 days ago. @default Okta's: 7 days before until */
  readonly since?: Date | string | undefined;
  /** Upper bound; giving it makes the query bounded. @default none (a polling query) */
  readonly until?: Date | string | undefined;
  /** A SCIM filter, e.g. `actor.id eq "00u1" or target.id eq "00u1"`. */
  readonly filter?: string | undefined;
  /** Keywords, each at most 40 characters. */
  readonly q?: string | undefined;
  /** Events a page, 1 to 1000. @default 1000 */
  readonly limit?: number | undefined;
  /** @default 'ASCENDING' */
  readonly sortOrder?: 'ASCENDING' | 'DESCENDING' | undefined;
  /** A cursor from a next link, to resume; not with `since`. */
  readonly after?: string | undefined;
}

/** Where to start: a new query, or a saved next URL. */
export type SystemLogStart = SystemLogQuery | { readonly resumeFrom: string };

export interface SystemLogPage {
  readonly events: OktaLogEvent[];
  /** The URL this page was read from. */
  readonly url: string;
  /** Save this to resume after this page. In polling mode the last (empty) page's is where the next poll starts. */
  readonly nextUrl: string | undefined;
  /** True for a polling query (no `until`). */
  readonly polling: boolean;
}

export const SYSTEM_LOG_PATH = '/api/v1/logs';
export const SYSTEM_LOG_MAX_LIMIT = 1000;
/** Okta refuses a `since` older than this. */
export const SYSTEM_LOG_MAX_SINCE_DAYS = 180;
/** Okta keeps events this long; older ones are not returned. */
export const SYSTEM_LOG_RETENTION_DAYS = 90;

const DAY_MS = 86_400_000;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Checks a query against Okta's rules and returns its query parameters. Throws `OktaConfigError` naming the
 * parameter, the value and the rule.
 * @param nowMs the clock to judge `since` by.
 */
export function systemLogQueryParams(query: SystemLogQuery, nowMs: number): Record<string, string> {
  const params: Record<string, string> = {};
  const since = query.since === undefined ? undefined : instant('since', query.since);
  const until = query.until === undefined ? undefined : instant('until', query.until);
  if (since !== undefined && until !== undefined && since >= until) {
    throw new OktaConfigError('since', `since ${iso(since)} is not before until ${iso(until)}; give a since earlier than until.`);
  }
  if (since !== undefined && since < nowMs - SYSTEM_LOG_MAX_SINCE_DAYS * DAY_MS) {
    throw new OktaConfigError(
      'since',
      `since ${iso(since)} is more than ${SYSTEM_LOG_MAX_SINCE_DAYS} days ago, which Okta refuses (and it keeps only ${SYSTEM_LOG_RETENTION_DAYS} days of events); give a since after ${iso(nowMs - SYSTEM_LOG_RETENTION_DAYS * DAY_MS)}.`,
    );
  }
  if (query.after !== undefined && since !== undefined) {
    throw new OktaConfigError('after', 'since and after cannot be combined (Okta refuses it); resume with after and the original until, without since.');
  }
  if (query.after !== undefined && !/^[\w.~:%=+/-]+$/.test(query.after)) {
    throw new OktaConfigError('after', `after ${JSON.stringify(query.after)} is not an Okta cursor; take it from a next link.`);
  }
  const limit = query.limit ?? SYSTEM_LOG_MAX_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > SYSTEM_LOG_MAX_LIMIT) {
    throw new OktaConfigError('limit', `limit ${limit} must be a whole number from 1 to ${SYSTEM_LOG_MAX_LIMIT} (Okta returns at most ${SYSTEM_LOG_MAX_LIMIT} events a page).`);
  }
  if (query.sortOrder !== undefined && query.sortOrder !== 'ASCENDING' && query.sortOrder !== 'DESCENDING') {
    throw new OktaConfigError('sortOrder', `sortOrder ${JSON.stringify(query.sortOrder)} must be ASCENDING or DESCENDING.`);
  }
  if (query.filter !== undefined && /\bpublished\b/.test(query.filter)) {
    throw new OktaConfigError('filter', 'filter cannot use published (Okta refuses it); bound the time with since and until instead.');
  }
  const longWord = query.q?.split(/\s+/).find((word) => word.length > 40);
  if (longWord) throw new OktaConfigError('q', `q has a keyword longer than 40 characters, which Okta refuses; use filter to match long values.`);

  if (since !== undefined) params.since = iso(since);
  if (until !== undefined) params.until = iso(until);
  if (query.after !== undefined) params.after = query.after;
  if (query.filter) params.filter = query.filter;
  if (query.q) params.q = query.q;
  params.limit = String(limit);
  params.sortOrder = query.sortOrder ?? 'ASCENDING';
  return params;
}

/** True when a query (by its parameters) is a polling one: no `until`, ascending. */
export function isPollingQuery(params: URLSearchParams): boolean {
  return !params.has('until') && (params.get('sortOrder') ?? 'ASCENDING') === 'ASCENDING';
}

/**
 * Reads the System Log page by page. A polling query stops after its first empty page (which it yields, for its
 * next link); a bounded one when there is no next link. Each page's `nextUrl` resumes right after it.
 */
export async function* systemLogPages(
  client: OktaClient,
  start: SystemLogStart,
  options: { readonly signal?: AbortSignal | undefined } = {},
): AsyncGenerator<SystemLogPage, void, undefined> {
  let url: URL;
  if ('resumeFrom' in start) {
    url = client.url(start.resumeFrom);
    if (url.pathname !== SYSTEM_LOG_PATH) {
      throw new OktaConfigError('resumeFrom', `The saved cursor ${url.pathname} is not a System Log URL (${SYSTEM_LOG_PATH}).`);
    }
  } else {
    url = client.url(SYSTEM_LOG_PATH, systemLogQueryParams(start, client.now()));
  }
  const polling = isPollingQuery(url.searchParams);
  for await (const page of client.pages<OktaLogEvent>(url.href, { signal: options.signal, stopAtEmptyPage: polling })) {
    yield { events: page.items, url: page.url, nextUrl: page.nextUrl, polling };
  }
}

function instant(name: string, value: Date | string): number {
  const ms = value instanceof Date ? value.getTime() : ISO_8601.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new OktaConfigError(name, `${name} ${JSON.stringify(value instanceof Date ? 'Invalid Date' : value)} is not an ISO 8601 date-time like 2026-11-25T00:00:00Z.`);
  }
  return ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
