/** Notifications go out once per finding: not again on a re-run, nor for an event Okta delivered twice. */
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../core/catalog.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { okta_events } from '../../schema/index.ts';
import { quoteIdent } from '../../schema/types.ts';

const catalog = loadCatalog('detections').filter((d) => d.id === 'okta-api-token-created');
const tokenCreated = {
  uuid: 'c8ecbd48-0000-4000-8000-000000000001',
  published: '2026-04-08T04:59:58.000Z',
  eventType: 'system.api_token.create',
  actor: { id: '00u1', type: 'User', alternateId: 'ops@example.com' },
  client: { ipAddress: '203.0.113.5' },
  outcome: { result: 'SUCCESS' },
  target: [{ id: '00T1', type: 'Token', displayName: 'backup-sync' }],
};

let lake: LocalLake | undefined;
afterEach(() => {
  lake?.close();
  lake = undefined;
});

describe('the notification ledger', () => {
  it('reports an event once even when its second delivery lands in the next hour', async () => {
    lake = await LocalLake.temporary({ catalog });
    await lake.ingestEvents([tokenCreated]);
    // In AWS, Firehose writes Okta's second delivery beside the first (local ingest would skip it): the copy's
    // row, written straight into the next arrival hour.
    const columns = Object.keys(okta_events.columns).map(quoteIdent).join(', ');
    await lake.engine.replacePartition(okta_events, { dt: '2026-04-08', hour: '05' }, [
      { sql: `select ${columns} from okta_events where dt = '2026-04-08' and hour = '04'`, params: [] },
    ]);

    const h04 = await lake.detectHour({ dt: '2026-04-08', hour: '04' });
    const h05 = await lake.detectHour({ dt: '2026-04-08', hour: '05' });

    expect(h04.newFindings.map((f) => f.detection)).toEqual(['okta-api-token-created']);
    expect(h05.findings).toHaveLength(1); // the hour's own finding row exists, with its own id...
    expect(h05.findings[0]!.finding_id).not.toBe(h04.findings[0]!.finding_id);
    expect(h05.newFindings).toEqual([]); // ...but it is about an event already reported
  });

  it('does not notify again when an hour is run again', async () => {
    lake = await LocalLake.temporary({ catalog });
    await lake.ingestEvents([tokenCreated]);
    const first = await lake.detectHour({ dt: '2026-04-08', hour: '04' });
    const again = await lake.detectHour({ dt: '2026-04-08', hour: '04' });
    expect(first.newFindings).toHaveLength(1);
    expect(again.findings.map((f) => f.finding_id)).toEqual(first.findings.map((f) => f.finding_id));
    expect(again.newFindings).toEqual([]);
  });

  it('reports new events of the same detection in a later hour', async () => {
    lake = await LocalLake.temporary({ catalog });
    const later = { ...tokenCreated, uuid: 'c8ecbd48-0000-4000-8000-000000000002', published: '2026-04-08T05:10:00.000Z' };
    await lake.ingestEvents([tokenCreated, later]);
    await lake.detectHour({ dt: '2026-04-08', hour: '04' });
    const h05 = await lake.detectHour({ dt: '2026-04-08', hour: '05' });
    expect(h05.newFindings).toHaveLength(1);
  });
});
