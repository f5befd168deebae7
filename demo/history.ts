/**
 * N consecutive days of the demo in one NDJSON file, for the benchmark. Days are generated and written one
 * at a time, so memory holds one day, never the history; and since each day is exactly what
 * `generateDay` gives for it, the history and the single days agree line for line.
 */
import { createWriteStream } from 'node:fs';
import { addDays, parseDay } from '../schema/layout.ts';
import { buildOrg } from './org.ts';
import { DEFAULT_SEED, generateDay } from './day.ts';
import type { DeliveryStats } from './delivery.ts';
import { closeStream, writeLines } from './ndjson.ts';

export interface HistoryOptions {
  /** The last UTC day, `YYYY-MM-DD`. */
  readonly lastDay: string;
  /** How many days, ending with `lastDay`. */
  readonly days: number;
  /** @default DEFAULT_SEED */
  readonly seed?: number;
  /** @default 400 */
  readonly users?: number;
  /** Plant the attacks on the last day. @default false */
  readonly attacksOnLastDay?: boolean;
  /** Called after each day is written. */
  readonly onDay?: (day: string, stats: DeliveryStats) => void;
}

export interface HistoryStats extends DeliveryStats {
  readonly file: string;
  readonly bytes: number;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly days: number;
}

/**
 * Writes `days` consecutive days to `file`, one day at a time: memory holds one day, never the history.
 * Day `d` of the history is exactly `generateDay({day: d})` with the same seed and org size.
 */
export async function writeHistory(file: string, options: HistoryOptions): Promise<HistoryStats> {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(options.days) || options.days < 1) throw new Error(`days: ${options.days} is not a positive whole number`);
  const lastDay = parseDay(options.lastDay, 'lastDay');
  const firstDay = addDays(lastDay, -(options.days - 1));
  const org = buildOrg(seed, { users: options.users });
  const stream = createWriteStream(file);
  const totals = { events: 0, deliveries: 0, envelopes: 0, duplicates: 0, bytes: 0 };
  try {
    for (let i = 0; i < options.days; i++) {
      const day = addDays(firstDay, i);
      const g = generateDay({ day, seed, org, attacks: options.attacksOnLastDay === true && day === lastDay });
      totals.bytes += await writeLines(stream, g.lines);
      totals.events += g.events;
      totals.deliveries += g.deliveries;
      totals.envelopes += g.envelopes;
      totals.duplicates += g.duplicates;
      options.onDay?.(day, g);
    }
  } finally {
    await closeStream(stream);
  }
  return { file, firstDay, lastDay, days: options.days, ...totals };
}
