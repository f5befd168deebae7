/** The catalog as a Markdown table (docs/detections.md), generated so the docs cannot fall behind the folders. */
import type { Detection } from './catalog.ts';

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ').trim();

export function catalogMarkdown(catalog: readonly Detection[]): string {
  const lines = [
    '# Detection catalog',
    '',
    '<!-- Generated from detections/*/detection.yaml by `npm run docs`; a test fails when it is stale. -->',
    '',
    `${catalog.length} detections. Thresholds are set in \`okta-lake.config.json\` under \`detections.thresholds\`.`,
    '',
    '| id | cadence | severity | MITRE ATT&CK | what it finds | thresholds (default) |',
    '|---|---|---|---|---|---|',
  ];
  for (const d of catalog) {
    const thresholds = Object.entries(d.thresholds)
      .map(([n, t]) => `\`${n}\` = ${JSON.stringify(t.default)}`)
      .join(', ');
    lines.push(`| \`${d.id}\` | ${d.cadence} | ${d.severity} | ${d.mitre.join(', ')} | ${cell(d.title)}: ${cell(d.description)} | ${thresholds || '-'} |`);
  }
  return `${lines.join('\n')}\n`;
}
