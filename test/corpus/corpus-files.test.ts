/**
 * The corpus travels with the repository: a fresh clone runs `npm test` with nothing beside it, and every
 * data file says where it comes from and under which license (test/corpus/SOURCES.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, eventTypes } from '../support/corpus.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const testDir = join(repoRoot, 'test');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

describe('the test corpus', () => {
  it('lives inside the repository', () => {
    expect(relative(repoRoot, corpusDir)).toBe(join('test', 'corpus', 'data'));
  });

  it('is read by no test from outside the repository', () => {
    // Spelled in pieces so this file does not match itself.
    const outside = [['..', 'shared'].join('/'), ['okta', 'corpus'].join('-'), ['OKTA', 'CORPUS', 'DIR'].join('_')];
    const offenders = filesUnder(testDir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => outside.filter((s) => readFileSync(f, 'utf8').includes(s)).map((s) => `${relative(repoRoot, f)}: ${s}`));
    expect(offenders).toEqual([]);
  });

  it('names the source and license of every data file in SOURCES.md', () => {
    const sources = readFileSync(join(repoRoot, 'test/corpus/SOURCES.md'), 'utf8');
    const files = filesUnder(corpusDir).map((f) => relative(join(corpusDir, '..'), f).split('\\').join('/'));
    expect(files.sort()).toEqual([
      'data/event-types.tsv',
      'data/events/admin-takeover-scenario.ndjson',
      'data/events/eventbridge-envelopes.ndjson',
      'data/events/real-samples.ndjson',
      'data/panther-verdicts.ndjson',
    ]);
    for (const file of files) {
      const row = sources.split('\n').find((l) => l.startsWith(`| \`${file}\``));
      expect(row, `no row for ${file} in SOURCES.md`).toBeDefined();
      expect(row, `${file}: no license named`).toMatch(/Apache-2\.0|MIT-0/);
      expect(row, `${file}: no source repository`).toMatch(/github\.com\/[\w.-]+\/[\w.-]+/);
    }
  });

  it("holds Okta's event type catalog: 1,274 types, each with a category and the release that introduced it", () => {
    const types = eventTypes();
    expect(types).toHaveLength(1274);
    expect(new Set(types.map((t) => t.event_type)).size).toBe(types.length);
    for (const t of types) {
      expect(t.event_type).toMatch(/^[\w-]+(\.[\w-]+)+$/);
      expect(t.release).toMatch(/^\d{4}\.\d{2}(\.\d+)?$/);
    }
    expect(types.find((t) => t.event_type === 'user.session.start')).toMatchObject({ category: expect.any(String), tags: expect.arrayContaining(['session']) });
  });
});
