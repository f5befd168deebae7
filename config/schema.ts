/**
 * The one deployment configuration of okta-log-lake: what `okta-lake.config.json` (or the cdktf context key
 * `oktaLake`) may hold, with every rule a value must follow and every default.
 *
 * Each field carries one rule sentence; a bad value fails synth with
 * `config field "<path>": value <value> <rule>` (see `load.ts`). The Okta API token is deliberately not a
 * field: the okta provider reads it from `OKTA_API_TOKEN`, and a file that holds one is rejected.
 */
import { z } from 'zod';
import { DEFAULT_IDENTITY_RULES } from '../inventory/identity-kind.ts';
import { OKTA_LOG_STREAM_REGIONS } from './regions.ts';

/** Retention periods CloudWatch Logs accepts (`retention_in_days`); 0 (never expire) is not allowed here. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Athena refuses a per-query scan cutoff below 10 MB. */
export const MIN_SCAN_CUTOFF_BYTES = 10 * 1024 * 1024;

/** Slack after the last Firehose buffer of an hour closes before that hour's partition is read: S3 write, retries. */
export const FIREHOSE_LANDING_SLACK_SECONDS = 300;

const str = (rule: string) => z.string({ error: rule });
const intIn = (min: number, max: number, rule = `must be a whole number from ${min} to ${max}`) =>
  z.int({ error: rule }).min(min, { error: rule }).max(max, { error: rule });
const bool = (rule = 'must be true or false') => z.boolean({ error: rule });

/** The default event source name: `okta_log_lake` (see `EVENT_SOURCE_NAME_PATTERN` for why not `okta-log-lake`). */
export const DEFAULT_EVENT_SOURCE_NAME = 'okta_log_lake';

/**
 * The event source name both Okta and the okta Terraform provider accept. Okta's API takes
 * `^[\.\-_A-Za-z0-9]{1,75}$` (hyphen included), but okta/okta 4.20.0 (what @cdktf/provider-okta 14.1.1 wraps)
 * validates `settings.event_source_name` with the Go raw string `^[\\.\\-_A-Za-z0-9]{1,75}$`
 * (`okta/resource_okta_log_stream.go`, unchanged up to 6.12): there `\\-_` is a RANGE from `\` to `_`, so the
 * provider refuses a hyphen at plan time. The intersection of the two is letters, digits, `.` and `_`.
 */
export const EVENT_SOURCE_NAME_PATTERN = /^[A-Za-z0-9._]{1,75}$/;
export const EVENT_SOURCE_RULE =
  'must be 1-75 characters of [A-Za-z0-9._] with no "-" (Okta accepts a hyphen, but the okta Terraform provider refuses one at plan time; use okta_log_lake rather than okta-log-lake)';
const ORG_RULE = "must be the Okta org's subdomain (acme for acme.okta.com): 1-63 characters of [A-Za-z0-9-], not starting with -";
const BASE_URL_RULE = 'must be the domain of the Okta org without the org name or https:// (okta.com, oktapreview.com, okta-emea.com)';
const STREAM_NAME_RULE = 'must be 1-100 characters without control characters';
const PREFIX_RULE = 'must be 3-20 characters of a-z, 0-9 and -, start with a letter and not end with -';
const ACCOUNT_RULE = 'must be a 12-digit AWS account id';
const REGION_RULE = `must be an AWS region Okta Log Streaming delivers to: ${OKTA_LOG_STREAM_REGIONS.join(', ')}`;
const TAG_KEY_RULE = 'tag keys must be 1-128 characters of letters, digits, spaces and _ . : / = + - @, not starting with aws:';
const TAG_VALUE_RULE = 'tag values must be at most 256 characters of letters, digits, spaces and _ . : / = + - @';
const EMAIL_RULE = 'must be an e-mail address';
const DAY_RULE = 'must be a date of the form YYYY-MM-DD (e.g. 2026-01-01)';
const TIME_RULE = 'must be a UTC time of day of the form HH:MM (e.g. 00:30)';
const DETECTION_ID_RULE = 'detection ids are lower-case words joined by - (e.g. okta-password-spray)';
const THRESHOLD_NAME_RULE = 'threshold names are lower_snake_case (e.g. min_users)';
const THRESHOLD_VALUE_RULE = 'must be a finite number, or a string for list thresholds (e.g. "China,Iran")';
const EXCLUSION_KEY_RULE = 'must be a detection id (e.g. okta-password-spray) or "*" for every detection';
const EXCLUSION_VALUE_RULE = 'must be 1-200 characters without control characters';
const LOG_RETENTION_RULE = `must be one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`;
const BUCKET_RULE = 'must be an S3 bucket name: 3-63 characters of a-z, 0-9, . and -, starting and ending with a letter or digit';
const ANY_REGION_RULE = 'must be an AWS region name (e.g. eu-west-1)';
const TABLE_RULE = 'must be a DynamoDB table name: 3-255 characters of [A-Za-z0-9_.-]';
const IDENTITY_VALUE_RULE = 'must be 1-100 characters without control characters';

const isCalendarDay = (v: string) => {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};

const eventSourceName = str(EVENT_SOURCE_RULE).regex(EVENT_SOURCE_NAME_PATTERN, { error: EVENT_SOURCE_RULE });

const okta = z.strictObject(
  {
    /** Okta org name: the subdomain, `acme` for `acme.okta.com`. Part of the partner event source name. */
    orgName: str(ORG_RULE).regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/, { error: ORG_RULE }),
    /** Domain of the org. @default okta.com */
    baseUrl: str(BASE_URL_RULE)
      .regex(/^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, { error: BASE_URL_RULE })
      .default('okta.com'),
    /** Name of the log stream in the Okta Admin Console. @default okta-log-lake */
    logStreamName: str(STREAM_NAME_RULE)
      .min(1, { error: STREAM_NAME_RULE })
      .max(100, { error: STREAM_NAME_RULE })
      .regex(/^[^\p{Cc}]+$/u, { error: STREAM_NAME_RULE })
      .default('okta-log-lake'),
    /** Event source name in EventBridge; cannot change after the stream is created. @default okta_log_lake */
    eventSourceName: eventSourceName.default(DEFAULT_EVENT_SOURCE_NAME),
  },
  { error: 'must be an object with orgName (and optionally baseUrl, logStreamName, eventSourceName)' },
);

const aws = z.strictObject(
  {
    /** Region of the whole stack and of the Okta log stream target. */
    region: z.enum(OKTA_LOG_STREAM_REGIONS, { error: REGION_RULE }),
    /**
     * The AWS account to deploy to. When set, the provider refuses any other account (`allowed_account_ids`) and
     * the Okta log stream names it directly. @default the account of the credentials running terraform
     */
    accountId: str(ACCOUNT_RULE).regex(/^\d{12}$/, { error: ACCOUNT_RULE }).optional(),
  },
  { error: 'must be an object with region (and optionally accountId)' },
);

const tags = z
  .record(
    str(TAG_KEY_RULE).regex(/^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, { error: TAG_KEY_RULE }),
    str(TAG_VALUE_RULE).regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u, { error: TAG_VALUE_RULE }),
    { error: 'must be an object of tag names to tag values' },
  )
  .default({});

const firehose = z.strictObject({
  /** Seconds Firehose buffers before writing a Parquet file (Firehose allows 60-900). @default 300 */
  bufferingIntervalSeconds: intIn(60, 900).default(300),
  /** MB Firehose buffers before writing; Parquet conversion needs at least 64. @default 128 */
  bufferingSizeMb: intIn(64, 128, 'must be a whole number from 64 to 128 (Parquet conversion needs at least 64 MB)').default(128),
});

const retentionDays = z.strictObject({
  /** Days the Parquet events (`okta/events/`) are kept. Detections look back up to 48 hours. @default 365 */
  events: intIn(3, 36500, 'must be a whole number of days from 3 to 36500 (detections read up to 48 hours back)').default(365),
  /** Days the raw backup of every delivered record (`okta/raw/`) is kept. @default 90 */
  raw: intIn(1, 36500).default(90),
  /** Days Firehose's failed records (`okta/errors/`) are kept. @default 30 */
  errors: intIn(1, 36500).default(30),
  /** Days Athena query results (`athena-results/`) are kept. @default 7 */
  results: intIn(1, 36500).default(7),
  /** Days overwritten or deleted object versions are kept (re-runs replace partitions). @default 7 */
  noncurrentVersions: intIn(1, 36500).default(7),
  /** Days CloudWatch keeps the Lambda and Firehose logs. @default 30 */
  logs: z
    .int({ error: LOG_RETENTION_RULE })
    .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), { error: LOG_RETENTION_RULE })
    .default(30),
});

const notifications = z.strictObject({
  /** Addresses subscribed (e-mail) to the findings topic. Each must confirm the subscription. @default none */
  findingEmails: z.array(z.email({ error: EMAIL_RULE }), { error: 'must be a list of e-mail addresses' }).default([]),
  /** Addresses subscribed to the ops topic the watchdog alarms publish to. @default none */
  opsEmails: z.array(z.email({ error: EMAIL_RULE }), { error: 'must be a list of e-mail addresses' }).default([]),
});

const schedules = z.strictObject({
  /** Whether the hourly and daily schedules are enabled. @default true */
  enabled: bool().default(true),
  /** Minute past each hour (UTC) the hourly detections run for the hour before. @default 20 */
  hourlyMinute: intIn(0, 59).default(20),
  /** UTC time the daily activity snapshot runs for the day before. @default 00:30 */
  dailyAt: str(TIME_RULE).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: TIME_RULE }).default('00:30'),
});

const athena = z.strictObject({
  /** Athena cancels a query of this workgroup that scans more. @default 10 GiB */
  bytesScannedCutoffPerQuery: z
    .int({ error: `must be a whole number of bytes, at least ${MIN_SCAN_CUTOFF_BYTES} (10 MB, Athena's minimum)` })
    .min(MIN_SCAN_CUTOFF_BYTES, { error: `must be a whole number of bytes, at least ${MIN_SCAN_CUTOFF_BYTES} (10 MB, Athena's minimum)` })
    .default(10 * 1024 ** 3),
});

const lake = z.strictObject({
  /** First day of the `dt` partition projection of `okta_events`. @default 2026-01-01 */
  projectionStartDate: str(DAY_RULE)
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: DAY_RULE })
    .refine(isCalendarDay, { error: DAY_RULE })
    .default('2026-01-01'),
  /** Let `cdktf destroy` delete the bucket and workgroup with their contents. @default false */
  forceDestroy: bool().default(false),
});

const watchdog = z.strictObject({
  /** Minutes without a single Okta event before the "Okta is silent" alarm fires. @default 60 */
  silenceMinutes: intIn(5, 1440).default(60),
});

const detections = z.strictObject({
  /**
   * Per-detection threshold overrides: `{ "okta-password-spray": { "min_users": 10 } }`. Values are numbers, or strings
   * for list thresholds. Only the shape is checked here; the detection catalog checks names and ranges at run time.
   * @default none
   */
  thresholds: z
    .record(
      str(DETECTION_ID_RULE).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: DETECTION_ID_RULE }),
      z.record(
        str(THRESHOLD_NAME_RULE).regex(/^[a-z][a-z0-9_]*$/, { error: THRESHOLD_NAME_RULE }),
        z.union([z.number().refine(Number.isFinite), z.string().max(1000)], { error: THRESHOLD_VALUE_RULE }),
        { error: 'must be an object of threshold names to numbers' },
      ),
      { error: 'must be an object of detection ids to threshold objects' },
    )
    .default({}),
  /**
   * What a detection leaves out, by detection id or `*` for every detection: `ips` (addresses, or IPv4 ranges like
   * 203.0.113.0/24) and `users` (logins or Okta user ids, of people or service accounts). Events from those IPs or by
   * those users do not count, and findings about them are dropped. The values are checked (addresses, ranges, known
   * ids) when the catalog is loaded. @default none
   */
  exclusions: z
    .record(
      str(EXCLUSION_KEY_RULE).regex(/^(\*|[a-z0-9]+(-[a-z0-9]+)*)$/, { error: EXCLUSION_KEY_RULE }),
      z.strictObject({
        ips: z.array(str(EXCLUSION_VALUE_RULE).min(1, { error: EXCLUSION_VALUE_RULE }).max(200, { error: EXCLUSION_VALUE_RULE }), { error: 'must be a list of IP addresses or IPv4 CIDR ranges' }).optional(),
        users: z
          .array(
            str(EXCLUSION_VALUE_RULE).min(1, { error: EXCLUSION_VALUE_RULE }).max(200, { error: EXCLUSION_VALUE_RULE }).regex(/^[^\u0000-\u001f]+$/, { error: EXCLUSION_VALUE_RULE }),
            { error: 'must be a list of Okta logins or user ids' },
          )
          .optional(),
      }, { error: 'must be an object with "ips" and/or "users" lists' }),
      { error: 'must be an object of detection ids (or "*") to {"ips": [...], "users": [...]}' },
    )
    .default({}),
  /**
   * Whether the single-event detections with a near-real-time path (their `near_real_time` metadata) also notify
   * within a minute of the event, through EventBridge rules on the partner bus and a function. @default true
   */
  nearRealTime: z.boolean({ error: 'must be true or false' }).default(true),
  /** Detection ids that do not run. @default none */
  disabledDetections: z
    .array(str(DETECTION_ID_RULE).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: DETECTION_ID_RULE }), {
      error: 'must be a list of detection ids',
    })
    .default([]),
});

/** A list of identity rule values (user types, logins, login patterns): each 1-100 characters, no control characters. */
const identityValues = (rule: string, fallback: readonly string[]) =>
  z
    .array(
      // One check, one message: an empty value is not also reported as lacking a character.
      str(IDENTITY_VALUE_RULE).refine((v) => /^[^\p{Cc}]{1,100}$/u.test(v), { error: IDENTITY_VALUE_RULE }),
      { error: rule },
    )
    .default([...fallback]);

const identities = z.strictObject({
  /** `profile.userType` values (any case) that make a user a service account. @default service, service account, serviceaccount, non-human, nonhuman, system, bot */
  serviceUserTypes: identityValues('must be a list of Okta user types (profile.userType), e.g. ["Service"]', DEFAULT_IDENTITY_RULES.serviceUserTypes),
  /** Login patterns of service accounts, `*` matching any run of characters, any case. @default svc-*, svc_*, svc.*, service-*, service.*, *-svc@*, *-bot@*, noreply*, no-reply* */
  serviceLoginPatterns: identityValues('must be a list of login patterns where * matches anything, e.g. ["svc-*"]', DEFAULT_IDENTITY_RULES.serviceLoginPatterns),
  /** Logins that are service accounts whatever their type (any case). @default none */
  serviceLogins: identityValues('must be a list of logins, e.g. ["ci-bot@example.com"]', DEFAULT_IDENTITY_RULES.serviceLogins),
  /** `profile.userType` values (any case) of guests: external and partner accounts. @default guest, external, partner */
  guestUserTypes: identityValues('must be a list of Okta user types (profile.userType), e.g. ["Guest"]', DEFAULT_IDENTITY_RULES.guestUserTypes),
});

const inventory = z.strictObject({
  /** Whether the daily identity inventory (users, factors, devices, admin roles from the Okta API) is collected. @default true */
  enabled: bool().default(true),
  /** Whether DEPROVISIONED users are listed too (one more listing; Okta leaves them out by default). @default false */
  includeDeprovisioned: bool().default(false),
  /** How users are told apart as people, service accounts and guests (the `identity_kind` column). @default inventory/identity-kind.ts DEFAULT_IDENTITY_RULES */
  identities: identities.prefault({}),
  /**
   * Minutes before `schedules.dailyAt` the inventory runs, so the nightly checks read it. It collects just after
   * midnight UTC and files what it read under the day that just ended. At least 16: the function may run its whole
   * 15-minute timeout (a large org's factors), and must be done before the nightly run reads it. @default 20
   */
  minutesBeforeDaily: intIn(16, 120, 'must be a whole number from 16 to 120 (the inventory may run its whole 15-minute timeout before the nightly run reads it)').default(20),
});

const backend = z.strictObject({
  type: z.literal('s3', { error: 'must be "s3" (the only remote backend this project configures)' }),
  /** Bucket that holds the state; create it (versioned, encrypted) before the first deploy. */
  bucket: str(BUCKET_RULE).regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: BUCKET_RULE }),
  /** @default okta-log-lake/terraform.tfstate */
  key: str('must be a non-empty object key').min(1, { error: 'must be a non-empty object key' }).default('okta-log-lake/terraform.tfstate'),
  /** @default aws.region */
  region: str(ANY_REGION_RULE).regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: ANY_REGION_RULE }).optional(),
  /** S3-native state locking (Terraform >= 1.10, OpenTofu >= 1.10). @default true */
  useLockfile: bool().default(true),
  /** DynamoDB lock table, for older Terraform. @default none */
  dynamodbTable: str(TABLE_RULE).regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: TABLE_RULE }).optional(),
});

export const configSchema = z
  .strictObject({
    okta,
    aws,
    /** Prefix of every resource name. @default okta-lake */
    namePrefix: str(PREFIX_RULE).regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, { error: PREFIX_RULE }).default('okta-lake'),
    tags,
    firehose: firehose.prefault({}),
    retentionDays: retentionDays.prefault({}),
    notifications: notifications.prefault({}),
    schedules: schedules.prefault({}),
    athena: athena.prefault({}),
    lake: lake.prefault({}),
    watchdog: watchdog.prefault({}),
    detections: detections.prefault({}),
    inventory: inventory.prefault({}),
    /** Remote state in S3. @default local state (terraform.<stack>.tfstate beside cdktf.json) */
    backend: backend.optional(),
  })
  .superRefine((c, ctx) => {
    // Zod runs this even when fields failed; only compare values that passed their own rules.
    const valid = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
    // The inventory runs after midnight, for the day that just ended (the day the nightly run checks): before
    // midnight it would be filed under the day before that.
    const dailyAt = String(c.schedules.dailyAt);
    const before = c.inventory.minutesBeforeDaily;
    if (c.inventory.enabled && /^([01]\d|2[0-3]):[0-5]\d$/.test(dailyAt) && valid(before, 16, 120)) {
      const [dh, dm] = dailyAt.split(':').map(Number) as [number, number];
      if (dh * 60 + dm - before < 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['inventory', 'minutesBeforeDaily'],
          message: `must be at most ${dh * 60 + dm} so the inventory runs after midnight UTC, before schedules.dailyAt (${dailyAt}) on the same day: it collects the day that just ended; lower it, or set schedules.dailyAt later`,
        });
      }
    }
    if (!valid(c.firehose.bufferingIntervalSeconds, 60, 900)) return;
    // The hourly run reads the hour before; Firehose may still hold that hour's last records for one buffer
    // interval after it ends, so the run waits for the buffer plus landing slack.
    const lagMinutes = Math.ceil((c.firehose.bufferingIntervalSeconds + FIREHOSE_LANDING_SLACK_SECONDS) / 60);
    if (valid(c.schedules.hourlyMinute, 0, 59) && c.schedules.hourlyMinute < lagMinutes) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedules', 'hourlyMinute'],
        message: `must be at least ${lagMinutes} so the previous hour's last Firehose buffer (firehose.bufferingIntervalSeconds = ${c.firehose.bufferingIntervalSeconds}) has landed; use ${lagMinutes} or later, or shorten the buffer`,
      });
    }
    const [h, m] = String(c.schedules.dailyAt).split(':').map(Number) as [number, number];
    if (/^([01]\d|2[0-3]):[0-5]\d$/.test(String(c.schedules.dailyAt)) && h * 60 + m < lagMinutes) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedules', 'dailyAt'],
        message: `must be at least ${lagMinutes} minutes after midnight UTC so the day's last Firehose buffer has landed; use 00:${String(lagMinutes).padStart(2, '0')} or later`,
      });
    }
  });

/** The validated configuration, every default applied. */
export type OktaLakeConfig = z.output<typeof configSchema>;
/** What a config file may hold (defaults optional). */
export type OktaLakeConfigInput = z.input<typeof configSchema>;

/**
 * The documented example values synth uses when there is no config file and no context: enough to show a
 * newcomer the whole plan. They deploy nowhere useful (the org `example` is not yours).
 */
export const EXAMPLE_CONFIG: OktaLakeConfigInput = {
  okta: { orgName: 'example', baseUrl: 'okta.com', logStreamName: 'okta-log-lake', eventSourceName: DEFAULT_EVENT_SOURCE_NAME },
  aws: { region: 'us-east-1' },
  namePrefix: 'okta-lake',
  tags: { project: 'okta-log-lake' },
  notifications: { findingEmails: ['security@example.com'], opsEmails: ['ops@example.com'] },
};
