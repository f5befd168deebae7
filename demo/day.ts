/**
 * One UTC day of the demo, end to end: every user's ordinary local days that touch it, the planted
 * attacks, the cut to the UTC day, then delivery. This is where the other modules are composed; the
 * public `generateDay` lives here so that both the single-day writer (`generate.ts`) and the history
 * writer (`history.ts`) build a day the same way.
 */
import { addDays, parseDay } from '../schema/layout.ts';
import { buildOrg, type Org } from './org.ts';
import { Rng } from './prng.ts';
import { dayStartMs, HOUR } from './clock.ts';
import { plantAttacks, type PlantedAttack } from './attacks.ts';
import { deliver, type DeliveryStats } from './delivery.ts';
import { userLocalDay } from './normal-day.ts';
import { Sink } from './sink.ts';

export const DEFAULT_SEED = 7;

export interface GenerateDayOptions {
  /** The UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  /** @default DEFAULT_SEED */
  readonly seed?: number;
  /** Users in the org. @default 400 */
  readonly users?: number;
  /** Plant the attacks. @default true */
  readonly attacks?: boolean;
  /** Share of events delivered inside an EventBridge envelope. @default 0.05 */
  readonly envelopeShare?: number;
  /** Share of events Okta delivers twice. @default 0.003 */
  readonly duplicateShare?: number;
  /** The org, when the caller already built it for this seed and size. */
  readonly org?: Org;
}

export interface GeneratedDay extends DeliveryStats {
  readonly day: string;
  readonly seed: number;
  readonly org: Org;
  /** Users with at least one event of their own this day. */
  readonly activeUsers: number;
  /** NDJSON lines in arrival order, without line ends. */
  readonly lines: readonly string[];
  readonly attacks: readonly PlantedAttack[];
}

/** Every event published on the UTC `day`, before delivery, in published order. */
function dayEvents(org: Org, seed: number, day: string, attacks: boolean): { sink: Sink; attacks: PlantedAttack[] } {
  const sink = new Sink(org);
  const from = dayStartMs(day);
  const to = from + 24 * HOUR;
  // A user's local day can start the UTC day before (UTC+) or end the UTC day after (UTC-): build the
  // three local days that touch this UTC day and keep what falls inside it.
  for (const u of org.users) for (const local of [addDays(day, -1), day, addDays(day, 1)]) userLocalDay(sink, seed, u, local);
  const planted = attacks ? plantAttacks(sink, seed, day) : [];
  const kept = sink.events.filter((e) => {
    const t = Date.parse(e.published);
    return t >= from && t < to;
  });
  kept.sort((a, b) => a.published.localeCompare(b.published));
  sink.events.length = 0;
  sink.events.push(...kept);
  return { sink, attacks: planted };
}

export function generateDay(options: GenerateDayOptions): GeneratedDay {
  const day = parseDay(options.day);
  const seed = options.seed ?? DEFAULT_SEED;
  const org = options.org ?? buildOrg(seed, { users: options.users });
  const { sink, attacks } = dayEvents(org, seed, day, options.attacks ?? true);
  const { lines, stats } = deliver(Rng.derive(seed, `delivery:${day}`), sink.events, sink.forceDuplicate, options.envelopeShare ?? 0.05, options.duplicateShare ?? 0.003);
  const logins = new Set(org.users.map((u) => u.login));
  const active = new Set(sink.events.map((e) => e.actor.alternateId).filter((l) => logins.has(l)));
  return { day, seed, org, lines, attacks, activeUsers: active.size, ...stats };
}
