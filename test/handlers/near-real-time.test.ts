/**
 * The near-real-time function (handlers/near-real-time.ts) on faked AWS clients: an Okta event handed over by a
 * detection's rule is notified at once and written to the ledger (an INSERT of literals); the same
 * event again, and the hourly run that later finds it, tell nobody a second time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog, type Detection } from '../../core/catalog.ts';
import { hourlyFindingId } from '../../core/near-real-time.ts';
import { hourlyInvocation } from '../../handlers/hourly.ts';
import { nearRealTimeInvocation } from '../../handlers/near-real-time.ts';
import { createRuntime, HandlerConfigError, readHandlerConfig } from '../../handlers/runtime.ts';
import { FakeFindingsLake, NOTIFIED_SQL, unquote, type StoredFinding } from './support/fake-lake.ts';
import { recordingSleep } from './support/fake-aws.ts';
import { silentLog } from './support/log.ts';
import { ENV } from './support/env.ts';

const DETECTION = 'okta-api-token-created';
const catalog = loadCatalog(join(import.meta.dirname, '../../detections'));
const detection = catalog.find((d) => d.id === DETECTION)!;
const fixture = (name: string) =>
  readFileSync(join(detection.dir!, 'fixtures', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, any>);
const tokenEvent = fixture('positive.ndjson').find((e) => e.eventType === 'system.api_token.create' && e.outcome?.result === 'SUCCESS')!;

/** The input the rule's transformer writes: the detection id and the EventBridge event around the LogEvent. */
const ruleInput = (detail: unknown, id = DETECTION) => ({
  detection: id,
  event: { version: '0', id: 'e-1', 'detail-type': 'SystemLog', source: 'aws.partner/okta.com/acme/acme_okta_lake', account: '123456789012', time: '2026-11-25T04:10:00Z', region: 'eu-west-1', resources: [], detail },
});

let lake: FakeFindingsLake | undefined;
afterEach(() => {
  lake?.aws.restore();
  lake = undefined;
});

/** A ledger row the function wrote: its INSERT carries the values as literals (record-notified-early.sql). */
interface EarlyRow {
  readonly dt: string;
  readonly finding_id: string;
  readonly detection: string;
  readonly event_uuids: string[];
}

function earlyRow(sql: string): EarlyRow {
  const literal = (column: string) => unquote(new RegExp(`cast\\(('(?:[^']|'')*') as varchar\\) as ${column}\\b`).exec(sql)![1]!);
  const uuids = /array\[([^\]]*)\]/.exec(sql)![1]!;
  return {
    dt: unquote(/('\d{4}-\d\d-\d\d') as "dt"/.exec(sql)![1]!),
    finding_id: literal('finding_id'),
    detection: literal('detection'),
    event_uuids: uuids.trim() === '' ? [] : uuids.split(',').map((u) => unquote(u.trim())),
  };
}

/** A fake lake whose ledger also holds what the function wrote, and the hourly rows `detect` gives. */
function setUp(env: Record<string, string> = {}, detect: (p: { dt: string; run: string }) => readonly StoredFinding[] = () => []) {
  const early: EarlyRow[] = [];
  lake = new FakeFindingsLake({
    detect,
    other: (q) => {
      if (q.sql.startsWith('insert into "notified"') && q.sql.includes('array[')) {
        early.push(earlyRow(q.sql));
        return { columns: [{ name: 'rows', type: 'bigint' }], rows: [] };
      }
      if (q.sql !== NOTIFIED_SQL) return undefined;
      const [from, to] = q.params.map(unquote) as [string, string];
      const rows = early.filter((r) => r.dt >= from && r.dt <= to).map((r) => [r.detection, r.finding_id, JSON.stringify(r.event_uuids)]);
      return { columns: ['detection', 'finding_id', 'event_uuids'].map((name) => ({ name, type: 'varchar' })), rows };
    },
  });
  const runtime = createRuntime(readHandlerConfig({ ...ENV, ...env }), silentLog(), { clients: lake.aws, sleep: recordingSleep().sleep, catalog });
  return { aws: lake.aws, runtime, early };
}

const at = (iso: string) => () => new Date(iso);

describe('near-real-time function', () => {
  it('notifies a matching event at once, under the id the hourly run will give it, and records it in the ledger', async () => {
    const { aws, runtime, early } = setUp();
    const result = await nearRealTimeInvocation(runtime, ruleInput(tokenEvent), at('2026-11-25T04:10:30Z'));

    const login = String(tokenEvent.actor.alternateId);
    expect(result).toEqual({ detection: DETECTION, outcome: 'notified', finding_id: hourlyFindingId(DETECTION, 'user', login, { dt: '2026-11-25', hour: '04' }) });
    expect(aws.count('SNS.Publish')).toBe(1);
    expect(aws.count('EventBridge.PutEvents')).toBe(1);
    expect(early).toEqual([{ dt: '2026-11-25', finding_id: result.finding_id, detection: DETECTION, event_uuids: [tokenEvent.uuid] }]);
    // Its own ledger partition, cleared first like every partition a run replaces.
    expect(aws.calls).toContain('S3.ListObjectsV2');
  });

  it('tells the same event once, and the hourly run that finds it later tells nobody again', async () => {
    const finding = (dt: string, run: string): StoredFinding[] =>
      run === 'hourly-04'
        ? [{
            finding_id: hourlyFindingId(DETECTION, 'user', String(tokenEvent.actor.alternateId), { dt: '2026-11-25', hour: '04' }),
            detection: DETECTION,
            title: detection.title,
            severity: detection.severity,
            entity_type: 'user',
            entity_id: String(tokenEvent.actor.alternateId),
            window_start: '2026-11-25 04:00:00.000',
            window_end: '2026-11-25 05:00:00.000',
            first_seen: '2026-11-25 04:09:00.000',
            last_seen: '2026-11-25 04:09:00.000',
            event_count: 1,
            event_uuids: [String(tokenEvent.uuid)],
            actors: [String(tokenEvent.actor.alternateId)],
            ips: [],
            summary: 'token created',
          }]
        : [];
    const { aws, runtime } = setUp({}, ({ dt, run }) => finding(dt, run));
    await nearRealTimeInvocation(runtime, ruleInput(tokenEvent), at('2026-11-25T04:10:30Z'));
    expect(await nearRealTimeInvocation(runtime, ruleInput(tokenEvent), at('2026-11-25T04:11:00Z'))).toMatchObject({ outcome: 'already-notified' });

    const hourly = await hourlyInvocation(runtime, { scheduled_time: '2026-11-25T05:20:00Z' }, at('2026-11-25T05:21:00Z'));
    expect(hourly.findings).toBe(1);
    expect(hourly.notified).toEqual([]);
    expect(aws.count('SNS.Publish')).toBe(1);
  });

  it('makes no finding of an event outside the pattern, or of an excluded actor', async () => {
    const negative = fixture('negative.ndjson')[0]!;
    const plain = setUp();
    expect(await nearRealTimeInvocation(plain.runtime, ruleInput(negative), at('2026-11-25T04:10:30Z'))).toEqual({ detection: DETECTION, outcome: 'no-finding' });
    expect(plain.aws.count('SNS.Publish')).toBe(0);
    lake!.aws.restore();

    const excluded = setUp({ OKTA_LAKE_EXCLUSIONS: JSON.stringify({ [DETECTION]: { users: [String(tokenEvent.actor.alternateId).toUpperCase()] } }) });
    expect(await nearRealTimeInvocation(excluded.runtime, ruleInput(tokenEvent), at('2026-11-25T04:10:30Z'))).toMatchObject({ outcome: 'no-finding' });
    expect(excluded.aws.count('SNS.Publish')).toBe(0);
  });

  it('skips a detection switched off since the rule was deployed, and refuses input that is not the rule transformer’s', async () => {
    const off = setUp({ OKTA_LAKE_DISABLED_DETECTIONS: JSON.stringify([DETECTION]) });
    expect(await nearRealTimeInvocation(off.runtime, ruleInput(tokenEvent), at('2026-11-25T04:10:30Z'))).toEqual({ detection: DETECTION, outcome: 'disabled' });
    await expect(nearRealTimeInvocation(off.runtime, tokenEvent, at('2026-11-25T04:10:30Z'))).rejects.toThrow(HandlerConfigError);
    const hourlyOnly: Detection = catalog.find((d) => !d.near_real_time && d.cadence === 'hourly')!;
    await expect(nearRealTimeInvocation(off.runtime, ruleInput(tokenEvent, hourlyOnly.id), at('2026-11-25T04:10:30Z'))).rejects.toThrow(/has no near-real-time path/);
    expect(off.aws.count('SNS.Publish')).toBe(0);
  });
});
