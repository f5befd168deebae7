/**
 * The hourly detections invocation: derive the arrival hour from the schedule, run every enabled hourly
 * detection over it (core/hourly.ts writes the findings partition and tells which findings are new), then
 * notify the new ones. A failed query throws before anything is notified, so the invocation fails and
 * Lambda's async retry reruns the same hour.
 *
 * Gap recovery asks for hours again through the re-run queue (SQS, one record per invocation): each message is the
 * input the Scheduler sends, `{"scheduled_time": "<the hour after>"}`, so the same window logic runs exactly that
 * hour. A failed re-run throws, so the message is received again and, after its last receive, dead-lettered.
 */
import { isSqsEvent, sqsJsonBodies } from './sqs-event.ts';
import { runHourly } from '../core/hourly.ts';
import { hourLabel } from '../schema/layout.ts';
import { recordNotified } from '../core/notification-ledger.ts';
import { notifiedIdentities } from './identities.ts';
import type { Runtime } from './runtime.ts';
import { hourBefore, scheduledTime } from './schedule.ts';

export interface HourlyInvocationResult {
  /** The arrival hour run, `YYYY-MM-DDTHH`. */
  readonly hour: string;
  readonly findings: number;
  /** Ids of the findings notified by this invocation (those not in the lake before it). */
  readonly notified: readonly string[];
}

export async function hourlyInvocation(runtime: Runtime, event: unknown, now: () => Date): Promise<HourlyInvocationResult> {
  const hour = hourBefore(scheduledTime(event, 'hourly-detections'));
  runtime.log.info('hourly run starting', { hour: hourLabel(hour) });
  const result = await runHourly({
    engine: runtime.engine,
    catalog: runtime.catalog,
    thresholds: runtime.thresholds,
    disabled: runtime.disabled,
    exclusions: runtime.exclusions,
    hour,
    now,
  });
  const fresh = result.newFindings;
  runtime.log.info('hourly run done', {
    hour: hourLabel(hour),
    findings: result.findings.length,
    new: fresh.length,
    by_detection: countBy(result.findings.map((f) => f.detection)),
  });
  await runtime.notifier.notify(fresh, { identities: await notifiedIdentities(runtime, fresh) });
  // Only once the notification went out: a retry after a failed one notifies again (at least once).
  await recordNotified(runtime.engine, fresh, now);
  return { hour: hourLabel(hour), findings: result.findings.length, notified: fresh.map((f) => f.finding_id) };
}

/** What the function's entry point runs: a Scheduler event, or an SQS event of the re-run queue (each record one hour, in order). */
export async function hourlyEntry(runtime: Runtime, event: unknown, now: () => Date): Promise<HourlyInvocationResult | HourlyInvocationResult[]> {
  if (!isSqsEvent(event)) return hourlyInvocation(runtime, event, now);
  const results: HourlyInvocationResult[] = [];
  for (const { messageId, body } of sqsJsonBodies(event, 'hourly-detections')) {
    runtime.log.info('hourly re-run requested', { message: messageId, scheduled_time: (body as { scheduled_time?: unknown })?.scheduled_time });
    results.push(await hourlyInvocation(runtime, body, now));
  }
  return results;
}

export const countBy = (values: readonly string[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};
