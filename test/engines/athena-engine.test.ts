import { StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { AthenaEngine, AthenaQueryError, convertValue, insertStatements, MAX_QUERY_BYTES, type AthenaEngineOptions } from '../../engines/athena/athena-engine.ts';
import { SqlLiteral } from '../../engines/sql-values.ts';
import { countPlaceholders, executionParameter, executionParameters } from '../../engines/athena/execution-parameters.ts';
import { activity } from '../../schema/activity.ts';
import { findings } from '../../schema/findings.ts';
import { FakeAws, recordingSleep, type Outcome, type StartedQuery } from '../handlers/support/fake-aws.ts';

let aws: FakeAws | undefined;
afterEach(() => {
  aws?.restore();
  aws = undefined;
});

function setup(script: (q: StartedQuery) => Outcome = () => ({}), options: Partial<AthenaEngineOptions> = {}) {
  aws = new FakeAws(script);
  const { sleep, waits } = recordingSleep();
  const engine = new AthenaEngine({
    athena: aws.athena,
    s3: aws.s3,
    workgroup: 'okta-lake',
    database: 'okta_lake',
    bucket: 'lake-bucket',
    sleep,
    random: () => 1,
    ...options,
  });
  return { aws, engine, waits };
}

describe('execution parameters', () => {
  it('quotes strings and doubles their quotes, leaves numbers and booleans bare, sends null as NULL', () => {
    expect(executionParameter('2026-11-25')).toBe("'2026-11-25'");
    expect(executionParameter("o'brien@example.com")).toBe("'o''brien@example.com'");
    expect(executionParameter('')).toBe("''");
    expect(executionParameter(20)).toBe('20');
    expect(executionParameter(-1.5)).toBe('-1.5');
    expect(executionParameter(true)).toBe('true');
    expect(executionParameter(null)).toBe('NULL');
  });

  it('refuses values that have no literal or exceed Athena\'s 1024 characters, naming the position', () => {
    expect(() => executionParameter(Number.NaN, 3)).toThrow(/parameter 3: NaN has no SQL literal/);
    expect(() => executionParameter('x'.repeat(1023), 2)).toThrow(/parameter 2: its literal is 1025 characters; Athena takes at most 1024/);
  });

  it('omits the list when there are no values (Athena rejects an empty list)', () => {
    expect(executionParameters([])).toBeUndefined();
  });

  it('counts placeholders outside literals, quoted names and comments', () => {
    expect(countPlaceholders(`select '?', "a?" from t -- what?\nwhere x = ? /* y = ? */ and z = ?`)).toBe(2);
  });
});

describe('AthenaEngine.select', () => {
  it('sends a value with a quote escaped as a parameter, never spliced into the query text', async () => {
    const { aws, engine } = setup(() => ({ columns: [{ name: 'n', type: 'bigint' }], rows: [] }));
    const sql = 'select count(*) as n from activity where login = ? and dt = ?';

    await engine.select(sql, ["x' OR '1'='1", '2026-11-25']);

    const [q] = aws.queries;
    expect(q!.sql).toBe(sql);
    expect(q!.params).toEqual(["'x'' OR ''1''=''1'", "'2026-11-25'"]);
    expect(q!.input.WorkGroup).toBe('okta-lake');
    expect(q!.input.QueryExecutionContext).toEqual({ Database: 'okta_lake', Catalog: 'AwsDataCatalog' });
  });

  it('refuses a value count that does not match the placeholders, before calling Athena', async () => {
    const { aws, engine } = setup();
    await expect(engine.select('select 1 where 1 = ?', [])).rejects.toThrow(/has 1 \? placeholder\(s\) but 0 value\(s\)/);
    expect(aws.calls).toEqual([]);
  });

  it('polls the query state with capped exponential backoff until it succeeds', async () => {
    const { engine, waits } = setup(() => ({ runningPolls: 7, columns: [], rows: [] }), { pollIntervalMs: 250, maxPollIntervalMs: 2000 });
    await engine.select('select 1', []);
    expect(waits).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000, 2000]);
  });

  it('retries throttled Start, Get and Results calls with backoff, keeping one idempotency token per query', async () => {
    const { aws, engine, waits } = setup(() => ({ columns: [{ name: 'x', type: 'integer' }], rows: [['7']] }), { retryBaseMs: 100 });
    aws.throttle.set('Athena.StartQueryExecution', 2);
    aws.throttle.set('Athena.GetQueryExecution', 1);
    aws.throttle.set('Athena.GetQueryResults', 1);

    const rows = await engine.select('select 7 as x', []);

    expect(rows).toEqual([{ x: 7 }]);
    expect(aws.count('Athena.StartQueryExecution')).toBe(3);
    expect(aws.queries).toHaveLength(1);
    const tokens = aws.athenaMock.calls().flatMap((c) => {
      const input = c.args[0].input as { ClientRequestToken?: string };
      return input.ClientRequestToken ? [input.ClientRequestToken] : [];
    });
    expect(new Set(tokens).size).toBe(1);
    // Two throttle backoffs on start (100, 200), one on each of the others (100), then the poll waits.
    expect(waits.filter((w) => w === 100)).toHaveLength(3);
    expect(waits).toContain(200);
  });

  it('gives up on a call still throttled after the last attempt, naming the operation', async () => {
    const { aws, engine } = setup(() => ({}), { maxAttempts: 3 });
    aws.throttle.set('Athena.StartQueryExecution', 5);
    await expect(engine.select('select 1', [])).rejects.toThrow(/StartQueryExecution was still throttled after 3 attempts/);
    expect(aws.count('Athena.StartQueryExecution')).toBe(3);
  });

  it('does not retry an error that is not throttling', async () => {
    const { aws, engine } = setup();
    const invalid = new Error('line 1:8: mismatched input');
    invalid.name = 'InvalidRequestException';
    aws.athenaMock.on(StartQueryExecutionCommand).rejects(invalid);
    await expect(engine.select('select', [])).rejects.toThrow('mismatched input');
    expect(aws.athenaMock.calls()).toHaveLength(1);
  });

  it.each(['FAILED', 'CANCELLED'] as const)('fails with Athena\'s reason and the query id when the query ends %s', async (state) => {
    const { engine } = setup(() => ({ state, reason: "COLUMN_NOT_FOUND: line 3:8: Column 'usr' cannot be resolved" }));
    const error = await engine.select('-- known finding ids\nselect usr from findings', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AthenaQueryError);
    expect((error as AthenaQueryError).queryExecutionId).toBe('q-1');
    expect((error as Error).message).toBe(
      `Athena query q-1 ${state} ("-- known finding ids"): COLUMN_NOT_FOUND: line 3:8: Column 'usr' cannot be resolved`,
    );
  });

  it('stops a query that runs past the timeout and fails', async () => {
    const { aws, engine } = setup(() => ({ runningPolls: 1000 }), { pollIntervalMs: 1000, maxPollIntervalMs: 1000, queryTimeoutMs: 5000 });
    await expect(engine.select('select 1', [])).rejects.toThrow(/Athena query q-1 timed out .*after 5 s; stopped/);
    expect(aws.count('Athena.StopQueryExecution')).toBe(1);
  });

  it('pages through the results, skipping the header row of the first page only', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => [`u${i}`, String(i)]);
    const { aws, engine } = setup(() => ({ columns: [{ name: 'user_id', type: 'varchar' }, { name: 'n', type: 'bigint' }], rows }));
    aws.pageSize = 3;

    const result = await engine.select('select user_id, n from activity', []);

    expect(result).toEqual(rows.map(([u, n]) => ({ user_id: u, n: Number(n) })));
    expect(aws.count('Athena.GetQueryResults')).toBe(3);
  });

  it('converts values by column type: numbers, booleans, text; SQL NULL stays null', async () => {
    const columns = [
      { name: 'b', type: 'bigint' },
      { name: 'i', type: 'integer' },
      { name: 'd', type: 'double' },
      { name: 'ok', type: 'boolean' },
      { name: 'ts', type: 'timestamp' },
      { name: 'j', type: 'varchar' },
      { name: 'e', type: 'varchar' },
      { name: 'missing', type: 'bigint' },
    ];
    const { engine } = setup(() => ({ columns, rows: [['42', '-3', '2.5', 'true', '2026-11-25 04:00:00.000', '["a","b"]', '', null]] }));

    const [row] = await engine.select('select 1', []);

    expect(row).toEqual({ b: 42, i: -3, d: 2.5, ok: true, ts: '2026-11-25 04:00:00.000', j: '["a","b"]', e: '', missing: null });
    expect(convertValue('false', 'boolean')).toBe(false);
    expect(convertValue('12.50', 'decimal(10,2)')).toBe('12.50');
  });
});

describe('AthenaEngine.replacePartition', () => {
  it('deletes the partition\'s objects page by page, in batches of at most 1000, before the INSERT', async () => {
    const { aws, engine } = setup();
    aws.listPageSize = 1000;
    for (let i = 0; i < 2500; i++) aws.objects.set(`findings/dt=2026-11-25/run=hourly-04/part-${String(i).padStart(5, '0')}.parquet`, []);
    aws.objects.set('findings/dt=2026-11-25/run=hourly-05/part-0.parquet', []);
    aws.objects.set('findings/dt=2026-11-25/run=hourly-04x/part-0.parquet', []);

    await engine.replacePartition(findings, { dt: '2026-11-25', run: 'hourly-04' }, [{ sql: 'select * from x', params: [] }]);

    const lists = aws.s3Mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
    expect(lists.map((l) => l.Prefix)).toEqual(Array(3).fill('findings/dt=2026-11-25/run=hourly-04/'));
    expect(lists.every((l) => l.Bucket === 'lake-bucket')).toBe(true);
    const batches = aws.s3Mock.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete!.Objects!.length);
    expect(batches).toEqual([1000, 1000, 500]);
    expect([...aws.objects.keys()].sort()).toEqual([
      'findings/dt=2026-11-25/run=hourly-04x/part-0.parquet',
      'findings/dt=2026-11-25/run=hourly-05/part-0.parquet',
    ]);
    // Every delete happened before the INSERT started.
    expect(aws.calls.lastIndexOf('S3.DeleteObjects')).toBeLessThan(aws.calls.indexOf('Athena.StartQueryExecution'));
  });

  it('reports the keys S3 could not delete and does not insert', async () => {
    const { aws, engine } = setup();
    aws.objects.set('findings/dt=2026-11-25/run=hourly-04/a.parquet', []);
    aws.s3Mock.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: 'findings/dt=2026-11-25/run=hourly-04/a.parquet', Code: 'AccessDenied', Message: 'Access Denied' }],
    });

    await expect(engine.replacePartition(findings, { dt: '2026-11-25', run: 'hourly-04' }, [{ sql: 'select * from x', params: [] }])).rejects.toThrow(
      'could not delete 1 object(s) under s3://lake-bucket/findings/dt=2026-11-25/run=hourly-04/: findings/dt=2026-11-25/run=hourly-04/a.parquet (AccessDenied: Access Denied)',
    );
    expect(aws.queries).toEqual([]);
  });

  it('inserts the select\'s rows cast to the table\'s types, partition values and literals written in, other values bound', async () => {
    const { aws, engine } = setup();

    await engine.replacePartition(findings, { run: 'hourly-04', dt: '2026-11-25' }, [
      { sql: 'select a from t where dt = ? and user_id = ? group by a having count(*) >= ?;', params: [SqlLiteral.date('2026-11-25'), "o'brien@example.com", SqlLiteral.number(20)] },
    ]);

    const [q] = aws.queries;
    expect(q!.sql.startsWith('insert into "findings"\nselect cast(s."finding_id" as varchar) as "finding_id",')).toBe(true);
    expect(q!.sql).toContain('cast(s."event_uuids" as array(varchar)) as "event_uuids"');
    expect(q!.sql).toContain('cast(s."window_start" as timestamp) as "window_start"');
    expect(q!.sql).toContain(`'2026-11-25' as "dt",\n  'hourly-04' as "run"\nfrom (\nselect a from t where dt = '2026-11-25' and user_id = ? group by a having count(*) >= 20\n) as s`);
    // The one value from outside stays an execution parameter: it never becomes query text.
    expect(q!.params).toEqual(["'o''brien@example.com'"]);
    expect(q!.sql).not.toContain('brien');
  });

  it('packs many selects into as few INSERTs as the query length limit allows, each under it', async () => {
    const { aws, engine } = setup();
    const filler = 'x'.repeat(40_000);
    const selects = Array.from({ length: 20 }, (_, i) => ({ sql: `select '${filler}' as a, ? as n where 1 = ?`, params: [SqlLiteral.number(i), i], label: `select-${i}` }));

    await engine.replacePartition(findings, { dt: '2026-11-25', run: 'hourly-04' }, selects);

    const inserts = aws.queries;
    expect(inserts.length).toBeGreaterThan(3);
    expect(inserts.length).toBeLessThan(20);
    for (const q of inserts) expect(Buffer.byteLength(q.sql)).toBeLessThanOrEqual(MAX_QUERY_BYTES);
    // Every select went in once, in order, with its own bound value.
    expect(inserts.flatMap((q) => q.params)).toEqual(selects.map((_, i) => String(i)));
    expect(inserts.map((q) => q.sql.split('union all').length).reduce((a, b) => a + b, 0)).toBe(20);
    // The partition was cleared once, before the first INSERT, not between them.
    expect(aws.calls.filter((c) => c === 'S3.ListObjectsV2')).toHaveLength(1);
  });

  it('names a select too long for one query even alone', () => {
    const huge = { sql: `select '${'y'.repeat(MAX_QUERY_BYTES)}' as a`, params: [], label: 'okta-huge-detection' };

    expect(() => insertStatements(findings, ['2026-11-25', 'hourly-04'], [huge])).toThrow(/^okta-huge-detection: \d+ bytes, too long for one Athena query even alone/);
  });

  it('refuses partition values that could leave their prefix, and partitions with the wrong keys', async () => {
    const { aws, engine } = setup();
    await expect(engine.replacePartition(findings, { dt: '2026-11-25', run: '../okta' }, [{ sql: 'select 1', params: [] }])).rejects.toThrow(/may hold only letters/);
    await expect(engine.replacePartition(findings, { dt: '2026-11-25' }, [{ sql: 'select 1', params: [] }])).rejects.toThrow(/partition keys are dt, run, got dt/);
    expect(aws.calls).toEqual([]);
  });
});

describe('AthenaEngine.clearPartitions', () => {
  it('deletes every batch of a day except the one to keep', async () => {
    const { aws, engine } = setup();
    for (const key of [
      'activity/dt=2026-11-25/batch=daily/part-0.parquet',
      'activity/dt=2026-11-25/batch=refresh-0123456789abcdef/part-0.parquet',
      'activity/dt=2026-11-25/batch=refresh-fedcba9876543210/part-0.parquet',
      'activity/dt=2026-11-26/batch=refresh-0123456789abcdef/part-0.parquet',
    ]) {
      aws.objects.set(key, []);
    }

    await engine.clearPartitions(activity, { dt: '2026-11-25' }, { dt: '2026-11-25', batch: 'daily' });

    expect([...aws.objects.keys()].sort()).toEqual([
      'activity/dt=2026-11-25/batch=daily/part-0.parquet',
      'activity/dt=2026-11-26/batch=refresh-0123456789abcdef/part-0.parquet',
    ]);
  });

  it('refuses a "within" that is not the leading partition keys', async () => {
    const { engine } = setup();
    await expect(engine.clearPartitions(activity, { batch: 'daily' })).rejects.toThrow(/must give values for the first partition keys/);
  });
});

describe('throttling on S3', () => {
  it('retries a throttled listing and deletion', async () => {
    const { aws, engine } = setup();
    aws.objects.set('findings/dt=2026-11-25/run=daily/a.parquet', []);
    aws.throttle.set('S3.ListObjectsV2', 1);
    aws.throttle.set('S3.DeleteObjects', 2);

    await engine.replacePartition(findings, { dt: '2026-11-25', run: 'daily' }, [{ sql: 'select 1', params: [] }]);

    expect(aws.objects.size).toBe(0);
    expect(aws.count('S3.DeleteObjects')).toBe(3);
  });
});
