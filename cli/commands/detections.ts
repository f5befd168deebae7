/**
 * `okta-lake detections`: the detection catalog as a table, one detection's metadata and SQL (or, with
 * `--json`, both forms of its SQL with the metadata), and the Markdown catalog docs/detections.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetRoot } from '../../core/assets.ts';
import { loadCatalog } from '../../core/catalog.ts';
import { catalogMarkdown } from '../../core/catalog-doc.ts';
import { compileNamedParams } from '../../core/sql-params.ts';
import { table, type Io } from '../output.ts';
import { UsageError } from '../usage-error.ts';

const catalog = () => loadCatalog(join(assetRoot(), 'detections'));

export function detectionsListCommand(io: Io, args: { json?: boolean }): void {
  const detections = catalog();
  if (args.json) {
    io.out(JSON.stringify({ detections: detections.map(({ sql: _sql, dir: _dir, ...meta }) => meta) }));
    return;
  }
  const rows = detections.map((d) => ({ id: d.id, cadence: d.cadence, severity: d.severity, mitre: d.mitre.join(' '), title: d.title }));
  for (const line of table(rows, { width: io.columns })) io.out(line);
}

export function detectionsShowCommand(io: Io, args: { id: string; athena?: boolean; json?: boolean }): void {
  const d = catalog().find((x) => x.id === args.id);
  if (!d) throw new UsageError(`no detection "${args.id}" (run okta-lake detections list)`);
  if (args.json) {
    // Everything the text form shows, whatever --athena says: the metadata, the SQL as written (`:name`
    // parameters) and the Athena form (`?` placeholders with the parameter names in order).
    const { sql, dir: _dir, ...meta } = d;
    const athena = compileNamedParams(sql);
    io.out(JSON.stringify({ detection: { ...meta, sql, athena: { sql: athena.text, parameters: athena.names } } }));
    return;
  }
  io.out(`${d.id}: ${d.title}`);
  io.out(`severity ${d.severity}, ${d.cadence}${d.cadence === 'hourly' ? `, reads ${d.lookback_hours} hour(s)` : ''}, MITRE ${d.mitre.join(', ')}`);
  io.out('');
  io.out(d.description.trim());
  if (Object.keys(d.thresholds).length) {
    io.out('');
    io.out('thresholds:');
    for (const [name, t] of Object.entries(d.thresholds)) io.out(`  ${name} = ${JSON.stringify(t.default)}  ${t.description}`);
  }
  io.out('');
  io.out('runbook:');
  for (const line of d.runbook.trimEnd().split('\n')) io.out(`  ${line}`);
  io.out('');
  io.out('false positives:');
  for (const fp of d.false_positives) io.out(`  - ${fp}`);
  io.out('');
  if (args.athena) {
    const compiled = compileNamedParams(d.sql);
    io.out(`-- execution parameters, in order: ${compiled.names.join(', ')}`);
    io.out(compiled.text.trimEnd());
  } else io.out(d.sql.trimEnd());
}

/** Writes (or prints) the Markdown catalog, docs/detections.md. */
export function detectionsDocCommand(io: Io, args: { write?: string }): void {
  const markdown = catalogMarkdown(catalog());
  if (args.write) {
    writeFileSync(args.write, markdown);
    io.err(`wrote ${args.write}`);
  } else io.out(markdown.trimEnd());
}
