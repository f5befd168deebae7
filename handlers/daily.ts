/**
 * The daily snapshot invocation: the day before the scheduled time's day gets its per-user activity snapshot
 * and daily checks (core/daily.ts), then the new findings are notified. A failed query throws before anything
 * is notified; a retry reruns the same day, which replaces its partitions and notifies nothing twice.
 */
import { runDailySnapshot } from '../core/daily.ts';
import { countBy } from './hourly.ts';
import { recordNotified } from '../core/notification-ledger.ts';
import { notifiedIdentities } from './identities.ts';
import type { Runtime } from './runtime.ts';
import { dayBefore, scheduledTime } from './schedule.ts';

export interface DailyInvocationResult {
  /** The day snapshotted, `YYYY-MM-DD`. */
  readonly day: string;
  readonly users: number;
  readonly findings: number;
  /** Ids of the findings notified by this invocation. */
  readonly notified: readonly string[];
}

export async function dailyInvocation(runtime: Runtime, event: unknown, now: () => Date): Promise<DailyInvocationResult> {
  const day = dayBefore(scheduledTime(event, 'daily-snapshot'));
  runtime.log.info('daily snapshot starting', { day });
  const result = await runDailySnapshot({
    engine: runtime.engine,
    catalog: runtime.catalog,
    thresholds: runtime.thresholds,
    disabled: runtime.disabled,
    exclusions: runtime.exclusions,
    day,
    now,
  });
  const fresh = result.newFindings;
  runtime.log.info('daily snapshot done', {
    day,
    users: result.users,
    findings: result.findings.length,
    new: fresh.length,
    by_detection: countBy(result.findings.map((f) => f.detection)),
  });
  await runtime.notifier.notify(fresh, { identities: await notifiedIdentities(runtime, fresh) });
  // Only once the notification went out: a retry after a failed one notifies again (at least once).
  await recordNotified(runtime.engine, fresh, now);
  return { day, users: result.users, findings: result.findings.length, notified: fresh.map((f) => f.finding_id) };
}
