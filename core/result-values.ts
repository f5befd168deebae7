/** Reading the plain values an engine returns (engines/query-engine.ts `ResultRow`) into typed fields. */
import type { ResultRow } from '../engines/query-engine.ts';

/** The value as text; null or missing is the empty string. */
export const textOf = (row: ResultRow, key: string): string => {
  const v = row[key];
  return v === null || v === undefined ? '' : String(v);
};

/** The value as text, or null when it is null or missing. */
export const nullableTextOf = (row: ResultRow, key: string): string | null => {
  const v = row[key];
  return v === null || v === undefined ? null : String(v);
};

/** The value as a number; null or missing is 0. */
export const numberOf = (row: ResultRow, key: string): number => Number(row[key] ?? 0);

/** A list selected as JSON text (`json_format(cast(x as json))`), keeping its strings; null is the empty list. */
export const jsonListOf = (row: ResultRow, key: string): string[] => {
  const v = row[key];
  if (typeof v !== 'string' || v === '') return [];
  const parsed: unknown = JSON.parse(v);
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
};
