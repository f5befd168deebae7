/**
 * Bus and routing: the partner event bus Okta's events arrive on, a rule for System Log events, and the
 * Firehose target that receives each event's `detail` (the LogEvent).
 *
 * - The bus is named exactly like the partner event source and depends on the Okta log stream (the source
 *   exists only once Okta created the stream). Partner buses take no resource policy (AWS rejects one).
 * - The target has its own role (trusted by EventBridge for this rule only, allowed to put records into this
 *   stream only), a retry policy, and an encrypted DLQ whose policy admits only this rule.
 */
import { Construct } from 'constructs';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus/index.js';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import type { DeployEnv } from './deploy-env.ts';
import type { EventsDeliveryStream } from './firehose.ts';
import { ServiceRole } from './iam.ts';
import type { LakeKey } from './kms.ts';
import type { OktaLogStream } from './okta-log-stream.ts';
import { EncryptedQueue } from './queue.ts';

/** The `detail-type` Okta gives System Log events on the partner bus. */
export const OKTA_SYSTEM_LOG_DETAIL_TYPE = 'SystemLog';

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
}

export class PartnerEventRouting extends Construct {
  readonly bus: CloudwatchEventBus;
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  readonly deadLetterQueue: EncryptedQueue;
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: PartnerEventRoutingProps) {
    super(scope, id);
    const source = props.logStream.partnerEventSourceName;
    this.bus = new CloudwatchEventBus(this, 'bus', {
      name: source,
      eventSourceName: source,
      description: 'Okta System Log events from the Okta log stream',
      dependsOn: [props.logStream.logStream],
    });
    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: `${props.namePrefix}-okta-system-log`,
      description: 'Okta System Log events to Firehose (Parquet lake)',
      eventBusName: this.bus.name,
      eventPattern: JSON.stringify({ source: [source], 'detail-type': [OKTA_SYSTEM_LOG_DETAIL_TYPE] }),
    });

    this.deadLetterQueue = new EncryptedQueue(this, 'dlq', { name: `${props.namePrefix}-okta-events-dlq`, key: props.key });
    this.deadLetterQueue.allowServiceToSend('events.amazonaws.com', this.rule.arn);
    // EventBridge encrypts DLQ messages with the queue's key itself (no role), hence a key policy statement.
    props.key.allowService('EventBridgeUseKeyForDeadLetterQueue', 'events.amazonaws.com');

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
