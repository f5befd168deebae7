/**
 * Every event type a detection's SQL names exists in Okta's catalog (test/corpus/data/event-types.tsv, 1,274 types),
 * so a misspelt type (which would make a detection silently never fire) fails here. A type is any string literal
 * in the SQL code shaped like one (`user.session.start`), compared exactly, or as a LIKE pattern (`system.org.rate_limit.%`)
 * that must match at least one catalog type. The fixtures' own event types are checked the same way, so a detection
 * is not tested on events Okta never writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../core/catalog.ts';
import { eventTypes } from '../support/corpus.ts';

const catalog = loadCatalog('detections');
const known = eventTypes().map((t) => t.event_type);
const knownSet = new Set(known);

/** Literals in the SQL that look like an event type but are something else, with why. */
const NOT_EVENT_TYPES = new Map<string, string>([]);

const EVENT_TYPE_SHAPE = /^[a-z][a-z0-9_]*(\.[a-zA-Z0-9_]+)+%?$|^[a-z][a-z0-9_]*\.%$/;

/** The string literals of SQL code (comments dropped; a doubled quote is a quote). */
function sqlStringLiterals(sql: string): string[] {
  const code = sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  return [...code.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replaceAll("''", "'"));
}

/** A SQL LIKE pattern as a regular expression: `%` any run, `_` any one character. */
const likeRegex = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('%', '.*').replaceAll('_', '.')}$`);

/** Why `literal` is not a catalog event type, or undefined when it is one (or a LIKE pattern matching one). */
function unknownEventType(literal: string, catalogTypes: readonly string[]): string | undefined {
  if (literal.includes('%')) {
    const re = likeRegex(literal);
    return catalogTypes.some((t) => re.test(t)) ? undefined : `LIKE '${literal}' matches no event type in Okta's catalog`;
  }
  return catalogTypes.includes(literal) ? undefined : `'${literal}' is not an event type in Okta's catalog`;
}

const eventTypeLiterals = (sql: string) => sqlStringLiterals(sql).filter((s) => EVENT_TYPE_SHAPE.test(s) && !NOT_EVENT_TYPES.has(s));

describe('event types named by the detections', () => {
  it('the check itself fails on a misspelt type, an exact one or a LIKE prefix', () => {
    expect(unknownEventType('user.session.start', known)).toBeUndefined();
    expect(unknownEventType('user.sesion.start', known)).toMatch(/not an event type/);
    expect(unknownEventType('system.org.rate_limit.%', known)).toBeUndefined();
    expect(unknownEventType('system.org.rate_limt.%', known)).toMatch(/matches no event type/);
    expect(eventTypeLiterals("-- 'user.fake.type'\nwhere eventtype in ('user.session.start', 'usr.session.end') and x = 'SUCCESS'")).toEqual([
      'user.session.start',
      'usr.session.end',
    ]);
  });

  it('the catalog is Okta’s (over a thousand types)', () => {
    expect(known.length).toBeGreaterThan(1200);
  });

  describe.each(catalog.map((d) => [d.id, d] as const))('%s', (_id, d) => {
    it('names only event types that exist', () => {
      const problems = eventTypeLiterals(d.sql)
        .map((l) => unknownEventType(l, known))
        .filter((p) => p !== undefined);
      expect(problems).toEqual([]);
    });

    if (d.cadence === 'posture') return;
    it('is tested on event types that exist', () => {
      const types = new Set<string>();
      for (const name of ['positive.ndjson', 'negative.ndjson']) {
        for (const line of readFileSync(join(d.dir!, 'fixtures', name), 'utf8').split('\n')) {
          if (line.trim() === '') continue;
          const type = (JSON.parse(line) as { eventType?: unknown }).eventType;
          if (typeof type === 'string') types.add(type);
        }
      }
      expect([...types].filter((t) => !knownSet.has(t))).toEqual([]);
    });
  });
});
