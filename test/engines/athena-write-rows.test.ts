/**
 * `AthenaEngine.writeRows` on faked S3 and Athena: the partition's new Parquet file is put first (the same bytes the
 * local engine writes), the older objects are deleted after it, and the partition is registered with
 * `ALTER TABLE ... ADD IF NOT EXISTS PARTITION`; bad partitions and bad rows are refused before any call.
 */
import { DeleteObjectsCommand, PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { AthenaEngine, addPartitionStatement } from '../../engines/athena/athena-engine.ts';
import { encodeParquetRows } from '../../engines/parquet-rows.ts';
import { okta_factors, okta_users } from '../../schema/inventory.ts';
import { FakeAws, recordingSleep, throttlingError } from '../handlers/support/fake-aws.ts';

let aws: FakeAws | undefined;
afterEach(() => {
  aws?.restore();
  aws = undefined;
});

/** An engine on faked AWS whose S3 also takes PutObject (kept in `aws.objects`, bodies in `bodies`). */
function setup() {
  aws = new FakeAws(() => ({}));
  const fake = aws;
  const bodies = new Map<string, Uint8Array>();
  const puts: PutObjectCommandInput[] = [];
  let throttledPuts = 0;
  fake.s3Mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    fake.calls.push('S3.PutObject');
    if (throttledPuts > 0) {
      throttledPuts--;
      throw throttlingError('SlowDown');
    }
    puts.push(input);
    fake.objects.set(input.Key!, []);
    bodies.set(input.Key!, input.Body as Uint8Array);
    return { ETag: '"etag"' };
  });
  const engine = new AthenaEngine({
    athena: fake.athena,
    s3: fake.s3,
    workgroup: 'okta-lake',
    database: 'okta_lake',
    bucket: 'lake-bucket',
    sleep: recordingSleep().sleep,
    random: () => 1,
  });
  return { aws: fake, engine, bodies, puts, throttlePuts: (n: number) => void (throttledPuts = n) };
}

const DAY = '2026-11-25';
const rows = [
  { user_id: '00u1', login: "o'brien@example.com", display_name: 'Zoë', status: 'ACTIVE', factors_collected: true, collected_at: '2026-11-25T23:00:00.000Z' },
  { user_id: '00u2', login: 'b@example.com', status: 'SUSPENDED', last_login: new Date('2026-11-24T10:11:12.013Z') },
];

describe('AthenaEngine.writeRows', () => {
  it('puts one Parquet file under the partition prefix, the bytes the local engine writes', async () => {
    const { engine, bodies, puts } = setup();

    await engine.writeRows(okta_users, { dt: DAY, batch: 'daily' }, rows);

    expect(puts).toHaveLength(1);
    const [put] = puts;
    expect(put!.Bucket).toBe('lake-bucket');
    expect(put!.Key).toMatch(/^inventory\/users\/dt=2026-11-25\/batch=daily\/part-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.parquet$/);
    const body = Buffer.from(bodies.get(put!.Key!)!);
    expect(body.subarray(0, 4).toString('latin1')).toBe('PAR1');
    expect(body.subarray(-4).toString('latin1')).toBe('PAR1');
    expect(body.equals(Buffer.from(encodeParquetRows(okta_users, rows)))).toBe(true);
  });

  it('deletes the older objects of the partition after the put, and only those', async () => {
    const { aws, engine, puts } = setup();
    aws.listPageSize = 2;
    const old = ['part-0.parquet', 'part-1.parquet', 'part-2.parquet'].map((f) => `inventory/users/dt=${DAY}/batch=daily/${f}`);
    const others = [
      `inventory/users/dt=${DAY}/batch=refresh-0123456789abcdef/part-0.parquet`,
      `inventory/users/dt=${DAY}/batch=daily-x/part-0.parquet`,
      `inventory/users/dt=2026-11-24/batch=daily/part-0.parquet`,
      `inventory/factors/dt=${DAY}/batch=daily/part-0.parquet`,
    ];
    for (const key of [...old, ...others]) aws.objects.set(key, []);

    await engine.writeRows(okta_users, { dt: DAY, batch: 'daily' }, rows);

    expect([...aws.objects.keys()].sort()).toEqual([...others, puts[0]!.Key!].sort());
    const deleted = aws.s3Mock.commandCalls(DeleteObjectsCommand).flatMap((c) => c.args[0].input.Delete!.Objects!.map((o) => o.Key));
    expect(deleted.sort()).toEqual(old);
    // New first, old after, then the partition registered.
    const order = aws.calls.filter((c) => c !== 'S3.ListObjectsV2' && c !== 'Athena.GetQueryExecution');
    expect(order).toEqual(['S3.PutObject', 'S3.DeleteObjects', 'S3.DeleteObjects', 'Athena.StartQueryExecution']);
  });

  it('registers the partition with ALTER TABLE ADD IF NOT EXISTS PARTITION, values as literals', async () => {
    const { aws, engine } = setup();

    await engine.writeRows(okta_factors, { batch: 'refresh-0123456789abcdef', dt: DAY }, []);

    expect(aws.queries).toHaveLength(1);
    const [q] = aws.queries;
    expect(q!.sql).toBe(
      "ALTER TABLE `okta_lake`.`okta_factors` ADD IF NOT EXISTS PARTITION (`dt` = '2026-11-25', `batch` = 'refresh-0123456789abcdef') " +
        "LOCATION 's3://lake-bucket/inventory/factors/dt=2026-11-25/batch=refresh-0123456789abcdef/'",
    );
    expect(q!.params).toEqual([]);
    expect(q!.input.ExecutionParameters).toBeUndefined();
    expect(q!.input.WorkGroup).toBe('okta-lake');
  });

  it('writes a file with the schema and no row for zero rows', async () => {
    const { engine, bodies, puts } = setup();

    await engine.writeRows(okta_users, { dt: DAY, batch: 'daily' }, []);

    const body = Buffer.from(bodies.get(puts[0]!.Key!)!);
    expect(body.equals(Buffer.from(encodeParquetRows(okta_users, [])))).toBe(true);
    expect(body.subarray(0, 4).toString('latin1')).toBe('PAR1');
  });

  it('refuses a bad partition or a bad row before any call', async () => {
    const { aws, engine } = setup();
    const bad: Record<string, string>[] = [
      { dt: DAY, batch: "daily') LOCATION 's3://elsewhere/" },
      { dt: DAY, batch: '../../findings' },
      { dt: DAY, batch: 'a/b' },
      { dt: DAY, batch: 'a=b' },
      { dt: `${DAY}'`, batch: 'daily' },
      { dt: '2026-13-01', batch: 'daily' },
      { dt: DAY },
    ];
    for (const partition of bad) {
      await expect(engine.writeRows(okta_users, partition, rows), JSON.stringify(partition)).rejects.toThrow(/^writeRows\(okta_users\): /);
    }
    await expect(engine.writeRows(okta_users, { dt: DAY, batch: 'daily' }, [{ user_id: '00u1', factors_collected: 'yes' }])).rejects.toThrow(
      'writeRows(okta_users): row 0, column "factors_collected" (boolean): "yes" is not a boolean',
    );
    expect(aws.calls).toEqual([]);
  });

  it('keeps the old objects when the put fails, and retries a throttled put', async () => {
    const { aws, engine, throttlePuts } = setup();
    const old = `inventory/users/dt=${DAY}/batch=daily/part-0.parquet`;
    aws.objects.set(old, []);
    throttlePuts(2);

    await engine.writeRows(okta_users, { dt: DAY, batch: 'daily' }, rows);

    expect(aws.count('S3.PutObject')).toBe(3);
    expect(aws.objects.has(old)).toBe(false);

    aws.objects.set(old, []);
    aws.s3Mock.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const before = [...aws.objects.keys()];
    await expect(engine.writeRows(okta_users, { dt: DAY, batch: 'daily' }, rows)).rejects.toThrow('Access Denied');
    expect([...aws.objects.keys()]).toEqual(before);
    expect(aws.queries).toHaveLength(1);
  });
});

describe('addPartitionStatement', () => {
  it('refuses a database name that DDL could not hold', () => {
    expect(() => addPartitionStatement('okta-lake`; drop', 'b', okta_users, { dt: DAY, batch: 'daily' })).toThrow(/cannot be named in Athena DDL/);
  });
});
