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
import { bindNamedParams, compileNamedParams, sqlTimestamp, type SqlParam } from './sql-params.ts';
import { SqlLiteral } from '../engines/sql-values.ts';
import { readSql } from './sql-files.ts';

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
 * Writes the ledger row of a finding notified outside a run (it is not in `findings` yet, so the row comes from the
 * finding itself), in a partition of its own named by its id, as core/notification-ledger.ts names its batches.
 * Event uuids that are not plain tokens (Okta's are UUIDs) are left out of the row rather than written into the query
 * text; the finding id still keeps the hourly run from telling the finding again.
 */
export async function recordNotifiedEarly(engine: QueryEngine, finding: Finding, now: () => Date): Promise<void> {
  const uuids = finding.event_uuids.filter((u) => /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(u));
  const template = readSql('core/sql/record-notified-early.sql').replace('{{event_uuids}}', () => uuids.map((_, i) => `:event_uuid_${i}`).join(', '));
  const compiled = compileNamedParams(template);
  const values: Record<string, SqlParam> = {
    finding_id: SqlLiteral.token(finding.finding_id),
    detection: SqlLiteral.token(finding.detection),
    notified_at: SqlLiteral.timestamp(sqlTimestamp(now())),
    ...Object.fromEntries(uuids.map((u, i) => [`event_uuid_${i}`, SqlLiteral.token(u)])),
  };
  const batch = `nrt-${createHash('sha256').update(finding.finding_id).digest('hex').slice(0, 16)}`;
  await engine.replacePartition(notified, { dt: finding.dt, batch }, [
    { sql: compiled.text, params: bindNamedParams(compiled, values, 'record-notified-early.sql'), label: 'record-notified-early.sql' },
  ]);
}
