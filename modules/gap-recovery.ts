/**
 * Gap recovery in AWS (handlers/recovery/ does the work): when the Okta log stream goes silent, the missing window
 * is read back from the System Log API into the lake, and the hourly detections re-run the hours it filled.
 *
 * - The Okta API credentials and the api-events stream it writes through: `OktaApiAccess` (okta-api-access.ts),
 *   shared with refresh-user.
 * - The function `<prefix>-recover-gap`, started by: a rule on the default bus matching the okta-silent alarm's
 *   state change to ALARM (retries, and the function's on-failure queue as DLQ); the hourly check schedule (the
 *   stack adds it to its RunSchedules); its own recovery queue (FIFO, one message group, one message per
 *   invocation: jobs and their continuations, one at a time).
 * - The re-run queue (FIFO, one message group), one message per recovered hour, read by the hourly detections one
 *   hour at a time, oldest first.
 *   Its messages wait the api stream's delivery time (its buffer, times 1.5 for Firehose's multi-stage buffering
 *   with dynamic partitioning, plus landing slack) so the recovered Parquet files are there when the hour re-runs.
 * - Alarms (through the watchdog): the function's errors, its on-failure queue, both dead-letter queues, and records
 *   the api stream could not convert.
 *
 * Least privilege: the function may query Athena in the workgroup and read okta_events (Glue table, S3 prefix), put
 * record batches into the api stream only, read the one secret, send to and consume its queue, send to the re-run
 * queue, publish to the ops topic; the key for all of them.
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { FIREHOSE_LANDING_SLACK_SECONDS } from '../config/schema.ts';
import type { OktaApiAccess } from './okta-api-access.ts';
import { HANDLER_ENV, RECOVERY_ENV } from '../handlers/env.ts';
import { lakePaths } from '../schema/layout.ts';
import { okta_events } from '../schema/index.ts';
import type { LakeWorkgroup } from './athena.ts';
import type { DeployEnv } from './deploy-env.ts';
import type { LakeCatalog } from './glue-catalog.ts';
import type { LakeKey } from './kms.ts';
import type { LakeBucket } from './lake-bucket.ts';
import type { LambdaBundle } from './lambda/bundle.ts';
import { LakeFunction } from './lambda/function.ts';
import { terraformLiteral } from './literal.ts';
import { EncryptedQueue } from './queue.ts';
import type { Watchdog } from './watchdog.ts';

/** Receives of a recovery job or a re-run before it goes to its dead-letter queue. */
export const RECOVERY_MAX_RECEIVES = 3;
/** The function's timeout: Lambda's maximum; a longer recovery continues from its checkpoint. */
export const RECOVER_GAP_TIMEOUT_SECONDS = 900;

/** The EventBridge pattern of the okta-silent alarm going to ALARM (`CloudWatch Alarm State Change` on the default bus). */
export const silenceAlarmPattern = (alarmName: string) => ({
  source: ['aws.cloudwatch'],
  'detail-type': ['CloudWatch Alarm State Change'],
  detail: { alarmName: [alarmName], state: { value: ['ALARM'] } },
});

export interface GapRecoveryProps {
  readonly env: DeployEnv;
  readonly namePrefix: string;
  readonly key: LakeKey;
  readonly bucket: LakeBucket;
  readonly catalog: LakeCatalog;
  readonly workgroup: LakeWorkgroup;
  /** The recover-gap bundle (handlers/recover-gap.ts). */
  readonly bundle: LambdaBundle;
  /** Its ops topic is told what happened; its silence alarm starts a recovery; it alarms on the new parts. */
  readonly watchdog: Watchdog;
  /** The hourly detections: they read the re-run queue. */
  readonly hourlyDetections: LakeFunction;
  /** The Okta API credentials and the api-events stream. */
  readonly oktaApi: OktaApiAccess;
  readonly okta: {
    readonly eventSourceName: string;
    readonly logStreamName: string;
  };
  /** The watchdog's silence threshold, minutes. */
  readonly silenceMinutes: number;
  /** Minute past each hour the hourly detections run (config `schedules.hourlyMinute`). */
  readonly hourlyMinute: number;
  /** The partner stream's buffer interval: how late a streamed event lands in the lake. */
  readonly partnerBufferingIntervalSeconds: number;
  /** Variables every function gets (Powertools). @default none */
  readonly baseEnvironment?: Readonly<Record<string, string>>;
  /** Days the function's logs are kept. @default 30 */
  readonly logRetentionDays?: number;
}

export class GapRecovery extends Construct {
  readonly function: LakeFunction;
  /** Recovery jobs and their continuations (FIFO, one message group). */
  readonly queue: EncryptedQueue;
  readonly deadLetters: EncryptedQueue;
  /** One message per recovered hour, for the hourly detections. */
  readonly rerunQueue: EncryptedQueue;
  readonly rerunDeadLetters: EncryptedQueue;
  /** The okta-silent alarm's state change to ALARM. */
  readonly alarmRule: CloudwatchEventRule;
  /** Seconds a re-run message waits. */
  readonly rerunDelaySeconds: number;

  constructor(scope: Construct, id: string, props: GapRecoveryProps) {
    super(scope, id);
    const prefix = props.namePrefix;
    this.rerunDelaySeconds = props.oktaApi.deliverySeconds;

    const functionName = `${prefix}-recover-gap`;
    // Queues first: the function's environment names them; the function's timeout sets their visibility.
    this.deadLetters = new EncryptedQueue(this, 'recovery-dlq', { name: `${functionName}-dlq.fifo`, key: props.key, fifo: true });
    this.queue = new EncryptedQueue(this, 'recovery', {
      name: `${functionName}.fifo`,
      key: props.key,
      fifo: true,
      // AWS: at least six times the function's timeout for a queue a Lambda event source mapping reads.
      visibilityTimeoutSeconds: 6 * RECOVER_GAP_TIMEOUT_SECONDS,
      deadLetter: { queue: this.deadLetters, maxReceiveCount: RECOVERY_MAX_RECEIVES },
    });
    // FIFO, one message group: re-run hours run one at a time, oldest first, never two at once (two runs of
    // neighbouring hours with a multi-hour lookback would both see the same events as new).
    this.rerunDeadLetters = new EncryptedQueue(this, 'reruns-dlq', { name: `${prefix}-hourly-reruns-dlq.fifo`, key: props.key, fifo: true });
    this.rerunQueue = new EncryptedQueue(this, 'reruns', {
      name: `${prefix}-hourly-reruns.fifo`,
      key: props.key,
      fifo: true,
      visibilityTimeoutSeconds: 6 * props.hourlyDetections.timeoutSeconds,
      // Every re-run waits until the api stream has delivered what was recovered.
      delaySeconds: this.rerunDelaySeconds,
      deadLetter: { queue: this.rerunDeadLetters, maxReceiveCount: RECOVERY_MAX_RECEIVES },
    });

    const environment: Record<string, string> = {
      ...props.baseEnvironment,
      [HANDLER_ENV.workgroup]: props.workgroup.name,
      [HANDLER_ENV.database]: props.catalog.name,
      [HANDLER_ENV.bucket]: props.bucket.name,
      ...props.oktaApi.environment,
      [RECOVERY_ENV.eventSourceName]: props.okta.eventSourceName,
      [RECOVERY_ENV.logStreamName]: terraformLiteral(props.okta.logStreamName),
      [RECOVERY_ENV.recoveryQueueUrl]: this.queue.queue.url,
      [RECOVERY_ENV.rerunQueueUrl]: this.rerunQueue.queue.url,
      [RECOVERY_ENV.opsTopicArn]: props.watchdog.topic.arn,
      [RECOVERY_ENV.silenceAlarmName]: props.watchdog.silenceAlarmName,
      [RECOVERY_ENV.silenceMinutes]: String(props.silenceMinutes),
      [RECOVERY_ENV.landingLagSeconds]: String(props.partnerBufferingIntervalSeconds + FIREHOSE_LANDING_SLACK_SECONDS),
      [RECOVERY_ENV.hourlyMinute]: String(props.hourlyMinute),
    };
    const fn = new LakeFunction(this, 'recover-gap', {
      functionName,
      description: 'Reads Okta events missing from the lake back from the System Log API (okta-silent alarm, hourly check, by hand)',
      bundle: props.bundle,
      key: props.key,
      environment,
      timeoutSeconds: RECOVER_GAP_TIMEOUT_SECONDS,
      memoryMb: 512,
      logRetentionDays: props.logRetentionDays,
      maxEventAgeSeconds: 3600,
    });
    this.function = fn;

    // The silence query: Athena in the workgroup over okta_events.
    props.workgroup.grantQuery(fn);
    props.catalog.grantRead(fn, [okta_events.name]);
    props.bucket.grant(fn, 'read', [lakePaths.events]);
    props.oktaApi.grantPutEvents(fn);
    props.oktaApi.grantReadCredentials(fn);
    this.queue.grantSendMessages(fn);
    this.queue.grantConsumeMessages(fn);
    this.rerunQueue.grantSendMessages(fn);
    props.watchdog.topic.grantPublish(fn);

    this.alarmRule = new CloudwatchEventRule(this, 'okta-silent', {
      name: `${prefix}-okta-silent-recovery`,
      description: 'The okta-silent alarm going to ALARM starts gap recovery',
      eventBusName: 'default',
      eventPattern: JSON.stringify(silenceAlarmPattern(props.watchdog.silenceAlarmName)),
    });
    new CloudwatchEventTarget(this, 'okta-silent-to-function', {
      rule: this.alarmRule.name,
      eventBusName: 'default',
      targetId: 'recover-gap',
      arn: fn.arn,
      retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
      deadLetterConfig: { arn: fn.failureQueue.arn },
    });
    new LambdaPermission(this, 'okta-silent-invokes', {
      statementId: 'okta-silent-alarm',
      action: 'lambda:InvokeFunction',
      functionName: fn.name,
      principal: 'events.amazonaws.com',
      sourceArn: this.alarmRule.arn,
    });
    fn.failureQueue.allowServiceToSend('events.amazonaws.com', this.alarmRule.arn);
    props.key.allowService('EventBridgeUseKeyForQueues', 'events.amazonaws.com');

    new LambdaEventSourceMapping(this, 'recovery-to-function', {
      eventSourceArn: this.queue.arn,
      functionName: fn.arn,
      // One job per invocation: its continuation is a new message.
      batchSize: 1,
      enabled: true,
      dependsOn: [fn.role.policy],
    });
    this.rerunQueue.grantConsumeMessages(props.hourlyDetections);
    new LambdaEventSourceMapping(this, 'reruns-to-hourly-detections', {
      eventSourceArn: this.rerunQueue.arn,
      functionName: props.hourlyDetections.arn,
      // One hour per invocation: a failure retries that hour alone.
      batchSize: 1,
      enabled: true,
      dependsOn: [props.hourlyDetections.role.policy],
    });

    props.watchdog.watchFunction(fn);
    props.watchdog.watchQueue(`${fn.node.id}-failures`, fn.failureQueue);
    props.watchdog.watchQueue('recover-gap-dlq', this.deadLetters);
    props.watchdog.watchQueue('hourly-reruns-dlq', this.rerunDeadLetters);
    props.watchdog.watchConversions('firehose-api-failed-conversion', props.oktaApi.apiStream);
  }
}
