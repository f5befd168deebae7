/**
 * What the core needs from a SQL engine. Two implementations: DuckDB over a lake folder (local mode, tests)
 * and Athena over the S3 lake. Queries are Athena engine v3 (Trino) SQL with positional `?` parameters, each
 * bound or a validated literal (sql-values.ts); each engine translates or passes them through.
 */
import { parseDay } from '../schema/layout.ts';
import type { TableDef } from '../schema/types.ts';
import type { SqlParam, SqlQuery } from './sql-values.ts';

/** A result value. Timestamps come back as `YYYY-MM-DD HH:MM:SS[.fff]` text (UTC); arrays and maps should be
 * selected as JSON text (`json_format(cast(x as json))`) when code needs them. */
export type ResultValue = string | number | boolean | null;
export type ResultRow = Record<string, ResultValue>;

export interface QueryEngine {
  /** Runs one read-only query and returns every row. Fails (throws) when the query fails. */
  select(sql: string, params: readonly SqlParam[]): Promise<ResultRow[]>;
  /**
   * Replaces the contents of one partition of `table` with the rows of `selects` (all of them), whose columns
   * must be the table's data columns in order (partition columns excluded). Re-running it with the same inputs
   * leaves the same partition contents. The engine decides how many statements the selects take: Athena packs
   * them into as few INSERTs as its query length limit allows.
   */
  replacePartition(table: TableDef, partition: Readonly<Record<string, string>>, selects: readonly SqlQuery[]): Promise<void>;
  /**
   * Replaces the contents of one partition of `table` with `rows`, values the code already holds (the identity
   * inventory read from the Okta API), rather than the result of a query. Each row is an object keyed by the
   * table's data column names; a missing key or `undefined` is null. Only tables whose columns are all scalars
   * can be written this way. Strings, numbers, booleans as such; timestamps as ISO-8601 text or `Date`.
   *
   * Implementations: DuckDB (local) writes the Parquet file with engines/parquet-rows.ts and swaps the partition
   * folder in whole. Athena writes the same Parquet file to S3 under the partition's prefix, deletes the
   * partition's older objects, and registers the partition in Glue (`ALTER TABLE ... ADD IF NOT EXISTS PARTITION`),
   * as an INSERT would have.
   */
  writeRows(table: TableDef, partition: Readonly<Record<string, string>>, rows: readonly Readonly<Record<string, unknown>>[]): Promise<void>;
  /**
   * Deletes every partition of `table` that lies under `within`, except `keep`.
   *
   * `within` gives values for the table's FIRST partition keys, in key order and at least one (e.g. `{dt}` of
   * `activity`, whose keys are `dt, batch`): every partition whose leading values equal it is deleted, whatever
   * its other values. `keep`, when given, is one full partition under `within` that is left as it is.
   * Deleting partitions that do not exist is not an error, so re-running it is harmless.
   *
   * Used by the nightly activity snapshot: it first writes `{dt: day, batch: 'daily'}` with `replacePartition`,
   * then clears `within {dt: day}` keeping that partition, so the refresh batches written during the day are
   * gone and readers never see the day empty.
   *
   * Implementations: DuckDB (local) removes the partition folders under `<table>/dt=.../`. Athena deletes the
   * S3 objects under the table location's `dt=<day>/` prefix except those under `dt=<day>/batch=daily/`
   * (ListObjectsV2 + DeleteObjects; with partition projection there is no Glue partition to drop).
   * It throws when `within` is empty, names a key that is not a leading partition key of the table, or when
   * `keep` is not a full partition under `within`.
   */
  clearPartitions(
    table: TableDef,
    within: Readonly<Record<string, string>>,
    keep?: Readonly<Record<string, string>>,
  ): Promise<void>;
}

/**
 * Checks the arguments of `QueryEngine.clearPartitions` the same way for every engine; returns the partition keys
 * below `within` (those the partitions to delete differ in).
 */
export function checkClearPartitions(
  table: TableDef,
  within: Readonly<Record<string, string>>,
  keep?: Readonly<Record<string, string>>,
): string[] {
  const keys = Object.keys(within);
  const leading = table.partitionKeys.slice(0, keys.length);
  if (keys.length === 0 || keys.length > table.partitionKeys.length || keys.some((k, i) => k !== leading[i])) {
    throw new Error(
      `clearPartitions(${table.name}): "within" must give values for the first partition keys in order ` +
        `(${table.partitionKeys.join(', ')}), got {${keys.join(', ')}}`,
    );
  }
  for (const [k, v] of Object.entries(within)) {
    if (v === '' || /[/\\=]|\.\./.test(v)) throw new Error(`clearPartitions(${table.name}): bad partition value ${k}="${v}"`);
  }
  if (keep) {
    const keepKeys = Object.keys(keep);
    const full = keepKeys.length === table.partitionKeys.length && table.partitionKeys.every((k, i) => keepKeys[i] === k);
    if (!full || keys.some((k) => keep[k] !== within[k])) {
      throw new Error(
        `clearPartitions(${table.name}): "keep" must be a full partition (${table.partitionKeys.join(', ')}) under ` +
          `${JSON.stringify(within)}, got ${JSON.stringify(keep)}`,
      );
    }
  }
  return table.partitionKeys.slice(keys.length);
}

/** A partition value `writeRows` takes: letters, digits, `_` and `-` (a path segment and a DDL literal as it is). */
const WRITE_PARTITION_VALUE = /^[A-Za-z0-9_-]+$/;

/**
 * Checks the partition of `QueryEngine.writeRows` the same way for every engine and returns it in the table's key
 * order. The keys must be exactly the table's partition keys; each value a plain token (no `/`, `\`, `=`, `..`,
 * quote or space: it becomes a path segment, and Athena's ALTER TABLE takes it as a literal in the statement text,
 * since DDL has no parameters); `dt` a real date, YYYY-MM-DD.
 */
export function checkWritePartition(table: TableDef, partition: Readonly<Record<string, string>>): Record<string, string> {
  const given = Object.keys(partition);
  if (given.length !== table.partitionKeys.length || table.partitionKeys.some((k) => !Object.hasOwn(partition, k))) {
    throw new Error(`writeRows(${table.name}): partition keys are ${table.partitionKeys.join(', ')}, got ${given.join(', ') || 'none'}`);
  }
  const ordered: Record<string, string> = {};
  for (const key of table.partitionKeys) {
    const value = partition[key];
    if (typeof value !== 'string' || !WRITE_PARTITION_VALUE.test(value)) {
      throw new Error(`writeRows(${table.name}): bad partition value ${key}=${JSON.stringify(value)}: only letters, digits, _ and - are allowed`);
    }
    if (key === 'dt') parseDay(value, `writeRows(${table.name}): partition value dt`);
    ordered[key] = value;
  }
  return ordered;
}
