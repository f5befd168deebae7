/**
 * `okta-lake detections`: the detection catalog as a table, one detection's metadata and SQL (or, with
 * `--json`, both forms of its SQL with the metadata), and the Markdown catalog docs/detections.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetRoot } from '../../core/assets.ts';
import { detectionSettings, DetectionSettingsError, loadCatalog } from '../../core/catalog.ts';
import { catalogMarkdown } from '../../core/catalog-doc.ts';
import { dailyParams } from '../../core/daily.ts';
import { hourlyParams } from '../../core/hourly.ts';
import { bindNamedParams, compileNamedParams } from '../../core/sql-params.ts';
import type { Detection } from '../../core/catalog.ts';
import { renderForAthena } from '../../engines/athena/execution-parameters.ts';
import { SqlLiteral } from '../../engines/sql-values.ts';
import { addDays, dayOf, hourOf, parseDay, parseHour, type Hour } from '../../schema/layout.ts';
import { table, type Io } from '../output.ts';
import { UsageError } from '../usage-error.ts';
import { detectionSettings as lakeDetectionSettings } from '../lake-options.ts';

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

/**
 * A detection's query as the runs send it to Athena for one hour (hourly) or day (daily), the default thresholds
 * and every value written in as a literal: it runs as it is in the Athena console, which takes `?` only in WHERE.
 */
export function athenaQuery(d: Detection, at: { hour?: string; day?: string }, now: Date): { sql: string; window: string } {
  const compiled = compileNamedParams(d.sql);
  const defaults = Object.fromEntries(Object.entries(d.thresholds).map(([n, t]) => [n, t.default]));
  const guard = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  };
  if (d.cadence === 'hourly') {
    if (at.day !== undefined) throw new UsageError(`${d.id} is an hourly detection: give --hour, not --day`);
    const previous: Hour = hourOf(new Date(now.getTime() - 3_600_000));
    const hour = at.hour === undefined ? previous : guard(() => parseHour(at.hour!, '--hour'));
    const params = bindNamedParams(compiled, hourlyParams(d, defaults, hour), d.id);
    return { sql: renderForAthena(compiled.text, params).text, window: `hour ${hour.dt}T${hour.hour}` };
  }
  if (at.hour !== undefined) throw new UsageError(`${d.id} is a daily detection: give --day, not --hour`);
  const day = at.day === undefined ? addDays(dayOf(now), -1) : guard(() => parseDay(at.day!, '--day'));
  // Every user: the null a daily run binds, written in.
  const params = bindNamedParams(compiled, { ...dailyParams(d, defaults, day, null), user_id: SqlLiteral.null() }, d.id);
  return { sql: renderForAthena(compiled.text, params).text, window: `day ${day}` };
}

export function detectionsShowCommand(io: Io, args: { id: string; athena?: boolean; json?: boolean; hour?: string; day?: string }): void {
  const d = catalog().find((x) => x.id === args.id);
  if (!d) throw new UsageError(`no detection "${args.id}" (run okta-lake detections list)`);
  if (args.json) {
    // Everything the text form shows, whatever --athena says: the metadata, the SQL as written (`:name`
    // parameters, and their names in order) and the Athena form for an hour or day (values written in).
    const { sql, dir: _dir, ...meta } = d;
    const athena = athenaQuery(d, args, new Date());
    io.out(JSON.stringify({ detection: { ...meta, sql, parameters: compileNamedParams(sql).names, athena } }));
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
    const q = athenaQuery(d, args, new Date());
    io.out(`-- ${d.id} for the ${q.window}, default thresholds, as the runs send it to Athena (paste it in the console)`);
    io.out(q.sql.trimEnd());
  } else io.out(d.sql.trimEnd());
}

/** Writes (or prints) the Markdown catalog, docs/detections.md. */
export function detectionsDocCommand(io: Io, args: { write?: string; config?: string }): void {
  const detections = catalog();
  // With --config, the configured exclusions, checked against the catalog as a run would check them.
  const exclusions = args.config === undefined ? undefined : configuredExclusions(detections, args.config);
  const markdown = catalogMarkdown(detections, exclusions ? { exclusions } : {});
  if (args.write) {
    writeFileSync(args.write, markdown);
    io.err(`wrote ${args.write}`);
  } else io.out(markdown.trimEnd());
}

function configuredExclusions(detections: readonly Detection[], configPath: string) {
  const settings = lakeDetectionSettings(configPath);
  try {
    return detectionSettings(detections, { thresholds: settings.thresholds, disabled: settings.disabled, exclusions: settings.exclusions }).exclusions;
  } catch (e) {
    if (e instanceof DetectionSettingsError) throw new UsageError(`${configPath}: ${e.message}`);
    throw e;
  }
}
