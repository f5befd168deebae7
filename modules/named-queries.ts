/**
 * Saved Athena queries for investigation, one per `investigations/*.sql`: the same SQL the CLI's `query` runs
 * locally. The files use `:name` parameters; the Athena console takes positional `?` execution parameters, so
 * each `:name` becomes `?` (outside string literals, quoted identifiers and comments; the converter is the
 * one the engines use, `core/sql-params.ts`) and the description lists the parameters in `?` order.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Construct } from 'constructs';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query/index.js';
import { compileNamedParams } from '../core/sql-params.ts';
import { terraformLiteral } from './literal.ts';

export interface Investigation {
  /** File name without `.sql`, e.g. `user-timeline`. */
  readonly id: string;
  /** The header comment, as prose. */
  readonly summary: string;
  /** SQL with `?` placeholders. */
  readonly sql: string;
  /** Parameter names in `?` order (a name used twice appears twice). */
  readonly parameters: readonly string[];
}

/** Athena limits a named query's description to 1024 characters. */
const MAX_DESCRIPTION = 1024;

/** The leading `--` comment block of a SQL file, as one line of prose per paragraph. */
export function headerComment(sql: string): string {
  const paragraphs: string[][] = [[]];
  for (const raw of sql.split('\n')) {
    const line = raw.trim();
    if (line === '' && paragraphs.flat().length === 0) continue;
    if (!line.startsWith('--')) break;
    const text = line.replace(/^--+\s?/, '').trim();
    if (text === '') paragraphs.push([]);
    else paragraphs.at(-1)!.push(text);
  }
  return paragraphs
    .filter((p) => p.length > 0)
    .map((p) => p.join(' '))
    .join('\n');
}

/** Parses one investigation file; the error names the file. */
export function parseInvestigation(file: string, text: string): Investigation {
  const id = basename(file, '.sql');
  const summary = headerComment(text);
  if (summary === '') throw new Error(`${file}: an investigation starts with a header comment saying what it shows`);
  let compiled;
  try {
    compiled = compileNamedParams(text);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return { id, summary, sql: compiled.text, parameters: compiled.names };
}

/** Every `*.sql` directly under `dir`, sorted by file name. A missing folder holds none. */
export function loadInvestigations(dir: string): Investigation[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) return [];
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.sql'))
    .sort()
    .map((n) => parseInvestigation(join(dir, n), readFileSync(join(dir, n), 'utf8')));
}

/** The console description: the header's first paragraph, then the parameters in `?` order. */
export function describeInvestigation(q: Investigation): string {
  const params = q.parameters.length
    ? ` Execution parameters, in order: ${q.parameters.map((p, i) => `${i + 1}=${p}`).join(', ')}.`
    : '';
  const first = q.summary.split('\n')[0]!;
  const room = MAX_DESCRIPTION - params.length;
  const text = first.length > room ? `${first.slice(0, room - 1)}…` : first;
  return `${text}${params}`;
}

export interface InvestigationQueriesProps {
  readonly namePrefix: string;
  readonly workgroupName: string;
  readonly databaseName: string;
  readonly investigations: readonly Investigation[];
}

export class InvestigationQueries extends Construct {
  readonly queries: ReadonlyMap<string, AthenaNamedQuery>;

  constructor(scope: Construct, id: string, props: InvestigationQueriesProps) {
    super(scope, id);
    const queries = new Map<string, AthenaNamedQuery>();
    for (const q of props.investigations) {
      queries.set(
        q.id,
        new AthenaNamedQuery(this, q.id, {
          name: `${props.namePrefix}-${q.id}`,
          description: terraformLiteral(describeInvestigation(q)),
          workgroup: props.workgroupName,
          database: props.databaseName,
          // SQL is data to Terraform: `${` and `%{` in it must not be read as interpolation.
          query: terraformLiteral(q.sql),
        }),
      );
    }
    this.queries = queries;
  }
}
