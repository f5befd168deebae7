/**
 * How the CLI talks: results on stdout, progress and logs on stderr. With `--json` stdout carries only
 * one JSON document, so scripts can pipe it.
 */
import type { Finding } from '../core/findings.ts';
export { findingJson } from '../core/findings.ts';
import type { ResultRow } from '../engines/query-engine.ts';

export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** stderr is a terminal (progress bars are drawn only then). */
  readonly interactive: boolean;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

/** One line per finding, most severe first: `HIGH  okta-password-spray  ip 203.0.113.9  12 events  ...`. */
export function findingLines(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return ['no findings'];
  return table(
    findings.map((f) => ({
      severity: f.severity,
      detection: f.detection,
      entity: `${f.entity.type} ${f.entity.id}`,
      events: f.event_count,
      window: `${f.window_start.slice(0, 16)}Z`,
      summary: f.summary,
    })),
  );
}

const MAX_CELL = 60;

/** A plain text table; long cells are cut with an ellipsis. */
export function table(rows: readonly ResultRow[], columns: readonly string[] = Object.keys(rows[0] ?? {})): string[] {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
  };
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}
