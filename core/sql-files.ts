/** Reads the project's SQL files from the asset root (the repository locally, the bundle on Lambda). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlQuery } from '../engines/sql-values.ts';
import { assetRoot } from './assets.ts';
import { bindNamedParams, compileNamedParams, type CompiledSql, type SqlParam } from './sql-params.ts';

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

const compiled = new Map<string, CompiledSql>();

/**
 * A query file with its `:name` parameters bound: the `?` text and the values in placeholder order, ready
 * for `QueryEngine.select` or `replacePartition`. A missing parameter is an error naming the file.
 */
export function boundSql(path: string, values: Readonly<Record<string, SqlParam>>): SqlQuery {
  let c = compiled.get(path);
  if (c === undefined) {
    c = compileNamedParams(readSql(path));
    compiled.set(path, c);
  }
  return { sql: c.text, params: bindNamedParams(c, values, path), label: path };
}

/** A query file's text ready to be nested: trailing semicolons and blank space removed. */
export const asSubquery = (sql: string): string => sql.trim().replace(/;+\s*$/, '');
