/**
 * Runs a set of detections for one window and writes their findings as one partition of `findings`.
 * Engine-agnostic: the same code runs on DuckDB locally and on Athena in the Lambdas.
 */
import type { QueryEngine } from '../engines/query-engine.ts';
import { findings as findingsTable } from '../schema/findings.ts';
import type { Detection, ThresholdValue } from './catalog.ts';
import { compareFindings, findingFromRow, type Finding } from './findings.ts';
import { isNew, notifiedAround } from './notification-ledger.ts';
import { bindNamedParams, compileNamedParams, sqlTimestamp, type SqlValue } from './sql-params.ts';
import { asSubquery, boundSql, readSql } from './sql-files.ts';

/** How many event uuids a finding keeps (the issue asks for at least 20). */
export const MAX_EVENT_UUIDS = 100;

/** What every run needs: the engine, the catalog with its settings, and the clock. */
export interface RunContext {
  readonly engine: QueryEngine;
  readonly catalog: readonly Detection[];
  readonly thresholds: ReadonlyMap<string, Readonly<Record<string, ThresholdValue>>>;
  /** Detection ids switched off by configuration. @default none */
  readonly disabled?: ReadonlySet<string>;
  readonly now: () => Date;
}

export interface DetectionWindow {
  /** Start and end of the window the findings belong to, `YYYY-MM-DD HH:MM:SS.sss` UTC, end excluded. */
  readonly start: string;
  readonly end: string;
  /** The `findings` partition this run owns and replaces. */
  readonly partition: { readonly dt: string; readonly run: string };
}

export interface DetectionRunInput {
  readonly engine: QueryEngine;
  readonly detections: readonly Detection[];
  readonly window: DetectionWindow;
  /** The parameters one detection's query may use: its thresholds, partition bounds, the day, a user id... */
  readonly paramsFor: (detection: Detection) => Readonly<Record<string, SqlValue>>;
  readonly now: () => Date;
}

export interface DetectionRunResult {
  /** Every finding of the window, most severe first. */
  readonly findings: readonly Finding[];
  /** The findings not notified before (see core/notification-ledger.ts): the ones to notify, then record. */
  readonly newFindings: readonly Finding[];
}


/** The findings SQL of one detection, with its parameters in placeholder order. */
export function findingsQuery(detection: Detection, input: Omit<DetectionRunInput, 'engine' | 'detections'>): { sql: string; params: SqlValue[] } {
  const wrapper = readSql('core/sql/finding-from-detection.sql');
  const text = wrapper.replace('{{detection_query}}', () => asSubquery(detection.sql));
  const compiled = compileNamedParams(text);
  const values: Record<string, SqlValue> = {
    ...input.paramsFor(detection),
    detection_id: detection.id,
    detection_title: detection.title,
    detection_severity: detection.severity,
    finding_window_start: input.window.start,
    finding_window_end: input.window.end,
    detected_at: sqlTimestamp(input.now()),
    max_event_uuids: MAX_EVENT_UUIDS,
  };
  return { sql: compiled.text, params: bindNamedParams(compiled, values, `detection ${detection.id}`) };
}

export async function runDetections(input: DetectionRunInput): Promise<DetectionRunResult> {
  const { engine, window } = input;
  const notifiedSoFar = await notifiedAround(engine, window.partition.dt);

  const branches = input.detections.map((d) => findingsQuery(d, input));
  const union =
    branches.length > 0
      ? branches.map((b) => b.sql).join('\nunion all\n')
      : // No detection enabled: the partition is still rewritten, empty.
        `select ${Object.keys(findingsTable.columns).map((c) => `null as ${c}`).join(', ')} where false`;
  await engine.replacePartition(findingsTable, window.partition, union, branches.flatMap((b) => b.params));

  const read = boundSql('core/sql/findings-of-run.sql', window.partition);
  const rows = await engine.select(read.sql, read.params);
  const findings = rows.map(findingFromRow).sort(compareFindings);
  // Each id once: a partition read back while a concurrent re-run wrote it could hold a row twice.
  const seen = new Set<string>();
  const newFindings = findings.filter((f) => isNew(f, notifiedSoFar) && !seen.has(f.finding_id) && seen.add(f.finding_id));
  return { findings, newFindings };
}
