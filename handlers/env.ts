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
} as const;

export type HandlerEnvKey = keyof typeof HANDLER_ENV;

/**
 * The input EventBridge Scheduler sends the scheduled functions: the schedule's own time, so a retry
 * reruns the same window (`{"scheduled_time": "<aws.scheduler.scheduled-time>"}`).
 */
export interface ScheduledInput {
  readonly scheduled_time: string;
}

/** EventBridge `source` and `detail-type` of the finding events the handlers put on the bus. */
export const FINDING_EVENT = { source: 'okta-log-lake', detailType: 'Okta Detection Finding' } as const;
