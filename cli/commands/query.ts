/**
 * `okta-lake query`: Athena-dialect SQL over the local lake, as a table for people or, with `--json`, as
 * JSON rows whose arrays, structs and maps are nested JSON values.
 */
import { existsSync, readFileSync } from 'node:fs';
import { bindNamedParams, compileNamedParams, type SqlParam, type SqlValue } from '../../core/sql-params.ts';
import type { JsonRow } from '../../engines/duckdb/json-rows.ts';
import { asSubquery } from '../../engines/sql-values.ts';
import type { ResultRow } from '../../engines/query-engine.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { existingLakeDir } from '../lake-options.ts';
import { table, type Io } from '../output.ts';
import { UsageError } from '../usage-error.ts';

export interface QueryArgs {
  readonly sql?: string;
  readonly file?: string;
  readonly lake: string;
  readonly param?: readonly string[];
  readonly json?: boolean;
}

/** `name=value` pairs; a plain number is bound as a number (not one with a leading zero, such as a postal code). */
export function parseParams(pairs: readonly string[] = []): Record<string, SqlValue> {
  const out: Record<string, SqlValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param "${pair}" is not of the form name=value`);
    const name = pair.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--param name "${name}" is not a valid parameter name`);
    const value = pair.slice(eq + 1);
    out[name] = /^-?(0|[1-9]\d*)(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return out;
}

const flatRow = (row: JsonRow): ResultRow =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v !== null && typeof v === 'object' ? JSON.stringify(v) : v]));

export async function queryCommand(io: Io, args: QueryArgs): Promise<void> {
  if ((args.sql === undefined) === (args.file === undefined)) throw new UsageError('query needs the SQL text or --file <path>, not both');
  if (args.file !== undefined && !existsSync(args.file)) throw new UsageError(`SQL file ${args.file} does not exist`);
  const sql = args.sql ?? readFileSync(args.file!, 'utf8');
  const compiled = compileNamedParams(asSubquery(sql));
  let params: SqlParam[];
  try {
    params = bindNamedParams(compiled, parseParams(args.param), 'query');
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (pass them as --param name=value)`);
  }
  const lake = await LocalLake.open(existingLakeDir(args.lake));
  try {
    if (args.json) {
      io.out(JSON.stringify({ rows: await lake.engine.selectJson(compiled.text, params) }));
      return;
    }
    // The same reader as --json, nested values shown as the JSON text --json prints them as.
    const rows = (await lake.engine.selectJson(compiled.text, params)).map(flatRow);
    if (rows.length === 0) io.out('(no rows)');
    else {
      for (const line of table(rows, { width: io.columns })) io.out(line);
      io.err(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
    }
  } finally {
    lake.close();
  }
}
