/**
 * Every detection folder, checked the same way: metadata valid, SQL that parses as Trino (what Athena runs)
 * and reads only the partitions of its window, fixtures that fire and stay silent on DuckDB, and each
 * event counted once however often Okta delivered it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, resolveThresholds } from '../../core/catalog.ts';
import { findingsQuery } from '../../core/detection-run.ts';
import { scanParams } from '../../core/hourly.ts';
import { compileNamedParams } from '../../core/sql-params.ts';
import { trinoParseError } from '../../engines/duckdb/trino-parse.ts';
import { detectOnEvents } from '../support/local.ts';
import { expectedEntities, postureOnFolder } from '../support/posture.ts';

const catalog = loadCatalog('detections');
const thresholds = resolveThresholds(catalog);

const readFixture = (dir: string, name: string): string[] =>
  readFileSync(join(dir, 'fixtures', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

describe('detection catalog', () => {
  it('has unique ids, one per folder', () => {
    expect(new Set(catalog.map((d) => d.id)).size).toBe(catalog.length);
  });

  describe.each(catalog.map((d) => [d.id, d] as const))('%s', (_id, d) => {
    const dir = d.dir!;

    it('opens its query with a header comment naming the detection', () => {
      expect(d.sql.trimStart().startsWith(`-- ${d.id}:`)).toBe(true);
    });

    it('parses as Trino (Athena engine v3), alone and wrapped into findings', () => {
      expect(trinoParseError(compileNamedParams(d.sql).text)).toBeUndefined();
      const wrapped = findingsQuery(d, {
        window: { start: '2026-01-15 10:00:00.000', end: '2026-01-15 11:00:00.000', partition: { dt: '2026-01-15', run: 'hourly-10' } },
        paramsFor: () => ({
          ...thresholds.get(d.id),
          ...scanParams({ dt: '2026-01-15', hour: '10' }, d.lookback_hours),
          window_start: '2026-01-15 10:00:00.000',
          window_end: '2026-01-15 11:00:00.000',
          day: '2026-01-15',
          user_id: null,
          history_from_dt: '2025-12-16',
        }),
        now: () => new Date('2026-01-15T11:05:00Z'),
      });
      expect(trinoParseError(wrapped.sql)).toBeUndefined();
    });

    it('reads only the partitions of its window', () => {
      if (d.cadence === 'hourly') {
        expect(d.sql).toMatch(/dt between :scan_from_dt and :scan_to_dt/);
        expect(d.sql).toMatch(/concat\(dt, '-', hour\) between :scan_from and :scan_to/);
      } else if (d.cadence === 'posture') {
        // The inventory is read for the day only (one `dt = :day` per read of an inventory view); activity and
        // events by a range of days.
        const code = d.sql.replace(/--[^\n]*/g, '');
        const inventoryReads = code.match(/\b(from|join)\s+okta_\w+_current\b/g)?.length ?? 0;
        expect(inventoryReads).toBeGreaterThan(0);
        expect(code.match(/\bdt = :day\b/g)?.length ?? 0).toBeGreaterThanOrEqual(inventoryReads);
        if (/\bfrom\s+(activity|okta_events)\b/.test(code)) expect(code).toMatch(/\bdt (between|=) :/);
      } else {
        expect(d.sql).toMatch(/\bdt between /);
      }
    });

    it('uses every threshold it declares, as a parameter', () => {
      const names = compileNamedParams(d.sql).names;
      for (const t of Object.keys(d.thresholds)) expect(names, `threshold :${t}`).toContain(t);
    });

    it('has positive and negative fixtures', () => {
      const form = d.cadence === 'posture' ? (f: string) => join(f, 'users.json') : (f: string) => `${f}.ndjson`;
      expect(existsSync(form(join(dir, 'fixtures', 'positive')))).toBe(true);
      expect(existsSync(form(join(dir, 'fixtures', 'negative')))).toBe(true);
    });

    if (d.cadence === 'posture') {
      it('reports exactly the entities its positive fixture expects', async () => {
        const folder = join(dir, 'fixtures', 'positive');
        const run = await postureOnFolder(d, folder);
        expect(run.findings.map((f) => f.entity.id).sort()).toEqual(expectedEntities(folder));
        for (const f of run.findings) expect(f.summary.length, f.summary).toBeGreaterThan(10);
      });

      it('stays silent on its negative fixture', async () => {
        const run = await postureOnFolder(d, join(dir, 'fixtures', 'negative'));
        expect(run.inventory.users).toBeGreaterThan(0);
        expect(run.findings).toEqual([]);
      });
    }

    if (d.cadence !== 'hourly') return;

    it('fires on its positive fixture and counts each uuid once however often it is delivered', async () => {
      const events = readFixture(dir, 'positive.ndjson');
      const once = (await detectOnEvents(events, { catalog: [d] })).findings.filter((f) => f.detection === d.id);
      expect(once.length).toBeGreaterThan(0);
      const twice = (await detectOnEvents([...events, ...events], { catalog: [d] })).findings.filter((f) => f.detection === d.id);
      expect(twice.map((f) => [f.finding_id, f.event_count])).toEqual(once.map((f) => [f.finding_id, f.event_count]));
    });

    it('stays silent on its negative fixture', async () => {
      const run = await detectOnEvents(readFixture(dir, 'negative.ndjson'), { catalog: [d] });
      expect(run.ingest.quarantined).toBe(0);
      expect(run.findings.filter((f) => f.detection === d.id)).toEqual([]);
    });
  });
});
