/**
 * The lake's views (schema/views.ts) on the local engine: `okta_events_unique` holds each event once per
 * arrival day however many copies were delivered, keeps every column of `okta_events`, and still lets a
 * `dt` filter prune files.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { trinoParseError } from '../../engines/duckdb/trino-parse.ts';
import type { DuckDbEngine } from '../../engines/duckdb/engine.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { okta_events, okta_users } from '../../schema/index.ts';
import { lakeViews, okta_events_unique } from '../../schema/views.ts';

let lake: LocalLake | undefined;
afterEach(() => {
  lake?.close();
  lake = undefined;
});

const event = (uuid: string, published: string) => ({ uuid, published, eventType: 'user.session.start', actor: { id: '00u1', alternateId: 'jane@example.com' } });

/** A lake with three events that arrived in 2026-03-02T14. */
async function lakeWithThreeEvents(): Promise<LocalLake> {
  lake = await LocalLake.temporary({ catalog: [] });
  await lake.ingestEvents([
    event('a1b2c3d4-0000-4000-8000-000000000001', '2026-03-02T14:05:00.000Z'),
    event('a1b2c3d4-0000-4000-8000-000000000002', '2026-03-02T14:10:00.000Z'),
    event('a1b2c3d4-0000-4000-8000-000000000003', '2026-03-02T14:15:00.000Z'),
  ]);
  return lake;
}

/**
 * Writes a copy of the events of 2026-03-02T14 into the partition `to`, as a redelivery (or an older
 * ingest) leaves it; `uuid` is the DuckDB SQL for the copy's uuid. Written with DuckDB directly, not through
 * ingest, so the copies land whatever ingest does with duplicates.
 */
async function deliverAgain(engine: DuckDbEngine, to: { dt: string; hour: string }, uuid = 'uuid'): Promise<void> {
  await engine.refreshViews();
  const dir = engine.partitionDir(okta_events, to);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `redelivered-${readdirSync(dir).length}.parquet`);
  await engine.run(
    `copy (select * exclude (dt, hour) replace (${uuid} as uuid) from okta_events where dt = '2026-03-02' and hour = '14') to '${file}' (format parquet)`,
  );
}

const count = async (engine: DuckDbEngine, table: string) => Number((await engine.select(`select count(*) as n from ${table}`, []))[0]!.n);

describe('okta_events_unique', () => {
  it('holds each event once when its copies arrived in the same hour', async () => {
    const { engine } = await lakeWithThreeEvents();
    await deliverAgain(engine, { dt: '2026-03-02', hour: '14' });
    expect(await count(engine, 'okta_events')).toBe(6);
    expect(await count(engine, 'okta_events_unique')).toBe(3);
  });

  it('keeps the first arrival when a copy arrived in a later hour of the day', async () => {
    const { engine } = await lakeWithThreeEvents();
    await deliverAgain(engine, { dt: '2026-03-02', hour: '15' });
    expect(await count(engine, 'okta_events')).toBe(6);
    expect(await engine.select('select hour, count(*) as n from okta_events_unique group by hour', [])).toEqual([{ hour: '14', n: 3 }]);
  });

  it('treats a copy with an upper-case uuid as the same event', async () => {
    const { engine } = await lakeWithThreeEvents();
    await deliverAgain(engine, { dt: '2026-03-02', hour: '15' }, 'upper(uuid)');
    expect(await count(engine, 'okta_events_unique')).toBe(3);
  });

  it('keeps a copy that arrived on a later day (the price of partition pruning by dt)', async () => {
    const { engine } = await lakeWithThreeEvents();
    await deliverAgain(engine, { dt: '2026-03-03', hour: '00' });
    expect(await count(engine, 'okta_events_unique')).toBe(6);
  });

  it('has every column of okta_events, in order, so a column added to the schema appears in it', async () => {
    const { engine } = await lakeWithThreeEvents();
    const columns = async (table: string) => (await engine.select(`select column_name, column_type from (describe ${table})`, []));
    expect(await columns('okta_events_unique')).toEqual(await columns('okta_events'));
    expect((await columns('okta_events_unique')).map((c) => c.column_name)).toEqual([...Object.keys(okta_events.columns), ...okta_events.partitionKeys]);
  });

  it('lets a dt filter prune files: only the day asked for is read', async () => {
    const { engine } = await lakeWithThreeEvents();
    await deliverAgain(engine, { dt: '2026-03-03', hour: '00' });
    await engine.refreshViews();
    const plan = (await engine.run("explain select count(*) from okta_events_unique where dt = '2026-03-03'")).getRowObjects().map((r) => String(r.explain_value)).join('\n');
    expect(plan).toContain('Scanning Files: 1/2');
  });

  it('is one Athena (Trino) statement, deduplicating within dt so Athena keeps pruning partitions', () => {
    expect(lakeViews).toContain(okta_events_unique);
    expect(trinoParseError(`create or replace view ${okta_events_unique.name} as\n${okta_events_unique.sql}`)).toBeUndefined();
    expect(okta_events_unique.sql).toContain('row_number() over (partition by dt, lower(uuid) order by hour, published)');
  });
});

describe('a lake written before a column existed', () => {
  it('reads the column as null, even when no file of the table has it yet', async () => {
    lake = await LocalLake.temporary({ catalog: [] });
    const engine = lake.engine;
    // An okta_users partition as a build without factors_read_at wrote it.
    const dir = engine.partitionDir(okta_users, { dt: '2026-06-15', batch: 'daily' });
    mkdirSync(dir, { recursive: true });
    await engine.run(
      `copy (select '00u1' as user_id, 'jane@example.com' as login, true as factors_collected, timestamp '2026-06-15 00:10:00' as collected_at)
       to '${join(dir, 'part-00000.parquet')}' (format parquet)`,
    );

    const rows = await engine.select(`select user_id, factors_read_at, identity_kind from okta_users_current where dt = ?`, ['2026-06-15']);

    expect(rows).toEqual([{ user_id: '00u1', factors_read_at: null, identity_kind: null }]);
  });
});
