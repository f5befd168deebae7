/**
 * The demo data generator: a seeded, realistic day of Okta System Log events for Acme Robotics (see
 * `org.ts`), with a handful of attacks mixed in that the hourly detections catch, delivered the way Log
 * Streaming delivers: mostly bare LogEvents, some EventBridge envelopes, a few duplicate deliveries, in
 * arrival order. Also N days of history, streamed to a file one day at a time (for the benchmark).
 *
 * Deterministic: the same seed, day and org size give byte-identical output. Each user's local day is drawn
 * from its own generator (seed, user, local date), so consecutive UTC days join up without gaps or
 * repeats, and the day of a UTC-8 user that runs past midnight UTC continues in the next file.
 *
 * This is the entry point; the work is done by: `day.ts` (one UTC day, composed from the rest),
 * `normal-day.ts` (a user's ordinary day), `sign-in.ts` (sign-in, SSO, sign-out and their event shapes),
 * `admin-work.ts` (Admin Console sign-on and routine administration), `attacks.ts` (the planted attacks),
 * `delivery.ts` (envelopes, duplicates, arrival order), `sink.ts` (where a day's events collect),
 * `ndjson.ts` (the file writer), `history.ts` (N days to one file) and `clock.ts` (time arithmetic).
 */
import { createWriteStream } from 'node:fs';
import { generateDay, type GenerateDayOptions, type GeneratedDay } from './day.ts';
import { closeStream, writeLines } from './ndjson.ts';

export { DEFAULT_SEED, generateDay } from './day.ts';
export type { GenerateDayOptions, GeneratedDay } from './day.ts';
export type { PlantedAttack } from './attacks.ts';
export type { DeliveryStats } from './delivery.ts';
export { writeHistory } from './history.ts';
export type { HistoryOptions, HistoryStats } from './history.ts';

export type WrittenDay = Omit<GeneratedDay, 'lines'> & { readonly file: string; readonly bytes: number };

/** Generates the day and writes it to `file` as NDJSON in arrival order. */
export async function writeDay(file: string, options: GenerateDayOptions): Promise<WrittenDay> {
  const { lines, ...rest } = generateDay(options);
  const stream = createWriteStream(file);
  const bytes = await writeLines(stream, lines);
  await closeStream(stream);
  return { ...rest, file, bytes };
}
