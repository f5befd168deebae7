/**
 * `QueryEngine.writeRows` on the local engine, and the Parquet file engines/parquet-rows.ts makes for it: the rows
 * read back through DuckDB as written (text, nulls, booleans, numbers, millisecond timestamps equal to what
 * `replacePartition` stores for the same instant), bad rows and partitions refused with a message naming the table,
 * row, column and value, a rewrite replaces the partition and leaves the others, and the inventory's `*_current`
 * views (schema/views.ts) pick each user's latest batch.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../engines/duckdb/engine.ts';
import { encodeParquetRows, parquetSchema, timestampMillis } from '../../engines/parquet-rows.ts';
import { SqlLiteral } from '../../engines/sql-values.ts';
import { okta_devices, okta_factors, okta_users } from '../../schema/inventory.ts';
import { bigint, boolean, double, int, string, stringMap, timestamp, type TableDef } from '../../schema/types.ts';

let engine: DuckDbEngine | undefined;
let root: string | undefined;
afterEach(() => {
  engine?.close();
  engine = undefined;
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

async function openLake(): Promise<DuckDbEngine> {
  root = mkdtempSync(join(tmpdir(), 'okta-lake-parquet-rows-'));
  engine = await DuckDbEngine.open(root, { threads: 1 });
  return engine;
}

/** A table of every scalar kind, outside the lake's catalog: read back with read_parquet. */
const every_kind: TableDef = {
  name: 'every_kind',
  description: 'test table',
  location: 'test/every-kind',
  columns: { s: string, b: bigint, i: int, d: double, f: boolean, ts: timestamp },
  partitionKeys: ['dt', 'batch'],
};

const DAY = '2026-11-25';
const nightly = { dt: DAY, batch: 'daily' };

/** The rows of one partition's files, read straight from disk (no view), with DuckDB's column types. */
async function readPartition(e: DuckDbEngine, table: TableDef, partition: Record<string, string>) {
  const dir = e.partitionDir(table, partition);
  const files = readdirSync(dir).map((f) => join(dir, f));
  const result = await e.run(`select * from read_parquet([${files.map((f) => `'${f}'`).join(', ')}], hive_partitioning = false)`);
  return {
    types: Object.fromEntries(result.columnNames().map((n, i) => [n, String(result.columnTypes()[i])])),
    rows: result.getRowObjectsJson(),
  };
}

const user = (id: string, fields: Record<string, unknown> = {}) => ({
  user_id: id,
  login: `${id}@example.com`,
  status: 'ACTIVE',
  factors_collected: true,
  roles_collected: true,
  collected_at: '2026-11-25T23:00:00.000Z',
  ...fields,
});

describe('encodeParquetRows', () => {
  it('writes the data columns in table order, partition keys left out, timestamps as INT64 local millis', async () => {
    const e = await openLake();
    await e.writeRows(every_kind, nightly, [{ s: 'x' }]);
    const file = join(e.partitionDir(every_kind, nightly), 'part-00000.parquet');

    const schema = await e.run(`select name, type, converted_type, logical_type from parquet_schema('${file}')`);
    const rows = schema.getRowObjectsJson().slice(1);

    expect(rows.map((r) => r.name)).toEqual(['s', 'b', 'i', 'd', 'f', 'ts']);
    expect(rows.map((r) => r.type)).toEqual(['BYTE_ARRAY', 'INT64', 'INT32', 'DOUBLE', 'BOOLEAN', 'INT64']);
    expect(rows[0]).toMatchObject({ converted_type: 'UTF8' });
    expect(rows[5]).toMatchObject({ converted_type: 'TIMESTAMP_MILLIS' });
    expect(String(rows[5]!.logical_type)).toMatch(/TimestampType\(isAdjustedToUTC=0, unit=TimeUnit\(MILLIS=MilliSeconds\(\)/);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    expect(bytes.subarray(-4).toString('latin1')).toBe('PAR1');
    const meta = await e.run(`select distinct compression from parquet_metadata('${file}')`);
    expect(meta.getRowObjectsJson()).toEqual([{ compression: 'SNAPPY' }]);
  });

  it('gives the same bytes for the same rows (the file Athena gets is the file DuckDB tests read)', () => {
    const rows = [user('00u1', { display_name: 'Zoë', last_login: new Date('2026-11-25T04:05:06.789Z') })];
    expect(Buffer.from(encodeParquetRows(okta_users, rows)).equals(Buffer.from(encodeParquetRows(okta_users, rows)))).toBe(true);
  });

  it('reads timestamps as ISO-8601 with a zone, YYYY-MM-DD HH:MM:SS[.fff] in UTC, or Date, to the millisecond', () => {
    const t = Date.UTC(2026, 10, 25, 4, 5, 6, 789);
    expect(timestampMillis('2026-11-25T04:05:06.789Z')).toBe(t);
    expect(timestampMillis('2026-11-25T06:05:06.789+02:00')).toBe(t);
    expect(timestampMillis('2026-11-25 04:05:06.789')).toBe(t);
    expect(timestampMillis('2026-11-25 04:05:06.789999')).toBe(t);
    expect(timestampMillis('2026-11-25T04:05:06.7899Z')).toBe(t);
    expect(timestampMillis(new Date(t))).toBe(t);
    expect(timestampMillis('2026-11-25 04:05:06')).toBe(t - 789);
    expect(timestampMillis('2026-11-25 04:05:06.7')).toBe(t - 89);
    for (const bad of ['2026-02-30 00:00:00', '2026-11-25T04:05:06', '2026-11-25', 'yesterday', '2026-11-25 24:00:00', new Date(Number.NaN), 1_795_579_506_789]) {
      expect(timestampMillis(bad), String(bad)).toBeUndefined();
    }
  });

  it('makes a valid file with the schema and no row from zero rows', async () => {
    const e = await openLake();
    const bytes = encodeParquetRows(every_kind, []);
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('PAR1');

    await e.writeRows(every_kind, nightly, []);

    const { types, rows } = await readPartition(e, every_kind, nightly);
    expect(rows).toEqual([]);
    expect(types).toEqual({ s: 'VARCHAR', b: 'BIGINT', i: 'INTEGER', d: 'DOUBLE', f: 'BOOLEAN', ts: 'TIMESTAMP' });
  });
});

describe('DuckDbEngine.writeRows', () => {
  it('round-trips every scalar kind, with nulls for missing keys, undefined and null', async () => {
    const e = await openLake();
    await e.writeRows(every_kind, nightly, [
      { s: 'O\'Brien "Zoë" 日本語 🙂\nline two', b: 9_007_199_254_740_993n, i: -2_147_483_648, d: 2.5, f: false, ts: '2026-11-25T04:05:06.789Z' },
      { s: '', b: -1, i: 2_147_483_647, d: -0.125, f: true, ts: new Date('2026-11-25T04:05:06Z') },
      { s: null, b: undefined, d: null },
    ]);

    const { types, rows } = await readPartition(e, every_kind, nightly);

    expect(types).toEqual({ s: 'VARCHAR', b: 'BIGINT', i: 'INTEGER', d: 'DOUBLE', f: 'BOOLEAN', ts: 'TIMESTAMP' });
    expect(rows).toEqual([
      { s: 'O\'Brien "Zoë" 日本語 🙂\nline two', b: '9007199254740993', i: -2147483648, d: 2.5, f: false, ts: '2026-11-25 04:05:06.789' },
      { s: '', b: '-1', i: 2147483647, d: -0.125, f: true, ts: '2026-11-25 04:05:06' },
      { s: null, b: null, i: null, d: null, f: null, ts: null },
    ]);
  });

  it('writes inventory rows that read back through the table views, timestamps equal to what replacePartition stores', async () => {
    const e = await openLake();
    const instants = ['2026-11-25T04:05:06.789Z', '2026-11-25T06:05:06.001+02:00', '2026-11-25 04:05:06.120'];
    await e.writeRows(okta_users, nightly, [
      user('00u1', { display_name: 'Zoë O\'Brien "ZO"', title: null, created: instants[0], activated: instants[1], last_login: instants[2], factors_collected: false }),
    ]);
    // The same instants through the query path, in a partition of their own.
    const given: Record<string, string> = {
      user_id: `'00u1'`,
      created: `cast(? as timestamp)`,
      activated: `cast(from_iso8601_timestamp(?) as timestamp)`,
      last_login: `cast(? as timestamp)`,
    };
    await e.replacePartition(okta_users, { dt: DAY, batch: 'sql' }, [
      {
        sql: `select ${Object.keys(okta_users.columns).map((c) => `${given[c] ?? 'null'} as ${c}`).join(', ')}`,
        params: ['2026-11-25 04:05:06.789', instants[1]!, instants[2]!],
      },
    ]);

    const rows = await e.select(
      `select batch, user_id, login, display_name, title, created, activated, last_login, factors_collected, roles_collected, collected_at
       from okta_users where dt = ? order by batch`,
      [SqlLiteral.date(DAY)],
    );

    expect(rows[0]).toEqual({
      batch: 'daily',
      user_id: '00u1',
      login: '00u1@example.com',
      display_name: 'Zoë O\'Brien "ZO"',
      title: null,
      created: '2026-11-25 04:05:06.789',
      activated: '2026-11-25 04:05:06.001',
      last_login: '2026-11-25 04:05:06.12',
      factors_collected: false,
      roles_collected: true,
      collected_at: '2026-11-25 23:00:00',
    });
    const [written, queried] = rows;
    expect({ created: written!.created, activated: written!.activated, last_login: written!.last_login }).toEqual({
      created: queried!.created,
      activated: queried!.activated,
      last_login: queried!.last_login,
    });
  });

  it('writes factors and devices', async () => {
    const e = await openLake();
    await e.writeRows(okta_factors, nightly, [
      { user_id: '00u1', login: 'a@example.com', factor_id: 'mfa1', factor_type: 'webauthn', provider: 'FIDO', status: 'ACTIVE', strength: 'high', created: '2025-01-02T03:04:05.000Z' },
      { user_id: '00u1', login: 'a@example.com', factor_id: 'mfa2', factor_type: 'sms', provider: 'OKTA', status: 'ACTIVE', strength: 'low', bound_kind: 'phone', bound_hint: '…1234' },
    ]);
    await e.writeRows(okta_devices, nightly, [
      { device_id: 'guo1', user_id: '00u1', platform: 'MACOS', registered: true, secure_hardware_present: false, management_status: 'MANAGED' },
      { device_id: 'guo2', user_id: null, platform: 'WINDOWS', registered: false },
    ]);

    expect(await e.select(`select factor_id, strength, bound_hint, created from okta_factors where dt = ? order by factor_id`, [SqlLiteral.date(DAY)])).toEqual([
      { factor_id: 'mfa1', strength: 'high', bound_hint: null, created: '2025-01-02 03:04:05' },
      { factor_id: 'mfa2', strength: 'low', bound_hint: '…1234', created: null },
    ]);
    expect(await e.select(`select device_id, user_id, registered, secure_hardware_present from okta_devices where dt = ? order by device_id`, [SqlLiteral.date(DAY)])).toEqual([
      { device_id: 'guo1', user_id: '00u1', registered: true, secure_hardware_present: false },
      { device_id: 'guo2', user_id: null, registered: false, secure_hardware_present: null },
    ]);
  });

  it('replaces a rewritten partition whole and leaves the other partitions as they were', async () => {
    const e = await openLake();
    await e.writeRows(okta_users, nightly, [user('00u1'), user('00u2')]);
    await e.writeRows(okta_users, { dt: DAY, batch: 'refresh-0123456789abcdef' }, [user('00u1', { status: 'SUSPENDED' })]);
    await e.writeRows(okta_users, { dt: '2026-11-24', batch: 'daily' }, [user('00u9')]);

    await e.writeRows(okta_users, nightly, [user('00u3')]);

    const rows = await e.select(`select dt, batch, user_id, status from okta_users order by dt, batch, user_id`, []);
    expect(rows).toEqual([
      { dt: '2026-11-24', batch: 'daily', user_id: '00u9', status: 'ACTIVE' },
      { dt: DAY, batch: 'daily', user_id: '00u3', status: 'ACTIVE' },
      { dt: DAY, batch: 'refresh-0123456789abcdef', user_id: '00u1', status: 'SUSPENDED' },
    ]);
    expect(readdirSync(e.partitionDir(okta_users, nightly))).toEqual(['part-00000.parquet']);
    // Nothing left behind in the staging folder.
    expect(readdirSync(join(root!, '.staging'))).toEqual([]);
  });

  it('empties a partition rewritten with zero rows', async () => {
    const e = await openLake();
    await e.writeRows(okta_users, nightly, [user('00u1')]);

    await e.writeRows(okta_users, nightly, []);

    expect(await e.select(`select count(*) as n from okta_users`, [])).toEqual([{ n: 0 }]);
    expect(await e.select(`select count(*) as n from okta_users_current`, [])).toEqual([{ n: 0 }]);
  });

  it('refuses bad rows before writing anything, naming the table, row, column and value', async () => {
    const e = await openLake();
    await e.writeRows(every_kind, nightly, [{ s: 'kept' }]);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ f: 'yes' }, /^writeRows\(every_kind\): row 1, column "f" \(boolean\): "yes" is not a boolean$/],
      [{ ts: 'last Tuesday' }, /^writeRows\(every_kind\): row 1, column "ts" \(timestamp\): "last Tuesday" is not a timestamp/],
      [{ ts: '2026-02-30T00:00:00Z' }, /row 1, column "ts" \(timestamp\): "2026-02-30T00:00:00Z" is not a timestamp/],
      [{ ts: new Date(Number.NaN) }, /row 1, column "ts" \(timestamp\): Invalid Date is not a timestamp/],
      [{ b: 1.5 }, /^writeRows\(every_kind\): row 1, column "b" \(bigint\): 1.5 is not a whole number/],
      [{ b: '12' }, /row 1, column "b" \(bigint\): "12" is not a whole number/],
      [{ b: 2n ** 63n }, /row 1, column "b" \(bigint\): 9223372036854775808n is out of the 64-bit bigint range/],
      [{ i: 2 ** 31 }, /row 1, column "i" \(int\): 2147483648 is out of the 32-bit int range/],
      [{ d: Number.NaN }, /row 1, column "d" \(double\): NaN is not a finite number/],
      [{ s: 42 }, /row 1, column "s" \(string\): 42 is not a string/],
      [{ s: 'a\uD800b' }, /row 1, column "s" \(string\): .* holds a lone UTF-16 surrogate/],
      [{ colour: 'blue' }, /^writeRows\(every_kind\): row 1, column "colour" \(value "blue"\) is not a column of the table$/],
      [{ dt: DAY }, /^writeRows\(every_kind\): row 1, column "dt" \(value "2026-11-25"\) is a partition key/],
    ];
    for (const [bad, message] of cases) {
      await expect(e.writeRows(every_kind, nightly, [{ s: 'fine' }, bad]), JSON.stringify(bad, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).rejects.toThrow(message);
    }
    await expect(e.writeRows(every_kind, nightly, [null as never])).rejects.toThrow(/^writeRows\(every_kind\): row 0 is null, not an object/);

    // The partition still holds what it held.
    expect((await readPartition(e, every_kind, nightly)).rows.map((r) => r.s)).toEqual(['kept']);
  });

  it('refuses a table with a column that is not a scalar, naming it', async () => {
    const e = await openLake();
    const nested: TableDef = { ...every_kind, name: 'nested', columns: { s: string, extra: stringMap } };
    expect(() => parquetSchema(nested)).toThrow('writeRows(nested): column "extra" is a map; only tables whose columns are all scalars can be written from rows');
    await expect(e.writeRows(nested, nightly, [])).rejects.toThrow(/column "extra" is a map/);
    expect(existsSync(e.partitionDir(nested, nightly))).toBe(false);
  });

  it('refuses partitions with the wrong keys or values that are not plain tokens', async () => {
    const e = await openLake();
    await expect(e.writeRows(okta_users, { dt: DAY }, [])).rejects.toThrow('writeRows(okta_users): partition keys are dt, batch, got dt');
    await expect(e.writeRows(okta_users, { dt: DAY, batch: 'daily', hour: '04' }, [])).rejects.toThrow(/partition keys are dt, batch, got dt, batch, hour/);
    for (const batch of ['../../etc', 'a/b', 'a=b', 'a\\b', "it's", 'a b', '', 'x.y']) {
      await expect(e.writeRows(okta_users, { dt: DAY, batch }, []), batch).rejects.toThrow(/bad partition value batch=/);
    }
    await expect(e.writeRows(okta_users, { dt: '2026-02-30', batch: 'daily' }, [])).rejects.toThrow(/partition value dt "2026-02-30" is not a date of the form YYYY-MM-DD/);
    await expect(e.writeRows(okta_users, { dt: '25/11/2026', batch: 'daily' }, [])).rejects.toThrow(/bad partition value dt=/);
    expect(existsSync(join(root!, okta_users.location))).toBe(false);
  });

  it('takes the partition keys in any order', async () => {
    const e = await openLake();
    await e.writeRows(okta_users, { batch: 'daily', dt: DAY }, [user('00u1')]);
    expect(existsSync(join(root!, okta_users.location, `dt=${DAY}`, 'batch=daily', 'part-00000.parquet'))).toBe(true);
  });
});

describe('inventory views over written rows', () => {
  const refresh = { dt: DAY, batch: 'refresh-0123456789abcdef' };

  it("okta_users_current gives each user's latest batch of the day", async () => {
    const e = await openLake();
    await e.writeRows(okta_users, nightly, [user('00u1', { collected_at: '2026-11-25T01:00:00Z' }), user('00u2', { collected_at: '2026-11-25T01:00:00Z' })]);
    await e.writeRows(okta_users, refresh, [user('00u1', { status: 'SUSPENDED', collected_at: '2026-11-25T14:30:00Z' })]);
    await e.writeRows(okta_users, { dt: '2026-11-24', batch: 'daily' }, [user('00u1', { status: 'STAGED', collected_at: '2026-11-24T01:00:00Z' })]);

    const rows = await e.select(`select dt, user_id, status, batch from okta_users_current order by dt, user_id`, []);

    expect(rows).toEqual([
      { dt: '2026-11-24', user_id: '00u1', status: 'STAGED', batch: 'daily' },
      { dt: DAY, user_id: '00u1', status: 'SUSPENDED', batch: refresh.batch },
      { dt: DAY, user_id: '00u2', status: 'ACTIVE', batch: 'daily' },
    ]);
  });

  it("okta_factors_current hides the nightly factors of a user whose refresh found none, and keeps the others'", async () => {
    const e = await openLake();
    await e.writeRows(okta_users, nightly, [user('00u1', { collected_at: '2026-11-25T01:00:00Z' }), user('00u2', { collected_at: '2026-11-25T01:00:00Z' })]);
    await e.writeRows(okta_factors, nightly, [
      { user_id: '00u1', factor_id: 'sms1', factor_type: 'sms', strength: 'low' },
      { user_id: '00u2', factor_id: 'fido2', factor_type: 'webauthn', strength: 'high' },
    ]);
    // 00u1 refreshed later in the day: the API listed no factor any more.
    await e.writeRows(okta_users, refresh, [user('00u1', { collected_at: '2026-11-25T14:30:00Z' })]);
    await e.writeRows(okta_factors, refresh, []);

    const rows = await e.select(`select user_id, factor_id, batch from okta_factors_current where dt = ? order by user_id`, [SqlLiteral.date(DAY)]);

    expect(rows).toEqual([{ user_id: '00u2', factor_id: 'fido2', batch: 'daily' }]);
    // The table itself still has the nightly factor: only the view hides it.
    expect(await e.select(`select count(*) as n from okta_factors where user_id = '00u1'`, [])).toEqual([{ n: 1 }]);
  });
});
