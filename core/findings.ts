/** A finding as the core hands it to notifiers and printers, read back from the `findings` table. */
import type { ResultRow } from '../engines/query-engine.ts';
import { SEVERITIES, type Severity } from './catalog.ts';
import { jsonListOf, numberOf, textOf } from './result-values.ts';

export interface Finding {
  readonly finding_id: string;
  readonly detection: string;
  readonly title: string;
  readonly severity: Severity;
  readonly entity: { readonly type: string; readonly id: string };
  readonly window_start: string;
  readonly window_end: string;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly event_count: number;
  readonly event_uuids: readonly string[];
  readonly actors: readonly string[];
  readonly ips: readonly string[];
  readonly summary: string;
  readonly dt: string;
  readonly run: string;
}

/** Most severe first, by the catalog's SEVERITIES; a severity the catalog does not know last. */
export function compareSeverities(a: string, b: string): number {
  return (SEVERITIES as readonly string[]).indexOf(b) - (SEVERITIES as readonly string[]).indexOf(a);
}

/** Timestamps as ISO-8601 UTC (`2026-11-25T04:00:00.000Z`), whichever engine's text form they came in. */
export function isoTimestamp(value: string): string {
  if (value === '') return value;
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

export function findingFromRow(row: ResultRow): Finding {
  return {
    finding_id: textOf(row, 'finding_id'),
    detection: textOf(row, 'detection'),
    title: textOf(row, 'title'),
    severity: textOf(row, 'severity') as Severity,
    entity: { type: textOf(row, 'entity_type'), id: textOf(row, 'entity_id') },
    window_start: isoTimestamp(textOf(row, 'window_start')),
    window_end: isoTimestamp(textOf(row, 'window_end')),
    first_seen: isoTimestamp(textOf(row, 'first_seen')),
    last_seen: isoTimestamp(textOf(row, 'last_seen')),
    event_count: numberOf(row, 'event_count'),
    event_uuids: jsonListOf(row, 'event_uuids'),
    actors: jsonListOf(row, 'actors'),
    ips: jsonListOf(row, 'ips'),
    summary: textOf(row, 'summary'),
    dt: textOf(row, 'dt'),
    run: textOf(row, 'run'),
  };
}

/** Most severe first, then by detection and entity: the order people read findings in. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareSeverities(a.severity, b.severity) ||
    a.detection.localeCompare(b.detection) ||
    a.entity.id.localeCompare(b.entity.id) ||
    a.window_start.localeCompare(b.window_start)
  );
}

/**
 * EventBridge `source` and `detail-type` of the finding events the notifier puts on the bus (and the escalation
 * rule and refresh-user match).
 */
export const FINDING_EVENT = { source: 'okta-log-lake', detailType: 'Okta Detection Finding' } as const;

/** A finding as `detect --json` prints it and the EventBridge finding event carries it. */
export function findingJson(f: Finding) {
  return {
    finding_id: f.finding_id,
    detection: f.detection,
    title: f.title,
    severity: f.severity,
    entity: f.entity,
    window_start: f.window_start,
    window_end: f.window_end,
    first_seen: f.first_seen,
    last_seen: f.last_seen,
    event_count: f.event_count,
    event_uuids: f.event_uuids,
    actors: f.actors,
    ips: f.ips,
    summary: f.summary,
  };
}
