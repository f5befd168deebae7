/**
 * How a `?` value travels to Athena. A validated `SqlLiteral` is written into the query text in place of its
 * `?` (`renderForAthena`): Athena takes execution parameters only in a WHERE clause. Every other value is an
 * execution parameter: `StartQueryExecution.ExecutionParameters` is a list of strings, and
 * Athena reads each one as the SQL text of a literal, not as a value. So
 *
 * - a string is sent as a quoted literal, `'it''s'`: wrapped in single quotes with every single quote doubled
 *   (Trino string literals have no backslash escapes, so doubling is the whole escaping). The Athena guide:
 *   "For SQL execution parameters to be treated as strings, they must be enclosed in single quotes";
 * - a number is sent bare (`20`, `1.5`); NaN and infinities have no literal and are refused;
 * - a boolean is sent as `true` / `false`;
 * - `null` is sent as the literal `NULL`. The API has no null marker (every element must be a string of
 *   1..1024 characters), but since the text is parsed as SQL, `NULL` yields an untyped SQL null that Trino
 *   coerces to whatever the context needs (`coalesce(?, x)`, `x = ?`, `cast(? as varchar)`). Where nothing
 *   gives it a type (a bare `? as col` in one branch of a union), write `cast(? as varchar)` in the SQL.
 *
 * A value is never spliced into the query text: the text keeps its `?` and the literal travels beside it.
 */
import { SqlLiteral, type SqlParam, type SqlValue } from '../sql-values.ts';

/** Athena's limit on one element of `ExecutionParameters`. */
export const MAX_PARAMETER_LENGTH = 1024;

/** The SQL literal text Athena expects for one `?` value. */
export function executionParameter(value: SqlValue, position = 1): string {
  let text: string;
  if (value === null) text = 'NULL';
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`parameter ${position}: ${value} has no SQL literal; pass a finite number`);
    text = String(value);
  } else if (typeof value === 'string') text = `'${value.replaceAll("'", "''")}'`;
  else throw new Error(`parameter ${position}: unsupported value of type ${typeof value}`);
  if (text.length > MAX_PARAMETER_LENGTH) {
    throw new Error(
      `parameter ${position}: its literal is ${text.length} characters; Athena takes at most ${MAX_PARAMETER_LENGTH} per execution parameter`,
    );
  }
  return text;
}

/** The `ExecutionParameters` list, or `undefined` when there are none (Athena rejects an empty list). */
export function executionParameters(values: readonly SqlValue[]): string[] | undefined {
  return values.length === 0 ? undefined : values.map((v, i) => executionParameter(v, i + 1));
}

/** Offsets of the `?` placeholders outside string literals, quoted identifiers and comments. */
export function placeholderOffsets(sql: string): number[] {
  const offsets: number[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      i++;
      while (i < sql.length) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else {
      if (c === '?') offsets.push(i);
      i++;
    }
  }
  return offsets;
}

/** Number of `?` placeholders outside string literals, quoted identifiers and comments. */
export const countPlaceholders = (sql: string): number => placeholderOffsets(sql).length;

/**
 * The text Athena runs and the values it binds: each `SqlLiteral` written in place of its `?`, every other value
 * left as a `?` with its value in `bound`, in order. The placeholder count must match the parameters.
 */
export function renderForAthena(sql: string, params: readonly SqlParam[]): { text: string; bound: SqlValue[] } {
  const offsets = placeholderOffsets(sql);
  if (offsets.length !== params.length) {
    throw new Error(`query "${sql.trim().split('\n', 1)[0]}" has ${offsets.length} ? placeholder(s) but ${params.length} value(s) were given`);
  }
  let text = '';
  let from = 0;
  const bound: SqlValue[] = [];
  offsets.forEach((at, i) => {
    const p = params[i]!;
    text += sql.slice(from, at) + (p instanceof SqlLiteral ? p.sql : '?');
    if (!(p instanceof SqlLiteral)) bound.push(p);
    from = at + 1;
  });
  return { text: text + sql.slice(from), bound };
}
