/**
 * Panther's own test cases for its Okta rules (test/corpus/data/panther-verdicts.ndjson), run as
 * test/corpus/SOURCES.md describes: the case's events in an empty lake, the hourly detections over the hours they
 * arrived in, and our named detection must fire exactly when Panther's rule does.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../core/catalog.ts';
import { pantherCaseEvents, pantherCases } from '../support/corpus.ts';
import { detectOnEvents } from '../support/local.ts';

const cases = pantherCases();
const catalog = loadCatalog('detections');

describe('Panther verdicts', () => {
  it('holds all 65 cases over 27 detections', () => {
    expect(cases).toHaveLength(65);
    expect(new Set(cases.map((c) => c.detection)).size).toBe(27);
  });

  it.each(cases.map((c) => [`${c.detection}: ${c.panther_rule} "${c.test}" -> ${c.expected ? 'fires' : 'silent'}`, c] as const))(
    '%s',
    async (_name, c) => {
      const detection = catalog.find((d) => d.id === c.detection);
      expect(detection, `no detection folder detections/${c.detection}`).toBeDefined();
      const run = await detectOnEvents(pantherCaseEvents(c), { catalog: [detection!] });
      expect(run.ingest.quarantined, 'the case events must ingest').toBe(0);
      const fired = run.findings.filter((f) => f.detection === c.detection);
      expect(fired.length > 0, `findings: ${JSON.stringify(fired.map((f) => f.summary))}`).toBe(c.expected);
    },
  );
});
