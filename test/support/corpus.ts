/** Paths into the shared Okta corpus (read-only; written by others, see its README). */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const candidates = [process.env.OKTA_CORPUS_DIR, resolve(import.meta.dirname, '../../../shared/okta-corpus')].filter(
  (p): p is string => typeof p === 'string',
);

export const corpusDir = candidates.find((p) => existsSync(p)) ?? candidates[candidates.length - 1]!;

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
 * The events of one case as the corpus README prescribes: `copies` copies, each with its own uuid
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
