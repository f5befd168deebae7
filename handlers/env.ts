/**
 * The environment contract between the infrastructure (modules/) and the Lambda handlers: the names of
 * the variables each function reads, in one place so both sides agree.
 */
export const HANDLER_ENV = {
  /** Athena workgroup (engine v3, enforced configuration, encrypted results). */
  workgroup: 'OKTA_LAKE_ATHENA_WORKGROUP',
  /** Glue database holding okta_events, activity and findings. */
  database: 'OKTA_LAKE_GLUE_DATABASE',
  /** Lake bucket name; partitions are cleared under it before a rewrite. */
  bucket: 'OKTA_LAKE_BUCKET',
  /** SNS topic for findings (e-mail subscriptions). */
  findingsTopicArn: 'OKTA_LAKE_FINDINGS_TOPIC_ARN',
  /** Event bus that receives `Okta Detection Finding` events (the account's default bus). */
  findingsEventBus: 'OKTA_LAKE_FINDINGS_EVENT_BUS',
  /** JSON object of detection threshold overrides: `{"okta-password-spray": {"min_users": 10}}`. */
  thresholds: 'OKTA_LAKE_THRESHOLDS',
  /** JSON array of detection ids that are switched off. */
  disabledDetections: 'OKTA_LAKE_DISABLED_DETECTIONS',
  /** JSON object of what each detection leaves out: `{"okta-password-spray": {"ips": ["203.0.113.0/24"]}}`. */
  exclusions: 'OKTA_LAKE_EXCLUSIONS',
} as const;

export type HandlerEnvKey = keyof typeof HANDLER_ENV;

/**
 * What the recover-gap function reads besides the Athena workgroup, database and bucket of `HANDLER_ENV`
 * (modules/gap-recovery.ts sets them).
 */
export const RECOVERY_ENV = {
  /** Secrets Manager secret with the Okta API credentials (`{"apiToken"}` or `{"clientId","privateKey","keyId"}`). */
  oktaSecretArn: 'OKTA_LAKE_OKTA_SECRET_ARN',
  /** The Okta org's base URL, `https://<orgName>.<baseUrl>`. */
  oktaOrgUrl: 'OKTA_LAKE_OKTA_ORG_URL',
  /** The log stream's event source name: how our stream is found among the org's log streams. */
  eventSourceName: 'OKTA_LAKE_OKTA_EVENT_SOURCE_NAME',
  /** The log stream's name in the Admin Console, for messages. */
  logStreamName: 'OKTA_LAKE_OKTA_LOG_STREAM_NAME',
  /** The api-events Firehose stream (dynamic partitioning by `published`). */
  apiStreamName: 'OKTA_LAKE_API_EVENTS_STREAM',
  /** Seconds the api-events stream takes to deliver (its buffer, with Firehose's multi-stage buffering): the re-run delay. */
  apiStreamDelaySeconds: 'OKTA_LAKE_API_EVENTS_DELAY_SECONDS',
  /** The recovery FIFO queue: work and continuations, one at a time. */
  recoveryQueueUrl: 'OKTA_LAKE_RECOVERY_QUEUE_URL',
  /** The queue the hourly detections read re-runs from. */
  rerunQueueUrl: 'OKTA_LAKE_RERUN_QUEUE_URL',
  /** The watchdog's ops topic. */
  opsTopicArn: 'OKTA_LAKE_OPS_TOPIC_ARN',
  /** The okta-silent alarm's name: its ALARM events start a recovery. */
  silenceAlarmName: 'OKTA_LAKE_SILENCE_ALARM',
  /** Minutes without events that make a silence (config `watchdog.silenceMinutes`). */
  silenceMinutes: 'OKTA_LAKE_SILENCE_MINUTES',
  /** Seconds a streamed event takes to land in the lake (the partner stream's buffer + slack). */
  landingLagSeconds: 'OKTA_LAKE_LANDING_LAG_SECONDS',
  /** Minute past each hour the hourly detections run (config `schedules.hourlyMinute`): which hours a recovery re-runs. */
  hourlyMinute: 'OKTA_LAKE_HOURLY_MINUTE',
} as const;

/**
 * What the inventory function reads besides the Athena names of `HANDLER_ENV` and the Okta secret and org of
 * `RECOVERY_ENV` (modules/stack.ts sets them from the config's `inventory` section). refresh-user reads the identity
 * rules too: with them it re-reads the user's inventory from Okta before their posture checks.
 */
export const INVENTORY_ENV = {
  /**
   * JSON of the identity rules (inventory/identity-kind.ts `IdentityRules`):
   * `{"serviceUserTypes": [...], "serviceLoginPatterns": [...], "serviceLogins": [...], "guestUserTypes": [...]}`.
   */
  identityRules: 'OKTA_LAKE_IDENTITY_RULES',
  /** `true` to list DEPROVISIONED users too (config `inventory.includeDeprovisioned`). */
  includeDeprovisioned: 'OKTA_LAKE_INVENTORY_INCLUDE_DEPROVISIONED',
} as const;

/**
 * The inventory function's input: Scheduler's `{"scheduled_time"}` (the day before the scheduled time's day is
 * collected), or `{"day": "YYYY-MM-DD"}` by hand to collect again under a day (what Okta says now, filed under it).
 */
export type InventoryInput = ScheduledInput | { readonly day: string };

/** The hourly check's input from EventBridge Scheduler (modules/stack.ts). */
export interface RecoveryCheckInput extends ScheduledInput {
  readonly check: 'log-stream';
}

/**
 * The input EventBridge Scheduler sends the scheduled functions: the schedule's own time, so a retry
 * reruns the same window (`{"scheduled_time": "<aws.scheduler.scheduled-time>"}`).
 */
export interface ScheduledInput {
  readonly scheduled_time: string;
}
