/**
 * A findings table on faked Athena + S3: the three queries of a detection run are answered the way Athena
 * would answer them over the objects in the fake bucket.
 *
 * - `core/sql/notified-findings.sql`: the ledger rows stored under `notified/` in the `dt` range asked for;
 * - the `INSERT INTO "notified"` of `core/sql/record-notified.sql`: writes the ledger rows of the findings named;
 * - the `INSERT INTO "findings"`: writes one object under `findings/dt=<dt>/run=<run>/` holding those of the rows
 *   `detect` says the detection SQL yields for that partition (the test decides them: Athena is not run) whose
 *   detection the INSERT runs (its id is a literal in the text, as select-list values are): a catalog too long for
 *   one query is run in several INSERTs, each writing its own detections' rows;
 * - `core/sql/findings-of-run.sql`: the rows stored under the partition asked for;
 * - `core/sql/identity-context.sql`: the identities `identities` gives for the logins bound (none by default).
 *
 * Any other query, or one `fail` names, ends FAILED with the reason given.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseDetection, type Detection } from '../../../core/catalog.ts';
import { compileNamedParams } from '../../../core/sql-params.ts';
import { readSql } from '../../../core/sql-files.ts';
import type { IdentityContext } from '../../../core/identity-context.ts';
import { FakeAws, type Column, type Outcome, type StartedQuery } from './fake-aws.ts';

/** A finding row as Athena returns `findings-of-run.sql`: every cell text. */
export interface StoredFinding {
  readonly finding_id: string;
  readonly detection: string;
  readonly title: string;
  readonly severity: string;
  readonly entity_type: string;
  readonly entity_id: string;
  readonly window_start: string;
  readonly window_end: string;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly event_count: number;
  readonly event_uuids: readonly string[];
  readonly actors: readonly string[];
  readonly ips: readonly string[];
  readonly summary: string;
}

const READ_BACK_COLUMNS: readonly Column[] = [
  ...['finding_id', 'detection', 'title', 'severity', 'entity_type', 'entity_id'].map((name) => ({ name, type: 'varchar' })),
  ...['window_start', 'window_end', 'first_seen', 'last_seen'].map((name) => ({ name, type: 'timestamp' })),
  { name: 'event_count', type: 'bigint' },
  ...['event_uuids', 'actors', 'ips', 'summary', 'dt', 'run'].map((name) => ({ name, type: 'varchar' })),
];

/** `'it''s'` -> `it's` (the literal text the engine sent for a string parameter). */
export function unquote(literal: string): string {
  if (!literal.startsWith("'") || !literal.endsWith("'")) throw new Error(`not a string literal: ${literal}`);
  return literal.slice(1, -1).replaceAll("''", "'");
}

/**
 * The partition values an INSERT writes: the engine writes them as literals in its select list
 * (`'2026-11-25' as "dt"`), since Athena takes no `?` there.
 */
export function insertedPartition(q: StartedQuery, keys: readonly string[]): string[] {
  return keys.map((key) => {
    const m = new RegExp(`'((?:[^']|'')*)' as "${key}"`).exec(q.sql);
    if (!m) throw new Error(`no literal partition value for ${key} in ${q.sql.slice(0, 80)}`);
    return unquote(`'${m[1]!}'`);
  });
}

/** A literal a query compares a column with in its text: `where dt = '2026-11-25'` -> 2026-11-25. */
function comparedLiteral(q: StartedQuery, column: string): string {
  const m = new RegExp(`\\b${column} = '((?:[^']|'')*)'`).exec(q.sql);
  if (!m) throw new Error(`no literal compared with ${column} in ${q.sql.slice(0, 120)}`);
  return unquote(`'${m[1]!}'`);
}

export const NOTIFIED_SQL = compileNamedParams(readSql('core/sql/notified-findings.sql')).text;
export const READ_BACK_SQL = compileNamedParams(readSql('core/sql/findings-of-run.sql')).text;
export const isInsert = (q: StartedQuery) => q.sql.startsWith('insert into "findings"');
export const isIdentityQuery = (q: StartedQuery) => q.sql.startsWith('-- identity-context:');

const IDENTITY_COLUMNS: readonly Column[] = [
  ...['user_id', 'login', 'status', 'identity_kind'].map((name) => ({ name, type: 'varchar' })),
  ...['factors_collected', 'roles_collected'].map((name) => ({ name, type: 'boolean' })),
  ...['inventory_dt', 'admin_roles', 'factors', 'mfa_strength'].map((name) => ({ name, type: 'varchar' })),
];
export const isLedgerInsert = (q: StartedQuery) => q.sql.startsWith('insert into "notified"');

export interface FakeLakeOptions {
  /** The rows the detection SQL yields for a partition (what the INSERT writes). */
  readonly detect: (partition: { dt: string; run: string }) => readonly StoredFinding[];
  /** A reason to fail a query with, or undefined to let it succeed. */
  readonly fail?: (query: StartedQuery) => string | undefined;
  /** The inventory's identities, by lower-cased login, that the identity-context query answers with. @default none */
  readonly identities?: ReadonlyMap<string, IdentityContext>;
  /** Answers for other queries (activity, user resolution...); undefined falls through to the findings table. */
  readonly other?: (query: StartedQuery) => Outcome | undefined;
  /** Polls answered QUEUED/RUNNING before each query ends. @default 1 */
  readonly runningPolls?: number;
}

export class FakeFindingsLake {
  readonly aws: FakeAws;
  private rows = new Map<string, readonly StoredFinding[]>();
  private ledger = new Map<string, readonly StoredFinding[]>();

  /** Finding ids the ledger says were notified. */
  notifiedIds(): string[] {
    return [...this.ledger.entries()].filter(([k]) => this.aws.objects.has(k)).flatMap(([, rows]) => rows.map((r) => r.finding_id));
  }

  constructor(private readonly options: FakeLakeOptions) {
    this.aws = new FakeAws((q) => ({ runningPolls: options.runningPolls ?? 1, ...this.answer(q) }));
  }

  /** Finding rows stored under a partition now. */
  stored(dt: string, run: string): StoredFinding[] {
    const prefix = `findings/dt=${dt}/run=${run}/`;
    return [...this.aws.objects.keys()].filter((k) => k.startsWith(prefix)).flatMap((k) => this.rows.get(k) ?? []);
  }

  private answer(q: StartedQuery): Outcome {
    const reason = this.options.fail?.(q);
    if (reason) return { state: 'FAILED', reason };
    const other = this.options.other?.(q);
    if (other) return other;
    if (isIdentityQuery(q)) {
      // The dates are literals in the text; the logins are the bound parameters.
      const rows = q.params
        .map(unquote)
        .flatMap((login) => {
          const i = this.options.identities?.get(login);
          return i ? [i] : [];
        })
        .map((i) => [
          i.user_id,
          i.login,
          i.status,
          i.identity_kind,
          String(i.factors_collected),
          String(i.roles_collected),
          i.inventory_dt,
          JSON.stringify(i.admin_roles),
          JSON.stringify(i.factors),
          i.mfa_strength,
        ]);
      return { columns: IDENTITY_COLUMNS, rows };
    }
    if (q.sql === NOTIFIED_SQL) {
      const [from, to] = q.params.map(unquote) as [string, string];
      const rows = [...this.ledger.entries()]
        .filter(([k]) => this.aws.objects.has(k))
        .filter(([k]) => {
          const dt = /dt=([^/]+)/.exec(k)![1]!;
          return dt >= from && dt <= to;
        })
        .flatMap(([, rs]) => rs)
        .map((r) => [r.detection, r.finding_id, JSON.stringify(r.event_uuids)]);
      const columns = ['detection', 'finding_id', 'event_uuids'].map((name) => ({ name, type: 'varchar' }));
      return { columns, rows };
    }
    if (isLedgerInsert(q)) {
      // Partition values and record-notified.sql's dt and run are literals in the text; the finding ids are bound.
      const [dt, batch] = insertedPartition(q, ['dt', 'batch']) as [string, string];
      const [fromDt, run] = [comparedLiteral(q, 'dt'), comparedLiteral(q, 'run')];
      const ids = q.params.map(unquote);
      const key = `notified/dt=${dt}/batch=${batch}/${q.id}.parquet`;
      this.aws.objects.set(key, []);
      this.ledger.set(key, this.stored(fromDt!, run!).filter((r) => ids.includes(r.finding_id)));
      return { columns: [{ name: 'rows', type: 'bigint' }], rows: [] };
    }
    if (isInsert(q)) {
      const [dt, run] = insertedPartition(q, ['dt', 'run']) as [string, string];
      const key = `findings/dt=${dt}/run=${run}/${q.id}.parquet`;
      this.aws.objects.set(key, []);
      this.rows.set(key, this.options.detect({ dt, run }).filter((r) => q.sql.includes(`cast('${r.detection}' as varchar) as detection`)));
      return { columns: [{ name: 'rows', type: 'bigint' }], rows: [] };
    }
    if (q.sql === READ_BACK_SQL) {
      const [dt, run] = q.params.map(unquote) as [string, string];
      return {
        columns: READ_BACK_COLUMNS,
        rows: this.stored(dt, run).map((r) => [
          r.finding_id,
          r.detection,
          r.title,
          r.severity,
          r.entity_type,
          r.entity_id,
          r.window_start,
          r.window_end,
          r.first_seen,
          r.last_seen,
          String(r.event_count),
          JSON.stringify(r.event_uuids),
          JSON.stringify(r.actors),
          JSON.stringify(r.ips),
          r.summary,
          dt,
          run,
        ]),
      };
    }
    return { state: 'FAILED', reason: `fake lake: no answer for ${q.sql.slice(0, 80)}` };
  }
}

/** One detection folder of the repository, loaded on its own (the test does not depend on the others). */
export function detectionFolder(id: string): Detection {
  const dir = join(import.meta.dirname, '../../../detections', id);
  return { ...parseDetection(dir, readFileSync(join(dir, 'detection.yaml'), 'utf8'), readFileSync(join(dir, 'query.sql'), 'utf8')), dir };
}

/** A brute-force finding on one user in hour 04 of 2026-11-25, as the detection SQL would yield it. */
export function bruteForceFinding(user = 'alice@example.com', id = 'a3f1c0de'): StoredFinding {
  return {
    finding_id: id,
    detection: 'okta-brute-force-user',
    title: 'Brute force against one user',
    severity: 'MEDIUM',
    entity_type: 'user',
    entity_id: user,
    window_start: '2026-11-25 04:00:00.000',
    window_end: '2026-11-25 05:00:00.000',
    first_seen: '2026-11-25 04:02:11.000',
    last_seen: '2026-11-25 04:09:57.000',
    event_count: 24,
    event_uuids: Array.from({ length: 24 }, (_, i) => `0b9e6a4c-1f2d-4c3b-9a8e-${String(i).padStart(12, '0')}`),
    actors: [user],
    ips: ['203.0.113.9'],
    summary: `24 failed sign-ins for ${user} from 1 IP (203.0.113.9, NL) between 04:02 and 04:09`,
  };
}
