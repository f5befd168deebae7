/**
 * Exclusions (core/exclusions.ts): checked where they are configured, and applied by the SQL on DuckDB to a
 * detection's events and findings. (The Athena side, values as execution parameters in WHERE clauses only, is in
 * test/handlers/athena-query-rules.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectionSettings, loadCatalog } from '../../core/catalog.ts';
import { ipv4Number, parseExclusionList, resolveExclusions, type ExclusionConfig } from '../../core/exclusions.ts';
import { replaceTableReferences } from '../../core/sql-text.ts';
import { detectOnEvents } from '../support/local.ts';

const catalog = loadCatalog('detections');
const byId = (id: string) => catalog.find((d) => d.id === id)!;
const fixture = (id: string) => readFileSync(join('detections', id, 'fixtures', 'positive.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '');

describe('exclusion lists', () => {
  it('take addresses of both families and IPv4 ranges, lower-cased and without repeats', () => {
    const ex = parseExclusionList('x', { ips: ['203.0.113.7', '2001:DB8::1', '198.51.100.0/24', '203.0.113.7'], users: ['Scanner@Example.com'] });
    expect(ex).toEqual({ ips: ['203.0.113.7', '2001:db8::1'], ipv4Ranges: [[ipv4Number('198.51.100.0'), ipv4Number('198.51.100.255')]], users: ['scanner@example.com'] });
    expect(parseExclusionList('x', { ips: ['0.0.0.0/0'] }).ipv4Ranges).toEqual([[0, 2 ** 32 - 1]]);
  });

  it.each([
    [{ ips: ['203.0.113'] }, /x\.ips\[0\]: "203\.0\.113" is not an IP address or an IPv4 CIDR range/],
    [{ ips: ['10.0.0.0/8', '10.0.0.0/40'] }, /x\.ips\[1\]: "10\.0\.0\.0\/40": the prefix length must be 0 to 32/],
    [{ ips: ['10.0.0.1/8'] }, /"10\.0\.0\.1\/8" has host bits set; the range starting there is 10\.0\.0\.0\/8/],
    [{ ips: ['2001:db8::/32'] }, /IPv6 ranges are not supported/],
    [{ users: [' '] }, /x\.users\[0\]: " " is not a login or user id/],
  ])('refuse %j with a message naming the entry', (list, message) => {
    expect(() => parseExclusionList('x', list)).toThrow(message);
  });

  it('name an unknown detection id, and apply `*` to every detection', () => {
    expect(() => resolveExclusions(['okta-a'], { 'okta-b': { users: ['u'] } })).toThrow(/exclusions: no detection "okta-b" \(use "\*" for every detection; known: okta-a\)/);
    const all = resolveExclusions(['okta-a', 'okta-b'], { '*': { users: ['u'] }, 'okta-b': { ips: ['192.0.2.1'] } });
    expect(all.get('okta-a')).toEqual({ ips: [], ipv4Ranges: [], users: ['u'] });
    expect(all.get('okta-b')).toEqual({ ips: ['192.0.2.1'], ipv4Ranges: [], users: ['u'] });
    expect(resolveExclusions(['okta-a'], {}).size).toBe(0);
  });

  it('are checked with the rest of the detection settings, naming the setting', () => {
    expect(() => detectionSettings(catalog, { exclusions: { 'okta-password-spray': { ips: ['300.1.1.1'] } } })).toThrow(
      expect.objectContaining({ setting: 'exclusions', message: expect.stringMatching(/exclusions\.okta-password-spray\.ips\[0\]/) }),
    );
  });
});

describe('replaceTableReferences', () => {
  const derived = '(select 1)';
  it('replaces table references, keeping an alias or adding the table name as one', () => {
    expect(replaceTableReferences('select * from okta_events\n  where dt = 1', 'okta_events', derived)).toBe('select * from (select 1) as okta_events\n  where dt = 1');
    expect(replaceTableReferences('from okta_events e join okta_events as f on', 'okta_events', derived)).toBe('from (select 1) e join (select 1) as f on');
    expect(replaceTableReferences('from okta_events)', 'okta_events', derived)).toBe('from (select 1) as okta_events)');
  });

  it('leaves comments, strings, qualified names and longer words alone', () => {
    const sql = "-- reads okta_events\nselect okta_events.dt, 'okta_events', my_okta_events, okta_events_x from x";
    expect(replaceTableReferences(sql, 'okta_events', derived)).toBe(sql);
  });
});

describe('exclusions on DuckDB', () => {
  const spray = byId('okta-password-spray');
  const sprayIps = async (exclusions?: ExclusionConfig) =>
    (await detectOnEvents(fixture(spray.id), { catalog: [spray], exclusions })).findings.map((f) => f.entity.id);

  it('leave out the events of an excluded IP or range, and nothing else', async () => {
    const found = await sprayIps();
    expect(found.length).toBeGreaterThan(0);
    const ip = found[0]!;
    expect(ipv4Number(ip)).toBeDefined();
    const [a, b, c] = ip.split('.');
    expect(await sprayIps({ 'okta-password-spray': { ips: [ip] } })).not.toContain(ip);
    expect(await sprayIps({ '*': { ips: [`${a}.${b}.${c}.0/24`] } })).not.toContain(ip);
    expect(await sprayIps({ 'okta-password-spray': { ips: [`${a}.${b}.${c}.0/32`, '2001:db8::1'], users: ['nobody@example.com'] } })).toEqual(found);
  });

  it('leave out an excluded user, by login or by Okta user id, whatever the case', async () => {
    const bruteForce = byId('okta-brute-force-user');
    const run = (exclusions?: ExclusionConfig) =>
      detectOnEvents(fixture(bruteForce.id), { catalog: [bruteForce], exclusions }).then((r) => r.findings);
    const found = await run();
    expect(found.length).toBeGreaterThan(0);
    const login = found[0]!.entity.id;
    const userId = (JSON.parse(fixture(bruteForce.id).find((l) => l.toLowerCase().includes(login.toLowerCase()))!) as { actor: { id: string } }).actor.id;
    expect((await run({ 'okta-brute-force-user': { users: [login.toUpperCase()] } })).map((f) => f.entity.id)).not.toContain(login);
    expect((await run({ 'okta-brute-force-user': { users: [userId] } })).map((f) => f.entity.id)).not.toContain(login);
  });
});
