import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadCatalog } from '../../core/catalog.ts';
import { catalogMarkdown } from '../../core/catalog-doc.ts';
import { resolveExclusions } from '../../core/exclusions.ts';

it('docs/detections.md lists the catalog as it is (run npm run docs after adding a detection)', () => {
  expect(readFileSync('docs/detections.md', 'utf8')).toBe(catalogMarkdown(loadCatalog('detections')));
});

it('shows the exclusions a config sets, in a column of their own', () => {
  const catalog = loadCatalog('detections');
  const exclusions = resolveExclusions(catalog.map((d) => d.id), { 'okta-password-spray': { ips: ['203.0.113.0/24', '198.51.100.7'], users: ['scanner@example.com'] } });
  const doc = catalogMarkdown(catalog, { exclusions });
  expect(doc).toContain('| excluded |');
  const spray = doc.split('\n').find((l) => l.startsWith('| `okta-password-spray` |'))!;
  expect(spray.endsWith('| `198.51.100.7`, `203.0.113.0-203.0.113.255`, `scanner@example.com` |')).toBe(true);
  const other = doc.split('\n').find((l) => l.startsWith('| `okta-brute-force-ip` |'))!;
  expect(other.endsWith('| - |')).toBe(true);
});

it('names the peer rules each detection covers and marks the near-real-time ones', () => {
  const doc = catalogMarkdown(loadCatalog('detections'));
  const row = doc.split('\n').find((l) => l.startsWith('| `okta-support-access` |'))!;
  expect(row).toMatch(/\| yes \|/);
  expect(row).toContain('Panther: Okta.Support.Access');
});
