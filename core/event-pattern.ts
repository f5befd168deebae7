/**
 * EventBridge event patterns: the subset the near-real-time detections are written in, its schema (so a detection
 * cannot use an operator this module does not implement), and a matcher with EventBridge's rules, used by the
 * near-real-time function and by the tests that check each pattern against the detection's fixtures.
 *
 * No kept npm package implements EventBridge matching (AWS's own matcher, Event Ruler, is Java), so this is ours,
 * tested against the examples of the EventBridge user guide ("Creating event patterns", "Content filtering in event
 * patterns", "Comparison operators for use in event patterns"), in test/core/event-pattern.test.ts. What it follows:
 *
 * - every field of a pattern must match (AND); the values listed for a field are alternatives (OR); `$or` lists
 *   alternative sub-patterns;
 * - a field of the event that is an array matches when one of its elements matches; an array of objects matches a
 *   nested pattern when one element matches all of it (EventBridge's array consistency);
 * - `null` matches a JSON null, never a missing field; `"exists": false` matches a missing field only;
 *   `anything-but` never matches a missing field;
 * - string operators (prefix, suffix, equals-ignore-case, wildcard) match strings only; numbers match by value.
 */
import * as z from 'zod/mini';
import './zod-mini.ts';

export type PatternValue = string | number | boolean | null;

export type Matcher =
  | PatternValue
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly 'equals-ignore-case': string }
  | { readonly wildcard: string }
  | { readonly exists: boolean }
  | { readonly 'anything-but': string | number | readonly (string | number)[] | { readonly prefix: string } };

export interface EventPattern {
  readonly [field: string]: readonly Matcher[] | EventPattern | readonly EventPattern[];
}

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const nonEmpty = z.string().check(z.minLength(1));
const matcher = z.union([
  scalar,
  z.strictObject({ prefix: nonEmpty }),
  z.strictObject({ suffix: nonEmpty }),
  z.strictObject({ 'equals-ignore-case': nonEmpty }),
  z.strictObject({ wildcard: nonEmpty }),
  z.strictObject({ exists: z.boolean() }),
  z.strictObject({
    'anything-but': z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])).check(z.minLength(1)), z.strictObject({ prefix: nonEmpty })]),
  }),
]);

/** A pattern as a detection may write it: nested objects of non-empty matcher lists, `$or` of such patterns. */
export const eventPatternSchema: z.ZodMiniType<EventPattern> = z.lazy(() =>
  z
    .record(
      nonEmpty,
      z.union([z.array(matcher).check(z.minLength(1)), z.array(eventPatternSchema).check(z.minLength(2)), eventPatternSchema]),
    )
    .check(
      z.superRefine((pattern, ctx) => {
        for (const [field, value] of Object.entries(pattern)) {
          const isPatternList = Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && !isOperator(v));
          if (field === '$or' && !isPatternList) ctx.addIssue({ code: 'custom', path: [field], message: '$or takes a list of at least two patterns', input: value });
          if (field !== '$or' && isPatternList) ctx.addIssue({ code: 'custom', path: [field], message: 'a list of patterns is only allowed under $or', input: value });
        }
      }),
    ),
) as unknown as z.ZodMiniType<EventPattern>;

const OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'exists', 'anything-but']);
const isOperator = (v: object) => Object.keys(v).length === 1 && OPERATORS.has(Object.keys(v)[0]!);

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** Whether `event` (parsed JSON) matches `pattern`, by EventBridge's rules. */
export function matchesPattern(event: unknown, pattern: EventPattern): boolean {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  const obj = event as Record<string, Json>;
  return Object.entries(pattern).every(([field, spec]) => {
    if (field === '$or') return (spec as readonly EventPattern[]).some((p) => matchesPattern(event, p));
    const present = Object.hasOwn(obj, field);
    const value = obj[field];
    if (!Array.isArray(spec)) {
      // A nested pattern: the field must be an object, or an array with one element matching it all.
      if (!present) return false;
      const candidates = Array.isArray(value) ? value : [value];
      return candidates.some((c) => matchesPattern(c, spec as EventPattern));
    }
    return (spec as readonly Matcher[]).some((m) => leafMatches(m, present, value));
  });
}

function leafMatches(m: Matcher, present: boolean, value: Json | undefined): boolean {
  if (typeof m === 'object' && m !== null && 'exists' in m) {
    // Exists matching works on leaf nodes: an object is not a leaf.
    const leaf = present && (typeof value !== 'object' || value === null || (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)));
    return m.exists ? leaf && !(Array.isArray(value) && value.length === 0) : !present;
  }
  if (!present) return false;
  const values = Array.isArray(value) ? value : [value as Json];
  return values.some((v) => scalarMatches(m, v));
}

function scalarMatches(m: Matcher, v: Json): boolean {
  if (m === null || typeof m !== 'object') return v === m;
  if (typeof v === 'object' && v !== null) return false;
  if ('prefix' in m) return typeof v === 'string' && v.startsWith(m.prefix);
  if ('suffix' in m) return typeof v === 'string' && v.endsWith(m.suffix);
  if ('equals-ignore-case' in m) return typeof v === 'string' && v.toLowerCase() === m['equals-ignore-case'].toLowerCase();
  if ('wildcard' in m) return typeof v === 'string' && wildcardRegex(m.wildcard).test(v);
  if ('anything-but' in m) {
    const but = m['anything-but'];
    if (typeof but === 'object' && !Array.isArray(but)) return typeof v === 'string' && !v.startsWith((but as { prefix: string }).prefix);
    const excluded = Array.isArray(but) ? but : [but];
    return v !== null && typeof v !== 'boolean' && !excluded.includes(v);
  }
  return false;
}

/** `*` matches any run of characters, `\*` a star. */
function wildcardRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && pattern[i + 1] === '*') {
      re += '\\*';
      i++;
    } else if (c === '*') re += '[\\s\\S]*';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
