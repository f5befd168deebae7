/**
 * The stand-in's System Log storage and its two orders, as Okta describes them:
 * - storage (persistence) order, for polling queries: the seeded events by position, then events added while the
 *   server runs, in the order they were added (an event can be stored long after its `published` time);
 * - `(published, uuid)` order, for bounded queries, merging both.
 * https://developer.okta.com/docs/reference/system-log-query/#polling-requests
 */
import { compareEvents, type EventSource, type StandInLogEvent } from './events.ts';

export interface StoredEvent {
  readonly event: StandInLogEvent;
  readonly publishedMs: number;
  /** When Okta stored it: `published` for seeded events, the moment of `add` for added ones. */
  readonly persistedMs: number;
}

/** A bounded query's position: the last (published, uuid) returned. */
export interface EventKey {
  readonly publishedMs: number;
  readonly uuid: string;
}

export class EventStore {
  readonly #seeded: EventSource;
  readonly #added: StoredEvent[] = [];
  #addedByPublished: StoredEvent[] = [];

  constructor(seeded: EventSource) {
    this.#seeded = seeded;
  }

  /** Positions in storage order: 0 .. size-1. */
  get size(): number {
    return this.#seeded.count + this.#added.length;
  }

  add(events: readonly StandInLogEvent[], persistedMs: number): void {
    for (const event of events) this.#added.push({ event, publishedMs: Date.parse(event.published), persistedMs });
    this.#addedByPublished = [...this.#added].sort((a, b) => compareEvents(a.event, b.event));
  }

  /** The event at a storage position. */
  atPosition(position: number): StoredEvent {
    const seededCount = this.#seeded.count;
    if (position < seededCount) {
      const event = this.#seeded.at(position);
      const ms = Date.parse(event.published);
      return { event, publishedMs: ms, persistedMs: ms };
    }
    return this.#added[position - seededCount]!;
  }

  /** The first storage position stored at or after `ms`. */
  firstPositionStoredFrom(ms: number): number {
    const seededCount = this.#seeded.count;
    const inSeeded = lowerBound(seededCount, (i) => Date.parse(this.#seeded.at(i).published) >= ms);
    if (inSeeded < seededCount) return inSeeded;
    const inAdded = this.#added.findIndex((e) => e.persistedMs >= ms);
    return inAdded < 0 ? this.size : seededCount + inAdded;
  }

  /** Events in (published, uuid) order within [sinceMs, untilMs), strictly after/before `from`. */
  *byPublished(direction: 'ASCENDING' | 'DESCENDING', sinceMs: number, untilMs: number, from?: EventKey): Generator<StoredEvent> {
    const seeded = { length: this.#seeded.count, get: (i: number) => this.atPosition(i) };
    const added = { length: this.#addedByPublished.length, get: (i: number) => this.#addedByPublished[i]! };
    const ascending = direction === 'ASCENDING';
    // First index on or after the start, in each list, in the direction of travel.
    const startOf = (list: { length: number; get: (i: number) => StoredEvent }) => {
      if (ascending) {
        return lowerBound(list.length, (i) => {
          const e = list.get(i);
          return from ? compareKey(e, from) > 0 : e.publishedMs >= sinceMs;
        });
      }
      return (
        lowerBound(list.length, (i) => {
          const e = list.get(i);
          return from ? compareKey(e, from) >= 0 : e.publishedMs >= untilMs;
        }) - 1
      );
    };
    let a = startOf(seeded);
    let b = startOf(added);
    const step = ascending ? 1 : -1;
    const inRange = (i: number, length: number) => i >= 0 && i < length;
    for (;;) {
      const ea = inRange(a, seeded.length) ? seeded.get(a) : undefined;
      const eb = inRange(b, added.length) ? added.get(b) : undefined;
      if (!ea && !eb) return;
      const takeA = !eb || (ea !== undefined && (ascending ? compareEvents(ea.event, eb.event) <= 0 : compareEvents(ea.event, eb.event) >= 0));
      const next = takeA ? ea! : eb!;
      if (takeA) a += step;
      else b += step;
      if (next.publishedMs >= untilMs) {
        if (ascending) return;
        continue;
      }
      if (next.publishedMs < sinceMs) {
        if (!ascending) return;
        continue;
      }
      yield next;
    }
  }
}

function compareKey(e: StoredEvent, key: EventKey): number {
  return e.publishedMs - key.publishedMs || (e.event.uuid < key.uuid ? -1 : e.event.uuid > key.uuid ? 1 : 0);
}

/** The first index in [0, length) where `isAtOrAfter` holds (it must be monotone); `length` if none. */
function lowerBound(length: number, isAtOrAfter: (index: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isAtOrAfter(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
