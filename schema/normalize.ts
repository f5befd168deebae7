/**
 * Conform a parsed JSON value to a column type, the way Firehose's OpenX deserializer reads it into the
 * Glue schema: keys matched case-insensitively, unknown keys dropped, scalars coerced where the meaning is
 * unambiguous (a number where a string is declared, an integer latitude), anything else null.
 *
 * Values are never reinterpreted: the string "null" that Okta writes in `client.zone` stays the string
 * "null", exactly as it does in AWS, so a query sees the same data on both engines. The raw archive keeps
 * the original line for whatever this drops.
 */
import type { ColumnType, Fields, StructType } from './types.ts';

export type Normalizer = (value: unknown) => unknown;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const toText = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
};

/** Integer columns hold what their Parquet type can: `int` is 32-bit; `bigint` is kept to what a JS number holds exactly. */
const INTEGER_RANGE = { int: [-(2 ** 31), 2 ** 31 - 1], bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] } as const;

const toNumber = (integer: keyof typeof INTEGER_RANGE | undefined) => (v: unknown): number | null => {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) n = Number(v);
  else return null;
  if (!Number.isFinite(n)) return null;
  if (integer === undefined) return n;
  const [min, max] = INTEGER_RANGE[integer];
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
};

const toBoolean = (v: unknown): boolean | null => {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
};

const toMap = (v: unknown): Record<string, string | null> | null => {
  if (!isObject(v)) return null;
  const out: Record<string, string | null> = {};
  for (const key in v) out[key] = toText(v[key]);
  return out;
};

export interface NormalizeOptions {
  /**
   * Leave null fields out instead of writing them as null: the same row for a reader that fills missing
   * fields with null (DuckDB's read_json with explicit columns), in less text. @default false
   */
  readonly sparse?: boolean;
}

function structNormalizer(t: StructType<Fields>, options: NormalizeOptions): Normalizer {
  const names = Object.keys(t.fields);
  const byLowerKey = new Map<string, [string, Normalizer]>();
  for (const name of names) byLowerKey.set(name, [name, normalizerFor(t.fields[name]!, options)]);
  return (v) => {
    if (!isObject(v)) return null;
    const out: Record<string, unknown> = {};
    if (!options.sparse) for (const name of names) out[name] = null;
    for (const key in v) {
      const hit = byLowerKey.get(key) ?? byLowerKey.get(key.toLowerCase());
      if (!hit) continue;
      const value = hit[1](v[key]);
      if (value !== null || !options.sparse) out[hit[0]] = value;
    }
    return out;
  };
}

/** Builds (once per type) a function that conforms a JSON value to `t`. */
export function normalizerFor(t: ColumnType, options: NormalizeOptions = {}): Normalizer {
  switch (t.kind) {
    case 'string':
    case 'timestamp':
      return toText;
    case 'bigint':
    case 'int':
      return toNumber(t.kind);
    case 'double':
      return toNumber(undefined);
    case 'boolean':
      return toBoolean;
    case 'map':
      return toMap;
    case 'array': {
      const element = normalizerFor(t.element, options);
      return (v) => (Array.isArray(v) ? v.map(element) : null);
    }
    case 'struct':
      return structNormalizer(t, options);
  }
}

/** A row normalizer for a table's columns: `(parsed JSON object) => row with exactly these columns`. */
export function rowNormalizer(columns: Fields, options: NormalizeOptions = {}): (value: Record<string, unknown>) => Record<string, unknown> {
  const normalize = structNormalizer({ kind: 'struct', fields: columns }, options);
  return (value) => normalize(value) as Record<string, unknown>;
}
