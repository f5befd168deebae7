import { describe, expect, it } from 'vitest';
import { LocalLake } from '../../lake/local-lake.ts';
import { lakeTables, okta_events } from '../../schema/index.ts';
import { logEventColumns } from '../../schema/logevent.ts';
import { rowNormalizer } from '../../schema/normalize.ts';
import { duckdbType, hiveType } from '../../schema/types.ts';

describe('the one schema definition', () => {
  it('names every column in lower case, as Glue requires', () => {
    const names = (fields: Record<string, { kind: string; fields?: unknown; element?: unknown }>): string[] =>
      Object.entries(fields).flatMap(([n, t]) => [n, ...(t.kind === 'struct' ? names(t.fields as never) : t.kind === 'array' && (t.element as { kind: string }).kind === 'struct' ? names((t.element as { fields: never }).fields) : [])]);
    for (const table of lakeTables) for (const n of names(table.columns as never)) expect(n).toBe(n.toLowerCase());
  });

  it('renders Hive types for Glue', () => {
    expect(hiveType(logEventColumns.outcome)).toBe('struct<result:string,reason:string>');
    expect(hiveType(logEventColumns.debugcontext)).toBe('struct<debugdata:map<string,string>>');
    expect(hiveType(logEventColumns.securitycontext.fields.risk)).toBe(
      'struct<level:string,previouslevel:string,reasons:array<string>,detectionname:string,issuer:string>',
    );
  });

  it('writes Parquet whose columns and types are exactly the schema, partition keys aside', async () => {
    const lake = await LocalLake.temporary({ catalog: [] });
    try {
      await lake.ingestEvents([{ uuid: 'u', published: '2026-01-01T00:00:00.000Z', eventType: 'e' }]);
      const described = await lake.engine.select('select column_name, column_type from (describe okta_events)', []);
      const expected = [
        ...Object.entries(okta_events.columns).map(([n, t]) => ({ column_name: n, column_type: duckdbType(t) })),
        { column_name: 'dt', column_type: 'VARCHAR' },
        { column_name: 'hour', column_type: 'VARCHAR' },
      ];
      // DuckDB prints struct field names unquoted where it can.
      const unquote = (s: string) => s.replace(/"([a-z_][a-z0-9_]*)"/g, '$1');
      expect(described.map((r) => ({ column_name: r.column_name, column_type: unquote(String(r.column_type)) }))).toEqual(
        expected.map((e) => ({ ...e, column_type: unquote(e.column_type) })),
      );
    } finally {
      lake.close();
    }
  });
});

describe('normalizing a LogEvent to the schema', () => {
  const normalize = rowNormalizer(logEventColumns);

  it('matches keys case-insensitively and drops unknown ones', () => {
    const row = normalize({ UUID: 'a', eventType: 'x', NotInSchema: 1, actor: { alternateId: 'a@b.c', extra: true } });
    expect(row.uuid).toBe('a');
    expect(row.eventtype).toBe('x');
    expect(row).not.toHaveProperty('NotInSchema');
    expect(row.actor).toEqual({ id: null, type: null, alternateid: 'a@b.c', displayname: null, detailentry: null });
  });

  it('coerces the drift seen in real data and nothing else', () => {
    const row = normalize({
      version: 0,
      client: { zone: 'null', geographicalContext: { postalCode: 10013, geolocation: { lat: 20, lon: '4.5' } } },
      securityContext: { asNumber: '394089', isProxy: 'false' },
      debugContext: { debugData: { a: 'b', n: 5, o: { x: 1 }, z: null } },
      target: null,
      request: { ipChain: 'not-a-list' },
    }) as Record<string, any>;
    expect(row.version).toBe('0');
    expect(row.client.zone).toBe('null');
    expect(row.client.geographicalcontext.postalcode).toBe('10013');
    expect(row.client.geographicalcontext.geolocation).toEqual({ lat: 20, lon: 4.5 });
    expect(row.securitycontext.asnumber).toBe(394089);
    expect(row.securitycontext.isproxy).toBe(false);
    expect(row.debugcontext.debugdata).toEqual({ a: 'b', n: '5', o: '{"x":1}', z: null });
    expect(row.target).toBeNull();
    expect(row.request.ipchain).toBeNull();
  });
});
