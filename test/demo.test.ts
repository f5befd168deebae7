import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDay, writeHistory } from '../demo/generate.ts';
import { lastWorkday, runDemo, summaryLines, type DemoResult } from '../demo/run.ts';

/** The attacks the demo plants and the detection that must catch each: a fixed list, not the folders present. */
const ATTACK_DETECTIONS = [
  'okta-password-spray',
  'okta-brute-force-user',
  'okta-mfa-push-bombing',
  'okta-impossible-travel',
  'okta-session-roaming',
  'okta-admin-role-assigned',
  'okta-log-stream-tampered',
  'okta-policy-weakened',
  'okta-network-zone-changed',
  'okta-api-token-created',
] as const;

const DAY = '2026-11-24';

/** The LogEvent of a line: bare, or under `detail` of an EventBridge envelope. */
const eventOf = (line: string): Record<string, unknown> => {
  const o = JSON.parse(line) as Record<string, unknown>;
  return ('detail-type' in o ? o.detail : o) as Record<string, unknown>;
};

describe('demo data generator', () => {
  it('gives byte-identical output for the same seed, and different output for another seed', () => {
    // Prepare / Act
    const a = generateDay({ day: DAY, seed: 11, users: 60 });
    const b = generateDay({ day: DAY, seed: 11, users: 60 });
    const c = generateDay({ day: DAY, seed: 12, users: 60 });

    // Assess
    expect(a.lines.length).toBeGreaterThan(500);
    expect(b.lines).toEqual(a.lines);
    expect(c.lines).not.toEqual(a.lines);
  });

  it('makes a working day of hundreds of users, delivered as Log Streaming delivers it', () => {
    // Act
    const g = generateDay({ day: DAY });

    // Assess: the org and who was active
    expect(g.org.users.length).toBeGreaterThanOrEqual(300);
    expect(new Set(g.org.users.map((u) => u.login)).size).toBe(g.org.users.length);
    expect(g.org.users.every((u) => /^[a-z]+\.[a-z]+\d*@acme-robotics\.example$/.test(u.login))).toBe(true);
    expect(g.activeUsers).toBeGreaterThanOrEqual(300);
    const events = g.lines.map(eventOf);
    const logins = new Set(events.map((e) => (e.actor as { alternateId: string }).alternateId));
    expect(logins.size).toBeGreaterThanOrEqual(300);

    // every line is a LogEvent of the day with the fields ingest requires
    for (const e of events) {
      expect(typeof e.uuid).toBe('string');
      expect(e.published).toMatch(/^2026-11-24T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(typeof e.eventType).toBe('string');
    }
    const types = new Set(events.map((e) => e.eventType));
    for (const t of ['user.session.start', 'policy.evaluate_sign_on', 'user.authentication.sso', 'user.authentication.auth_via_mfa', 'system.push.send_factor_verify_push', 'user.session.end', 'group.user_membership.add', 'application.user_membership.add']) {
      expect(types).toContain(t);
    }

    // some envelopes, some duplicate deliveries (same uuid), in arrival order
    const envelopes = g.lines.filter((l) => l.startsWith('{"version":"0","id":'));
    expect(envelopes.length).toBe(g.envelopes);
    expect(envelopes.length).toBeGreaterThan(0.02 * g.lines.length);
    for (const l of envelopes) expect(JSON.parse(l)['detail-type']).toBe('SystemLog');
    const uuids = events.map((e) => e.uuid as string);
    expect(uuids.length - new Set(uuids).size).toBe(g.duplicates);
    expect(g.duplicates).toBeGreaterThan(0);
    // arrival: the envelope's time, else published (a repeated bare delivery keeps its published, so skip repeats)
    const seen = new Set<unknown>();
    const arrival = g.lines.flatMap((l) => {
      const o = JSON.parse(l) as { time?: string; published?: string };
      const uuid = eventOf(l).uuid;
      if (seen.has(uuid)) return [];
      seen.add(uuid);
      return [Date.parse(o.time ?? o.published!)];
    });
    expect(arrival.every((t, i) => i === 0 || t >= arrival[i - 1]!)).toBe(true);
  });

  it('writes N days of history that are exactly the days generated one by one', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'demo-history-'));
    try {
      const file = join(dir, 'history.ndjson');

      // Act
      const stats = await writeHistory(file, { lastDay: DAY, days: 3, users: 50, seed: 5 });

      // Assess
      const expected = ['2026-11-22', '2026-11-23', '2026-11-24'].flatMap((day) => generateDay({ day, users: 50, seed: 5, attacks: false }).lines);
      const written = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(written).toEqual(expected);
      expect(stats.deliveries).toBe(expected.length);
      expect(stats.firstDay).toBe('2026-11-22');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('defaults to the last working day', () => {
    expect(lastWorkday('2026-11-25')).toBe('2026-11-24'); // a Wednesday: Tuesday
    expect(lastWorkday('2026-11-23')).toBe('2026-11-20'); // a Monday: the Friday before
  });
});

describe('demo run', () => {
  let dir: string;
  let result: DemoResult;
  const out: string[] = [];
  const err: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'demo-run-'));
    result = await runDemo({
      lakeDir: join(dir, 'lake'),
      day: DAY,
      seed: 3,
      users: 60,
      json: true,
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ingests every generated line and quarantines none (a redelivered event once)', () => {
    expect(result.ingest.ingested + result.ingest.duplicates).toBe(result.input.lines);
    expect(result.ingest.quarantined).toBe(0);
    expect(result.hourlyRuns).toBe(24);
    expect(result.snapshotUsers).toBeGreaterThan(40);
  });

  it.each(ATTACK_DETECTIONS)('catches the planted attack with %s', (detection) => {
    const attack = result.attacks.find((a) => a.detection === detection);
    expect(attack, `no attack planted for ${detection}`).toBeDefined();
    expect(attack!.inCatalog, `${detection} is not in the detection catalog`).toBe(true);
    expect(attack!.caught, `${detection} raised no finding about ${[...attack!.users, ...attack!.ips].join(', ')}`).toBe(true);
    expect(result.findings.some((f) => f.detection === detection && attack!.findingIds.includes(f.finding_id))).toBe(true);
  });

  it('counts the duplicate deliveries of the brute force once', () => {
    const brute = result.attacks.find((a) => a.detection === 'okta-brute-force-user')!;
    const finding = result.findings.find((f) => f.detection === 'okta-brute-force-user' && f.entity.id === brute.users[0]);
    expect(finding?.event_count).toBe(26);
  });

  it('raises push bombing to CRITICAL when the last push is approved', () => {
    const f = result.findings.find((x) => x.detection === 'okta-mfa-push-bombing');
    expect(f?.severity).toBe('CRITICAL');
  });

  it('prints only JSON on stdout with --json, and a readable summary otherwise', () => {
    expect(JSON.parse(out.join('\n'))).toEqual(JSON.parse(JSON.stringify(result)));
    expect(err.join('\n')).toContain('ingested');
    const text = summaryLines(result).join('\n');
    expect(text).toContain(`Attacks planted in the day: ${result.attacks.length} of ${result.attacks.length} caught`);
    expect(text).toContain('Findings by detection');
    expect(text).toContain(`npx okta-lake query --lake`);
    expect(result.activity.length).toBeGreaterThan(0);
  });

  it('refuses to clear a folder it did not make', async () => {
    const foreign = join(dir, 'foreign');
    rmSync(foreign, { recursive: true, force: true });
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'keep-me.txt'), 'precious');
    await expect(runDemo({ lakeDir: foreign, day: DAY, users: 60, out: () => {}, err: () => {} })).rejects.toThrow(/not made by okta-lake demo/);
    expect(readFileSync(join(foreign, 'keep-me.txt'), 'utf8')).toBe('precious');
  });
});
