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
  /**
   * Width of stdout in columns when stdout is a terminal: tables are fitted to it. When stdout is not a
   * terminal (piped, redirected) a table is printed whole, so `| grep` and `> file` lose nothing.
   * @default undefined: nothing is cut
   */
  readonly columns?: number;
  /** Where progress bars are drawn. @default process.stderr */
  readonly progressStream?: NodeJS.WritableStream;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interactive: Boolean(process.stderr.isTTY),
  get columns() {
    return process.stdout.isTTY ? process.stdout.columns : undefined;
  },
};

/**
 * One line per finding, most severe first: `HIGH  okta-password-spray  ip 203.0.113.9  12 events  ...`;
 * `width` as for `table`.
 */
export function findingLines(findings: readonly Finding[], width?: number): string[] {
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
    { width },
  );
}

/** No column is narrowed below this many characters, however narrow the terminal. */
const MIN_CELL = 8;
const GAP = '  ';

export interface TableOptions {
  /** The columns, in order. @default the keys of the first row */
  readonly columns?: readonly string[];
  /**
   * The terminal's width (`Io.columns`): the widest columns are narrowed, their long cells cut with an
   * ellipsis, until a line fits. @default undefined: nothing is cut
   */
  readonly width?: number;
}

/** A plain text table: a header, a rule, one line per row, columns two spaces apart. */
export function table(rows: readonly ResultRow[], options: TableOptions = {}): string[] {
  const { columns = Object.keys(rows[0] ?? {}), width } = options;
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const full = [columns.map(String), ...rows.map((r) => columns.map((c) => text(r[c])))];
  const natural = columns.map((_, i) => Math.max(...full.map((row) => row[i]!.length)));
  const cap = width === undefined ? Infinity : widestFitting(natural, width - GAP.length * (columns.length - 1));
  const cut = (s: string) => (s.length > cap ? `${s.slice(0, cap - 1)}…` : s);
  const [header, ...cells] = full.map((row) => row.map(cut));
  const widths = natural.map((w) => Math.min(w, cap));
  const line = (values: readonly string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join(GAP).trimEnd();
  return [line(header!), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}

/** The largest column width cap (at least MIN_CELL) with which columns of `natural` widths fit in `room`. */
function widestFitting(natural: readonly number[], room: number): number {
  let cap = Math.max(MIN_CELL, ...natural);
  const total = (c: number) => natural.reduce((sum, w) => sum + Math.min(w, c), 0);
  while (cap > MIN_CELL && total(cap) > room) cap--;
  return cap;
}
