/**
 * The `findings` table: one row per finding of a detection run.
 *
 * `finding_id` is a hash of (detection, entity, window), so re-running a window rewrites the same ids and
 * nobody is notified twice. Partitions: `dt` is the window's start date; `run` names the run that wrote the
 * rows (`hourly-HH`, `daily`, or `refresh-<user hash>`), and a run replaces only its own partition.
 */
import { array, bigint, string, timestamp, type RowOf, type TableDef } from './types.ts';

export const findingColumns = {
  finding_id: string,
  detection: string,
  title: string,
  severity: string,
  entity_type: string,
  entity_id: string,
  window_start: timestamp,
  window_end: timestamp,
  first_seen: timestamp,
  last_seen: timestamp,
  event_count: bigint,
  event_uuids: array(string),
  actors: array(string),
  ips: array(string),
  summary: string,
  detected_at: timestamp,
} as const;

export const findings: TableDef<typeof findingColumns> = {
  name: 'findings',
  description: 'Detection findings; finding_id is stable across re-runs of the same window.',
  location: 'findings',
  columns: findingColumns,
  partitionKeys: ['dt', 'run'],
};

export type FindingRow = RowOf<typeof findingColumns> & { dt: string; run: string };
