/**
 * The near-real-time invocation: one Okta event, handed over by the EventBridge rule of one single-event detection
 * on the partner bus (modules/near-real-time.ts), whose input transformer sends
 * `{"detection": "<id>", "event": <the EventBridge event>}`. It builds the finding the hourly run will make of it
 * (core/near-real-time.ts), notifies it unless the ledger holds it already, and records it in the ledger, so the
 * hourly run stores it without telling it twice.
 *
 * The window is the hour the event reaches the lake: the events stream is partitioned by arrival (modules/firehose.ts),
 * and EventBridge hands the event to Firehose and to this function at the same moment, so the function's clock at the
 * start of the invocation names the same hour, but for an event arriving within moments of an hour's end or an
 * asynchronous retry. Then the ids differ and the ledger's uuid rule (core/notification-ledger.ts) still keeps the
 * hourly run from telling it again.
 */
import { alreadyNotified, nearRealTimeFinding, recordNotifiedEarly } from '../core/near-real-time.ts';
import { hourOf } from '../schema/layout.ts';
import { notifiedIdentities } from './identities.ts';
import { HandlerConfigError, type Runtime } from './runtime.ts';

export interface NearRealTimeResult {
  readonly detection: string;
  /** What happened to the event: notified, already notified, or why there is no finding. */
  readonly outcome: 'notified' | 'already-notified' | 'no-finding' | 'disabled';
  readonly finding_id?: string;
}

/** The input the rule's transformer writes; anything else is a wiring error, thrown so it lands in the failure queue. */
function parseInput(input: unknown): { detection: string; event: Record<string, unknown> } {
  const { detection, event } = (input ?? {}) as { detection?: unknown; event?: unknown };
  if (typeof detection !== 'string' || typeof event !== 'object' || event === null) {
    throw new HandlerConfigError('near-real-time: expected {"detection": "<id>", "event": <EventBridge event>} from the rule\'s input transformer');
  }
  return { detection, event: event as Record<string, unknown> };
}

export async function nearRealTimeInvocation(runtime: Runtime, input: unknown, now: () => Date): Promise<NearRealTimeResult> {
  const { detection: id, event } = parseInput(input);
  const arrival = hourOf(now());
  const detection = runtime.catalog.find((d) => d.id === id);
  if (!detection?.near_real_time) throw new HandlerConfigError(`near-real-time: detection "${id}" has no near-real-time path in this bundle's catalog`);
  // A detection switched off after the rule was deployed: the rule goes at the next deploy.
  if (runtime.disabled.has(id)) return { detection: id, outcome: 'disabled' };

  const finding = nearRealTimeFinding(detection, event.detail, arrival, runtime.exclusions.get(id));
  if (!finding) {
    runtime.log.info('near-real-time event makes no finding', { detection: id, uuid: (event.detail as { uuid?: unknown } | undefined)?.uuid });
    return { detection: id, outcome: 'no-finding' };
  }
  if (await alreadyNotified(runtime.engine, finding)) return { detection: id, outcome: 'already-notified', finding_id: finding.finding_id };
  await runtime.notifier.notify([finding], { identities: await notifiedIdentities(runtime, [finding]) });
  // Only once the notification went out: a retry after a failed one notifies again (at least once).
  await recordNotifiedEarly(runtime.engine, finding, now);
  runtime.log.info('near-real-time finding notified', { detection: id, finding_id: finding.finding_id, entity: finding.entity.id });
  return { detection: id, outcome: 'notified', finding_id: finding.finding_id };
}
