/**
 * `okta-lake demo` (= `npm start`): a realistic day for Acme Robotics with attacks mixed in, run through the
 * whole local lake: generate, ingest, the 24 hourly runs, the nightly snapshot with its daily checks, then a
 * summary of what was found, a few activity rows, where the files are and what to try next.
 */
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { table } from '../cli/output.ts';
import { UsageError } from '../cli/usage-error.ts';
import { assetRoot } from '../core/assets.ts';
import { compareSeverities, type Finding } from '../core/findings.ts';
import type { ResultRow } from '../engines/query-engine.ts';
import { addDays, dayOf, lakePaths, parseDay, type Hour } from '../schema/layout.ts';
import { LocalLake } from '../lake/local-lake.ts';
import { DEFAULT_SEED, writeDay, type PlantedAttack } from './generate.ts';
import { demoInventory, type PlantedPostureFailure } from './inventory.ts';
import { writeInventoryFolder } from './inventory-folder.ts';
import { FolderInventorySource } from '../inventory/folder-source.ts';
import type { InventorySummary } from '../core/inventory-collect.ts';
import { cascadeLines, cascadeOf, type Cascade } from '../core/cascade.ts';

export const DEFAULT_DEMO_LAKE = '.okta-lake/demo';

/** A file the demo leaves in its lake folder: only a folder holding it (or an empty one) is ever cleared. */
const MARKER = '.okta-lake-demo';

export interface DemoOptions {
  /** The lake folder, cleared first. @default `.okta-lake/demo` */
  readonly lakeDir?: string;
  /** @default 7 */
  readonly seed?: number;
  /** The UTC day to generate, `YYYY-MM-DD`. @default the last weekday before today (UTC) */
  readonly day?: string;
  /** Users in the made-up org. @default 400 */
  readonly users?: number;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Print only the result as JSON on `out` (progress goes to `err`). */
  readonly json?: boolean;
  /** The clock. @default the system clock */
  readonly now?: () => Date;
}

export interface DetectionSummary {
  readonly detection: string;
  readonly title: string;
  /** The most severe finding's severity. */
  readonly severity: string;
  readonly cadence: 'hourly' | 'daily' | 'posture';
  readonly findings: number;
  readonly entities: readonly string[];
  readonly users: readonly string[];
  readonly ips: readonly string[];
  /** The summary sentence of the most severe finding. */
  readonly example: string;
}

export interface AttackResult extends PlantedAttack {
  /** The detection is in the catalog (and enabled). */
  readonly inCatalog: boolean;
  /** A finding of that detection names one of the attack's users, IPs or sessions. */
  readonly caught: boolean;
  readonly findingIds: readonly string[];
}

export interface PostureResult extends PlantedPostureFailure {
  /** A finding of that check names the user. */
  readonly caught: boolean;
}

export interface DemoResult {
  readonly lake: string;
  readonly day: string;
  readonly seed: number;
  readonly org: { readonly name: string; readonly domain: string; readonly users: number; readonly activeUsers: number };
  readonly input: {
    readonly file: string;
    readonly bytes: number;
    readonly events: number;
    readonly lines: number;
    readonly envelopes: number;
    readonly duplicates: number;
  };
  readonly ingest: { readonly ingested: number; readonly duplicates: number; readonly quarantined: number };
  readonly hourlyRuns: number;
  /** Daily users snapshotted, or null when the lake has no daily snapshot. */
  readonly snapshotUsers: number | null;
  /** Every finding: the 24 hourly runs, then the daily checks. */
  readonly findings: readonly Finding[];
  readonly detections: readonly DetectionSummary[];
  readonly attacks: readonly AttackResult[];
  /** The identity inventory collected for the day (from the demo org's saved API responses). */
  readonly inventory: InventorySummary & { readonly folder: string };
  /** The posture failures planted in the inventory, and whether their check found them. */
  readonly posture: readonly PostureResult[];
  /** Each new hourly finding about a user, told with what else fails for that identity (the near-time cascade). */
  readonly cascades: readonly { readonly user: string; readonly lines: readonly string[]; readonly trigger: string; readonly failing: readonly string[] }[];
  readonly activity: readonly ResultRow[];
  readonly paths: { readonly events: string; readonly raw: string; readonly errors: string; readonly findings: string; readonly activity: string };
  readonly timings: { readonly generateMs: number; readonly ingestMs: number; readonly detectMs: number; readonly snapshotMs: number; readonly totalMs: number };
}


/** Clears `dir` for the demo, refusing a folder that holds anything the demo did not put there. */
function prepareLakeDir(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--lake ${dir} is a file, not a folder`);
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new UsageError(`--lake ${dir} is not empty and was not made by okta-lake demo, so the demo will not clear it; pass another --lake folder or remove this one`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'This folder was made by `okta-lake demo`, which clears it on every run.\n');
}

const fmt = (n: number) => n.toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** What a reader can paste: relative to the working folder when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !rel.startsWith(sep) ? rel : path;
}

/** A shell word: bare when safe, else in double quotes (SQL keeps its single quotes), else in single quotes. */
function quoteArg(s: string): string {
  if (/^[\w./@:=-]+$/.test(s)) return s;
  if (!/[$`"\\!]/.test(s)) return `"${s}"`;
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/** The last weekday (Monday to Friday) before `today`: a working day, when the org is busy. */
export function lastWorkday(today: string): string {
  let day = addDays(today, -1);
  while ([0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())) day = addDays(day, -1);
  return day;
}

function attackResults(attacks: readonly PlantedAttack[], findings: readonly Finding[], enabled: ReadonlySet<string>): AttackResult[] {
  return attacks.map((a) => {
    const keys = new Set([...a.users, ...a.ips, ...a.sessions].map((k) => k.toLowerCase()));
    const hits = findings.filter(
      (f) =>
        f.detection === a.detection &&
        (keys.has(f.entity.id.toLowerCase()) || f.actors.some((x) => keys.has(x.toLowerCase())) || f.ips.some((x) => keys.has(x.toLowerCase()))),
    );
    return { ...a, inCatalog: enabled.has(a.detection), caught: hits.length > 0, findingIds: hits.map((f) => f.finding_id) };
  });
}

function postureResults(planted: readonly PlantedPostureFailure[], findings: readonly Finding[]): PostureResult[] {
  return planted.map((p) => ({
    ...p,
    caught: findings.some((f) => f.detection === p.check && (f.entity.id.toLowerCase() === p.login.toLowerCase() || f.actors.some((a) => a.toLowerCase() === p.login.toLowerCase()))),
  }));
}

function detectionSummaries(findings: readonly Finding[], cadenceOf: (id: string) => 'hourly' | 'daily' | 'posture'): DetectionSummary[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.detection, [...(groups.get(f.detection) ?? []), f]);
  const uniq = (xs: Iterable<string>) => [...new Set(xs)].filter((x) => x !== '').sort();
  return [...groups.entries()]
    .map(([detection, fs]) => {
      const worst = [...fs].sort((a, b) => compareSeverities(a.severity, b.severity))[0]!;
      return {
        detection,
        title: worst.title,
        severity: worst.severity,
        cadence: cadenceOf(detection),
        findings: fs.length,
        entities: uniq(fs.map((f) => `${f.entity.type} ${f.entity.id}`)),
        users: uniq(fs.flatMap((f) => f.actors)),
        ips: uniq(fs.flatMap((f) => f.ips)),
        example: worst.summary,
      };
    })
    .sort((a, b) => compareSeverities(a.severity, b.severity) || a.detection.localeCompare(b.detection));
}

const list = (xs: readonly string[], max: number) => (xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`);

/** Runs the demo; prints a summary (or, with `json`, only the result) and returns the result. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new UsageError(`seed ${seed} is not a whole number`);
  const day = options.day ? parseDay(options.day) : lastWorkday(dayOf(now()));
  const lakeDir = resolve(options.lakeDir ?? DEFAULT_DEMO_LAKE);
  const progress = options.json ? options.err : options.out;

  prepareLakeDir(lakeDir);
  const inputDir = join(lakeDir, 'input');
  mkdirSync(inputDir, { recursive: true });
  const inputFile = join(inputDir, `acme-robotics-${day}.ndjson`);

  if (!options.json) progress(`okta-lake demo: a day of Okta System Log events for Acme Robotics, ${day} (seed ${seed})`);
  let t = Date.now();
  const generated = await writeDay(inputFile, { day, seed, users: options.users });
  const generateMs = Date.now() - t;
  progress(
    `  generated  ${fmt(generated.events)} events of ${fmt(generated.activeUsers)} of ${fmt(generated.org.users.length)} users, ${generated.attacks.length} attacks mixed in; ` +
      `${fmt(generated.deliveries)} lines (${fmt(generated.envelopes)} EventBridge envelopes, ${fmt(generated.duplicates)} duplicate deliveries)  ${secs(generateMs)}`,
  );

  const lake = await LocalLake.open(lakeDir, { now });
  try {
    t = Date.now();
    const summary = await lake.ingest(createReadStream(inputFile), { source: inputFile });
    const ingestMs = Date.now() - t;
    progress(`  ingested   ${fmt(summary.ingested)} events, ${fmt(summary.duplicates)} redelivered copies counted once, ${fmt(summary.quarantined)} quarantined  ${secs(ingestMs)}`);

    // The org's identities as the Okta API would list them, saved as its responses and collected like `okta-lake
    // inventory --from`; the near-time cascade re-reads a user's identity from the same folder.
    t = Date.now();
    const identities = demoInventory(generated.org, day);
    const inventoryDir = join(inputDir, `okta-api-${day}`);
    writeInventoryFolder(inventoryDir, identities);
    const inventorySource = new FolderInventorySource(inventoryDir);
    const inventory = await lake.collectInventory(inventorySource, day);
    progress(
      `  inventory  ${fmt(inventory.users)} users, ${fmt(inventory.factors)} factor enrollments, ${fmt(inventory.devices)} device rows, ` +
        `${fmt(inventory.roles)} admin roles (saved API responses in ${shown(inventoryDir)})  ${secs(Date.now() - t)}`,
    );

    t = Date.now();
    const hours: Hour[] = Array.from({ length: 24 }, (_, h) => ({ dt: day, hour: String(h).padStart(2, '0') }));
    const hourly: Finding[] = [];
    const cascades: Cascade[] = [];
    const escalated = new Set<string>();
    for (const hour of hours) {
      const run = await lake.detectHour(hour);
      hourly.push(...run.findings);
      // The near-time cascade: the first new finding about a user refreshes that user's identity and checks at once.
      for (const f of run.newFindings) {
        if (f.entity.type !== 'user' || escalated.has(f.entity.id.toLowerCase())) continue;
        escalated.add(f.entity.id.toLowerCase());
        const refreshed = await lake.refreshUser(f.entity.id, day, { inventory: inventorySource });
        if (refreshed.found) cascades.push(cascadeOf(f, refreshed.findings, refreshed.newFindings));
      }
    }
    const detectMs = Date.now() - t;
    const enabled = lake.catalog.filter((d) => !lake.disabled.has(d.id));
    progress(
      `  detected   24 hourly runs of ${enabled.filter((d) => d.cadence === 'hourly').length} detections: ${fmt(hourly.length)} findings; ` +
        `${cascades.length} cascaded to the user's identity checks  ${secs(detectMs)}`,
    );

    t = Date.now();
    const daily = await lake.snapshotDay(day);
    const snapshotMs = Date.now() - t;
    const postureIds = new Set(enabled.filter((d) => d.cadence === 'posture').map((d) => d.id));
    const postureFindings = daily.findings.filter((f) => postureIds.has(f.detection));
    progress(
      `  snapshot   ${fmt(daily.users)} activity rows, ${enabled.filter((d) => d.cadence === 'daily').length} daily checks and ${postureIds.size} posture checks: ` +
        `${fmt(daily.findings.length - postureFindings.length)} + ${fmt(postureFindings.length)} findings  ${secs(snapshotMs)}`,
    );

    const findings = [...hourly, ...daily.findings];
    const activity = await lake.engine.select(
      `select login, sign_ins, sign_in_failures, mfa_used, mfa_failures, distinct_ips,
              array_join(countries, ', ') as countries, cardinality(apps) as apps, admin_actions
       from activity
       where dt = ? and batch = 'daily'
       order by cardinality(countries) desc, sign_in_failures + mfa_failures desc, admin_actions desc, login
       limit 6`,
      [day],
    );
    const cadence = new Map(lake.catalog.map((d) => [d.id, d.cadence]));
    const result: DemoResult = {
      lake: lakeDir,
      day,
      seed,
      org: { name: generated.org.name, domain: generated.org.domain, users: generated.org.users.length, activeUsers: generated.activeUsers },
      input: {
        file: inputFile,
        bytes: generated.bytes,
        events: generated.events,
        lines: generated.deliveries,
        envelopes: generated.envelopes,
        duplicates: generated.duplicates,
      },
      ingest: { ingested: summary.ingested, duplicates: summary.duplicates, quarantined: summary.quarantined },
      hourlyRuns: hours.length,
      snapshotUsers: daily.users,
      findings,
      detections: detectionSummaries(findings, (id) => cadence.get(id) ?? 'hourly'),
      attacks: attackResults(generated.attacks, findings, new Set(enabled.map((d) => d.id))),
      inventory: { ...inventory, folder: inventoryDir },
      posture: postureResults(identities.planted, postureFindings),
      cascades: cascades.map((c) => ({ user: c.user, trigger: c.trigger.finding_id, failing: c.failing.map((f) => f.finding_id), lines: cascadeLines(c) })),
      activity,
      paths: {
        events: join(lakeDir, lakePaths.events),
        raw: join(lakeDir, lakePaths.raw),
        errors: join(lakeDir, lakePaths.errors),
        findings: join(lakeDir, lakePaths.findings),
        activity: join(lakeDir, lakePaths.activity),
      },
      timings: { generateMs, ingestMs, detectMs, snapshotMs, totalMs: Date.now() - started },
    };
    if (options.json) options.out(JSON.stringify(result, null, 2));
    else for (const line of summaryLines(result)) options.out(line);
    return result;
  } finally {
    lake.close();
  }
}

/** The human summary of a demo run, after the progress lines. */
export function summaryLines(r: DemoResult): string[] {
  const lines: string[] = [];
  const out = (line: string) => lines.push(line);
  const lakeArg = quoteArg(shown(r.lake));
  out(`  total      ${secs(r.timings.totalMs)}`);
  out('');

  const caught = r.attacks.filter((a) => a.caught).length;
  out(`Attacks planted in the day: ${caught} of ${r.attacks.length} caught`);
  for (const a of r.attacks) {
    const verdict = a.caught ? 'caught ' : a.inCatalog ? 'MISSED ' : 'no rule';
    out(`  ${verdict}  ${a.at.slice(11, 16)}  ${a.detection.padEnd(32)}  ${a.what}`);
  }
  out('');

  const postureCaught = r.posture.filter((p) => p.caught).length;
  out(`Identity posture failures planted in the inventory: ${postureCaught} of ${r.posture.length} found`);
  for (const p of r.posture) out(`  ${p.caught ? 'found  ' : 'MISSED '}  ${p.check.padEnd(42)}  ${p.login}: ${p.what}`);
  out('');

  const withOthers = r.cascades.filter((c) => c.failing.length > 0);
  out(`Near-time cascade: ${r.cascades.length} user(s) with a new finding had their identity checked at once; ${withOthers.length} fail other checks`);
  for (const c of withOthers) for (const line of c.lines) out(`  ${line}`);
  out('');

  out(`Findings by detection (${r.findings.length} findings from ${r.detections.length} detections)`);
  for (const d of r.detections) {
    out(`  ${d.severity.padEnd(8)}  ${d.detection}  (${d.findings} ${d.findings === 1 ? 'finding' : 'findings'}, ${d.cadence}): ${d.title}`);
    if (d.users.length) out(`            users: ${list(d.users, 4)}`);
    if (d.ips.length) out(`            IPs:   ${list(d.ips, 4)}`);
    out(`            e.g.   ${d.example}`);
  }
  if (r.detections.length === 0) out('  none');
  out('');

  out(`Activity (one row per user and day; the ${r.activity.length} users with the most countries and failures on ${r.day})`);
  if (r.activity.length) for (const line of table(r.activity)) out(`  ${line}`);
  else out('  no rows');
  out('');

  out('Where the files are');
  const rows: [string, string][] = [
    ['input NDJSON', `${shown(r.input.file)} (${mb(r.input.bytes)})`],
    ['events', `${shown(r.paths.events)}/dt=${r.day}/hour=HH/*.parquet`],
    ['raw archive', `${shown(r.paths.raw)}/dt=${r.day}/*.ndjson.gz`],
    ['quarantine', `${shown(r.paths.errors)}/ (${r.ingest.quarantined} lines)`],
    ['findings', `${shown(r.paths.findings)}/dt=${r.day}/run=hourly-HH|daily/`],
    ['activity', `${shown(r.paths.activity)}/dt=${r.day}/batch=daily/`],
    ['inventory', `${shown(join(r.lake, 'inventory'))}/{users,factors,devices,admin-roles}/dt=${r.day}/ (from ${shown(r.inventory.folder)})`],
  ];
  for (const [k, v] of rows) out(`  ${k.padEnd(13)}${v}`);
  out('');

  const victim = r.attacks.find((a) => a.detection === 'okta-mfa-push-bombing')?.users[0] ?? r.attacks[0]?.users[0];
  const attackHour = r.attacks.find((a) => a.detection === 'okta-mfa-push-bombing')?.at.slice(11, 13) ?? '08';
  out('Try next');
  const sql = (q: string) => `npx okta-lake query --lake ${lakeArg} ${quoteArg(q)}`;
  out(`  ${sql(`select severity, detection, entity_id, summary from findings where dt = '${r.day}' order by first_seen`)}`);
  out(`  ${sql(`select login, sign_ins, sign_in_failures, countries, apps from activity where dt = '${r.day}' order by sign_in_failures desc limit 10`)}`);
  const investigation = (name: string) => existsSync(join(assetRoot(), 'investigations', name));
  const days = `--param from_dt=${r.day} --param to_dt=${r.day}`;
  if (victim) {
    if (investigation('user-timeline.sql')) out(`  npx okta-lake query --lake ${lakeArg} --file investigations/user-timeline.sql --param user=${victim} ${days}`);
    else out(`  ${sql(`select published, eventtype, outcome.result, client.ipaddress from okta_events where dt = '${r.day}' and actor.alternateid = '${victim}' order by published`)}`);
  }
  const sprayIp = r.attacks.find((a) => a.detection === 'okta-password-spray')?.ips[0];
  if (sprayIp && investigation('ip-activity.sql')) out(`  npx okta-lake query --lake ${lakeArg} --file investigations/ip-activity.sql --param ip=${sprayIp} ${days}`);
  out(`  npx okta-lake snapshot --lake ${lakeArg} --day ${r.day}`);
  out(`  npx okta-lake inventory --lake ${lakeArg} --day ${r.day} --from ${quoteArg(shown(r.inventory.folder))}`);
  out(`  npx okta-lake detect --lake ${lakeArg} --hour ${r.day}T${attackHour}`);
  return lines;
}
