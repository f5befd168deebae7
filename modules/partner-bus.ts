/**
 * Bus and routing: the partner event bus Okta's events arrive on, a rule for Okta's events, and the
 * Firehose target that receives each event's `detail` (the LogEvent).
 *
 * - The bus is named exactly like the partner event source and is created after the Okta log stream, with a
 *   wait between the two: Okta creates the partner event source in our account as it creates the stream, and
 *   may lag behind its API's answer, while the AWS provider calls `CreateEventBus` once, without retrying a
 *   missing source (terraform-provider-aws `internal/service/events/bus.go`, resourceBusCreate). Without the
 *   wait a first apply can fail and need a second run. Partner buses take no resource policy (AWS rejects one).
 * - The rule matches on `source` alone: the partner bus carries nothing but this Okta source, and no Okta
 *   document states the `detail-type` of its events (seen as `SystemLog`), so a pattern on it could match
 *   nothing if Okta ever names it otherwise.
 * - The target has its own role (trusted by EventBridge for this rule only, allowed to put records into this
 *   stream only), a retry policy, and an encrypted DLQ whose policy admits only this rule.
 */
import { Construct } from 'constructs';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus/index.js';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { Sleep } from '@cdktf/provider-time/lib/sleep/index.js';
import type { DeployEnv } from './deploy-env.ts';
import type { EventsDeliveryStream } from './firehose.ts';
import { ServiceRole } from './iam.ts';
import type { LakeKey } from './kms.ts';
import type { OktaLogStream } from './okta-log-stream.ts';
import { EncryptedQueue } from './queue.ts';

/** The event pattern of the partner rule: every event of the Okta partner source, whatever its `detail-type`. */
export const partnerSourcePattern = (partnerEventSourceName: string) => ({ source: [partnerEventSourceName] });

export interface PartnerEventRoutingProps {
  readonly env: DeployEnv;
  readonly namePrefix: string;
  readonly logStream: OktaLogStream;
  readonly deliveryStream: EventsDeliveryStream;
  readonly key: LakeKey;
  /** Seconds EventBridge keeps retrying a delivery before it goes to the DLQ. @default 86400 (the maximum) */
  readonly maximumEventAgeSeconds?: number;
  /** Delivery attempts before the DLQ. @default 185 (the maximum) */
  readonly maximumRetryAttempts?: number;
  /**
   * How long to wait after the Okta log stream is created before creating the partner bus, as a
   * `time_sleep` duration: Okta's partner event source must exist by then. @default 60s
   */
  readonly partnerSourceWait?: string;
}

export class PartnerEventRouting extends Construct {
  readonly bus: CloudwatchEventBus;
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  readonly deadLetterQueue: EncryptedQueue;
  readonly role: ServiceRole;
  /** `aws.partner/okta.com/<org>/<eventSourceName>`, the source of every event on the bus. */
  readonly partnerEventSourceName: string;
  /** The wait between the log stream and the bus. */
  readonly partnerSourceWait: Sleep;

  constructor(scope: Construct, id: string, props: PartnerEventRoutingProps) {
    super(scope, id);
    const source = props.logStream.partnerEventSourceName;
    this.partnerEventSourceName = source;
    this.partnerSourceWait = new Sleep(this, 'partner-source-wait', {
      createDuration: props.partnerSourceWait ?? '60s',
      // A new stream (a changed setting replaces it) waits again before its bus.
      triggers: { log_stream_id: props.logStream.logStream.id },
      dependsOn: [props.logStream.logStream],
    });
    this.bus = new CloudwatchEventBus(this, 'bus', {
      name: source,
      eventSourceName: source,
      description: 'Okta System Log events from the Okta log stream',
      dependsOn: [this.partnerSourceWait],
    });
    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: `${props.namePrefix}-okta-system-log`,
      description: 'Okta System Log events to Firehose (Parquet lake)',
      eventBusName: this.bus.name,
      eventPattern: JSON.stringify(partnerSourcePattern(source)),
    });

    this.deadLetterQueue = new EncryptedQueue(this, 'dlq', { name: `${props.namePrefix}-okta-events-dlq`, key: props.key });
    this.deadLetterQueue.allowServiceToSend('events.amazonaws.com', this.rule.arn);
    // EventBridge encrypts DLQ messages with the queue's key itself (no role), hence a key policy statement.
    props.key.allowService('EventBridgeUseKeyForQueues', 'events.amazonaws.com');

    this.role = new ServiceRole(this, 'role', {
      name: `${props.namePrefix}-okta-events-to-firehose`,
      service: 'events.amazonaws.com',
      description: 'EventBridge delivers Okta System Log events into Firehose',
      trustConditions: {
        StringEquals: { 'aws:SourceAccount': props.env.accountId },
        ArnEquals: { 'aws:SourceArn': this.rule.arn },
      },
    });
    props.deliveryStream.grantPutRecords(this.role);

    this.target = new CloudwatchEventTarget(this, 'target', {
      rule: this.rule.name,
      eventBusName: this.bus.name,
      targetId: 'firehose',
      arn: props.deliveryStream.arn,
      roleArn: this.role.arn,
      inputPath: '$.detail',
      retryPolicy: {
        maximumEventAgeInSeconds: props.maximumEventAgeSeconds ?? 86_400,
        maximumRetryAttempts: props.maximumRetryAttempts ?? 185,
      },
      deadLetterConfig: { arn: this.deadLetterQueue.arn },
      dependsOn: [this.role.policy],
    });
  }
}
