/**
 * Athena engine v3 (Trino) SQL to DuckDB SQL. The translation is polyglot's Trino -> DuckDB transpiler;
 * what it leaves as Trino function calls is supplied by the macros in `trino-compat.sql`.
 *
 * Translating is slow next to everything else a short command does (the transpiler's start-up, then tens of
 * milliseconds per detection query), and the same queries are translated by every process. So translations are kept
 * on disk by content: `node_modules/.cache/okta-log-lake/duckdb-sql/<sha256>.sql` (the node_modules that holds the
 * transpiler), the hash covering the
 * transpiler's version and the SQL. A command whose queries are all known never loads the transpiler. The cache is a
 * cache: a folder that cannot be written is no error, and deleting it only costs the next run the translation.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

const memory = new Map<string, string>();

/** Bumped when what this module does to the transpiler's output changes (it does nothing today). */
const TRANSLATION_FORMAT = 1;

let transpiler: typeof import('@polyglot-sql/sdk') | undefined;
let cacheDir: string | null | undefined;
let transpilerVersion: string | undefined;

/** The installed transpiler's version, from its package.json (found from its entry point: it exports no package.json). */
function polyglotVersion(): string {
  if (transpilerVersion === undefined) {
    let dir = dirname(createRequire(import.meta.url).resolve('@polyglot-sql/sdk'));
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    transpilerVersion = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  }
  return transpilerVersion;
}

/** The cache folder, made on first use; null when it cannot be (a read-only install). */
function diskCache(): string | null {
  if (cacheDir !== undefined) return cacheDir;
  try {
    const entry = createRequire(import.meta.url).resolve('@polyglot-sql/sdk');
    const at = entry.lastIndexOf(`${sep}node_modules${sep}`);
    if (at < 0) throw new Error('the transpiler is not under a node_modules folder');
    cacheDir = join(entry.slice(0, at), 'node_modules', '.cache', 'okta-log-lake', 'duckdb-sql');
    mkdirSync(cacheDir, { recursive: true });
  } catch {
    cacheDir = null;
  }
  return cacheDir;
}

function readCached(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function writeCached(dir: string, file: string, sql: string): void {
  try {
    // Written beside and renamed: a concurrent reader sees the whole translation or none.
    const tmp = join(dir, `.${randomUUID()}.tmp`);
    writeFileSync(tmp, sql);
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs the next run a translation.
  }
}

export async function trinoToDuckDb(sql: string): Promise<string> {
  const hit = memory.get(sql);
  if (hit !== undefined) return hit;
  const dir = diskCache();
  const file = dir === null ? undefined : join(dir, `${createHash('sha256').update(`${TRANSLATION_FORMAT}\n${polyglotVersion()}\n${sql}`).digest('hex')}.sql`);
  const cached = file === undefined ? undefined : readCached(file);
  if (cached !== undefined) {
    memory.set(sql, cached);
    return cached;
  }
  transpiler ??= await import('@polyglot-sql/sdk');
  const result = transpiler.transpile(sql, transpiler.Dialect.Trino, transpiler.Dialect.DuckDB);
  if (!result.success || !result.sql || result.sql.length !== 1) {
    throw new Error(`cannot translate Athena SQL to DuckDB: ${result.error ?? `expected one statement, got ${result.sql?.length ?? 0}`}`);
  }
  const out = result.sql[0]!;
  memory.set(sql, out);
  if (dir !== null && file !== undefined) writeCached(dir, file, out);
  return out;
}
