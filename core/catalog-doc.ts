/** The catalog as Markdown (docs/detections.md), generated so the docs cannot fall behind the folders. */
import { PEERS, type Detection, type Peer } from './catalog.ts';
import type { DetectionExclusions } from './exclusions.ts';

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ').trim();

const PEER_NAMES: Record<Peer, string> = {
  panther: 'Panther',
  elastic: 'Elastic',
  sigma: 'Sigma',
  splunk: 'Splunk',
  okta: 'Okta catalog',
  datadog: 'Datadog',
};

export interface CatalogDocOptions {
  /**
   * The exclusions a configuration sets (core/exclusions.ts), shown in a column of their own. @default none: the doc
   * of the catalog alone, as committed
   */
  readonly exclusions?: ReadonlyMap<string, DetectionExclusions>;
}

const exclusionText = (ex: DetectionExclusions | undefined): string => {
  if (!ex) return '-';
  const ranges = ex.ipv4Ranges.map(([from, to]) => `${ipv4(from)}-${ipv4(to)}`);
  return [...ex.ips, ...ranges, ...ex.users].map((v) => `\`${v}\``).join(', ');
};

const ipv4 = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

function peerText(d: Detection): string {
  const parts = PEERS.flatMap((p) => (d.peer_rules[p]?.length ? [`${PEER_NAMES[p]}: ${d.peer_rules[p]!.join('; ')}`] : []));
  return parts.length ? cell(parts.join('. ')) : '-';
}

export function catalogMarkdown(catalog: readonly Detection[], options: CatalogDocOptions = {}): string {
  const withExclusions = options.exclusions !== undefined;
  const nearRealTime = catalog.filter((d) => d.near_real_time).length;
  const covered = (p: Peer) => new Set(catalog.flatMap((d) => (d.peer_rules[p] ?? []).filter((r) => !r.endsWith('(partial)')))).size;
  const lines = [
    '# Detection catalog',
    '',
    '<!-- Generated from detections/*/detection.yaml by `npm run docs`; a test fails when it is stale. -->',
    '',
    `${catalog.length} detections: ${catalog.filter((d) => d.cadence === 'hourly').length} hourly over the System Log, ` +
      `${catalog.filter((d) => d.cadence === 'daily').length} daily over each user's activity, ` +
      `${catalog.filter((d) => d.cadence === 'posture').length} posture checks over the identity inventory. ` +
      `${nearRealTime} of them are also near-real-time (column NRT): a rule on the partner bus tells their finding within a minute of the event, ` +
      'and the hourly run records it without a second message.',
    '',
    'Thresholds are set in `okta-lake.config.json` under `detections.thresholds`; IPs, IPv4 ranges and users a detection leaves out under ' +
      '`detections.exclusions` (by detection id, or `*` for all: their events do not count and findings about them are dropped); ' +
      '`okta-lake detections doc --config okta-lake.config.json` shows the configured exclusions in a column of their own.',
    '',
    `Peer rules covered in full (column "peer rules"; "(partial)" marks a rule we cover in part): ${PEERS.map((p) => `${PEER_NAMES[p]} ${covered(p)}`).join(', ')}.`,
    '',
    `| id | cadence | severity | NRT | MITRE ATT&CK | what it finds | thresholds (default) | peer rules |${withExclusions ? ' excluded |' : ''}`,
    `|---|---|---|---|---|---|---|---|${withExclusions ? '---|' : ''}`,
  ];
  for (const d of catalog) {
    const thresholds = Object.entries(d.thresholds)
      .map(([n, t]) => `\`${n}\` = ${JSON.stringify(t.default)}`)
      .join(', ');
    const tuning = d.tuning ? ` Tuning: ${cell(d.tuning)}` : '';
    lines.push(
      `| \`${d.id}\` | ${d.cadence} | ${d.severity} | ${d.near_real_time ? 'yes' : '-'} | ${d.mitre.join(', ')} | ${cell(d.title)}: ${cell(d.description)} | ` +
        `${thresholds || '-'}${tuning} | ${peerText(d)} |${withExclusions ? ` ${exclusionText(options.exclusions!.get(d.id))} |` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
