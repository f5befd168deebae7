/** Reads the project's SQL files from the asset root (the repository locally, the bundle on Lambda). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlQuery, SqlValue } from '../engines/sql-values.ts';
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

/**
 * `boundSql` for a file whose `{{name}}` stands for a list of values (`x in ({{name}})`, in a WHERE clause): one
 * bound parameter per value, `:name_0`, `:name_1`, ... The list must not be empty.
 */
export function boundSqlWithList(path: string, name: string, list: readonly SqlValue[], values: Readonly<Record<string, SqlParam>>): SqlQuery {
  if (list.length === 0) throw new Error(`${path}: the list {{${name}}} is empty`);
  const listValues: Record<string, SqlParam> = { ...values };
  list.forEach((v, i) => (listValues[`${name}_${i}`] = v));
  const c = compileNamedParams(readSql(path).replace(`{{${name}}}`, () => list.map((_, i) => `:${name}_${i}`).join(', ')));
  return { sql: c.text, params: bindNamedParams(c, listValues, path), label: path };
}
