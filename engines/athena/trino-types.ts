/**
 * Trino (Athena engine v3) type names for the schema's column types, used to cast what an INSERT writes so
 * the rows match the Glue table's columns exactly (Glue says `string`, `int`, `struct<...>`; Trino SQL says
 * `varchar`, `integer`, `row(...)`).
 */
import type { ColumnType, Fields, ScalarKind } from '../../schema/types.ts';

const SCALARS: Record<ScalarKind, string> = {
  string: 'varchar',
  bigint: 'bigint',
  int: 'integer',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
};

export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export function trinoType(t: ColumnType): string {
  switch (t.kind) {
    case 'map':
      return 'map(varchar, varchar)';
    case 'array':
      return `array(${trinoType(t.element)})`;
    case 'struct':
      return `row(${Object.entries(t.fields as Fields)
        .map(([name, ft]) => `${quoteIdentifier(name)} ${trinoType(ft)}`)
        .join(', ')})`;
    default:
      return SCALARS[t.kind];
  }
}
