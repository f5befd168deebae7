/** Whether SQL is valid Trino (what Athena engine v3 runs), with polyglot's Trino grammar: for the tests and checks. */
import { Dialect, parse } from '@polyglot-sql/sdk';

/** Parses with the Trino grammar; returns the parser's message when the SQL is not valid Trino. */
export function trinoParseError(sql: string): string | undefined {
  const result = parse(sql, Dialect.Trino);
  return result.success ? undefined : (result.error ?? 'unknown parse error');
}
