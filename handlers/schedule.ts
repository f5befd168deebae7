/**
 * The window a scheduled invocation works on comes from the schedule's own time
 * (`{"scheduled_time": "<aws.scheduler.scheduled-time>"}`), never from the clock: EventBridge Scheduler
 * retries an invocation with the same input, so a retry (or a late start) reruns the same window.
 *
 * - hourly detections fire at HH:20 for the arrival hour HH-1 (the hour before the scheduled time's hour),
 *   once Firehose has flushed its buffers for it;
 * - the daily snapshot fires after midnight UTC for the day before the scheduled time's day.
 */
import { addDays, dayOf, hourOf, hourStart, parseIsoInstant, type Hour } from '../schema/layout.ts';
import type { ScheduledInput } from './env.ts';

/** The scheduled time of a Scheduler invocation; the error says what input was expected. */
export function scheduledTime(event: unknown, handler: string): Date {
  const value = typeof event === 'object' && event !== null ? (event as Partial<ScheduledInput>).scheduled_time : undefined;
  const expected = `expected {"scheduled_time": "<aws.scheduler.scheduled-time>"}, e.g. {"scheduled_time": "2026-11-25T05:20:00Z"}`;
  if (typeof value !== 'string') throw new Error(`${handler}: the event has no scheduled_time; ${expected}; got ${JSON.stringify(event)}`);
  const t = parseIsoInstant(value);
  if (!t) throw new Error(`${handler}: scheduled_time ${JSON.stringify(value)} is not an ISO-8601 instant with a zone; ${expected}`);
  return t;
}

/** The arrival hour an hourly run at `scheduled` covers: the UTC hour before the scheduled time's hour. */
export const hourBefore = (scheduled: Date): Hour => {
  const hour = hourOf(scheduled);
  return hourOf(new Date(hourStart(hour).getTime() - 3_600_000));
};

/** The day a daily run at `scheduled` covers: the UTC day before the scheduled time's day. */
export const dayBefore = (scheduled: Date): string => addDays(dayOf(scheduled), -1);
