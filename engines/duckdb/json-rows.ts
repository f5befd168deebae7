/**
 * Result rows as real JSON, nested values kept: what `okta-lake query --json` prints, so a script reads
 * `target[0].alternateid` instead of parsing a JSON string inside the JSON. The core keeps reading flat
 * rows (`toRows`: nested values as JSON text), which is what the Athena engine returns too; this reader
 * exists only for people and their scripts.
 */
import {
  DuckDBMapType,
  DuckDBMapValue,
  DuckDBTypeId,
  JsonDuckDBValueConverter,
  type DuckDBResultReader,
  type DuckDBValueConverter,
  type Json,
} from '@duckdb/node-api';

export type JsonRow = Record<string, Json>;

const INTEGER_AS_TEXT = new Set<DuckDBTypeId>([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);

/**
 * DuckDB's JSON conversion, with two changes: a MAP becomes an object (`{"k": "v"}`, as Athena prints a
 * map and as Okta wrote the field) rather than a list of `{key, value}` entries, and a 64-bit or wider
 * integer becomes a number when it fits one exactly (counts, `asnumber`) rather than text.
 */
const nestedJson: DuckDBValueConverter<Json> = (value, type, converter) => {
  if (value === null) return null;
  if (value instanceof DuckDBMapValue && type instanceof DuckDBMapType) {
    return Object.fromEntries(value.entries.map((e) => [String(converter(e.key, type.keyType, converter)), converter(e.value, type.valueType, converter)]));
  }
  const json = JsonDuckDBValueConverter(value, type, converter);
  if (INTEGER_AS_TEXT.has(type.typeId) && typeof json === 'string') {
    const n = Number(json);
    return Number.isSafeInteger(n) ? n : json;
  }
  if (type.typeId === DuckDBTypeId.DECIMAL && typeof json === 'string') return Number(json);
  return json;
};

/** Every row of `result` with arrays, structs and maps as nested JSON values. */
export function toJsonRows(result: DuckDBResultReader): JsonRow[] {
  return result.convertRowObjects(nestedJson) as JsonRow[];
}
