/**
 * `GET /api/v1/logs` as Okta serves it: polling queries (no `until`) in storage order with a next link on every
 * page, bounded queries in `published` order with no next link on the last page; `since` inclusive, `until`
 * exclusive; `filter` (SCIM subset) and `q`; `limit` capped at 1000 (default 100); `since` more than 180 days ago
 * refused; events older than 90 days not returned. Next links keep the query and add an opaque `after` cursor.
 * https://developer.okta.com/docs/reference/system-log-query/
 */
import type { EventKey, EventStore, StoredEvent } from './event-store.ts';
import { oktaError } from './okta-errors.ts';
import { linkHeaders, type StandInReply, type StandInRequest } from './routes.ts';
import { FilterSyntaxError, parseFilter, type Predicate } from './scim-filter.ts';

const DAY_MS = 86_400_000;

export interface SystemLogApiOptions {
  readonly store: EventStore;
  readonly now: () => number;
}

/**
 * @param emptyPage answer an empty page whose next link resumes where this request started (a fault a test
 * injects: in polling mode the client must stop there; in bounded mode it must carry on).
 */
export function systemLogReply(request: StandInRequest, options: SystemLogApiOptions, emptyPage = false): StandInReply {
  const { store } = options;
  const now = options.now();
  const q = request.url.searchParams;
  const bad = (code: string, summary: string, causes: string[] = []): StandInReply => ({ status: 400, json: oktaError(code, summary, causes) });

  const parseTime = (name: string): number | undefined | 'invalid' => {
    const raw = q.get(name);
    if (raw === null || raw === '') return undefined;
    const ms = Date.parse(raw);
    return Number.isNaN(ms) ? 'invalid' : ms;
  };
  const since = parseTime('since');
  const until = parseTime('until');
  for (const [name, value] of [['since', since], ['until', until]] as const) {
    if (value === 'invalid') {
      return bad('E0000001', `Api validation failed: '${name}': The date format in your query is not recognized. Please enter dates using ISO8601 string format.`);
    }
  }
  const sinceMs = since as number | undefined;
  const untilMs = until as number | undefined;
  if (sinceMs !== undefined && sinceMs < now - 180 * DAY_MS) {
    return bad('E0000053', 'Invalid parameter: The since parameter is over 180 days prior to the current day.');
  }
  let filter: Predicate = () => true;
  const filterText = q.get('filter');
  if (filterText) {
    if (/\bpublished\b/.test(filterText)) return bad('E0000053', `Invalid filter '${filterText}': published is not a filterable attribute.`);
    try {
      filter = parseFilter(filterText);
    } catch (error) {
      if (error instanceof FilterSyntaxError) return bad('E0000053', error.message);
      throw error;
    }
  }
  const keywords = (q.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const retentionStart = now - 90 * DAY_MS;
  const matches = (stored: StoredEvent) => {
    if (stored.publishedMs < retentionStart || !filter(stored.event)) return false;
    if (!keywords.length) return true;
    const text = JSON.stringify(stored.event).toLowerCase();
    return keywords.every((k) => text.includes(k));
  };
  const limitParam = Number(q.get('limit') ?? 100);
  const limit = Math.min(1000, Math.max(1, Number.isFinite(limitParam) ? Math.floor(limitParam) : 100));
  const after = q.get('after');
  const sortOrder = q.get('sortOrder') === 'DESCENDING' ? 'DESCENDING' : 'ASCENDING';
  const polling = untilMs === undefined && sortOrder === 'ASCENDING';

  const events: unknown[] = [];
  let nextCursor: string | undefined;
  if (polling) {
    let position: number;
    if (after) {
      const decoded = decodeCursor(after);
      if (decoded?.kind !== 'position') return bad('E0000001', "Api validation failed: 'after': invalid cursor");
      position = decoded.position;
    } else {
      position = store.firstPositionStoredFrom(Math.max(sinceMs ?? now - 7 * DAY_MS, retentionStart));
    }
    while (!emptyPage && position < store.size && events.length < limit) {
      const stored = store.atPosition(position++);
      if (matches(stored)) events.push(stored.event);
    }
    nextCursor = encodeCursor({ kind: 'position', position }); // a polling query's next link is always there
  } else {
    const end = untilMs ?? now;
    const start = sinceMs ?? end - 7 * DAY_MS;
    let from: EventKey | undefined;
    if (after) {
      const decoded = decodeCursor(after);
      if (decoded?.kind !== 'key') return bad('E0000001', "Api validation failed: 'after': invalid cursor");
      from = decoded.key;
    }
    let last: StoredEvent | undefined;
    let more = false;
    if (emptyPage) return { json: [], headers: { link: linkHeaders(request.url, request.url) } };
    for (const stored of store.byPublished(sortOrder, Math.max(start, retentionStart), end, from)) {
      if (!matches(stored)) continue;
      if (events.length === limit) {
        more = true;
        break;
      }
      events.push(stored.event);
      last = stored;
    }
    if (more && last) nextCursor = encodeCursor({ kind: 'key', key: { publishedMs: last.publishedMs, uuid: last.event.uuid } });
  }

  let next: URL | undefined;
  if (nextCursor) {
    next = new URL(request.url.href);
    next.searchParams.set('after', nextCursor);
  }
  return { json: events, headers: { link: linkHeaders(request.url, next) } };
}

type Cursor = { kind: 'position'; position: number } | { kind: 'key'; key: EventKey };

function encodeCursor(cursor: Cursor): string {
  const text = cursor.kind === 'position' ? `p:${cursor.position}` : `k:${cursor.key.publishedMs}:${cursor.key.uuid}`;
  return Buffer.from(text).toString('base64url');
}

function decodeCursor(value: string): Cursor | undefined {
  const text = Buffer.from(value, 'base64url').toString();
  const position = /^p:(\d+)$/.exec(text);
  if (position) return { kind: 'position', position: Number(position[1]) };
  const key = /^k:(\d+):(.+)$/.exec(text);
  if (key) return { kind: 'key', key: { publishedMs: Number(key[1]), uuid: key[2]! } };
  return undefined;
}
