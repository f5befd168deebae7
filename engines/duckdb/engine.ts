/**
 * The local engine: embedded DuckDB over a lake folder laid out exactly like the S3 lake. Each table of
 * `schema/` is a view over its Hive-partitioned Parquet files, so a query's `dt`/`hour` predicates prune
 * files the way partition projection prunes S3 prefixes in Athena. The views of `schema/views.ts`
 * (e.g. `okta_events_unique`) are created over those, from the same Athena SQL the stack would use.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBResultReader } from '@duckdb/node-api';
import { asSubquery, paramValue, type SqlParam, type SqlQuery } from '../sql-values.ts';
import { lakeTables, okta_events } from '../../schema/index.ts';
import { lakeViews } from '../../schema/views.ts';
import { duckdbType, quoteIdent, type TableDef } from '../../schema/types.ts';
import { partitionPath } from '../../schema/layout.ts';
import { checkClearPartitions, checkWritePartition, type QueryEngine, type ResultRow, type ResultValue } from '../query-engine.ts';
import { encodeParquetRows } from '../parquet-rows.ts';
import { trinoToDuckDb } from './dialect.ts';
import { toJsonRows, type JsonRow } from './json-rows.ts';

// Beside this module: in the repository, and in the CLI build (bin/build-cli.mjs copies it next to the bundle).
const COMPAT_SQL = readFileSync(new URL('./trino-compat.sql', import.meta.url), 'utf8');

export interface DuckDbEngineOptions {
  /** DuckDB worker threads. @default DuckDB's default (one per core) */
  readonly threads?: number;
  /** DuckDB memory limit, e.g. `2GB`. @default DuckDB's default (80% of RAM) */
  readonly memoryLimit?: string;
}

const quoteLiteral = (s: string) => `'${s.replaceAll("'", "''")}'`;

export class DuckDbEngine implements QueryEngine {
  private constructor(
    readonly root: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(root: string, options: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
    // Never reach for the network: every extension we use (json, parquet, icu) is built in.
    const config: Record<string, string> = { autoinstall_known_extensions: 'false' };
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const connection = await instance.connect();
    // Timestamps are UTC everywhere, as in Athena, whatever the laptop's zone (set after connect: ICU is loaded then).
    await connection.run(`set TimeZone = 'UTC'`);
    await connection.run(COMPAT_SQL);
    return new DuckDbEngine(root, instance, connection);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** Absolute folder of one partition of a table. */
  partitionDir(table: TableDef, partition: Readonly<Record<string, string>>): string {
    return join(this.root, table.location, partitionPath(partition));
  }

  /**
   * (Re)creates one view per lake table over the Parquet files present now, then the lake's views over
   * those (`schema/views.ts`). A table with no files yet is an empty relation of the right columns, so
   * every query binds from the first run on.
   */
  async refreshViews(): Promise<void> {
    // DuckDB keeps a view as its SQL and binds it again at each query, so a view whose SQL is unchanged (the same
    // file list) is left as it is: re-creating it would only re-read every file's schema, on every select.
    for (const table of lakeTables) {
      const sql = await this.viewSql(table);
      if (this.createdViews.get(table.name) === sql) continue;
      await this.connection.run(sql);
      this.createdViews.set(table.name, sql);
    }
    // The lake's views name the table views only, whatever files those read: created once.
    if (this.lakeViewsCreated) return;
    for (const view of lakeViews) await this.connection.run(`create or replace view ${quoteIdent(view.name)} as ${await trinoToDuckDb(view.sql)}`);
    this.lakeViewsCreated = true;
  }

  /** Per table: the `create or replace view` statement its view was last created with. */
  private readonly createdViews = new Map<string, string>();
  private lakeViewsCreated = false;

  /**
   * The partitions of `table` that hold at least one Parquet file, e.g. `[{dt: '2026-11-25', hour: '04'}]`,
   * sorted. Listing folders opens no file, so it stays cheap however much history the lake holds.
   */
  partitionsWithData(table: TableDef): Record<string, string>[] {
    const dir = join(this.root, table.location);
    if (!existsSync(dir)) return [];
    const seen = new Map<string, Record<string, string>>();
    for (const file of parquetFiles(dir, table.partitionKeys.length)) {
      const folders = file.slice(dir.length + 1).split(/[/\\]/).slice(0, table.partitionKeys.length);
      const values = Object.fromEntries(folders.map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
      seen.set(folders.join('/'), values);
    }
    return [...seen.values()];
  }

  /**
   * The `dt` range the next queries read from `okta_events`, or undefined for all of it. Athena's partition
   * projection derives the partitions from a query's predicates without listing S3; DuckDB would instead
   * glob and open the metadata of every file of the lake on each query, a cost that grows with history.
   * The local runners know their window (an hourly run's lookback, a snapshot's day), so they say it here
   * and the view lists only those partitions. Queries must not read outside the range while it is set.
   */
  setEventsScope(scope: { readonly fromDt: string; readonly toDt: string } | undefined): void {
    this.eventsScope = scope;
  }

  private eventsScope: { readonly fromDt: string; readonly toDt: string } | undefined;

  /** Per table: the file list last looked at, and the declared columns none of those files has. */
  private readonly missingColumns = new Map<string, { readonly files: string; readonly missing: readonly string[] }>();

  private async viewSql(table: TableDef): Promise<string> {
    const dir = join(this.root, table.location);
    const scope = table.name === okta_events.name ? this.eventsScope : undefined;
    const files = existsSync(dir) ? parquetFiles(dir, table.partitionKeys.length, scope && ((dt) => dt >= scope.fromDt && dt <= scope.toDt)) : [];
    const partitionTypes = `{${table.partitionKeys.map((k) => `${quoteLiteral(k)}: 'VARCHAR'`).join(', ')}}`;
    if (files.length > 0) {
      // union_by_name: files written before a column was added to the schema still read, with nulls, as long as one
      // file has the column. When none has it (a lake written entirely before the column existed), the column is
      // added as a typed null, so queries written for today's schema bind on yesterday's files.
      const read = `read_parquet([${files.map(quoteLiteral).join(', ')}],
        hive_partitioning = true, hive_types = ${partitionTypes}, hive_types_autocast = false, union_by_name = true)`;
      const missing = await this.columnsMissingFrom(table, files, read);
      const added = missing.map((n) => `, cast(null as ${duckdbType(table.columns[n]!)}) as ${quoteIdent(n)}`).join('');
      return `create or replace view ${quoteIdent(table.name)} as select *${added} from ${read}`;
    }
    const columns = [
      ...Object.entries(table.columns).map(([n, t]) => `cast(null as ${duckdbType(t)}) as ${quoteIdent(n)}`),
      ...table.partitionKeys.map((k) => `cast(null as VARCHAR) as ${quoteIdent(k)}`),
    ];
    return `create or replace view ${quoteIdent(table.name)} as select ${columns.join(', ')} where false`;
  }


  /** The table's declared columns that none of `files` holds; looked at again only when the file list changes. */
  private async columnsMissingFrom(table: TableDef, files: readonly string[], read: string): Promise<readonly string[]> {
    const key = files.join('\n');
    const known = this.missingColumns.get(table.name);
    if (known?.files === key) return known.missing;
    const described = await this.connection.runAndReadAll(`describe select * from ${read}`);
    const present = new Set(described.getRowObjectsJson().map((r) => String(r.column_name)));
    const missing = Object.keys(table.columns).filter((n) => !present.has(n));
    this.missingColumns.set(table.name, { files: key, missing });
    return missing;
  }

  async select(sql: string, params: readonly SqlParam[]): Promise<ResultRow[]> {
    await this.refreshViews();
    const result = await this.run(await trinoToDuckDb(sql), params);
    return toRows(result);
  }

  /** Like `select`, with arrays, structs and maps as nested JSON values instead of JSON text (for people, not the core). */
  async selectJson(sql: string, params: readonly SqlParam[]): Promise<JsonRow[]> {
    await this.refreshViews();
    return toJsonRows(await this.run(await trinoToDuckDb(sql), params));
  }

  /** All the selects in one statement: DuckDB has no query length limit, and one pass is one scan. */
  async replacePartition(table: TableDef, partition: Readonly<Record<string, string>>, selects: readonly SqlQuery[]): Promise<void> {
    await this.refreshViews();
    const staging = `__staging_${randomUUID().replaceAll('-', '')}`;
    const casts = Object.entries(table.columns)
      .map(([n, t]) => `cast(${quoteIdent(n)} as ${duckdbType(t)}) as ${quoteIdent(n)}`)
      .join(', ');
    const empty = `select ${Object.entries(table.columns).map(([n, t]) => `cast(null as ${duckdbType(t)}) as ${quoteIdent(n)}`).join(', ')} where false`;
    // Each select translated on its own (its text repeats from run to run; the translation is cached by text).
    const translated = await Promise.all(selects.map((q) => trinoToDuckDb(asSubquery(q.sql))));
    const union = selects.length > 0 ? translated.map((t) => `(${t})`).join('\nunion all\n') : empty;
    await this.run(`create temp table ${staging} as select ${casts} from (${union})`, selects.flatMap((q) => q.params));
    try {
      await this.swapPartition(table, partition, async (file) => {
        await this.connection.run(`copy ${staging} to ${quoteLiteral(file)} (format parquet, compression zstd)`);
      });
    } finally {
      await this.connection.run(`drop table if exists ${staging}`);
    }
  }

  /**
   * Replaces one partition with `rows` as one Parquet file (engines/parquet-rows.ts), the same bytes the Athena
   * engine puts in S3. Zero rows leave a file with the schema and no row: an empty partition.
   */
  async writeRows(table: TableDef, partition: Readonly<Record<string, string>>, rows: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
    const ordered = checkWritePartition(table, partition);
    const bytes = encodeParquetRows(table, rows);
    await this.swapPartition(table, ordered, async (file) => writeFileSync(file, bytes));
  }

  /**
   * Fills a new partition folder with `write(file)` (`file` is its `part-00000.parquet`) outside the table's
   * folders, under `<root>/.staging/`, then swaps it in whole for the partition's folder: a reader (or a crash)
   * never sees half a partition. The staging folder is removed whatever happens.
   */
  private async swapPartition(
    table: TableDef,
    partition: Readonly<Record<string, string>>,
    write: (file: string) => Promise<void>,
  ): Promise<void> {
    const next = join(this.root, '.staging', `__staging_${randomUUID().replaceAll('-', '')}`);
    try {
      mkdirSync(next, { recursive: true });
      await write(join(next, 'part-00000.parquet'));
      const dir = this.partitionDir(table, partition);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dirname(dir), { recursive: true });
      renameSync(next, dir);
    } finally {
      rmSync(next, { recursive: true, force: true });
    }
  }

  async clearPartitions(
    table: TableDef,
    within: Readonly<Record<string, string>>,
    keep?: Readonly<Record<string, string>>,
  ): Promise<void> {
    const below = checkClearPartitions(table, within, keep);
    const dir = this.partitionDir(table, within);
    if (!existsSync(dir)) return;
    if (!keep) {
      rmSync(dir, { recursive: true, force: true });
      return;
    }
    // Walk down to `keep`, removing at each level every partition folder beside the one on its path.
    let current = dir;
    for (const key of below) {
      const onPath = `${key}=${keep[key]}`;
      for (const entry of readdirSync(current, { withFileTypes: true })) {
        if (entry.isDirectory() && entry.name.startsWith(`${key}=`) && entry.name !== onPath) {
          rmSync(join(current, entry.name), { recursive: true, force: true });
        }
      }
      current = join(current, onPath);
      if (!existsSync(current)) return;
    }
  }

  /** Runs DuckDB SQL (already translated) with positional parameters. */
  async run(sql: string, params: readonly SqlParam[] = []): Promise<DuckDBResultReader> {
    if (params.length === 0) return this.connection.runAndReadAll(sql);
    const prepared = await this.connection.prepare(sql);
    try {
      prepared.bind(params.map(paramValue) as never);
      return await prepared.runAndReadAll();
    } finally {
      prepared.destroySync();
    }
  }
}

/**
 * The Parquet files of a Hive-partitioned table folder, `depth` partition levels deep, sorted; `keepFirst`
 * filters on the value of the first partition key (`dt`).
 */
function parquetFiles(dir: string, depth: number, keepFirst?: (value: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (path: string, level: number) => {
    for (const e of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (level === depth) {
        if (e.isFile() && e.name.endsWith('.parquet')) out.push(join(path, e.name));
      } else if (e.isDirectory() && e.name.includes('=')) {
        if (level === 0 && keepFirst && !keepFirst(e.name.slice(e.name.indexOf('=') + 1))) continue;
        walk(join(path, e.name), level + 1);
      }
    }
  };
  walk(dir, 0);
  return out;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;

/** DuckDB's JSON-friendly values, with integers as numbers and nested values as JSON text. */
export function toRows(result: DuckDBResultReader): ResultRow[] {
  const names = result.columnNames();
  const types = result.columnTypes().map(String);
  return result.getRowObjectsJson().map((row) => {
    const out: ResultRow = {};
    names.forEach((name, i) => {
      const v = row[name];
      const type = types[i]!;
      let value: ResultValue;
      if (v === null || v === undefined) value = null;
      else if (typeof v === 'object') value = JSON.stringify(v);
      else if (NUMERIC.test(type) && typeof v === 'string') value = Number(v);
      else value = v as ResultValue;
      out[name] = value;
    });
    return out;
  });
}
