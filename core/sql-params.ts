/**
 * Named parameters for the project's SQL files.
 *
 * Queries are written with `:name` placeholders (readable, reusable several times in one query) and run with
 * positional `?` parameters, which is what both Athena (`ExecutionParameters`) and DuckDB (prepared statements)
 * take. A value is bound, or a validated `SqlLiteral` that Athena writes into the text where it cannot take a
 * `?` (engines/sql-values.ts); nothing else is ever spliced into the text.
 */
import { SqlLiteral, type SqlParam, type SqlValue } from '../engines/sql-values.ts';

export type { SqlParam, SqlValue };

export interface CompiledSql {
  /** The SQL with every `:name` replaced by `?`. */
  readonly text: string;
  /** Parameter names in the order of the `?` placeholders (a name may repeat). */
  readonly names: readonly string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Replaces `:name` placeholders outside string literals, quoted identifiers and comments.
 * A `::` (a cast in some dialects) is left alone.
 */
export function compileNamedParams(sql: string): CompiledSql {
  let out = '';
  const names: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === ':' && next === ':') {
      out += '::';
      i += 2;
    } else if (c === ':' && next !== undefined && NAME_START.test(next) && !NAME_CHAR.test(sql[i - 1] ?? ' ')) {
      let j = i + 1;
      while (j < sql.length && NAME_CHAR.test(sql[j]!)) j++;
      names.push(sql.slice(i + 1, j));
      out += '?';
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, names };
}

/** Index just past the quote that closes the one at `start` (a doubled quote is an escaped quote). */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  throw new Error(`unterminated ${quote === "'" ? 'string literal' : 'quoted identifier'} starting at offset ${start}`);
}

/** Orders the values for the `?` placeholders; a missing name is an error that names it (extra values are ignored). */
export function bindNamedParams(compiled: CompiledSql, values: Readonly<Record<string, SqlParam>>, what = 'query'): SqlParam[] {
  const missing = [...new Set(compiled.names.filter((n) => !(n in values)))];
  if (missing.length > 0) throw new Error(`${what}: no value for parameter(s) ${missing.map((n) => `:${n}`).join(', ')}`);
  return compiled.names.map((n) => values[n]!);
}

/** A timestamp parameter as Athena and DuckDB both cast it: `2026-11-25 04:00:00.000` (UTC). */
export const sqlTimestamp = (d: Date): string => d.toISOString().replace('T', ' ').replace('Z', '');

/**
 * Threshold values as literals: a threshold may stand anywhere in a detection's query (`having count(*) >=
 * :min_failures`), and its value comes from the catalog or the validated configuration, not from events.
 */
export function thresholdLiterals(values: Readonly<Record<string, number | string>> | undefined): Record<string, SqlLiteral> {
  return Object.fromEntries(
    Object.entries(values ?? {}).map(([name, v]) => [name, typeof v === 'number' ? SqlLiteral.number(v) : SqlLiteral.text(v)]),
  );
}
