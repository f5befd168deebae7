/**
 * `okta-lake refresh-user --org`: the user's newest events come from Okta (the stand-in, a real HTTP server on
 * 127.0.0.1) into the lake before their day is rebuilt, each event once; without --org the lake alone answers,
 * and the command says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Io } from '../../cli/output.ts';
import { addDays, dayOf } from '../../schema/layout.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { sampleEvent, STAND_IN_API_TOKEN, startOktaStandIn, type OktaStandIn, type StandInLogEvent } from '../support/okta-stand-in/index.ts';

const DAY = addDays(dayOf(new Date()), -1);
/** alice's events of the day: sampleEvent(i) with i % 50 = 7 is user7, i.e. one actor throughout. */
const alice = (i: number, at: string): StandInLogEvent => sampleEvent(7 + 50 * i, Date.parse(`${DAY}T${at}Z`));
const ALICE_ID = alice(0, '00:00:00').actor as { id: string; alternateId: string };

let dir: string;
let standIn: OktaStandIn | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-lake-refresh-'));
});
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { out: (l) => stdout.push(l), err: (l) => stderr.push(l), interactive: false };
  const saved = process.env.OKTA_API_TOKEN;
  process.env.OKTA_API_TOKEN = STAND_IN_API_TOKEN;
  try {
    return { code: await main(argv, io), stdout, stderr };
  } finally {
    if (saved === undefined) delete process.env.OKTA_API_TOKEN;
    else process.env.OKTA_API_TOKEN = saved;
  }
}

/** The lake holds two of alice's events of hour 10; Okta holds those and one at 11:30 the lake has not seen. */
async function prepare(): Promise<{ lakeDir: string; late: StandInLogEvent }> {
  const inLake = [alice(1, '10:05:00'), alice(2, '10:20:00')];
  const late = alice(3, '11:30:00');
  standIn = await startOktaStandIn({ events: [...inLake, late, sampleEvent(8, Date.parse(`${DAY}T11:31:00Z`))] });
  const lakeDir = join(dir, 'lake');
  const lake = await LocalLake.open(lakeDir, { catalog: [] });
  try {
    await lake.ingestEvents(inLake);
  } finally {
    lake.close();
  }
  return { lakeDir, late };
}

describe('okta-lake refresh-user --org', () => {
  it("picks up the user's event that is in Okta but not yet in the lake, and counts the others once", async () => {
    const { lakeDir, late } = await prepare();

    const r = await run('refresh-user', '--lake', lakeDir, '--user', ALICE_ID.alternateId, '--day', DAY, '--org', standIn!.url, '--json');

    expect(r.code, r.stderr.join('\n')).toBe(0);
    const result = JSON.parse(r.stdout[0]!);
    // Fetched from the lake's newest hour (10:00) on, this user's events only: the two it had and the new one.
    expect(result.fetched).toMatchObject({ since: `${DAY}T10:00:00.000Z`, events: 3, written: 1, duplicates: 2 });
    expect(result.activity).toMatchObject({ event_count: 3 });
    expect(r.stderr).toContain(`fetched 3 event(s) of the user from Okta since ${DAY}T10:00:00.000Z (1 new to the lake)`);
    const lake = await LocalLake.open(lakeDir, { catalog: [] });
    try {
      const rows = await lake.engine.select('select uuid from okta_events where uuid = ?', [late.uuid]);
      expect(rows).toHaveLength(1);
    } finally {
      lake.close();
    }
    // Only the user's events were asked for.
    const asked = standIn!.requests.filter((q) => q.path === '/api/v1/logs');
    expect(asked.every((q) => q.query.get('filter') === `actor.id eq "${ALICE_ID.id}" or target.id eq "${ALICE_ID.id}"`)).toBe(true);
  });

  it('says it used the lake only without --org', async () => {
    const { lakeDir } = await prepare();

    const r = await run('refresh-user', '--lake', lakeDir, '--user', ALICE_ID.alternateId, '--day', DAY, '--json');

    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout[0]!)).toMatchObject({ fetched: null, activity: { event_count: 2 } });
    expect(r.stderr).toContain("used the lake only (pass --org to fetch the user's newest events from Okta first)");
    expect(standIn!.requestCount()).toBe(0);
  });

  it('refuses --org for a day older than Okta keeps, naming --day, before asking Okta', async () => {
    const { lakeDir } = await prepare();
    const old = addDays(dayOf(new Date()), -91);

    const r = await run('refresh-user', '--lake', lakeDir, '--user', ALICE_ID.alternateId, '--day', old, '--org', standIn!.url);

    expect(r.code).toBe(2);
    expect(r.stderr.join('\n')).toContain(`--day ${old} is more than 90 days ago`);
    expect(r.stderr.join('\n')).toContain('drop --org');
    expect(standIn!.requestCount()).toBe(0);
  });

  it('says Okta does not know a login it has no user for', async () => {
    const { lakeDir } = await prepare();

    const r = await run('refresh-user', '--lake', lakeDir, '--user', 'nobody@example.com', '--day', DAY, '--org', standIn!.url);

    expect(r.code).toBe(0);
    expect(r.stdout).toEqual([`Okta does not know the user nobody@example.com (${standIn!.url}), and neither does this lake`]);
    expect(r.stderr).toContain('Okta has no user nobody@example.com; used the lake only');
    expect(standIn!.requests.map((q) => q.path)).toEqual(['/api/v1/users/nobody%40example.com']);
  });
});
