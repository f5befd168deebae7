import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadCatalog } from '../../core/catalog.ts';
import { catalogMarkdown } from '../../core/catalog-doc.ts';

it('docs/detections.md lists the catalog as it is (run npm run docs after adding a detection)', () => {
  expect(readFileSync('docs/detections.md', 'utf8')).toBe(catalogMarkdown(loadCatalog('detections')));
});
