/**
 * The `notified` table: the ledger of findings whose notification went out. A run treats a finding as new
 * unless the ledger holds it, and a run's caller writes the ledger only after notifying succeeded: a re-run
 * or a retry never notifies twice, and a notification that failed is sent again by the retry instead of
 * being forgotten (at least once). Keeping each finding's event uuids lets a later hour recognize an event
 * Okta delivered twice, across the hour boundary, as already reported.
 *
 * Partitions: `dt` is the finding's `dt`; `batch` is the run plus a hash of the ids recorded, so each
 * notification adds its own partition and none replaces another.
 */
import { array, string, timestamp, type RowOf, type TableDef } from './types.ts';

export const notifiedColumns = {
  finding_id: string,
  detection: string,
  event_uuids: array(string),
  notified_at: timestamp,
} as const;

export const notified: TableDef<typeof notifiedColumns> = {
  name: 'notified',
  description: 'Findings whose notification went out (the ledger that keeps notifications at least once and at most once per finding).',
  location: 'notified',
  columns: notifiedColumns,
  partitionKeys: ['dt', 'batch'],
};

export type NotifiedRow = RowOf<typeof notifiedColumns> & { dt: string; batch: string };
