/**
 * What the core needs from a SQL engine. Two implementations: DuckDB over a lake folder (local mode, tests)
 * and Athena over the S3 lake. Queries are Athena engine v3 (Trino) SQL with positional `?` parameters;
 * each engine translates or passes them through.
 */
import type { SqlValue } from '../core/sql-params.ts';
import type { TableDef } from '../schema/types.ts';

/** A result value. Timestamps come back as `YYYY-MM-DD HH:MM:SS[.fff]` text (UTC); arrays and maps should be
 * selected as JSON text (`json_format(cast(x as json))`) when code needs them. */
export type ResultValue = string | number | boolean | null;
export type ResultRow = Record<string, ResultValue>;

export interface QueryEngine {
  /** Runs one read-only query and returns every row. Fails (throws) when the query fails. */
  select(sql: string, params: readonly SqlValue[]): Promise<ResultRow[]>;
  /**
   * Replaces the contents of one partition of `table` with the rows of `select`, whose columns must be the
   * table's data columns in order (partition columns excluded). Re-running it with the same inputs leaves
   * the same partition contents.
   */
  replacePartition(table: TableDef, partition: Readonly<Record<string, string>>, select: string, params: readonly SqlValue[]): Promise<void>;
}
