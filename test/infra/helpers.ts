/**
 * Shared by the infra tests: synthesize the stack once per test file from a config object, with the fixture
 * handler standing in for the real ones (fast to bundle), and read the plan back as JSON.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Testing } from 'cdktf';
import { resolveConfig } from '../../config/load.ts';
import type { OktaLakeConfig, OktaLakeConfigInput } from '../../config/schema.ts';
import type { Attrs, Plan } from '../../modules/policy/plan.ts';
import { OktaLogLakeStack } from '../../modules/stack.ts';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const FIXTURE_ENTRY = resolve(HERE, 'fixtures/handler.ts');

/** A config unlike the example, so assertions show values come from the config. */
export const TEST_CONFIG = {
  okta: { orgName: 'acme', baseUrl: 'oktapreview.com', logStreamName: 'Acme lake', eventSourceName: 'acme_okta_lake' },
  aws: { region: 'eu-west-1' },
  namePrefix: 'acme-lake',
  tags: { team: 'identity-security' },
  firehose: { bufferingIntervalSeconds: 600, bufferingSizeMb: 96 },
  retentionDays: { events: 400, raw: 60, errors: 21, results: 3, noncurrentVersions: 5, logs: 90 },
  notifications: { findingEmails: ['soc@acme.test', 'iam@acme.test'], opsEmails: ['oncall@acme.test'] },
  schedules: { hourlyMinute: 25, dailyAt: '00:45' },
  athena: { bytesScannedCutoffPerQuery: 5 * 1024 ** 3 },
  lake: { projectionStartDate: '2025-06-01' },
  watchdog: { silenceMinutes: 90 },
  detections: { thresholds: { 'okta-password-spray': { min_users: 12 }, 'okta-sign-in-from-denied-country': { denied_countries: 'Atlantis' } }, exclusions: { 'okta-password-spray': { ips: ['203.0.113.0/24'], users: ['scanner@example.com'] } }, disabledDetections: ['okta-session-roaming'] },
} satisfies OktaLakeConfigInput;

/** Two investigation files, written to a temporary folder (the repository's own may not exist yet). */
export const INVESTIGATION_FIXTURES: Readonly<Record<string, string>> = {
  'user-timeline.sql': [
    "-- Everything one user did in a time range, oldest first.",
    '-- Prerequisites: the user id (Okta 00u...) and the dt range to scan.',
    '',
    'select published, eventtype, displaymessage, client.ipaddress as ip',
    'from okta_events',
    "where actor.id = :user_id and dt between :from_dt and :to_dt -- :not_a_parameter",
    "  and displaymessage <> ':literal' and cast(published as varchar) is not null",
    'order by published',
  ].join('\n'),
  'latest-findings.sql': ['-- The newest findings, most severe first.', '', 'select * from findings order by detected_at desc limit 100'].join('\n'),
};

export function writeInvestigations(files: Readonly<Record<string, string>> = INVESTIGATION_FIXTURES): string {
  const dir = mkdtempSync(join(tmpdir(), 'okta-lake-investigations-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export interface Synthesized {
  readonly plan: Plan;
  readonly json: string;
  readonly stack: OktaLogLakeStack;
  readonly config: OktaLakeConfig;
}

/** Synthesizes the whole stack from a config (as a config file would hold it). */
export function synthStack(input: OktaLakeConfigInput = TEST_CONFIG, opts: { investigationsDir?: string; env?: Record<string, string> } = {}): Synthesized {
  const { config } = resolveConfig({ file: { path: 'okta-lake.config.json', text: JSON.stringify(input) }, env: opts.env ?? {} });
  const bundleDir = mkdtempSync(join(tmpdir(), 'okta-lake-bundles-'));
  mkdirSync(bundleDir, { recursive: true });
  const app = Testing.app();
  const stack = new OktaLogLakeStack(app, 'okta-log-lake', {
    config,
    handlerEntries: { hourlyDetections: FIXTURE_ENTRY, dailySnapshot: FIXTURE_ENTRY, refreshUser: FIXTURE_ENTRY, recoverGap: FIXTURE_ENTRY, inventory: FIXTURE_ENTRY, nearRealTime: FIXTURE_ENTRY },
    bundleDir,
    investigationsDir: opts.investigationsDir ?? writeInvestigations(),
  });
  const json = Testing.synth(stack);
  return { plan: JSON.parse(json) as Plan, json, stack, config };
}

export interface Found {
  readonly name: string;
  readonly address: string;
  readonly attrs: Attrs;
}

export function all(plan: Plan, type: string): Found[] {
  return Object.entries(plan.resource?.[type] ?? {}).map(([name, attrs]) => ({ name, address: `${type}.${name}`, attrs }));
}

/** The one resource of `type` matching `where`; fails when there is none or more than one. */
export function one(plan: Plan, type: string, where: (a: Attrs) => boolean = () => true): Found {
  const found = all(plan, type).filter((r) => where(r.attrs));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

/** `${type.name.attr}`, how the plan refers to another resource's attribute. */
export const ref = (r: Found, attr: string): string => `\${${r.address}.${attr}}`;

export const parsed = <T = { Statement: Record<string, unknown>[] }>(text: unknown): T => JSON.parse(String(text)) as T;

export const nameIs = (name: string) => (a: Attrs) => a.name === name;
