/**
 * The Firehose sink against a faked Firehose (aws-sdk-client-mock): batches within PutRecordBatch's limits, only the
 * refused records sent again, oversized and unpartitionable events quarantined by uuid, and the hours written.
 */
import { FirehoseClient, PutRecordBatchCommand, type PutRecordBatchCommandInput, type PutRecordBatchResponseEntry } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { FirehoseEventSink, FirehoseSinkError, MAX_BYTES_PER_CALL, MAX_RECORD_BYTES } from '../../ingest/firehose-sink.ts';

const firehoseMock = mockClient(FirehoseClient);
const firehose = new FirehoseClient({ region: 'eu-west-1' });
afterEach(() => firehoseMock.reset());

const event = (i: number, published = `2026-11-25T0${i % 3}:00:${String(i % 60).padStart(2, '0')}.000Z`, extra: object = {}) => ({
  uuid: `e-${i}`,
  published,
  eventType: 'user.session.start',
  ...extra,
});

const decode = (input: PutRecordBatchCommandInput) => input.Records!.map((r) => JSON.parse(Buffer.from(r.Data!).toString('utf8')) as { uuid: string });
const callInputs = () => firehoseMock.commandCalls(PutRecordBatchCommand).map((c) => c.args[0].input);
const ok = (n: number): PutRecordBatchResponseEntry[] => Array.from({ length: n }, (_, i) => ({ RecordId: `r-${i}` }));

function sink(overrides: Partial<ConstructorParameters<typeof FirehoseEventSink>[0]> = {}) {
  const waits: number[] = [];
  const logs: { message: string; fields: Record<string, unknown> }[] = [];
  const s = new FirehoseEventSink({
    firehose,
    deliveryStreamName: 'acme-lake-okta-api-events',
    sleep: async (ms) => void waits.push(ms),
    random: () => 0.5,
    log: (message, fields) => void logs.push({ message, fields }),
    ...overrides,
  });
  return { s, waits, logs };
}

describe('FirehoseEventSink', () => {
  it('puts each event once as its own JSON record, at most 500 a call, and says which hours they land in', async () => {
    firehoseMock.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({ FailedPutCount: 0, RequestResponses: ok(input.Records!.length) }));
    const events = Array.from({ length: 1203 }, (_, i) => event(i));
    const { s } = sink();

    const wrote = await s.write(events);

    expect(callInputs().map((c) => c.Records!.length)).toEqual([500, 500, 203]);
    expect(callInputs().every((c) => c.DeliveryStreamName === 'acme-lake-okta-api-events')).toBe(true);
    expect(callInputs().flatMap(decode)).toEqual(events);
    expect(wrote).toEqual({ written: 1203, duplicates: 0, quarantined: 0, hours: ['2026-11-25T00', '2026-11-25T01', '2026-11-25T02'] });
  });

  it('keeps each call under 4 MiB', async () => {
    firehoseMock.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({ FailedPutCount: 0, RequestResponses: ok(input.Records!.length) }));
    // 60 events of about 300 KB: 13 fit in 4 MiB.
    const events = Array.from({ length: 60 }, (_, i) => event(i, undefined, { debugContext: { debugData: { blob: 'x'.repeat(300_000) } } }));
    const { s } = sink();

    await s.write(events);

    const sizes = callInputs().map((c) => c.Records!.reduce((n, r) => n + r.Data!.length, 0));
    expect(sizes.length).toBeGreaterThan(4);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
    expect(callInputs().flatMap(decode).map((e) => e.uuid)).toEqual(events.map((e) => e.uuid));
  });

  it('sends again only the records Firehose refused, after a backoff, until all are in', async () => {
    let call = 0;
    firehoseMock.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
      call++;
      const n = input.Records!.length;
      // First call: records 1 and 3 refused; second call (the two again): the first of them refused again.
      if (call === 1) return { FailedPutCount: 2, RequestResponses: ok(n).map((r, i) => (i === 1 || i === 3 ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' } : r)) };
      if (call === 2) return { FailedPutCount: 1, RequestResponses: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'oops' }, { RecordId: 'r' }] };
      return { FailedPutCount: 0, RequestResponses: ok(n) };
    });
    const { s, waits } = sink();

    const wrote = await s.write([event(0), event(1), event(2), event(3), event(4)]);

    expect(callInputs().map((c) => decode(c).map((e) => e.uuid))).toEqual([['e-0', 'e-1', 'e-2', 'e-3', 'e-4'], ['e-1', 'e-3'], ['e-1']]);
    // Full jitter with random() = 0.5: half of 200 ms, then half of 400 ms.
    expect(waits).toEqual([100, 200]);
    expect(wrote.written).toBe(5);
  });

  it('sends a whole call again when Firehose is unavailable, and gives up after its attempts with an error that counts the records', async () => {
    const unavailable = Object.assign(new Error('Slow down.'), { name: 'ServiceUnavailableException', $fault: 'server' });
    firehoseMock.on(PutRecordBatchCommand).rejects(unavailable);
    const { s, waits } = sink({ maxAttempts: 3 });

    const failure = s.write([event(0), event(1)]);

    await expect(failure).rejects.toThrow(FirehoseSinkError);
    await expect(failure).rejects.toThrow(/refused 2 of 2 records after 3 attempts \(ServiceUnavailableException: Slow down\.\)/);
    expect(callInputs()).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('does not send an event over 1,000 KiB: it is quarantined and its uuid logged', async () => {
    firehoseMock.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({ FailedPutCount: 0, RequestResponses: ok(input.Records!.length) }));
    const huge = event(1, undefined, { debugContext: { debugData: { blob: 'x'.repeat(MAX_RECORD_BYTES) } } });
    const { s, logs } = sink();

    const wrote = await s.write([event(0), huge, event(2)]);

    expect(callInputs().flatMap(decode).map((e) => e.uuid)).toEqual(['e-0', 'e-2']);
    expect(wrote).toMatchObject({ written: 2, quarantined: 1 });
    expect(logs).toEqual([{ message: 'event quarantined: not sent to Firehose', fields: { uuid: 'e-1', reason: expect.stringMatching(/^1024\d{3} bytes; Firehose takes a record of at most 1024000 bytes/) } }]);
  });

  it('quarantines an event without uuid, or whose published is not UTC (the stream partitions by it)', async () => {
    firehoseMock.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({ FailedPutCount: 0, RequestResponses: ok(input.Records!.length) }));
    const { s, logs } = sink();

    const wrote = await s.write([{ published: '2026-11-25T01:00:00.000Z' }, event(1, '2026-11-25T01:00:00.000+01:00'), event(2)]);

    expect(wrote).toMatchObject({ written: 1, quarantined: 2, hours: ['2026-11-25T02'] });
    expect(logs.map((l) => l.fields.uuid)).toEqual([undefined, 'e-1']);
  });

  it('makes no call for an empty batch', async () => {
    const { s } = sink();

    expect(await s.write([])).toEqual({ written: 0, duplicates: 0, quarantined: 0, hours: [] });
    expect(callInputs()).toEqual([]);
  });
});
