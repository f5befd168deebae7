/**
 * Rows the code holds (the identity inventory) as one Parquet file, for `QueryEngine.writeRows`: the DuckDB engine
 * writes these bytes into the local lake, the Athena engine puts the same bytes in S3, so what Athena reads is what
 * the DuckDB tests read. Written with hyparquet-writer (pure JavaScript, no native code in the Lambda bundle).
 *
 * The file holds the table's data columns in the table's order (partition keys live in the folder names, never in
 * the file), every column OPTIONAL, SNAPPY-compressed (Athena reads SNAPPY Parquet, and the Glue tables declare
 * `parquet.compression = SNAPPY`). Types:
 *
 * | schema    | Parquet                                                                                  |
 * | --------- | ---------------------------------------------------------------------------------------- |
 * | string    | BYTE_ARRAY, STRING (converted UTF8)                                                      |
 * | bigint    | INT64                                                                                    |
 * | int       | INT32                                                                                    |
 * | double    | DOUBLE                                                                                   |
 * | boolean   | BOOLEAN, PLAIN-encoded                                                                   |
 * | timestamp | INT64, TIMESTAMP(isAdjustedToUTC=false, unit=MILLIS), converted type TIMESTAMP_MILLIS      |
 *
 * Why that timestamp: the lake's `timestamp` columns are zone-less UTC wall-clock values (Glue `timestamp`, DuckDB
 * `TIMESTAMP` with the session in UTC), and Athena's own timestamps are millisecond precision.
 * - Milliseconds: "Amazon Athena and AWS Glue can handle only millisecond precision for TIMESTAMP values" (AWS DMS
 *   guide, S3 target, ParquetTimestampInMillisecond); INT64 millis are also what Trino's own Parquet writer emits for a
 *   `timestamp(3)` (trinodb/trino#9465: `timestampType(false, MILLIS)`), so it is the reader's home ground.
 * - isAdjustedToUTC=false (local semantics): Trino's Hive connector reads the stored value as is; with `true` it
 *   shifts INT64 timestamps into `hive.parquet.time-zone` (trinodb/trino#22577, Trino 452 on), so the value would
 *   depend on a reader setting. DuckDB reads `false` as TIMESTAMP, the type the rest of the lake has, and `true`
 *   as TIMESTAMP WITH TIME ZONE (checked with DuckDB 1.5: `+00` would then appear in the text results and the
 *   `union_by_name` views would mix two types).
 * - The legacy converted type TIMESTAMP_MILLIS as well: the Parquet format's LogicalTypes.md says writers must also
 *   annotate local timestamps with the legacy TIMESTAMP_MILLIS/MICROS so readers that only know converted types read
 *   them as timestamps (DuckDB's own writer does the same, with MICROS).
 *
 * A value is taken only in the column's own type; anything else is an error naming the table, the row, the column
 * and the value, before any byte is written. A missing key, `undefined` or `null` is SQL null. Zero rows still make
 * a valid file (schema, no row group), which both engines read as an empty partition.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { parseIsoInstant } from '../schema/layout.ts';
import type { ColumnType, ScalarKind, TableDef } from '../schema/types.ts';

type WriteOptions = Parameters<typeof parquetWriteBuffer>[0];
type SchemaElement = NonNullable<WriteOptions['schema']>[number];
type ColumnSource = WriteOptions['columnData'][number];

/** hyparquet-writer's version, named in the file's `created_by` (a parseable `<app> version <v>`, so readers keep its statistics). */
const CREATED_BY = 'hyparquet-writer version 0.17.0';

/** One row group up to this many rows (the inventory is 10k-100k rows a day: one or a few row groups). */
const ROW_GROUP_ROWS = 100_000;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The Parquet schema element of one column. */
function schemaElement(name: string, kind: ScalarKind): SchemaElement {
  const optional = { name, repetition_type: 'OPTIONAL' } as const;
  switch (kind) {
    case 'string':
      return { ...optional, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'bigint':
      return { ...optional, type: 'INT64' };
    case 'int':
      return { ...optional, type: 'INT32' };
    case 'double':
      return { ...optional, type: 'DOUBLE' };
    case 'boolean':
      return { ...optional, type: 'BOOLEAN' };
    case 'timestamp':
      return {
        ...optional,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MILLIS' },
      };
  }
}

const isScalar = (t: ColumnType): t is Extract<ColumnType, { kind: ScalarKind }> =>
  t.kind !== 'map' && t.kind !== 'array' && t.kind !== 'struct';

/** The table's columns as scalar kinds, in order; throws when a column is not a scalar. */
export function scalarColumns(table: TableDef): [name: string, kind: ScalarKind][] {
  return Object.entries(table.columns).map(([name, type]) => {
    if (!isScalar(type)) {
      throw new Error(`writeRows(${table.name}): column "${name}" is a ${type.kind}; only tables whose columns are all scalars can be written from rows`);
    }
    return [name, type.kind];
  });
}

/** The Parquet schema of a table's file: a root, then one OPTIONAL element per data column in table order. */
export function parquetSchema(table: TableDef): SchemaElement[] {
  const columns = scalarColumns(table);
  return [{ name: 'root', num_children: columns.length }, ...columns.map(([name, kind]) => schemaElement(name, kind))];
}

/** `YYYY-MM-DD HH:MM:SS[.fff]`, UTC: how the engines return timestamps (and Athena and DuckDB print them). */
const SQL_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?$/;

/**
 * Epoch milliseconds of a timestamp value, or undefined when it is not one: a valid `Date`, ISO-8601 text with a zone
 * (`2026-11-25T04:05:06.789Z`, `...+02:00`), or `YYYY-MM-DD HH:MM:SS[.fff]` text read as UTC. Calendar fields are
 * checked as written (no 2024-02-30 rolling over to March). Digits below the millisecond are dropped (truncated).
 */
export function timestampMillis(value: unknown): number | undefined {
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isNaN(t) ? undefined : t;
  }
  if (typeof value !== 'string') return undefined;
  // The SQL form is the ISO form with a space for the `T` and no zone (UTC). parseIsoInstant checks the calendar
  // fields strictly; Date.parse (V8) keeps the first three fraction digits and drops the rest.
  return parseIsoInstant(SQL_TIMESTAMP.test(value) ? `${value.replace(' ', 'T')}Z` : value)?.getTime();
}

/** A value as an error message shows it: JSON-like, cut at 80 characters. */
function shown(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : `Date(${value.toISOString()})`;
  if (typeof value === 'function' || typeof value === 'symbol') return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** A lone UTF-16 surrogate: TextEncoder would silently write U+FFFD in its place. */
const LONE_SURROGATE = /\p{Cs}/u;

/** The value to hand hyparquet-writer for one cell, or an explanation of why the value does not fit the column. */
function cell(
  kind: ScalarKind,
  value: unknown,
  parsed: Map<string, number | undefined>,
): { ok: true; value: string | number | bigint | boolean | null } | { ok: false; why: string } {
  if (value === undefined || value === null) return { ok: true, value: null };
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') return { ok: false, why: 'is not a string' };
      if (LONE_SURROGATE.test(value)) return { ok: false, why: 'holds a lone UTF-16 surrogate (not valid text)' };
      return { ok: true, value };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, why: 'is not a boolean' };
    case 'double':
      if (typeof value !== 'number') return { ok: false, why: 'is not a number' };
      return Number.isFinite(value) ? { ok: true, value } : { ok: false, why: 'is not a finite number' };
    case 'int':
    case 'bigint': {
      let n: bigint;
      if (typeof value === 'bigint') n = value;
      else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
      else return { ok: false, why: `is not a whole number (${kind})` };
      if (kind === 'int') {
        return n >= BigInt(INT32_MIN) && n <= BigInt(INT32_MAX) ? { ok: true, value: Number(n) } : { ok: false, why: 'is out of the 32-bit int range' };
      }
      return n >= INT64_MIN && n <= INT64_MAX ? { ok: true, value: n } : { ok: false, why: 'is out of the 64-bit bigint range' };
    }
    case 'timestamp': {
      // Many rows share a timestamp text (collected_at, Okta's creation dates): parse each text once per file.
      let t: number | undefined;
      if (typeof value === 'string') {
        if (parsed.has(value)) t = parsed.get(value);
        else parsed.set(value, (t = timestampMillis(value)));
      } else t = timestampMillis(value);
      return t === undefined
        ? { ok: false, why: 'is not a timestamp (a Date, ISO-8601 text with a zone, or YYYY-MM-DD HH:MM:SS[.fff] in UTC)' }
        : { ok: true, value: BigInt(t) };
    }
  }
}

/**
 * The rows as the bytes of one Parquet file with the table's data columns. Throws, naming the table, the row index,
 * the column and the value, on a row that is not an object, a key that is not a data column (partition keys
 * included), or a value not of its column's type; and on a table with a non-scalar column.
 */
export function encodeParquetRows(table: TableDef, rows: readonly Readonly<Record<string, unknown>>[]): Uint8Array {
  const schema = parquetSchema(table);
  const columns = scalarColumns(table);
  const data = columns.map(() => new Array<string | number | bigint | boolean | null>(rows.length));
  const parsed = new Map<string, number | undefined>();
  rows.forEach((row, r) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new Error(`writeRows(${table.name}): row ${r} is ${shown(row)}, not an object keyed by column name`);
    }
    for (const key of Object.keys(row)) {
      if (!Object.hasOwn(table.columns, key)) {
        const what = table.partitionKeys.includes(key) ? 'a partition key (given by the partition, not the rows)' : 'not a column of the table';
        throw new Error(`writeRows(${table.name}): row ${r}, column "${key}" (value ${shown(row[key])}) is ${what}`);
      }
    }
    columns.forEach(([name, kind], c) => {
      const value = row[name];
      const result = cell(kind, value, parsed);
      if (!result.ok) throw new Error(`writeRows(${table.name}): row ${r}, column "${name}" (${kind}): ${shown(value)} ${result.why}`);
      data[c]![r] = result.value;
    });
  });
  const columnData: ColumnSource[] = columns.map(([name, kind], c) => ({
    name,
    data: data[c]!,
    // PLAIN booleans: the encoding every Parquet reader has (hyparquet-writer would pick RLE past 16 values).
    ...(kind === 'boolean' ? { encoding: 'PLAIN' as const } : {}),
  }));
  const buffer = parquetWriteBuffer({
    columnData,
    schema,
    codec: 'SNAPPY',
    rowGroupSize: ROW_GROUP_ROWS,
    createdBy: CREATED_BY,
  });
  return new Uint8Array(buffer);
}
