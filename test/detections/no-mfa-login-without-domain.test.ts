/**
 * okta-no-mfa-configured with its default thresholds (ignore_domains empty) checks a login that is not an e-mail
 * address (Okta allows other login formats): an empty list of domains to ignore ignores nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../core/catalog.ts';
import { FolderInventorySource } from '../../inventory/folder-source.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { writeInventoryFolder } from '../support/identity-lake.ts';

const DAY = '2026-06-15';
const cleanups: (() => unknown)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('okta-no-mfa-configured and logins without a domain', () => {
  it('reports an active person without MFA whose login has no @, as it does one with an e-mail login', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-mfa-login-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const folder = writeInventoryFolder(dir, [
      { id: '00u1nomfaplainlogin1', login: 'jdoe' },
      { id: '00u1nomfaemaillogin1', login: 'ann@example.com' },
    ]);
    const catalog = loadCatalog('detections').filter((d) => d.id === 'okta-no-mfa-configured');
    const lake = await LocalLake.temporary({ catalog, now: () => new Date(`${DAY}T23:00:00.000Z`) });
    cleanups.push(() => lake.close());

    await lake.collectInventory(new FolderInventorySource(folder), DAY);
    const run = await lake.snapshotDay(DAY);

    expect(run.findings.map((f) => f.entity.id).sort()).toEqual(['ann@example.com', 'jdoe']);
  });
});
