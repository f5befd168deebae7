/**
 * The near-real-time path of single-event detections (their `near_real_time` metadata): an EventBridge rule on the
 * partner bus hands each matching Okta event to a function within a minute, which notifies the finding at once,
 * instead of 20-80 minutes later when the hourly run reads the hour.
 *
 * It is the hourly finding, told early: the same id (a hash of detection, entity and window start, as
 * core/sql/finding-from-detection.sql computes it, the window being the hour the event arrives in), the same
 * channels, and an entry in the `notified` ledger with the event's uuid. When the hourly run finds it, the ledger
 * holds its id (or, when the event arrived across an hour boundary from the function's clock, every uuid behind it),
 * so it is recorded in `findings` without a second message (core/notification-ledger.ts).
 */
import { createHash } from 'node:crypto';
import type { QueryEngine } from '../engines/query-engine.ts';
import { notified } from '../schema/notified.ts';
import { addHours, hourStart, type Hour } from '../schema/layout.ts';
import type { Detection, Severity } from './catalog.ts';
import { matchesPattern } from './event-pattern.ts';
import { isExcluded, type DetectionExclusions } from './exclusions.ts';
import type { Finding } from './findings.ts';
import { hourlyRunName } from './hourly.ts';
import { isNew, notifiedAround } from './notification-ledger.ts';
import { sqlTimestamp } from './sql-params.ts';

/** The parts of an Okta LogEvent the near-real-time path reads (Okta's field names, as the partner bus carries them). */
interface LogEventParts {
  uuid?: unknown;
  published?: unknown;
  eventType?: unknown;
  displayMessage?: unknown;
  actor?: { id?: unknown; alternateId?: unknown; displayName?: unknown } | null;
  client?: { ipAddress?: unknown } | null;
  outcome?: { result?: unknown } | null;
  target?: readonly ({ id?: unknown; alternateId?: unknown; displayName?: unknown; type?: unknown } | null)[] | null;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && v !== 'null' ? v : undefined);

/** The finding id the hourly run gives a finding of this detection, entity and window (finding-from-detection.sql). */
export function hourlyFindingId(detection: string, entityType: string, entityId: string, window: Hour): string {
  const key = `${detection}|${entityType}|${entityId}|${sqlTimestamp(hourStart(window))}`;
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The entity the detection's query names for this event, or undefined when it names none. */
export function nearRealTimeEntity(detection: Detection, event: LogEventParts): { type: string; id: string } | undefined {
  const spec = detection.near_real_time?.entity;
  if (!spec) return undefined;
  const source = spec.from === 'actor' ? event.actor : (event.target ?? []).find((t) => t?.type === spec.target_type);
  const id = spec.fields.map((f) => text(source?.[f])).find((v) => v !== undefined) ?? spec.fallback;
  return id === undefined ? undefined : { type: spec.type, id };
}

/**
 * The finding one event makes, for the window of `arrival` (the hour it reaches the lake), or undefined when the
 * event does not match the detection's pattern, names no entity, or is excluded.
 */
export function nearRealTimeFinding(
  detection: Detection,
  event: unknown,
  arrival: Hour,
  exclusions?: DetectionExclusions,
): Finding | undefined {
  const nrt = detection.near_real_time;
  if (!nrt || !matchesPattern(event, nrt.pattern)) return undefined;
  const e = event as LogEventParts;
  const uuid = text(e.uuid);
  const published = text(e.published);
  const entity = nearRealTimeEntity(detection, e);
  if (!uuid || !published || Number.isNaN(Date.parse(published)) || !entity) return undefined;
  const actor = text(e.actor?.alternateId) ?? text(e.actor?.id);
  const ip = text(e.client?.ipAddress);
  if (exclusions && isExcluded(exclusions, { ip, users: [text(e.actor?.alternateId), text(e.actor?.id), entity.type === 'user' ? entity.id : undefined] })) return undefined;
  if (exclusions && entity.type === 'ip' && isExcluded(exclusions, { ip: entity.id, users: [] })) return undefined;

  const severity: Severity = nrt.raise.find((r) => matchesPattern(event, r.when))?.severity ?? detection.severity;
  const targets = (e.target ?? []).map((t) => text(t?.alternateId) ?? text(t?.displayName) ?? text(t?.id)).filter((t) => t !== undefined);
  const start = hourStart(arrival);
  const at = new Date(published).toISOString();
  return {
    finding_id: hourlyFindingId(detection.id, entity.type, entity.id, arrival),
    detection: detection.id,
    title: detection.title,
    severity,
    entity,
    window_start: start.toISOString(),
    window_end: hourStart(addHours(arrival, 1)).toISOString(),
    first_seen: at,
    last_seen: at,
    event_count: 1,
    event_uuids: [uuid],
    actors: actor ? [actor] : [],
    ips: ip ? [ip] : [],
    summary:
      `${text(e.eventType) ?? 'event'} (${text(e.outcome?.result) ?? 'no outcome'}) by ${actor ?? 'an unknown actor'}` +
      `${targets.length ? ` on ${targets.join(', ')}` : ''}${ip ? ` from ${ip}` : ''}` +
      `${text(e.displayMessage) ? `: ${text(e.displayMessage)}` : ''}. Told as it arrived; the hourly run adds the rest of the hour.`,
    dt: arrival.dt,
    run: hourlyRunName(arrival),
  };
}

/** Whether the ledger already holds `finding` (by id, or by its event for the same detection). */
export async function alreadyNotified(engine: QueryEngine, finding: Finding): Promise<boolean> {
  return !isNew(finding, await notifiedAround(engine, finding.dt));
}

/**
 * Writes the ledger rows of findings notified outside a run (they are not in `findings` yet, so the rows come from
 * the findings themselves), one partition per call, named by the ids it holds, as core/notification-ledger.ts does.
 */
export async function recordNotifiedEarly(engine: QueryEngine, findings: readonly Finding[], now: () => Date): Promise<void> {
  const byDt = new Map<string, Finding[]>();
  for (const f of findings) byDt.set(f.dt, [...(byDt.get(f.dt) ?? []), f]);
  for (const [dt, group] of byDt) {
    const ids = [...new Set(group.map((f) => f.finding_id))].sort();
    const batch = `nrt-${createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 16)}`;
    const at = sqlTimestamp(now());
    await engine.writeRows(
      notified,
      { dt, batch },
      group.map((f) => ({ finding_id: f.finding_id, detection: f.detection, event_uuids: [...f.event_uuids], notified_at: at })),
    );
  }
}
