/**
 * Athena's rules for a query text, checked with the Trino parser (polyglot), not with patterns:
 * - "Currently, ? parameters can be placed only in the WHERE clause. Syntax like SELECT ? FROM table is not
 *   supported" (Athena user guide, "Use parameterized queries", considerations and limitations);
 * - "The maximum allowed query string length is 262144 bytes" (Athena service quotas).
 */
import { Dialect, parse } from '@polyglot-sql/sdk';

/** Where each `?` of a query stands: the clause of the innermost SELECT holding it (`where_clause`, `expressions`, `having`...). */
export function placeholderClauses(sql: string): string[] {
  const result = parse(sql, Dialect.Trino);
  if (!result.success) throw new Error(`not valid Trino SQL: ${result.error ?? 'unknown error'}\n${sql.slice(0, 300)}`);
  const clauses: string[] = [];
  const visit = (node: unknown, clause: string): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, clause);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === 'placeholder') clauses.push(clause);
      else if (key === 'select' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        // A SELECT: each of its parts is a clause of its own; nested SELECTs start again.
        for (const [part, child] of Object.entries(value as Record<string, unknown>)) visit(child, part);
      } else visit(value, clause);
    }
  };
  visit(result.ast, 'statement');
  return clauses;
}

/** The clauses of the placeholders that stand outside a WHERE clause (an empty list when the query obeys the rule). */
export const placeholdersOutsideWhere = (sql: string): string[] => placeholderClauses(sql).filter((c) => c !== 'where_clause');
