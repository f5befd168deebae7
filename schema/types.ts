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

/** How one SQL dialect spells the column types. */
interface TypeSpelling {
  readonly scalars: Record<ScalarKind, string>;
  readonly map: string;
  readonly array: (element: string) => string;
  readonly struct: (fields: readonly (readonly [name: string, type: string])[]) => string;
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

const HIVE: TypeSpelling = {
  scalars: { string: 'string', bigint: 'bigint', int: 'int', double: 'double', boolean: 'boolean', timestamp: 'timestamp' },
  map: 'map<string,string>',
  array: (e) => `array<${e}>`,
  struct: (fields) => `struct<${fields.map(([n, t]) => `${n}:${t}`).join(',')}>`,
};

const DUCKDB: TypeSpelling = {
  scalars: { string: 'VARCHAR', bigint: 'BIGINT', int: 'INTEGER', double: 'DOUBLE', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP' },
  map: 'MAP(VARCHAR, VARCHAR)',
  array: (e) => `${e}[]`,
  struct: (fields) => `STRUCT(${fields.map(([n, t]) => `${quoteIdent(n)} ${t}`).join(', ')})`,
};

const TRINO: TypeSpelling = {
  scalars: { string: 'varchar', bigint: 'bigint', int: 'integer', double: 'double', boolean: 'boolean', timestamp: 'timestamp' },
  map: 'map(varchar, varchar)',
  array: (e) => `array(${e})`,
  struct: (fields) => `row(${fields.map(([n, t]) => `${quoteIdent(n)} ${t}`).join(', ')})`,
};

/**
 * How Athena spells column types in the definition of a view it stores in Glue (the `columns` of a "Presto View"):
 * Trino's names with unquoted row fields, `row(city varchar, ...)`, and millisecond timestamps. Our field names
 * are lower-case identifiers, so they need no quotes.
 */
const ATHENA_VIEW: TypeSpelling = {
  ...TRINO,
  scalars: { ...TRINO.scalars, timestamp: 'timestamp(3)' },
  struct: (fields) => `row(${fields.map(([n, t]) => `${n} ${t}`).join(', ')})`,
};

function spell(t: ColumnType, d: TypeSpelling): string {
  switch (t.kind) {
    case 'map':
      return d.map;
    case 'array':
      return d.array(spell(t.element, d));
    case 'struct':
      return d.struct(Object.entries(t.fields as Fields).map(([name, ft]) => [name, spell(ft, d)] as const));
    default:
      return d.scalars[t.kind];
  }
}

/** The Glue/Hive type string, e.g. `struct<id:string,type:string>`. */
export const hiveType = (t: ColumnType): string => spell(t, HIVE);

/** The DuckDB type string, e.g. `STRUCT("id" VARCHAR, "type" VARCHAR)`. */
export const duckdbType = (t: ColumnType): string => spell(t, DUCKDB);

/** The Trino (Athena engine v3) type, e.g. `row("id" varchar, "type" varchar)`: what an INSERT casts to. */
export const trinoType = (t: ColumnType): string => spell(t, TRINO);

/** The type as an Athena view definition in Glue spells it, e.g. `row(id varchar, type varchar)`. */
export const athenaViewType = (t: ColumnType): string => spell(t, ATHENA_VIEW);

/** `{name: 'DUCKDB TYPE', ...}` as DuckDB's read_json `columns=` argument wants it. */
export function duckdbColumnsLiteral(columns: Fields, extra: Record<string, string> = {}): string {
  const entries = [
    ...Object.entries(columns).map(([n, t]) => [n, duckdbType(t)] as const),
    ...Object.entries(extra),
  ];
  return `{${entries.map(([n, t]) => `${quoteIdent(n)}: '${t.replaceAll("'", "''")}'`).join(', ')}}`;
}
