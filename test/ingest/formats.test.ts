/**
 * Reading an input into records: gzip or not, NDJSON or JSON values, told from the content; each record's
 * exact bytes and position; streaming, with memory bounded by one record.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readRecords, type InputShape } from '../../ingest/formats.ts';
import type { InputRecord } from '../../ingest/record.ts';

async function read(input: Buffer | Buffer[], maxRecordBytes?: number): Promise<{ shape: InputShape | undefined; records: InputRecord[] }> {
  let shape: InputShape | undefined;
  const records: InputRecord[] = [];
  const chunks = Array.isArray(input) ? input : [input];
  for await (const r of readRecords(chunks, { maxRecordBytes, onShape: (s) => (shape = s) })) records.push(r);
  return { shape, records };
}

const texts = (records: readonly InputRecord[]) => records.map((r) => r.bytes.toString('utf8'));

/** `buf` cut into pieces of `size` bytes. */
const pieces = (buf: Buffer, size: number) => Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size));

describe('reading NDJSON', () => {
  it('reads line by line, so a broken line is one record and the next line is still its own', async () => {
    // Prepare
    const input = Buffer.from('{"a":1}\n{"b": "never closed\n{"c":3}\n');

    // Act
    const { shape, records } = await read(input);

    // Assess
    expect(shape?.format).toBe('ndjson');
    expect(texts(records)).toEqual(['{"a":1}', '{"b": "never closed', '{"c":3}']);
    expect(records.map((r) => [r.line, r.offset, r.record])).toEqual([
      [1, 0, undefined],
      [2, 8, undefined],
      [3, 28, undefined],
    ]);
  });

  it('tells NDJSON from the content even when its first line is the broken one, which then does not swallow the next', async () => {
    const input = Buffer.from('{"uuid":"x","published":"2026-11\n{"uuid":"y","published":"2026-11-25T04:00:00Z","eventType":"e"}\n');

    const { shape, records } = await read(input);

    expect(shape?.format).toBe('ndjson');
    expect(texts(records)).toEqual(['{"uuid":"x","published":"2026-11', '{"uuid":"y","published":"2026-11-25T04:00:00Z","eventType":"e"}']);
  });
});

describe('reading JSON values one after another', () => {
  it('splits JSON objects written back to back with no newline, keeping each record\'s exact bytes', async () => {
    const objects = ['{"a":1}', '{"b":"}{ \\"quoted\\" [not nested"}', '{"c":[1,{"d":"\\\\"}],"e":{}}'];
    const { shape, records } = await read(Buffer.from(objects.join('')));

    expect(shape?.format).toBe('json-values');
    expect(texts(records)).toEqual(objects);
    expect(records.map((r) => [r.record, r.offset, r.line])).toEqual([
      [1, 0, 1],
      [2, objects[0]!.length, 1],
      [3, objects[0]!.length + objects[1]!.length, 1],
    ]);
  });

  it('streams the elements of a JSON array as records, with record index, byte offset and starting line', async () => {
    const input = Buffer.from('[\n  {"uuid": "a"},\n  {\n    "uuid": "b"\n  }\n]\n');

    const { shape, records } = await read(input);

    expect(shape?.format).toBe('json-values');
    expect(texts(records)).toEqual(['{"uuid": "a"}', '{\n    "uuid": "b"\n  }']);
    expect(records.map((r) => [r.record, r.line, r.offset])).toEqual([
      [1, 2, 4],
      [2, 3, 21],
    ]);
  });

  it('finds the same records wherever the input is cut into chunks', async () => {
    const input = Buffer.from('[{"a":"x\\"}"},{"b":[{"c":"é"}]}, "s\\"", 12 ,{"d":null}]{"e":1}');
    const expected = texts((await read(input)).records);
    expect(expected).toEqual(['{"a":"x\\"}"}', '{"b":[{"c":"é"}]}', '"s\\""', '12 ', '{"d":null}', '{"e":1}']);

    for (let cut = 1; cut < input.length; cut++) {
      const { records } = await read([input.subarray(0, cut), input.subarray(cut)]);
      expect(texts(records), `cut at byte ${cut}`).toEqual(expected);
    }
    expect(texts((await read(pieces(input, 1))).records)).toEqual(expected);
  });

  it('turns what lies between records and is not JSON into a record of its own, so it is quarantined, not dropped', async () => {
    const { records } = await read(Buffer.from('{"a":1} garbage here\n{"b":2}}{"c":3}'));
    expect(texts(records)).toEqual(['{"a":1}', 'garbage here', '{"b":2}', '}', '{"c":3}']);
  });

  it('hands on a record still open at the end of the input as it is', async () => {
    const { records } = await read(Buffer.from('{"a":1}{"b":{"c":'));
    expect(texts(records)).toEqual(['{"a":1}', '{"b":{"c":']);
  });

  it('cuts a record that never ends into pieces of bounded size that together are its bytes', async () => {
    const broken = Buffer.from(`{"a":1}{"b":"${'x'.repeat(5000)}`);

    const { records } = await read(pieces(broken, 100), 1000);

    const [first, ...rest] = records;
    expect(first!.bytes.toString()).toBe('{"a":1}');
    expect(rest.length).toBeGreaterThan(4);
    expect(rest.every((r) => r.bytes.length <= 1100 && r.record === 2)).toBe(true);
    expect(rest.map((r) => r.cut?.part)).toEqual(rest.map((_, i) => i + 1));
    expect(rest.map((r) => r.cut?.last)).toEqual(rest.map((_, i) => i === rest.length - 1));
    expect(Buffer.concat(rest.map((r) => r.bytes)).equals(broken.subarray(7))).toBe(true);
  });

  it('cuts an endless NDJSON line the same way', async () => {
    const line = Buffer.from(`{"a":"${'y'.repeat(3000)}"}\n{"b":2}\n`);
    const { records } = await read(pieces(line, 100), 1000);
    expect(records.at(-1)!.bytes.toString()).toBe('{"b":2}');
    const cut = records.slice(0, -1);
    expect(cut.every((r) => r.line === 1 && r.cut !== undefined)).toBe(true);
    expect(Buffer.concat(cut.map((r) => r.bytes)).toString()).toBe(`{"a":"${'y'.repeat(3000)}"}`);
  });

  it('streams: hands on each element of an array before reading much further, so memory does not grow with the array', async () => {
    // Prepare: an array of 2,000 elements, one chunk each, produced only as the reader asks for them.
    let produced = 0;
    async function* array() {
      yield Buffer.from('[');
      for (let i = 0; i < 2000; i++) {
        produced++;
        yield Buffer.from(`${i ? ',' : ''}{"uuid":"e${i}","pad":"${'p'.repeat(100)}"}`);
      }
      yield Buffer.from(']');
    }

    // Act
    let seen = 0;
    let mostAhead = 0;
    for await (const r of readRecords(array())) {
      seen++;
      mostAhead = Math.max(mostAhead, produced - seen);
      expect(r.record).toBe(seen);
    }

    // Assess: never more than a couple of chunks read ahead of the records handed on.
    expect(seen).toBe(2000);
    expect(mostAhead).toBeLessThanOrEqual(2);
  });
});

describe('telling inputs apart by content', () => {
  it.each([
    ['objects one per line', 'ndjson', '{"a":1}\n{"b":2}\n'],
    ['objects one per line with a broken first line', 'ndjson', '{"a": \n{"b":2}\n{"c":3}\n'],
    ['objects back to back', 'json-values', '{"a":1}{"b":2}'],
    ['objects back to back with spaces', 'json-values', '{"a":1} {"b":2}'],
    ['an array on one line', 'json-values', '[{"a":1},{"b":2}]'],
    ['an object spanning lines', 'json-values', '{\n  "a": 1\n}\n{\n  "b": 2\n}\n'],
    ['CSV', 'ndjson', 'uuid,published\nx,y\n'],
    ['nothing', 'ndjson', ''],
  ])('reads %s as %s', async (_what, format, text) => {
    const { shape } = await read(Buffer.from(text));
    expect(shape?.format).toBe(format);
  });

  it('detects gzip by its magic bytes, every member of a multi-member file included', async () => {
    const input = Buffer.concat([gzipSync('{"a":1}{"b":2}'), gzipSync('{"c":3}'), gzipSync('{"d":4}')]);

    const { shape, records } = await read(pieces(input, 7));

    expect(shape).toMatchObject({ gzip: true, format: 'json-values' });
    expect(texts(records)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}', '{"d":4}']);
  });

  it('skips a UTF-8 BOM, counting it in byte offsets', async () => {
    const { records } = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}{"b":2}')]));
    expect(texts(records)).toEqual(['{"a":1}', '{"b":2}']);
    expect(records.map((r) => r.offset)).toEqual([3, 10]);
  });

  it('reads a gzip file cut short up to the damage, then reports the damage as a record', async () => {
    const whole = gzipSync('{"a":1}\n{"b":2}\n');
    const { records } = await read(whole.subarray(0, whole.length - 4));

    expect(texts(records.slice(0, 2))).toEqual(['{"a":1}', '{"b":2}']);
    expect(records[2]!.damage).toMatch(/^the gzip data is damaged after 16 decompressed byte\(s\) \(unexpected end of file\)/);
    expect(records).toHaveLength(3);
  });
});
