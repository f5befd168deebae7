/**
 * The sink that collects a day's events while it is built. The normal working day and the planted attacks
 * both write here, in whatever order they produce events; the day composer (`day.ts`) then keeps what falls
 * inside the UTC day and sorts it. The sink also carries the org (so event builders can name its policies
 * and apps), the uuids that must be delivered twice, and the shape of an event before its time and actor
 * are known (`EventBody`), which the shared event fragments use.
 */
import { buildEvent, type EventSpec, type LogEvent } from './events.ts';
import type { Org } from './org.ts';
import type { Rng } from './prng.ts';

/** An event spec without its time and actor: what a fragment shared by several events fixes. */
export type EventBody = Omit<EventSpec, 'at' | 'actor'>;

/** Where events go while one day is built. */
export class Sink {
  readonly events: LogEvent[] = [];
  /** uuids that Okta must deliver twice (to show that each event counts once). */
  readonly forceDuplicate = new Set<string>();

  constructor(readonly org: Org) {}

  emit(rng: Rng, spec: EventSpec): LogEvent {
    const e = buildEvent(rng, spec);
    this.events.push(e);
    return e;
  }
}
