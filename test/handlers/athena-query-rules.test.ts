/**
 * Every query the three Lambdas send Athena obeys Athena's rules, with the whole catalog and with a catalog grown
 * past 200 detections: each query string is under 262,144 bytes, and no `?` stands outside a WHERE clause. The
 * queries are captured as the faked Athena receives them (literals written in) and parsed with the Trino parser.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog, type Detection } from '../../core/catalog.ts';
import { lakeMinutes } from '../../core/lake-silences.ts';
import { compileNamedParams } from '../../core/sql-params.ts';
import { AthenaEngine } from '../../engines/athena/athena-engine.ts';
import { readSql } from '../../core/sql-files.ts';
import { MAX_QUERY_BYTES } from '../../engines/athena/athena-engine.ts';
import { countPlaceholders } from '../../engines/athena/execution-parameters.ts';
import { dailyInvocation } from '../../handlers/daily.ts';
import { FINDING_EVENT } from '../../core/findings.ts';
import { hourlyInvocation } from '../../handlers/hourly.ts';
import { refreshEntry } from '../../handlers/refresh.ts';
import { createRuntime, readHandlerConfig } from '../../handlers/runtime.ts';
import { placeholdersOutsideWhere } from '../support/athena-rules.ts';
import { FakeAws, recordingSleep, type StartedQuery } from './support/fake-aws.ts';
import { bruteForceFinding, FakeFindingsLake, insertedPartition } from './support/fake-lake.ts';
import { silentLog } from './support/log.ts';
import { ENV } from './support/env.ts';

const USERS_SQL = compileNamedParams(readSql('snapshots/activity-users.sql')).text;
const RESOLVE_SQL = compileNamedParams(readSql('snapshots/resolve-user.sql')).text;
const CURRENT_SQL = compileNamedParams(readSql('snapshots/activity-current.sql')).text;
/** A real login with a quote in it: it must travel as a bound value, never as query text. */
const OBRIEN = "o'brien@example.com";

const CATALOG = loadCatalog(join(import.meta.dirname, '../../detections'));

/** The catalog, then copies of its detections under new ids until there are at least `size`. */
function grownCatalog(size: number): Detection[] {
  const out = [...CATALOG];
  for (let copy = 1; out.length < size; copy++) {
    for (const d of CATALOG) if (out.length < size) out.push({ ...d, id: `${d.id}-copy-${copy}` });
  }
  return out;
}

let lake: FakeFindingsLake | undefined;
afterEach(() => {
  lake?.aws.restore();
  lake = undefined;
});

/** Runs the hourly, daily and refresh-user invocations once each and returns every query Athena received. */
async function everyQuery(catalog: readonly Detection[], env: Readonly<Record<string, string>> = {}): Promise<StartedQuery[]> {
  lake = new FakeFindingsLake({
    // One finding about a user per run, so each run also notifies and writes the ledger.
    detect: ({ dt, run }) => [{ ...bruteForceFinding(OBRIEN, `f-${dt}-${run}`) }],
    other: (q) => {
      if (q.sql.startsWith('insert into "activity"')) {
        const [dt, batch] = insertedPartition(q, ['dt', 'batch']);
        lake!.aws.objects.set(`activity/dt=${dt}/batch=${batch}/${q.id}.parquet`, []);
        return {};
      }
      if (q.sql === USERS_SQL) return { columns: [{ name: 'users', type: 'bigint' }], rows: [['412']] };
      if (q.sql === RESOLVE_SQL) {
        return { columns: [{ name: 'user_id', type: 'varchar' }, { name: 'login', type: 'varchar' }], rows: [['00u1a2b3c4d5e6f7g8h9', OBRIEN]] };
      }
      if (q.sql === CURRENT_SQL) return { columns: [{ name: 'user_id', type: 'varchar' }, { name: 'login', type: 'varchar' }], rows: [] };
      return undefined;
    },
    runningPolls: 0,
  });
  const runtime = createRuntime(readHandlerConfig({ ...ENV, ...env }), silentLog(), { clients: lake.aws, sleep: recordingSleep().sleep, catalog });
  const now = () => new Date('2026-11-25T05:21:00Z');

  await hourlyInvocation(runtime, { scheduled_time: '2026-11-25T05:20:00Z' }, now);
  await dailyInvocation(runtime, { scheduled_time: '2026-11-25T00:30:00Z' }, now);
  const findingEvent = {
    'detail-type': FINDING_EVENT.detailType,
    source: FINDING_EVENT.source,
    detail: { finding_id: 'f-1', run: 'hourly-04', window_start: '2026-11-25T04:00:00.000Z', entity: { type: 'user', id: OBRIEN } },
  };
  await refreshEntry(runtime, { Records: [{ messageId: 'm-1', eventSource: 'aws:sqs', body: JSON.stringify(findingEvent) }] }, now);
  return lake.aws.queries;
}

/** Exclusions for every detection: addresses of both families, an IPv4 range and a user (core/exclusions.ts). */
const EXCLUSIONS = { OKTA_LAKE_EXCLUSIONS: JSON.stringify({ '*': { ips: ['203.0.113.7', '198.51.100.0/24', '2001:db8::1'], users: ['scanner@example.com'] } }) };

describe.each([
  ['the catalog', CATALOG, {}],
  ['the catalog and exclusions for every detection', CATALOG, EXCLUSIONS],
  ['a catalog of 210 detections', grownCatalog(210), {}],
])('every query the Lambdas send Athena, with %s', (_name, catalog, env) => {
  let queries: StartedQuery[];

  it('runs every hourly and daily detection', async () => {
    queries = await everyQuery(catalog, env);
    const inserted = queries.filter((q) => q.sql.startsWith('insert into "findings"')).map((q) => q.sql).join('\n');

    for (const d of catalog) expect(inserted, d.id).toContain(`'${d.id}'`);
  });

  it('is at most 262,144 bytes', () => {
    expect(queries.length).toBeGreaterThan(5);
    for (const q of queries) expect(Buffer.byteLength(q.sql, 'utf8'), q.sql.slice(0, 120)).toBeLessThanOrEqual(MAX_QUERY_BYTES);
  });

  it('has no ? outside a WHERE clause, and a value for each ?', () => {
    for (const q of queries) {
      expect(placeholdersOutsideWhere(q.sql), q.sql.slice(0, 200)).toEqual([]);
      expect(countPlaceholders(q.sql)).toBe(q.params.length);
    }
  });

  it('never writes the user a finding names into the query text', () => {
    // The login travels as an execution parameter (quote doubled, as Athena reads a string literal).
    for (const q of queries) expect(q.sql).not.toContain('brien');
    for (const q of queries) expect(q.sql).not.toContain('scanner@');
    expect(queries.some((q) => q.params.includes("'o''brien@example.com'"))).toBe(true);
  });
});

describe('exclusions in the queries Athena receives', () => {
  it('narrow the events and the findings of every detection, with the values as execution parameters', async () => {
    const queries = await everyQuery(CATALOG, EXCLUSIONS);
    const inserts = queries.filter((q) => q.sql.startsWith('insert into "findings"'));
    const events = CATALOG.filter((d) => /\bokta_events\b/.test(d.sql.replace(/--[^\n]*/g, ''))).length;
    const narrowed = inserts.map((q) => q.sql.split('(select * from okta_events where not (').length - 1).reduce((a, b) => a + b, 0);
    expect(narrowed).toBeGreaterThanOrEqual(events);
    expect(inserts.every((q) => q.params.includes("'scanner@example.com'") && q.params.includes("'2001:db8::1'"))).toBe(true);
  });
});

describe('a grown catalog', () => {
  it('needs more than one INSERT per hour, each under the limit', async () => {
    const queries = await everyQuery(grownCatalog(210));
    const hourly = queries.filter((q) => q.sql.startsWith('insert into "findings"') && insertedPartition(q, ['run'])[0] === 'hourly-04');

    expect(hourly.length).toBeGreaterThan(1);
  });
});

describe("gap recovery's silence query", () => {
  it('binds its time range in the WHERE clause, with a value for each ?', async () => {
    const aws = new FakeAws(() => ({ columns: [], rows: [] }));
    try {
      const engine = new AthenaEngine({ athena: aws.athena, s3: aws.s3, workgroup: 'okta-lake', database: 'okta_lake', bucket: 'okta-lake-123456789012', sleep: recordingSleep().sleep });

      await lakeMinutes(engine, new Date('2026-11-23T08:00:00Z'), new Date('2026-11-25T09:00:00Z'));

      const [q] = aws.queries;
      expect(aws.queries).toHaveLength(1);
      expect(placeholdersOutsideWhere(q!.sql)).toEqual([]);
      expect(countPlaceholders(q!.sql)).toBe(q!.params.length);
      // The partition bounds are literals (pruned like any other dt filter); the published bounds are bound.
      expect(q!.sql).toContain("where dt between '2026-11-23' and '2026-11-25'");
      expect(q!.params).toEqual(["'2026-11-23T08:00:00.000Z'", "'2026-11-25T09:00:00.000Z'"]);
    } finally {
      aws.restore();
    }
  });
});
