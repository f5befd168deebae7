/**
 * The part of Okta's SCIM filter language the stand-in understands: `attr op "value"` with `eq ne sw co ew`,
 * `attr pr`, joined by `and` (binds tighter) and `or`, with parentheses. A path through an array matches when any
 * element does, so `target.id eq "00u1"` matches an event with that id among its targets.
 * https://developer.okta.com/docs/api/#filter
 */
export type Predicate = (item: unknown) => boolean;

export class FilterSyntaxError extends Error {}

export function parseFilter(text: string): Predicate {
  const tokens = [...text.matchAll(/\s*(\(|\)|"(?:[^"\\]|\\.)*"|[^\s()]+)/g)].map((m) => m[1]!);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const token = tokens[at++];
    if (token === undefined) throw new FilterSyntaxError(`Invalid filter '${text}': unexpected end`);
    return token;
  };

  const parseOr = (): Predicate => {
    let left = parseAnd();
    while (peek()?.toLowerCase() === 'or') {
      next();
      const l = left;
      const r = parseAnd();
      left = (item) => l(item) || r(item);
    }
    return left;
  };
  const parseAnd = (): Predicate => {
    let left = parseTerm();
    while (peek()?.toLowerCase() === 'and') {
      next();
      const l = left;
      const r = parseTerm();
      left = (item) => l(item) && r(item);
    }
    return left;
  };
  const parseTerm = (): Predicate => {
    const token = next();
    if (token === '(') {
      const inner = parseOr();
      if (next() !== ')') throw new FilterSyntaxError(`Invalid filter '${text}': missing )`);
      return inner;
    }
    if (!/^[A-Za-z][\w.]*$/.test(token)) throw new FilterSyntaxError(`Invalid filter '${text}': expected an attribute at '${token}'`);
    const path = token.split('.');
    const op = next().toLowerCase();
    if (op === 'pr') return (item) => valuesAt(item, path).some((v) => v !== null && v !== undefined);
    const raw = next();
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw === 'true' ? true : raw === 'false' ? false : Number(raw);
    const test = comparator(op, value, text);
    return (item) => valuesAt(item, path).some(test);
  };

  const predicate = parseOr();
  if (at !== tokens.length) throw new FilterSyntaxError(`Invalid filter '${text}': unexpected '${tokens[at]}'`);
  return predicate;
}

function comparator(op: string, expected: unknown, text: string): (actual: unknown) => boolean {
  const str = (v: unknown) => (typeof v === 'string' ? v : String(v));
  switch (op) {
    case 'eq':
      return (actual) => actual === expected;
    case 'ne':
      return (actual) => actual !== expected;
    case 'sw':
      return (actual) => typeof actual === 'string' && actual.startsWith(str(expected));
    case 'ew':
      return (actual) => typeof actual === 'string' && actual.endsWith(str(expected));
    case 'co':
      return (actual) => typeof actual === 'string' && actual.includes(str(expected));
    default:
      throw new FilterSyntaxError(`Invalid filter '${text}': Unrecognized attribute operator '${op}'. Expected: eq,co,sw,pr,gt,ge,lt,le`);
  }
}

function valuesAt(item: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [item];
  for (const key of path) {
    const nextValues: unknown[] = [];
    for (const value of current) {
      for (const element of Array.isArray(value) ? value : [value]) {
        if (element && typeof element === 'object' && key in element) nextValues.push((element as Record<string, unknown>)[key]);
      }
    }
    current = nextValues;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}
