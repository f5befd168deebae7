/**
 * A small column-type language. Every table of the lake is written in it once; the Glue (Hive) type
 * strings, the DuckDB type strings, the TypeScript row types and the JSON normalizer all derive from it,
 * so the Glue table and the local Parquet files cannot drift apart.
 */

export type ScalarKind = 'string' | 'bigint' | 'int' | 'double' | 'boolean' | 'timestamp';

export interface ScalarType<K extends ScalarKind = ScalarKind> {
  readonly kind: K;
}
/** map<string,string>: free-form Okta objects (debugData, detailEntry, ...). Non-string values are kept as JSON text. */
export interface MapType {
  readonly kind: 'map';
}
export interface ArrayType<E extends ColumnType = ColumnType> {
  readonly kind: 'array';
  readonly element: E;
}
export interface StructType<F extends Fields = Fields> {
  readonly kind: 'struct';
  readonly fields: F;
}
export type ColumnType = ScalarType | MapType | ArrayType<any> | StructType<any>;
export type Fields = { readonly [name: string]: ColumnType };

export const string: ScalarType<'string'> = { kind: 'string' };
export const bigint: ScalarType<'bigint'> = { kind: 'bigint' };
export const int: ScalarType<'int'> = { kind: 'int' };
export const double: ScalarType<'double'> = { kind: 'double' };
export const boolean: ScalarType<'boolean'> = { kind: 'boolean' };
export const timestamp: ScalarType<'timestamp'> = { kind: 'timestamp' };
export const stringMap: MapType = { kind: 'map' };
export const array = <E extends ColumnType>(element: E): ArrayType<E> => ({ kind: 'array', element });
export const struct = <F extends Fields>(fields: F): StructType<F> => ({ kind: 'struct', fields });

/** A table: its data columns (in file order) and its Hive partition keys (directory names, always strings). */
export interface TableDef<F extends Fields = Fields> {
  readonly name: string;
  readonly description: string;
  /** Path of the table under the lake root, e.g. `okta/events`. */
  readonly location: string;
  readonly columns: F;
  readonly partitionKeys: readonly string[];
}

/** The TypeScript value a column holds once read back (every column is nullable). */
export type TsOf<T> = T extends ScalarType<'string'>
  ? string | null
  : T extends ScalarType<'bigint' | 'int' | 'double'>
    ? number | null
    : T extends ScalarType<'boolean'>
      ? boolean | null
      : T extends ScalarType<'timestamp'>
        ? string | null
        : T extends MapType
          ? Record<string, string | null> | null
          : T extends ArrayType<infer E>
            ? TsOf<E>[] | null
            : T extends StructType<infer F>
              ? { [K in keyof F]: TsOf<F[K]> } | null
              : never;

export type RowOf<F extends Fields> = { [K in keyof F]: TsOf<F[K]> };

const HIVE_SCALARS: Record<ScalarKind, string> = {
  string: 'string',
  bigint: 'bigint',
  int: 'int',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
};

/** The Glue/Hive type string, e.g. `struct<id:string,type:string>`. */
export function hiveType(t: ColumnType): string {
  switch (t.kind) {
    case 'map':
      return 'map<string,string>';
    case 'array':
      return `array<${hiveType(t.element)}>`;
    case 'struct':
      return `struct<${Object.entries(t.fields as Fields)
        .map(([name, ft]) => `${name}:${hiveType(ft)}`)
        .join(',')}>`;
    default:
      return HIVE_SCALARS[t.kind];
  }
}

const DUCKDB_SCALARS: Record<ScalarKind, string> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  int: 'INTEGER',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
};

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The DuckDB type string, e.g. `STRUCT("id" VARCHAR, "type" VARCHAR)`. */
export function duckdbType(t: ColumnType): string {
  switch (t.kind) {
    case 'map':
      return 'MAP(VARCHAR, VARCHAR)';
    case 'array':
      return `${duckdbType(t.element)}[]`;
    case 'struct':
      return `STRUCT(${Object.entries(t.fields as Fields)
        .map(([name, ft]) => `${quoteIdent(name)} ${duckdbType(ft)}`)
        .join(', ')})`;
    default:
      return DUCKDB_SCALARS[t.kind];
  }
}

/** `{name: 'DUCKDB TYPE', ...}` as DuckDB's read_json `columns=` argument wants it. */
export function duckdbColumnsLiteral(columns: Fields, extra: Record<string, string> = {}): string {
  const entries = [
    ...Object.entries(columns).map(([n, t]) => [n, duckdbType(t)] as const),
    ...Object.entries(extra),
  ];
  return `{${entries.map(([n, t]) => `${quoteIdent(n)}: '${t.replaceAll("'", "''")}'`).join(', ')}}`;
}
