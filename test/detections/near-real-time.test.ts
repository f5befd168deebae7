/**
 * Each near-real-time pattern (a detection's `near_real_time` metadata, core/near-real-time.ts) against the
 * detection's own fixtures, with the EventBridge matcher the function uses (core/event-pattern.ts, itself tested on
 * the EventBridge user guide's examples):
 *
 * - no event of the negative fixture matches the rule's pattern (no early alarm the hourly run would not confirm);
 * - events of the positive fixture match, and for each one the finding told early is the hourly run's finding: the
 *   same id (so the hourly run records it without a second message), entity and, where the hour holds only that
 *   event, severity.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../core/catalog.ts';
import { matchesPattern } from '../../core/event-pattern.ts';
import { nearRealTimeFinding, recordNotifiedEarly } from '../../core/near-real-time.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { parseIsoInstant, hourOf } from '../../schema/layout.ts';
import { detectOnEvents } from '../support/local.ts';

const catalog = loadCatalog('detections');
const nearRealTime = catalog.filter((d) => d.near_real_time);

const events = (dir: string, name: string) =>
  readFileSync(join(dir, 'fixtures', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => ({ line: l, event: JSON.parse(l) as { uuid: string } }));

describe('near-real-time detections', () => {
  it('cover the single-event detections the issue names', () => {
    const ids = nearRealTime.map((d) => d.id);
    for (const id of ['okta-admin-role-assigned', 'okta-api-token-created', 'okta-support-access', 'okta-idp-lifecycle']) expect(ids).toContain(id);
  });

  describe.each(nearRealTime.map((d) => [d.id, d] as const))('%s', (_id, d) => {
    const pattern = d.near_real_time!.pattern;

    it('matches no event of its negative fixture', () => {
      const matched = events(d.dir!, 'negative.ndjson').filter(({ event }) => matchesPattern(event, pattern));
      expect(matched.map(({ event }) => event.uuid)).toEqual([]);
    });

    it('tells early the finding the hourly run makes of each matching positive event: same id, entity and severity', async () => {
      const positive = events(d.dir!, 'positive.ndjson');
      const matching = positive.filter(({ event }) => matchesPattern(event, pattern));
      expect(matching.length).toBeGreaterThan(0);
      const hourly = (await detectOnEvents(positive.map((p) => p.line), { catalog: [d] })).findings;
      for (const { event } of matching) {
        const found = hourly.find((f) => f.event_uuids.some((u) => u.toLowerCase() === event.uuid.toLowerCase()));
        expect(found, `the hourly run reports ${event.uuid}`).toBeDefined();
        const early = nearRealTimeFinding(d, event, hourOf(parseIsoInstant(found!.window_start)!));
        expect(early, `a finding for ${event.uuid}`).toBeDefined();
        expect({ id: early!.finding_id, entity: early!.entity }).toEqual({ id: found!.finding_id, entity: found!.entity });
        if (found!.event_count === 1) expect(early!.severity, event.uuid).toBe(found!.severity);
      }
    });

    it('fits in an EventBridge pattern (at most 4,096 characters with the source)', () => {
      const rule = JSON.stringify({ source: ['aws.partner/okta.com/an-org-name-of-63-characters-an-org-name-of-63-chara/okta-log-lake-events'], detail: pattern });
      expect(rule.length).toBeLessThanOrEqual(4096);
    });
  });

  it('leaves the hourly run nothing new to tell once the finding was told early (the ledger on DuckDB)', async () => {
    const d = nearRealTime.find((x) => x.id === 'okta-api-token-created')!;
    const positive = events(d.dir!, 'positive.ndjson');
    // Two lakes of the same events: told early in one, not in the other (the control: its hourly run has news).
    const newFindingsOfHour = async (tellEarly: boolean) => {
      const lake = await LocalLake.temporary({ catalog: [d] });
      try {
        const hour = (await lake.ingestEvents(positive.map((p) => p.line))).hours[0]!;
        for (const { event } of tellEarly ? positive.filter(({ event }) => matchesPattern(event, d.near_real_time!.pattern)) : []) {
          const early = nearRealTimeFinding(d, event, hour);
          if (early) await recordNotifiedEarly(lake.engine, early, () => new Date('2026-01-01T00:00:00Z'));
        }
        return (await lake.detectHour(hour)).newFindings;
      } finally {
        lake.close();
      }
    };
    expect((await newFindingsOfHour(false)).length).toBeGreaterThan(0);
    expect(await newFindingsOfHour(true)).toEqual([]);
  });
});
