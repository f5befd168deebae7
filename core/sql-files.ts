/** Reads the project's SQL files from the asset root (the repository locally, the bundle on Lambda). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetRoot } from './assets.ts';

const cache = new Map<string, string>();

/** `path` is relative to the asset root, e.g. `core/sql/findings-of-run.sql`. */
export function readSql(path: string): string {
  let sql = cache.get(path);
  if (sql === undefined) {
    sql = readFileSync(join(assetRoot(), path), 'utf8');
    cache.set(path, sql);
  }
  return sql;
}

/** A query file's text ready to be nested: trailing semicolons and blank space removed. */
export const asSubquery = (sql: string): string => sql.trim().replace(/;+\s*$/, '');
