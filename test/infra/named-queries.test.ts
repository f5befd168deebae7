import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../modules/lambda/bundle.ts';
import { describeInvestigation, headerComment, InvestigationQueries, loadInvestigations, parseInvestigation } from '../../modules/named-queries.ts';
import { writeInvestigations } from './helpers.ts';

describe('investigation SQL for the Athena console', () => {
  it('turns :name parameters into ? and lists them in order, a repeated name each time', () => {
    const q = parseInvestigation('ip.sql', '-- Everything from one IP.\nselect * from okta_events where client.ipaddress = :ip or request_ip = :ip and dt >= :from_dt');

    expect(q.sql).toBe('-- Everything from one IP.\nselect * from okta_events where client.ipaddress = ? or request_ip = ? and dt >= ?');
    expect(q.parameters).toEqual(['ip', 'ip', 'from_dt']);
  });

  it('leaves :words in string literals, quoted identifiers and comments, and :: casts, alone', () => {
    const sql = [
      '-- Header :not_a_param',
      "select 'at :noon' as a, \"col:x\" as b, x::varchar as c /* :nor_this */",
      "from t where y = 'it''s :still a literal' and z = :real",
    ].join('\n');
    const q = parseInvestigation('x.sql', sql);

    expect(q.sql).toBe(sql.replace(':real', '?'));
    expect(q.parameters).toEqual(['real']);
  });

  it('reads the header comment as the description, with the parameters in ? order', () => {
    const text = '\n-- Failed sign-ins by IP.\n-- Counts per IP and user.\n--\n-- False positives: VPN egress.\nselect :from_dt, :to_dt';
    const q = parseInvestigation('failed.sql', text);

    expect(headerComment(text)).toBe('Failed sign-ins by IP. Counts per IP and user.\nFalse positives: VPN egress.');
    expect(describeInvestigation(q)).toBe('Failed sign-ins by IP. Counts per IP and user. Execution parameters, in order: 1=from_dt, 2=to_dt.');
  });

  it('keeps a long description within Athena’s 1024 characters', () => {
    const q = parseInvestigation('long.sql', `-- ${'word '.repeat(400)}\nselect :a`);

    expect(describeInvestigation(q).length).toBeLessThanOrEqual(1024);
    expect(describeInvestigation(q).endsWith('Execution parameters, in order: 1=a.')).toBe(true);
  });

  it('refuses a file without a header comment, naming it', () => {
    expect(() => parseInvestigation('investigations/bare.sql', 'select 1')).toThrow('investigations/bare.sql: an investigation starts with a header comment');
  });

  it('names the file holding an unterminated string literal', () => {
    expect(() => parseInvestigation('investigations/broken.sql', "-- x\nselect 'oops")).toThrow(/^investigations\/broken\.sql: unterminated string literal/);
  });
});

describe('loading the investigations folder', () => {
  it('reads every .sql file, sorted, and nothing else', () => {
    const dir = writeInvestigations({ 'b.sql': '-- B\nselect 2', 'a.sql': '-- A\nselect 1', 'notes.md': '# not SQL' });

    expect(loadInvestigations(dir).map((q) => q.id)).toEqual(['a', 'b']);
  });

  it('finds none in a folder that does not exist', () => {
    expect(loadInvestigations(join(tmpdir(), 'okta-lake-no-such-folder'))).toEqual([]);
  });

  it('reads every investigation the repository holds', () => {
    const dir = join(REPO_ROOT, 'investigations');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
    } catch {
      files = [];
    }

    expect(loadInvestigations(dir).map((q) => `${q.id}.sql`)).toEqual(files.sort());
  });
});

describe('named queries in the plan', () => {
  const synth = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-lake-nq-'));
    for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
    return JSON.parse(
      Testing.synthScope((scope) => {
        new InvestigationQueries(scope, 'investigations', {
          namePrefix: 'lake',
          workgroupName: 'lake',
          databaseName: 'lake_db',
          investigations: loadInvestigations(dir),
        });
      }),
    ) as { resource: { aws_athena_named_query: Record<string, Record<string, string>> } };
  };

  it('creates one named query per file, multi-line SQL intact', () => {
    const plan = synth({ 'admin-changes.sql': "-- Admin changes.\nselect *\nfrom okta_events\nwhere eventtype like 'user.account.privilege.%'" });
    const [q] = Object.values(plan.resource.aws_athena_named_query);

    expect(Object.keys(plan.resource.aws_athena_named_query)).toHaveLength(1);
    expect(q).toMatchObject({ name: 'lake-admin-changes', workgroup: 'lake', database: 'lake_db', description: 'Admin changes.' });
    expect(q!.query).toBe("-- Admin changes.\nselect *\nfrom okta_events\nwhere eventtype like 'user.account.privilege.%'");
  });

  it('escapes ${ and %{ in the SQL so Terraform does not interpolate them', () => {
    const plan = synth({ 'tpl.sql': "-- Template text.\nselect '${not_terraform}' as a, '%{nor_this}' as b" });
    const [q] = Object.values(plan.resource.aws_athena_named_query);

    expect(q!.query).toBe("-- Template text.\nselect '$${not_terraform}' as a, '%%{nor_this}' as b");
  });
});
