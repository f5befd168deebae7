/**
 * Findings about the past. Detections run over history (what `okta-lake backfill --detect` does) find things that
 * happened days or weeks ago: recorded like any finding (the findings table and the notification ledger), but
 * announced as one summary rather than one message each, and without the near-time escalation, which is about
 * acting now.
 */
import { compareFindings, type Finding } from './findings.ts';

export interface HistorySummary {
  readonly findings: number;
  /** `[detection, severity, count]`, in the order of each detection's most severe finding (compareFindings). */
  readonly byDetection: readonly (readonly [string, string, number])[];
  /** The entities with the most findings, `[entity, count]`, at most 10. */
  readonly topEntities: readonly (readonly [string, number])[];
  readonly firstWindow: string | undefined;
  readonly lastWindow: string | undefined;
}

export function summarizeHistory(findings: readonly Finding[]): HistorySummary {
  const sorted = [...findings].sort(compareFindings);
  const byDetection = new Map<string, { severity: string; count: number }>();
  const byEntity = new Map<string, number>();
  for (const f of sorted) {
    const d = byDetection.get(f.detection) ?? { severity: f.severity, count: 0 };
    byDetection.set(f.detection, { ...d, count: d.count + 1 });
    const entity = `${f.entity.type} ${f.entity.id}`;
    byEntity.set(entity, (byEntity.get(entity) ?? 0) + 1);
  }
  const windows = findings.map((f) => f.window_start).sort();
  return {
    findings: findings.length,
    byDetection: [...byDetection.entries()].map(([id, d]) => [id, d.severity, d.count] as const),
    topEntities: [...byEntity.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10),
    firstWindow: windows[0],
    lastWindow: windows.at(-1),
  };
}

/** The summary as lines for a person. */
export function historyLines(summary: HistorySummary): string[] {
  if (summary.findings === 0) return ['history: no findings'];
  const lines = [`history: ${summary.findings} finding(s) in windows from ${summary.firstWindow} to ${summary.lastWindow} (recorded, summarized, not escalated)`];
  for (const [id, severity, count] of summary.byDetection) lines.push(`  ${severity.padEnd(8)} ${id}: ${count}`);
  if (summary.topEntities.length) lines.push(`  most findings: ${summary.topEntities.map(([e, n]) => `${e} (${n})`).join(', ')}`);
  lines.push('  see them with: okta-lake query --lake DIR --file investigations/latest-findings.sql ...');
  return lines;
}
