/**
 * The AWS engine: Athena (engine v3, i.e. Trino SQL) over the S3 lake, the same SQL the DuckDB engine runs
 * locally. Values travel as execution parameters (see `execution-parameters.ts`), never in the query text.
 *
 * Every AWS call is retried with capped exponential backoff while AWS throttles it; a query is polled with
 * capped exponential backoff until it ends; a FAILED or CANCELLED query throws with Athena's reason and the
 * query id. Clients, the sleep function and the jitter source are injected, so tests run on faked responses
 * without waiting.
 */
import { randomUUID } from 'node:crypto';
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type ColumnInfo,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client, type _Error as S3Error } from '@aws-sdk/client-s3';
import { partitionPath } from '../../schema/layout.ts';
import { checkClearPartitions, checkWritePartition, type QueryEngine, type ResultRow, type ResultValue } from '../query-engine.ts';
import { encodeParquetRows } from '../parquet-rows.ts';
import { asSubquery, quoteString, SqlLiteral, type SqlParam, type SqlQuery } from '../sql-values.ts';
import { executionParameters, renderForAthena } from './execution-parameters.ts';
import { quoteIdent as quoteIdentifier, trinoType, type TableDef } from '../../schema/types.ts';

/** Structured log lines the engine emits (query ids, bytes scanned, throttling). */
export type EngineLog = (message: string, fields: Record<string, unknown>) => void;

export interface AthenaEngineOptions {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  /** Workgroup the queries run in; its enforced configuration sets the result location and encryption. */
  readonly workgroup: string;
  /** Glue database holding the lake tables. */
  readonly database: string;
  /** Lake bucket: a table's data lives under `s3://bucket/<table.location>/`. */
  readonly bucket: string;
  /** Data catalog. @default AwsDataCatalog */
  readonly catalog?: string;
  /** How to wait. @default a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** First wait before checking a query's state; doubles after each check. @default 250 */
  readonly pollIntervalMs?: number;
  /** Longest wait between two checks of a query's state. @default 5000 */
  readonly maxPollIntervalMs?: number;
  /** How long a query may run (summed waits) before it is stopped and the call fails. @default 600000 (10 min) */
  readonly queryTimeoutMs?: number;
  /** Attempts of one AWS call while it is throttled, the first included. @default 8 */
  readonly maxAttempts?: number;
  /** First backoff after a throttled call; doubles after each. @default 200 */
  readonly retryBaseMs?: number;
  /** Longest backoff after a throttled call. @default 10000 */
  readonly retryMaxMs?: number;
  /** Jitter source in [0, 1): a backoff waits between half and all of its nominal delay. @default Math.random */
  readonly random?: () => number;
  /** Structured log. @default silent */
  readonly log?: EngineLog;
}

/** A query that ended FAILED or CANCELLED, or ran past the timeout. */
export class AthenaQueryError extends Error {
  constructor(
    message: string,
    readonly queryExecutionId: string,
    readonly state: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'AthenaQueryError';
  }
}

/** Athena's limit on the query text: "The maximum allowed query string length is 262144 bytes" (Service Quotas, Athena). */
export const MAX_QUERY_BYTES = 262_144;

const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'ThrottledException', 'SlowDown', 'RequestLimitExceeded']);

/** True when AWS refused the call for its rate: the call is worth retrying after a pause. */
export function isThrottling(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; Code?: unknown; $retryable?: { throttling?: boolean } };
  return THROTTLING.has(String(e.name)) || THROTTLING.has(String(e.Code)) || e.$retryable?.throttling === true;
}

const NUMERIC_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'real', 'float', 'double']);

/** One Athena result cell as the engine returns it: numbers and booleans typed, everything else text. */
export function convertValue(text: string | undefined, type: string | undefined): ResultValue {
  if (text === undefined) return null;
  const t = (type ?? 'varchar').toLowerCase();
  if (NUMERIC_TYPES.has(t)) {
    const n = Number(text);
    return Number.isNaN(n) ? text : n;
  }
  if (t === 'boolean') return text === 'true';
  return text;
}

const firstLine = (sql: string): string => {
  const line = sql.trim().split('\n', 1)[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
};

/** Partition values become S3 path segments: keep them to plain characters so no value can escape its prefix. */
const SAFE_PARTITION_VALUE = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

export class AthenaEngine implements QueryEngine {
  private readonly athena: AthenaClient;
  private readonly s3: S3Client;
  readonly workgroup: string;
  readonly database: string;
  readonly bucket: string;
  private readonly catalog: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pollIntervalMs: number;
  private readonly maxPollIntervalMs: number;
  private readonly queryTimeoutMs: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly random: () => number;
  private readonly log: EngineLog;

  constructor(options: AthenaEngineOptions) {
    for (const key of ['workgroup', 'database', 'bucket'] as const) {
      if (!options[key]) throw new Error(`AthenaEngine: ${key} is empty; pass the ${key} name`);
    }
    this.athena = options.athena;
    this.s3 = options.s3;
    this.workgroup = options.workgroup;
    this.database = options.database;
    this.bucket = options.bucket;
    this.catalog = options.catalog ?? 'AwsDataCatalog';
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.maxPollIntervalMs = options.maxPollIntervalMs ?? 5_000;
    this.queryTimeoutMs = options.queryTimeoutMs ?? 600_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.retryMaxMs = options.retryMaxMs ?? 10_000;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => {});
  }

  async select(sql: string, params: readonly SqlParam[]): Promise<ResultRow[]> {
    const execution = await this.run(sql, params);
    return this.results(execution.QueryExecutionId!);
  }

  /**
   * Deletes every object of the partition, then writes the selects' rows into it with as few `INSERT INTO`s as
   * Athena's query length limit allows (each INSERT a `union all` of consecutive selects). Athena never
   * overwrites: each INSERT adds files, so the partition is emptied first; a retry after a failure (which may
   * leave partial files) empties it again. Readers see the partition empty, then filling, until the last INSERT.
   */
  async replacePartition(table: TableDef, partition: Readonly<Record<string, string>>, selects: readonly SqlQuery[]): Promise<void> {
    const values = this.partitionValues(table, partition);
    const statements = insertStatements(table, values, selects);
    await this.clearPartition(table, partition);
    for (const statement of statements) await this.run(statement.sql, statement.params);
  }

  /**
   * Replaces one partition with `rows`, as one Parquet file (engines/parquet-rows.ts: the bytes the DuckDB engine
   * writes locally), in three steps:
   *
   * 1. PutObject `<table.location>/<k=v>/.../part-<uuid>.parquet`: a new key, so nothing a reader has is overwritten;
   * 2. delete every other object under the partition's prefix (the older files). New first, old after: a reader
   *    sees the old rows or the new ones, never an empty partition; only between these two steps, for the time of
   *    one listing and one delete, may it see both;
   * 3. `ALTER TABLE <db>.<table> ADD IF NOT EXISTS PARTITION (k = 'v', ...) LOCATION 's3://<bucket>/<prefix>/'`,
   *    run as an Athena query. The tables written this way have no partition projection (modules/glue-catalog.ts
   *    projects only the Firehose tables), so Athena reads a partition only once Glue has it, which an INSERT does
   *    by itself and a PutObject does not. Per the Athena guide (SQL reference, ALTER TABLE ADD PARTITION), IF NOT
   *    EXISTS suppresses the error when a partition with the same definition exists, so a rewrite or a retry
   *    registers nothing twice; the statement needs glue:BatchCreatePartition / CreatePartition on the table.
   *
   * DDL takes no execution parameters, so the partition values are written into the statement as literals: they
   * are checked first (`checkWritePartition`: letters, digits, `_`, `-`; `dt` a date), as are the rows, before any
   * call. A failure after the put leaves the new file beside the old ones (rows twice) until a retry succeeds.
   */
  async writeRows(table: TableDef, partition: Readonly<Record<string, string>>, rows: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
    const ordered = checkWritePartition(table, partition);
    const ddl = addPartitionStatement(this.database, this.bucket, table, ordered);
    const body = encodeParquetRows(table, rows);
    const prefix = `${table.location}/${partitionPath(ordered)}/`;
    const key = `${prefix}part-${randomUUID()}.parquet`;
    await this.call('PutObject', () =>
      this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/vnd.apache.parquet' })),
    );
    this.log('object written', { bucket: this.bucket, key, rows: rows.length, bytes: body.byteLength });
    await this.deletePrefix(prefix, key);
    await this.run(ddl, []);
  }

  /** Deletes every object of one partition, `s3://bucket/<table.location>/<k=v>/.../`; returns how many were deleted. */
  async clearPartition(table: TableDef, partition: Readonly<Record<string, string>>): Promise<number> {
    const values = this.partitionValues(table, partition);
    return this.deletePrefix(`${table.location}/${partitionPath(Object.fromEntries(table.partitionKeys.map((k, i) => [k, values[i]!])))}/`);
  }

  /**
   * Deletes every partition of `table` under `within` (values of its leading keys) except `keep`: the S3
   * objects under `<table.location>/<within>/`, leaving those under `<table.location>/<keep>/`. The tables
   * written this way are not partition-projected, so their partitions stay registered in Glue, empty.
   */
  async clearPartitions(
    table: TableDef,
    within: Readonly<Record<string, string>>,
    keep?: Readonly<Record<string, string>>,
  ): Promise<void> {
    checkClearPartitions(table, within, keep);
    const path = (values: Readonly<Record<string, string>>) =>
      `${table.location}/${partitionPath(Object.fromEntries(table.partitionKeys.filter((k) => k in values).map((k) => [k, values[k]!])))}/`;
    if (keep) this.partitionValues(table, keep);
    await this.deletePrefix(path(within), keep ? path(keep) : undefined);
  }

  /** Deletes every object under `prefix` except those under `except`, in batches of 1000; returns the count. */
  private async deletePrefix(prefix: string, except?: string): Promise<number> {
    const failures: S3Error[] = [];
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await this.call('ListObjectsV2', () =>
        this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token })),
      );
      const keys = (page.Contents ?? [])
        .map((o) => o.Key)
        .filter((k): k is string => typeof k === 'string' && (except === undefined || !k.startsWith(except)));
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const result = await this.call('DeleteObjects', () =>
          this.s3.send(
            new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
          ),
        );
        const errors = result.Errors ?? [];
        failures.push(...errors);
        deleted += batch.length - errors.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    this.log('objects deleted', { bucket: this.bucket, prefix, except, deleted, failed: failures.length });
    if (failures.length > 0) {
      const shown = failures
        .slice(0, 10)
        .map((e) => `${e.Key ?? '?'} (${e.Code ?? 'error'}: ${e.Message ?? 'no message'})`)
        .join('; ');
      const more = failures.length > 10 ? `; and ${failures.length - 10} more` : '';
      throw new Error(`could not delete ${failures.length} object(s) under s3://${this.bucket}/${prefix}: ${shown}${more}`);
    }
    return deleted;
  }

  /**
   * Starts one query and waits until it succeeds; throws with Athena's reason when it does not. Literals are
   * written into the text; the other values go as execution parameters.
   */
  async run(query: string, params: readonly SqlParam[]): Promise<QueryExecution> {
    const { text: sql, bound } = renderForAthena(query, params);
    const bytes = Buffer.byteLength(sql, 'utf8');
    if (bytes > MAX_QUERY_BYTES) {
      throw new Error(`query "${firstLine(sql)}" is ${bytes} bytes; Athena takes at most ${MAX_QUERY_BYTES}`);
    }
    // One token for every retry of this start: a start that reached Athena before its answer was lost
    // returns the same query instead of running a second one.
    const token = randomUUID();
    const started = await this.call('StartQueryExecution', () =>
      this.athena.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          ExecutionParameters: executionParameters(bound),
          ClientRequestToken: token,
          WorkGroup: this.workgroup,
          QueryExecutionContext: { Database: this.database, Catalog: this.catalog },
        }),
      ),
    );
    const id = started.QueryExecutionId;
    if (!id) throw new Error(`Athena started query "${firstLine(sql)}" without returning its id`);
    this.log('query started', { queryExecutionId: id, query: firstLine(sql), bytes, parameters: bound.length });
    return this.waitFor(id, sql);
  }

  private async waitFor(id: string, sql: string): Promise<QueryExecution> {
    let delay = this.pollIntervalMs;
    let waited = 0;
    for (;;) {
      await this.sleep(delay);
      waited += delay;
      const { QueryExecution: execution } = await this.call('GetQueryExecution', () =>
        this.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
      );
      const state = execution?.Status?.State;
      if (state === 'SUCCEEDED') {
        this.log('query succeeded', {
          queryExecutionId: id,
          dataScannedBytes: execution?.Statistics?.DataScannedInBytes,
          engineMs: execution?.Statistics?.EngineExecutionTimeInMillis,
        });
        return execution!;
      }
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = execution?.Status?.StateChangeReason ?? execution?.Status?.AthenaError?.ErrorMessage ?? 'Athena gave no reason';
        this.log('query failed', { queryExecutionId: id, state, reason });
        throw new AthenaQueryError(`Athena query ${id} ${state} ("${firstLine(sql)}"): ${reason}`, id, state, reason);
      }
      if (waited >= this.queryTimeoutMs) {
        await this.call('StopQueryExecution', () => this.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }))).catch(
          (e: unknown) => this.log('could not stop query', { queryExecutionId: id, error: String(e) }),
        );
        const reason = `still ${state ?? 'in an unknown state'} after ${Math.round(waited / 1000)} s; stopped`;
        throw new AthenaQueryError(`Athena query ${id} timed out ("${firstLine(sql)}"): ${reason}`, id, 'TIMEOUT', reason);
      }
      delay = Math.min(delay * 2, this.maxPollIntervalMs);
    }
  }

  /** Every row of a finished query, paging through the results; the first row of the first page is the header. */
  private async results(id: string): Promise<ResultRow[]> {
    const rows: ResultRow[] = [];
    let columns: ColumnInfo[] | undefined;
    let token: string | undefined;
    let first = true;
    do {
      const page = await this.call('GetQueryResults', () =>
        this.athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 })),
      );
      columns ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      const data = page.ResultSet?.Rows ?? [];
      for (const [i, row] of data.entries()) {
        if (first && i === 0) continue;
        const out: ResultRow = {};
        columns.forEach((column, c) => {
          out[column.Name ?? `_col${c}`] = convertValue(row.Data?.[c]?.VarCharValue, column.Type);
        });
        rows.push(out);
      }
      first = false;
      token = page.NextToken;
    } while (token);
    return rows;
  }

  /** Calls AWS, retrying with capped exponential backoff (with jitter) while the call is throttled. */
  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        if (!isThrottling(error)) throw error;
        if (attempt >= this.maxAttempts) {
          throw new Error(`${operation} was still throttled after ${attempt} attempts: ${(error as Error).message}`, { cause: error });
        }
        const nominal = Math.min(this.retryBaseMs * 2 ** (attempt - 1), this.retryMaxMs);
        const delay = Math.round(nominal / 2 + (this.random() * nominal) / 2);
        this.log('throttled, retrying', { operation, attempt, delayMs: delay, error: (error as Error).name });
        await this.sleep(delay);
      }
    }
  }

  /** The partition's values in the table's key order; the keys must be exactly the table's partition keys. */
  private partitionValues(table: TableDef, partition: Readonly<Record<string, string>>): string[] {
    const given = Object.keys(partition).sort().join(',');
    const expected = [...table.partitionKeys].sort().join(',');
    if (given !== expected) {
      throw new Error(`table ${table.name}: partition keys are ${table.partitionKeys.join(', ')}, got ${Object.keys(partition).join(', ') || 'none'}`);
    }
    return table.partitionKeys.map((k) => {
      const v = partition[k]!;
      if (!SAFE_PARTITION_VALUE.test(v) || v.includes('..')) {
        throw new Error(`table ${table.name}: partition value ${k}=${JSON.stringify(v)} may hold only letters, digits and _ . : -`);
      }
      return v;
    });
  }
}

/** A Glue database, table or column name that Athena DDL can hold between backticks as it is. */
const DDL_NAME = /^[A-Za-z0-9_]+$/;

/**
 * The DDL that registers one partition in Glue, e.g.
 * ALTER TABLE `okta_lake`.`okta_users` ADD IF NOT EXISTS PARTITION (`dt` = '2026-11-25', `batch` = 'daily')
 *   LOCATION 's3://bucket/inventory/users/dt=2026-11-25/batch=daily/'
 * for a partition whose values `checkWritePartition` accepted. Names are quoted with backticks, as Athena's DDL
 * (Hive syntax) quotes identifiers; values are string literals (the partition keys are Glue `string` columns).
 */
export function addPartitionStatement(database: string, bucket: string, table: TableDef, partition: Readonly<Record<string, string>>): string {
  for (const name of [database, table.name, ...table.partitionKeys]) {
    if (!DDL_NAME.test(name)) throw new Error(`table ${table.name}: ${JSON.stringify(name)} cannot be named in Athena DDL (letters, digits and _ only)`);
  }
  const values = table.partitionKeys.map((k) => {
    const v = partition[k];
    if (v === undefined) throw new Error(`table ${table.name}: partition value ${k} is missing`);
    return `\`${k}\` = ${quoteString(v)}`;
  });
  const location = `s3://${bucket}/${table.location}/${partitionPath(Object.fromEntries(table.partitionKeys.map((k) => [k, partition[k]!])))}/`;
  return `ALTER TABLE \`${database}\`.\`${table.name}\` ADD IF NOT EXISTS PARTITION (${values.join(', ')}) LOCATION ${quoteString(location)}`;
}

/**
 * The INSERTs that fill one partition with the rows of `selects`: consecutive selects joined by `union all`, as
 * many per statement as fit in `MAX_QUERY_BYTES` once their literals are written in. Partition values are
 * literals (validated tokens), so no `?` stands in the select list. A select too long for a statement of its own
 * is an error naming it.
 */
export function insertStatements(table: TableDef, partitionValues: readonly string[], selects: readonly SqlQuery[], maxBytes = MAX_QUERY_BYTES): SqlQuery[] {
  const columns = Object.entries(table.columns).map(
    ([name, type]) => `cast(s.${quoteIdentifier(name)} as ${trinoType(type)}) as ${quoteIdentifier(name)}`,
  );
  const keys = table.partitionKeys.map((k, i) => `${SqlLiteral.token(partitionValues[i]!).sql} as ${quoteIdentifier(k)}`);
  const head = [`insert into ${quoteIdentifier(table.name)}`, `select ${[...columns, ...keys].join(',\n  ')}`, 'from ('].join('\n');
  const tail = '\n) as s';
  const separator = '\nunion all\n';
  const separatorBytes = Buffer.byteLength(separator, 'utf8');
  const fixed = Buffer.byteLength(head, 'utf8') + 1 + Buffer.byteLength(tail, 'utf8');
  const bodies = selects.map((q) => ({ ...q, sql: asSubquery(q.sql) }));
  // Sizes as Athena will see them: literals written in.
  const sizes = bodies.map((q) => Buffer.byteLength(renderForAthena(q.sql, q.params).text, 'utf8'));

  const statements: SqlQuery[] = [];
  let batch: number[] = [];
  let batchBytes = fixed;
  const flush = () => {
    if (batch.length === 0) return;
    const parts = batch.map((i) => bodies[i]!);
    statements.push({
      sql: `${head}\n${parts.map((q) => q.sql).join(separator)}${tail}`,
      params: parts.flatMap((q) => q.params),
      label: parts.map((q) => q.label ?? '?').join(', '),
    });
    batch = [];
    batchBytes = fixed;
  };
  sizes.forEach((size, i) => {
    if (fixed + size > maxBytes) {
      throw new Error(`${bodies[i]!.label ?? `select ${i + 1}`}: ${size} bytes, too long for one Athena query even alone (at most ${maxBytes - fixed} here)`);
    }
    if (batch.length > 0 && batchBytes + separatorBytes + size > maxBytes) flush();
    batchBytes += (batch.length > 0 ? separatorBytes : 0) + size;
    batch.push(i);
  });
  flush();
  // No selects, no statement: the partition is cleared and stays empty.
  return statements;
}
