import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../modules/lambda/bundle.ts';
import { ConfigError, ENV_OVERRIDES, resolveConfig, type ConfigSources } from '../../config/load.ts';
import { OKTA_LOG_STREAM_REGIONS } from '../../config/regions.ts';
import { DEFAULT_EVENT_SOURCE_NAME, EVENT_SOURCE_NAME_PATTERN, EVENT_SOURCE_RULE, EXAMPLE_CONFIG, type OktaLakeConfigInput } from '../../config/schema.ts';
import { DEFAULT_IDENTITY_RULES } from '../../inventory/identity-kind.ts';
import { synthStack, TEST_CONFIG } from './helpers.ts';

const MINIMAL = { okta: { orgName: 'acme' }, aws: { region: 'eu-west-1' } };

const file = (content: unknown, path = 'okta-lake.config.json') => ({
  path,
  text: typeof content === 'string' ? content : JSON.stringify(content),
});

/** The problems a config produces, or [] when it is valid. */
function problems(sources: ConfigSources): string[] {
  try {
    resolveConfig(sources);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

describe('config: values that synth accepts', () => {
  it('fills every default around the two required fields', () => {
    const { config } = resolveConfig({ file: file(MINIMAL), env: {} });

    expect(config.okta).toEqual({ orgName: 'acme', baseUrl: 'okta.com', logStreamName: 'okta-log-lake', eventSourceName: 'okta_log_lake' });
    expect(config.namePrefix).toBe('okta-lake');
    expect(config.firehose).toEqual({ bufferingIntervalSeconds: 300, bufferingSizeMb: 128 });
    expect(config.schedules).toEqual({ enabled: true, hourlyMinute: 20, dailyAt: '00:30' });
    expect(config.athena.bytesScannedCutoffPerQuery).toBe(10 * 1024 ** 3);
    expect(config.retentionDays).toEqual({ events: 365, raw: 90, errors: 30, results: 7, noncurrentVersions: 7, logs: 30 });
    expect(config.detections).toEqual({ thresholds: {}, exclusions: {}, nearRealTime: true, disabledDetections: [] });
    expect(config.backend).toBeUndefined();
  });

  it('synthesizes with the documented example values, and says so, when there is no file and no context', () => {
    const { config, notes } = resolveConfig({ env: {} });

    expect(config.okta.orgName).toBe(EXAMPLE_CONFIG.okta.orgName);
    expect(config.aws.region).toBe('us-east-1');
    expect(notes.some((n) => n.includes('documented example values'))).toBe(true);
  });

  it('does not use the example values once a file is there', () => {
    const { notes } = resolveConfig({ file: file(MINIMAL), env: { OKTA_API_TOKEN: 'x' } });

    expect(notes).toEqual([]);
  });

  it('reads the cdktf context, which overrides the file field by field', () => {
    const { config } = resolveConfig({
      file: file({ ...MINIMAL, firehose: { bufferingIntervalSeconds: 120 } }),
      context: { okta: { eventSourceName: 'from_context' }, firehose: { bufferingSizeMb: 64 } },
      env: {},
    });

    expect(config.okta).toMatchObject({ orgName: 'acme', eventSourceName: 'from_context' });
    expect(config.firehose).toEqual({ bufferingIntervalSeconds: 120, bufferingSizeMb: 64 });
  });

  it('accepts the context alone, without a file', () => {
    const { config } = resolveConfig({ context: MINIMAL, env: {} });

    expect(config.okta.orgName).toBe('acme');
  });

  it('lets OKTA_LAKE_* environment variables override the file', () => {
    const { config } = resolveConfig({
      file: file(MINIMAL),
      env: {
        OKTA_LAKE_REGION: 'us-west-2',
        OKTA_LAKE_EVENT_SOURCE_NAME: 'from_env',
        OKTA_LAKE_BUFFERING_INTERVAL_SECONDS: '600',
        OKTA_LAKE_HOURLY_MINUTE: '25',
        OKTA_LAKE_FINDING_EMAILS: 'a@example.com, b@example.com',
        OKTA_LAKE_SCHEDULES_ENABLED: 'false',
        OKTA_LAKE_THRESHOLDS: '{"okta-password-spray":{"min_users":12}}',
        OKTA_LAKE_DISABLED_DETECTIONS: 'okta-session-roaming',
        OKTA_LAKE_STATE_BUCKET: 'acme-terraform-state',
      },
    });

    expect(config.aws.region).toBe('us-west-2');
    expect(config.okta.eventSourceName).toBe('from_env');
    expect(config.firehose.bufferingIntervalSeconds).toBe(600);
    expect(config.schedules).toMatchObject({ hourlyMinute: 25, enabled: false });
    expect(config.notifications.findingEmails).toEqual(['a@example.com', 'b@example.com']);
    expect(config.detections).toEqual({ thresholds: { 'okta-password-spray': { min_users: 12 } }, exclusions: {}, nearRealTime: true, disabledDetections: ['okta-session-roaming'] });
    expect(config.backend).toEqual({ type: 's3', bucket: 'acme-terraform-state', key: 'okta-log-lake/terraform.tfstate', useLockfile: true });
  });

  it('takes detection thresholds as numbers, or strings for list thresholds', () => {
    const { config } = resolveConfig({
      file: file({ ...MINIMAL, detections: { thresholds: { 'okta-sign-in-from-denied-country': { countries: 'China,Iran' }, 'okta-brute-force-user': { min_failures: 30 } } } }),
      env: {},
    });

    expect(config.detections.thresholds['okta-sign-in-from-denied-country']).toEqual({ countries: 'China,Iran' });
  });

  it('accepts every region Okta Log Streaming delivers to, and only those', () => {
    for (const region of OKTA_LOG_STREAM_REGIONS) {
      expect(problems({ file: file({ ...MINIMAL, aws: { region } }), env: {} })).toEqual([]);
    }
    expect(OKTA_LOG_STREAM_REGIONS).not.toContain('me-south-1');
  });
});

describe('config: a bad value names the field, the value and the rule', () => {
  it('rejects an event source name outside [A-Za-z0-9._]', () => {
    const out = problems({ file: file({ ...MINIMAL, okta: { orgName: 'acme', eventSourceName: 'bad name!' } }), env: {} });

    expect(out).toEqual([`config field "okta.eventSourceName": value "bad name!" ${EVENT_SOURCE_RULE}`]);
  });

  it('rejects a hyphen in the event source name, saying the okta provider (not Okta) refuses it', () => {
    const out = problems({ file: file({ ...MINIMAL, okta: { orgName: 'acme', eventSourceName: 'okta-log-lake' } }), env: {} });

    expect(out).toHaveLength(1);
    expect(out[0]).toContain('config field "okta.eventSourceName": value "okta-log-lake" must be 1-75 characters of [A-Za-z0-9._] with no "-"');
    expect(out[0]).toContain('the okta Terraform provider refuses one at plan time');
  });

  it("accepts only names the okta provider's own validator accepts, the default among them", () => {
    // okta/okta 4.20.0, okta/resource_okta_log_stream.go, the Go raw string verbatim. JavaScript reads the class as
    // Go's RE2 does: a backslash, a dot, and the RANGE from backslash to underscore (which leaves out the hyphen).
    const providerValidator = new RegExp(String.raw`^[\\.\\-_A-Za-z0-9]{1,75}$`);
    const candidates = ['okta_log_lake', 'okta-log-lake', 'a.b_c', 'Z9', 'x'.repeat(75), 'a^b', 'a]b'];

    expect(providerValidator.test(DEFAULT_EVENT_SOURCE_NAME)).toBe(true);
    expect(providerValidator.test('okta-log-lake')).toBe(false);
    for (const name of candidates) {
      if (EVENT_SOURCE_NAME_PATTERN.test(name)) expect(providerValidator.test(name), name).toBe(true);
    }
  });

  it('rejects an event source name longer than 75 characters', () => {
    const long = 'a'.repeat(76);
    const out = problems({ file: file({ ...MINIMAL, okta: { orgName: 'acme', eventSourceName: long } }), env: {} });

    expect(out).toEqual([`config field "okta.eventSourceName": value "${long}" ${EVENT_SOURCE_RULE}`]);
  });

  it('rejects a region Okta cannot stream to, listing the ones it can', () => {
    const [message] = problems({ file: file({ ...MINIMAL, aws: { region: 'me-south-1' } }), env: {} });

    expect(message).toMatch(/^config field "aws\.region": value "me-south-1" must be an AWS region Okta Log Streaming delivers to: /);
    expect(message).toContain('eu-central-1');
  });

  it('reports a missing required field as missing', () => {
    const out = problems({ file: file({ aws: { region: 'eu-west-1' } }), env: {} });

    expect(out).toEqual(['config field "okta": missing; it must be an object with orgName (and optionally baseUrl, logStreamName, eventSourceName)']);
  });

  it.each([
    ['aws.accountId', { ...MINIMAL, aws: { region: 'eu-west-1', accountId: '1234' } }, 'value "1234" must be a 12-digit AWS account id'],
    ['namePrefix', { ...MINIMAL, namePrefix: 'Okta_Lake' }, 'value "Okta_Lake" must be 3-20 characters of a-z, 0-9 and -, start with a letter and not end with -'],
    ['firehose.bufferingIntervalSeconds', { ...MINIMAL, firehose: { bufferingIntervalSeconds: 901 } }, 'value 901 must be a whole number from 60 to 900'],
    ['firehose.bufferingSizeMb', { ...MINIMAL, firehose: { bufferingSizeMb: 32 } }, 'value 32 must be a whole number from 64 to 128 (Parquet conversion needs at least 64 MB)'],
    ['retentionDays.logs', { ...MINIMAL, retentionDays: { logs: 10 } }, 'value 10 must be one of the retention periods CloudWatch Logs accepts'],
    ['notifications.findingEmails.0', { ...MINIMAL, notifications: { findingEmails: ['not-an-address'] } }, 'value "not-an-address" must be an e-mail address'],
    ['schedules.dailyAt', { ...MINIMAL, schedules: { dailyAt: '24:00' } }, 'value "24:00" must be a UTC time of day of the form HH:MM (e.g. 00:30)'],
    ['athena.bytesScannedCutoffPerQuery', { ...MINIMAL, athena: { bytesScannedCutoffPerQuery: 1000 } }, 'value 1000 must be a whole number of bytes, at least 10485760'],
    ['lake.projectionStartDate', { ...MINIMAL, lake: { projectionStartDate: '2026-02-30' } }, 'value "2026-02-30" must be a date of the form YYYY-MM-DD'],
    ['okta.baseUrl', { ...MINIMAL, okta: { orgName: 'acme', baseUrl: 'https://acme.okta.com' } }, 'value "https://acme.okta.com" must be the domain of the Okta org'],
    ['detections.thresholds.okta-x.min_users', { ...MINIMAL, detections: { thresholds: { 'okta-x': { min_users: true } } } }, 'value true must be a finite number, or a string'],
  ])('rejects a bad %s', (field, input, rule) => {
    const out = problems({ file: file(input), env: {} });

    expect(out).toHaveLength(1);
    expect(out[0]).toContain(`config field "${field}": ${rule}`);
  });

  it('rejects a detection id or threshold name of the wrong shape, naming the key', () => {
    const out = problems({ file: file({ ...MINIMAL, detections: { thresholds: { Okta_Spray: { x: 1 } } } }), env: {} });

    expect(out).toEqual([
      'config field "detections.thresholds.Okta_Spray": key "Okta_Spray" is not allowed: detection ids are lower-case words joined by - (e.g. okta-password-spray)',
    ]);
  });

  it('rejects an unknown field and says which fields the object takes', () => {
    const out = problems({ file: file({ ...MINIMAL, okta: { orgName: 'acme', eventSource: 'typo' } }), env: {} });

    expect(out).toEqual(['config field "okta.eventSource": unknown field; "okta" takes orgName, baseUrl, logStreamName, eventSourceName']);
  });

  it('rejects an hourly run that would start before the last Firehose buffer of the hour can have landed', () => {
    const out = problems({ file: file({ ...MINIMAL, firehose: { bufferingIntervalSeconds: 900 }, schedules: { hourlyMinute: 15 } }), env: {} });

    expect(out).toEqual([
      'config field "schedules.hourlyMinute": value 15 must be at least 20 so the previous hour\'s last Firehose buffer (firehose.bufferingIntervalSeconds = 900) has landed; use 20 or later, or shorten the buffer',
    ]);
  });

  it('reports every problem at once', () => {
    const out = problems({ file: file({ okta: { orgName: '-x', eventSourceName: '' }, aws: { region: 'mars' } }), env: {} });

    expect(out.map((p) => p.split(':')[0])).toEqual(['config field "okta.orgName"', 'config field "okta.eventSourceName"', 'config field "aws.region"']);
  });

  it('names the environment variable a bad value came from', () => {
    const out = problems({ file: file(MINIMAL), env: { OKTA_LAKE_BUFFERING_INTERVAL_SECONDS: 'five minutes' } });

    expect(out).toEqual([
      'config field "firehose.bufferingIntervalSeconds" (from OKTA_LAKE_BUFFERING_INTERVAL_SECONDS): value "five minutes" must be a whole number from 60 to 900',
    ]);
  });

  it('rejects thresholds from the environment that are not JSON', () => {
    expect(() => resolveConfig({ file: file(MINIMAL), env: { OKTA_LAKE_THRESHOLDS: '{min_users: 3}' } })).toThrow(
      /config field "detections.thresholds" \(from OKTA_LAKE_THRESHOLDS\): value "\{min_users: 3\}" is not valid JSON/,
    );
  });

  it('rejects a config file that is not JSON, naming the file', () => {
    expect(() => resolveConfig({ file: file('{ "okta": ', '/repo/okta-lake.config.json'), env: {} })).toThrow(/\/repo\/okta-lake.config.json is not valid JSON/);
  });
});

describe('config: the identity inventory', () => {
  it('is on by default, runs 15 minutes before the daily run, without deprovisioned users, with the default identity rules', () => {
    const { config } = resolveConfig({ file: file(MINIMAL), env: {} });

    expect(config.inventory).toEqual({ enabled: true, includeDeprovisioned: false, identities: DEFAULT_IDENTITY_RULES, minutesBeforeDaily: 20 });
  });

  it('takes identity rules of its own, each list defaulting on its own', () => {
    const { config } = resolveConfig({ file: file({ ...MINIMAL, inventory: { identities: { serviceLogins: ['ci@acme.test'], guestUserTypes: [] } } }), env: {} });

    expect(config.inventory.identities).toEqual({ ...DEFAULT_IDENTITY_RULES, serviceLogins: ['ci@acme.test'], guestUserTypes: [] });
  });

  it('refuses an inventory that would run before midnight, naming the field and the daily time', () => {
    const out = problems({ file: file({ ...MINIMAL, schedules: { dailyAt: '00:20' }, inventory: { minutesBeforeDaily: 30 } }), env: {} });

    expect(out).toEqual([
      'config field "inventory.minutesBeforeDaily": value 30 must be at most 20 so the inventory runs after midnight UTC, before schedules.dailyAt (00:20) on the same day: it collects the day that just ended; lower it, or set schedules.dailyAt later',
    ]);
    expect(problems({ file: file({ ...MINIMAL, schedules: { dailyAt: '00:20' }, inventory: { minutesBeforeDaily: 20 } }), env: {} })).toEqual([]);
    expect(problems({ file: file({ ...MINIMAL, schedules: { dailyAt: '00:20' }, inventory: { enabled: false, minutesBeforeDaily: 30 } }), env: {} })).toEqual([]);
  });

  it.each([
    [{ minutesBeforeDaily: 15 }, 'config field "inventory.minutesBeforeDaily": value 15 must be a whole number from 16 to 120 (the inventory may run its whole 15-minute timeout before the nightly run reads it)'],
    [{ minutesBeforeDaily: 121 }, 'config field "inventory.minutesBeforeDaily": value 121 must be a whole number from 16 to 120 (the inventory may run its whole 15-minute timeout before the nightly run reads it)'],
    [{ enabled: 'yes' }, 'config field "inventory.enabled": value "yes" must be true or false'],
    [{ identities: { serviceLoginPatterns: ['svc-*', ''] } }, 'config field "inventory.identities.serviceLoginPatterns.1": value "" must be 1-100 characters without control characters'],
    [{ identities: { serviceLogins: ['a'.repeat(101)] } }, `config field "inventory.identities.serviceLogins.0": value "${'a'.repeat(101)}" must be 1-100 characters without control characters`],
    [{ identities: { serviceUserTypes: ['Service\n'] } }, 'config field "inventory.identities.serviceUserTypes.0": value "Service\\n" must be 1-100 characters without control characters'],
    [{ identities: { guestUserTypes: 'Guest' } }, 'config field "inventory.identities.guestUserTypes": value "Guest" must be a list of Okta user types (profile.userType), e.g. ["Guest"]'],
    [{ identities: { serviceLogin: [] } }, 'config field "inventory.identities.serviceLogin": unknown field; "inventory.identities" takes serviceUserTypes, serviceLoginPatterns, serviceLogins, guestUserTypes'],
  ])('refuses inventory %j, naming the field', (inventory, message) => {
    expect(problems({ file: file({ ...MINIMAL, inventory }), env: {} })).toEqual([message]);
  });
});

describe('config: the Okta API token never comes from a file', () => {
  it('rejects a config file holding an API token, and says where the token goes', () => {
    const out = problems({ file: file({ ...MINIMAL, okta: { orgName: 'acme', apiToken: '00abcdefghijklmnopqrstuvwxyz0123456789ABCD' } }), env: {} });

    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^config field "okta\.apiToken": okta-lake\.config\.json must not hold the Okta API token/);
    expect(out[0]).toContain('export OKTA_API_TOKEN');
    expect(out[0]).not.toContain('00abcdef');
  });

  it.each(['api_token', 'token', 'privateKey', 'clientSecret'])('rejects a credential field named %s anywhere in the file', (key) => {
    const out = problems({ file: file({ ...MINIMAL, backend: { type: 's3', bucket: 'state-bucket', [key]: 'x' } }), env: {} });

    expect(out[0]).toContain(`config field "backend.${key}"`);
  });

  it('rejects a token in the cdktf context too', () => {
    const out = problems({ context: { ...MINIMAL, okta: { orgName: 'acme', apiToken: 'x' } }, env: {} });

    expect(out[0]).toMatch(/^config field "okta\.apiToken": cdktf context "oktaLake" must not hold/);
  });

  it('offers no environment override that would carry a token into the plan', () => {
    expect(Object.values(ENV_OVERRIDES).some((o) => /token/i.test(o.path))).toBe(false);
  });

  it('notes when OKTA_API_TOKEN is missing, without failing synth', () => {
    const { notes } = resolveConfig({ file: file(MINIMAL), env: {} });

    expect(notes).toEqual(['note: OKTA_API_TOKEN is not set. Synth does not need it; plan and deploy do (the okta provider reads it).']);
  });
});

describe('config: the deployment guide', () => {
  // README.md, "Deploy to AWS > Configure", holds the example after this marker.
  const MARKER = '<!-- okta-lake.config.example -->';
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const guide = readme.includes(MARKER) ? readme : undefined;

  it('shows an example config that synth accepts', () => {
    expect(guide, `no document holds ${MARKER}`).toBeDefined();
    const block = /```json\n([\s\S]*?)\n```/.exec(guide!.slice(guide!.indexOf(MARKER)))![1]!;

    const { config } = resolveConfig({ file: file(block), env: {} });
    expect(config.okta.orgName).toBe('acme');
  });

  it('documents every environment override', () => {
    for (const name of Object.keys(ENV_OVERRIDES)) expect(guide).toContain(name);
  });
});

describe('config: detections are checked against the catalog the functions ship with, at synth', () => {
  const synthProblem = (detections: Record<string, unknown>): string => {
    try {
      synthStack({ ...TEST_CONFIG, detections } as OktaLakeConfigInput);
    } catch (e) {
      if (e instanceof ConfigError) return e.problems.join('\n');
      throw e;
    }
    return '';
  };

  it('refuses an unknown detection id in thresholds', () => {
    expect(synthProblem({ thresholds: { 'okta-brute-force-usr': { min_failures: 30 } } })).toMatch(
      /^config field "detections.thresholds": thresholds: no detection "okta-brute-force-usr" \(known: /,
    );
  });

  it('refuses a threshold the detection does not have, listing the ones it has', () => {
    expect(synthProblem({ thresholds: { 'okta-brute-force-user': { min_failure: 30 } } })).toBe(
      'config field "detections.thresholds": thresholds.okta-brute-force-user: no threshold "min_failure" (known: min_failures)',
    );
  });

  it('refuses a non-numeric value for a numeric threshold', () => {
    expect(synthProblem({ thresholds: { 'okta-brute-force-user': { min_failures: 'thirty' } } })).toBe(
      'config field "detections.thresholds": thresholds.okta-brute-force-user.min_failures: value "thirty" is not a number (the default is 20)',
    );
  });

  it('refuses exclusions for an unknown detection, or an address that is not one, naming the entry', () => {
    expect(synthProblem({ exclusions: { 'okta-password-spary': { ips: ['203.0.113.7'] } } })).toMatch(
      /^config field "detections.exclusions": exclusions: no detection "okta-password-spary" \(use "\*" for every detection; known: /,
    );
    expect(synthProblem({ exclusions: { '*': { ips: ['203.0.113.0/24', '203.0.113.300'] } } })).toBe(
      'config field "detections.exclusions": exclusions.*.ips[1]: "203.0.113.300" is not an IP address or an IPv4 CIDR range (e.g. 203.0.113.7 or 203.0.113.0/24)',
    );
  });

  it('refuses an unknown id among the switched-off detections', () => {
    expect(synthProblem({ disabledDetections: ['okta-session-roamin'] })).toMatch(
      /^config field "detections.disabledDetections": disabled detections: no detection "okta-session-roamin" \(known: /,
    );
  });
});
