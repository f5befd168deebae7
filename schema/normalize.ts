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

const toNumber = (integer: boolean) => (v: unknown): number | null => {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) n = Number(v);
  else return null;
  if (!Number.isFinite(n)) return null;
  if (integer) return Number.isInteger(n) ? n : null;
  return n;
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

function structNormalizer(t: StructType<Fields>): Normalizer {
  const names = Object.keys(t.fields);
  const byLowerKey = new Map<string, [string, Normalizer]>();
  for (const name of names) byLowerKey.set(name, [name, normalizerFor(t.fields[name]!)]);
  return (v) => {
    if (!isObject(v)) return null;
    const out: Record<string, unknown> = {};
    for (const name of names) out[name] = null;
    for (const key in v) {
      const hit = byLowerKey.get(key) ?? byLowerKey.get(key.toLowerCase());
      if (hit) out[hit[0]] = hit[1](v[key]);
    }
    return out;
  };
}

/** Builds (once per type) a function that conforms a JSON value to `t`. */
export function normalizerFor(t: ColumnType): Normalizer {
  switch (t.kind) {
    case 'string':
    case 'timestamp':
      return toText;
    case 'bigint':
    case 'int':
      return toNumber(true);
    case 'double':
      return toNumber(false);
    case 'boolean':
      return toBoolean;
    case 'map':
      return toMap;
    case 'array': {
      const element = normalizerFor(t.element);
      return (v) => (Array.isArray(v) ? v.map(element) : null);
    }
    case 'struct':
      return structNormalizer(t);
  }
}

/** A row normalizer for a table's columns: `(parsed JSON object) => row with exactly these columns`. */
export function rowNormalizer(columns: Fields): (value: Record<string, unknown>) => Record<string, unknown> {
  const normalize = structNormalizer({ kind: 'struct', fields: columns });
  return (value) => normalize(value) as Record<string, unknown>;
}
