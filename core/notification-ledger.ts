/**
 * Which findings are new, and the record that they were notified (schema/notified.ts explains why a
 * ledger and not the findings table itself: a notification that fails must be retried, not forgotten).
 */
import { createHash } from 'node:crypto';
import type { QueryEngine } from '../engines/query-engine.ts';
import { addDays } from '../schema/layout.ts';
import { notified } from '../schema/notified.ts';
import type { Finding } from './findings.ts';
import { SqlLiteral } from '../engines/sql-values.ts';
import { sqlTimestamp } from './sql-params.ts';
import { jsonListOf } from './result-values.ts';
import { boundSql, boundSqlWithList } from './sql-files.ts';

export interface NotifiedSoFar {
  readonly findingIds: ReadonlySet<string>;
  /** Event uuids already reported, by detection. */
  readonly uuidsByDetection: ReadonlyMap<string, ReadonlySet<string>>;
}

/** What the ledger holds for the days around `dt` (a window's findings can be reported a day apart). */
export async function notifiedAround(engine: QueryEngine, dt: string): Promise<NotifiedSoFar> {
  const q = boundSql('core/sql/notified-findings.sql', { from_dt: addDays(dt, -1), to_dt: addDays(dt, 1) });
  const rows = await engine.select(q.sql, q.params);
  const findingIds = new Set<string>();
  const uuidsByDetection = new Map<string, Set<string>>();
  for (const row of rows) {
    findingIds.add(String(row.finding_id));
    const detection = String(row.detection);
    let uuids = uuidsByDetection.get(detection);
    if (!uuids) uuidsByDetection.set(detection, (uuids = new Set()));
    for (const u of jsonListOf(row, 'event_uuids')) uuids.add(u.toLowerCase());
  }
  return { findingIds, uuidsByDetection };
}

/**
 * A finding is new unless it was notified already, or every event behind it was already reported by the
 * same detection (Okta delivered an event again, and the copy arrived in the next hour).
 */
export function isNew(finding: Finding, so: NotifiedSoFar): boolean {
  if (so.findingIds.has(finding.finding_id)) return false;
  const reported = so.uuidsByDetection.get(finding.detection);
  if (!reported || finding.event_uuids.length === 0) return true;
  return finding.event_uuids.some((u) => !reported.has(u.toLowerCase()));
}

/**
 * Records that `findings` were notified: call it after the notification succeeded. Each (dt, run) of the
 * findings gets a ledger partition of its own, named by the ids it holds, so recording twice is harmless.
 */
export async function recordNotified(engine: QueryEngine, findings: readonly Finding[], now: () => Date): Promise<void> {
  const byRun = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.dt}\u0000${f.run}`;
    byRun.set(key, [...(byRun.get(key) ?? []), f]);
  }
  for (const group of byRun.values()) {
    const { dt, run } = group[0]!;
    const ids = [...new Set(group.map((f) => f.finding_id))].sort();
    const batch = `${run}-${createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 16)}`;
    // The finding ids come back from the lake: bound, in the WHERE clause.
    // The finding ids come back from the lake: bound, in the WHERE clause.
    const values = { dt: SqlLiteral.date(dt), run: SqlLiteral.token(run), notified_at: SqlLiteral.timestamp(sqlTimestamp(now())) };
    await engine.replacePartition(notified, { dt, batch }, [boundSqlWithList('core/sql/record-notified.sql', 'finding_ids', ids, values)]);
  }
}
