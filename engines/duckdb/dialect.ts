/**
 * Athena engine v3 (Trino) SQL to DuckDB SQL. The translation is polyglot's Trino -> DuckDB transpiler;
 * what it leaves as Trino function calls is supplied by the macros in `trino-compat.sql`.
 */
import { Dialect, parse, transpile } from '@polyglot-sql/sdk';

const cache = new Map<string, string>();

export function trinoToDuckDb(sql: string): string {
  const hit = cache.get(sql);
  if (hit !== undefined) return hit;
  const result = transpile(sql, Dialect.Trino, Dialect.DuckDB);
  if (!result.success || !result.sql || result.sql.length !== 1) {
    throw new Error(`cannot translate Athena SQL to DuckDB: ${result.error ?? `expected one statement, got ${result.sql?.length ?? 0}`}`);
  }
  const out = result.sql[0]!;
  cache.set(sql, out);
  return out;
}

/** Parses with the Trino grammar; returns the parser's message when the SQL is not valid Trino. */
export function trinoParseError(sql: string): string | undefined {
  const result = parse(sql, Dialect.Trino);
  return result.success ? undefined : (result.error ?? 'unknown parse error');
}
