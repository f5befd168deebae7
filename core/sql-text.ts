/** Rewrites of SQL text that must not touch string literals, quoted identifiers or comments. */

/** Keywords that may follow a table reference when it has no alias. */
const NOT_AN_ALIAS = new Set([
  'where', 'join', 'left', 'right', 'inner', 'full', 'cross', 'natural', 'on', 'using', 'group', 'order', 'limit',
  'union', 'except', 'intersect', 'having', 'window', 'offset', 'fetch', 'tablesample',
]);

/**
 * `sql` with every reference to table `table` (outside string literals, quoted identifiers and comments) replaced by
 * `derived`, aliased by the table's name when the reference had no alias of its own, so `okta_events.col` and
 * `okta_events e` keep working.
 */
export function replaceTableReferences(sql: string, table: string, derived: string): string {
  let out = '';
  let i = 0;
  const word = /[A-Za-z0-9_]/;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (
      sql.startsWith(table, i) &&
      !word.test(sql[i - 1] ?? ' ') &&
      sql[i - 1] !== '.' &&
      !word.test(sql[i + table.length] ?? ' ') &&
      sql[i + table.length] !== '.'
    ) {
      const after = sql.slice(i + table.length).match(/^\s*([A-Za-z_][A-Za-z0-9_]*)/);
      const aliased = after !== null && !NOT_AN_ALIAS.has(after[1]!.toLowerCase());
      out += aliased ? derived : `${derived} as ${table}`;
      i += table.length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
