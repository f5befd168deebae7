/**
 * Delivery as Okta Log Streaming does it: a day's events, in published order, become NDJSON lines in
 * arrival order. Most lines are bare LogEvents; a share arrive wrapped in an EventBridge envelope a few
 * seconds late (with the envelope time cut to whole seconds, as EventBridge writes it); a few are
 * delivered twice, so the ingest's de-duplication has something to do. The planted attacks can force a
 * duplicate of a particular event.
 */
import type { LogEvent } from './events.ts';
import type { Rng } from './prng.ts';
import { SEC } from './clock.ts';

export interface DeliveryStats {
  /** Distinct events (uuids). */
  readonly events: number;
  /** NDJSON lines: events plus duplicate deliveries. */
  readonly deliveries: number;
  /** Lines that are EventBridge envelopes. */
  readonly envelopes: number;
  /** Lines that repeat an event already delivered. */
  readonly duplicates: number;
}

const EVENTBRIDGE_SOURCE = 'aws.partner/okta.com/acme-robotics/okta-log-lake';

const envelopeLine = (rng: Rng, e: LogEvent, timeMs: number): string =>
  JSON.stringify({
    version: '0',
    id: `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`,
    'detail-type': 'SystemLog',
    source: EVENTBRIDGE_SOURCE,
    account: '123456789012',
    time: new Date(Math.floor(timeMs / SEC) * SEC).toISOString().replace('.000Z', 'Z'),
    region: 'us-east-1',
    resources: [],
    detail: e,
  });

/** Events in `published` order, as lines in arrival order: some enveloped (arriving a few seconds later), some twice. */
export function deliver(
  rng: Rng,
  events: readonly LogEvent[],
  forceDuplicate: ReadonlySet<string>,
  envelopeShare: number,
  duplicateShare: number,
): { lines: string[]; stats: DeliveryStats } {
  const out: { arrival: number; seq: number; line: string }[] = [];
  let envelopes = 0;
  let duplicates = 0;
  for (const e of events) {
    const published = Date.parse(e.published);
    const enveloped = rng.chance(envelopeShare);
    const deliverAt = (arrival: number) => {
      if (enveloped) {
        envelopes++;
        out.push({ arrival: Math.floor(arrival / SEC) * SEC, seq: out.length, line: envelopeLine(rng, e, arrival) });
      } else {
        out.push({ arrival, seq: out.length, line: JSON.stringify(e) });
      }
    };
    const first = enveloped ? published + rng.int(800, 25_000) : published;
    deliverAt(first);
    if (forceDuplicate.has(e.uuid) || rng.chance(duplicateShare)) {
      duplicates++;
      deliverAt(first + rng.int(2, 240) * SEC);
    }
  }
  out.sort((a, b) => a.arrival - b.arrival || a.seq - b.seq);
  return { lines: out.map((o) => o.line), stats: { events: events.length, deliveries: out.length, envelopes, duplicates } };
}
