/**
 * okta-shared-authenticator in the near-time cascade: a refresh of one user on a day whose nightly inventory is not
 * collected yet (the nightly inventory of a day is collected after the day ends) still sees the other users sharing
 * the authenticator, from the inventory of the day before, and reports the finding the nightly run reported (same id,
 * not new again).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../core/catalog.ts';
import { FolderInventorySource } from '../../inventory/folder-source.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { userEvent, writeInventoryFolder } from '../support/identity-lake.ts';

const DAY = '2026-06-15';
const TODAY = '2026-06-16';
const cleanups: (() => unknown)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const ann = { id: '00u1shrtestann000001', login: 'ann@example.com' };
const ben = { id: '00u1shrtestben000001', login: 'ben@example.com' };
const cleo = { id: '00u1shrtestcleo00001', login: 'cleo@example.com' };

describe('okta-shared-authenticator in a refresh of one user', () => {
  it("sees the other users sharing the phone from the day before's inventory, with the nightly finding's id", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shared-refresh-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // writeInventoryFolder gives each user's first SMS factor the same number: ann and ben share it, cleo has push.
    const folder = writeInventoryFolder(dir, [
      { ...ann, factors: [['sms', 'OKTA', 'ACTIVE']] },
      { ...ben, factors: [['sms', 'OKTA', 'ACTIVE']] },
      { ...cleo, factors: [['push', 'OKTA', 'ACTIVE']] },
    ]);
    const catalog = loadCatalog('detections').filter((d) => d.id === 'okta-shared-authenticator');
    const lake = await LocalLake.temporary({ catalog, now: () => new Date(`${TODAY}T10:00:00.000Z`) });
    cleanups.push(() => lake.close());

    await lake.collectInventory(new FolderInventorySource(folder), DAY);
    const nightly = await lake.snapshotDay(DAY);
    expect(nightly.newFindings.map((f) => [f.detection, f.actors])).toEqual([['okta-shared-authenticator', [ann.login, ben.login]]]);

    await lake.ingestEvents([userEvent(ann, `${TODAY}T09:00:00.000Z`, 'user.session.start')]);
    const refreshed = await lake.refreshUser(ann.login, TODAY, { inventory: new FolderInventorySource(folder) });

    expect(refreshed.findings.map((f) => [f.detection, f.actors])).toEqual([['okta-shared-authenticator', [ann.login, ben.login]]]);
    expect(refreshed.findings.map((f) => f.finding_id)).toEqual(nightly.findings.map((f) => f.finding_id));
    expect(refreshed.newFindings).toEqual([]);

    // A refresh of a user who shares nothing reports nothing, though the day before's rows are read.
    await lake.ingestEvents([userEvent(cleo, `${TODAY}T09:30:00.000Z`, 'user.session.start')]);
    expect((await lake.refreshUser(cleo.login, TODAY, { inventory: new FolderInventorySource(folder) })).findings).toEqual([]);
  });
});
