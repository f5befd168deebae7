/**
 * Paths into the Okta test corpus, `test/corpus/data/` (provenance and licenses in test/corpus/SOURCES.md).
 * The corpus lives in the repository so `npm test` runs in a fresh clone: tests read only this folder,
 * never anything outside the repository.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const corpusDir = resolve(import.meta.dirname, '../corpus/data');

export const corpusPath = (...parts: string[]) => join(corpusDir, ...parts);

export interface PantherCase {
  readonly panther_rule: string;
  readonly test: string;
  readonly expected: boolean;
  readonly detection: string;
  readonly copies: number;
  readonly event: Record<string, unknown>;
}

export function pantherCases(): PantherCase[] {
  return readFileSync(corpusPath('panther-verdicts.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as PantherCase);
}

/**
 * The events of one case, as test/corpus/SOURCES.md describes: `copies` copies, each with its own uuid
 * (`-1`, `-2`, ... appended when copies > 1) and `published` moved on by one second per copy.
 */
export function pantherCaseEvents(c: PantherCase): Record<string, unknown>[] {
  if (c.copies <= 1) return [c.event];
  const base = Date.parse(String(c.event.published));
  return Array.from({ length: c.copies }, (_, i) => ({
    ...c.event,
    uuid: `${String(c.event.uuid)}-${i + 1}`,
    published: new Date(base + i * 1000).toISOString(),
  }));
}

/** One row of Okta's event type catalog (`event-types.tsv`). */
export interface EventTypeRow {
  readonly event_type: string;
  readonly category: string;
  /** e.g. `oie-only`, `event-hook-eligible` */
  readonly tags: readonly string[];
  /** the Okta release that introduced it, e.g. `2023.06.0` */
  readonly release: string;
}

/** Okta's catalog of System Log event types, for checks that a detection matches types that exist. */
export function eventTypes(): EventTypeRow[] {
  const [header, ...rows] = readFileSync(corpusPath('event-types.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  if (header !== 'event_type\tcategory\ttags\trelease') throw new Error(`event-types.tsv: unexpected header "${header}"`);
  return rows.map((row) => {
    const [event_type = '', category = '', tags = '', release = ''] = row.split('\t');
    return { event_type, category, tags: tags ? tags.split(',') : [], release };
  });
}
