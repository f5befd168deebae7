/**
 * Watchdog: CloudWatch alarms, all publishing to an encrypted ops topic. Every alarm watches a metric of
 * `alarm-metrics.ts`, with the dimensions AWS publishes it with.
 *
 * - Okta silent: the partner source sent no event for `silenceMinutes`. Okta switches a stream off after its
 *   target fails twice, and sends nothing for an empty org either; missing data counts as breaching.
 * - The partner rule: deliveries to Firehose that failed for good, and failed ones that could not even be put
 *   in the DLQ (those events are lost: EventBridge keeps no copy, and Firehose never saw them).
 * - Firehose: records that failed Parquet conversion, and data freshness (oldest record not yet delivered)
 *   beyond a buffer interval plus slack.
 * - Lambda errors, per function.
 * - Dead letters: messages waiting in the partner rule's DLQ or a function's on-failure queue.
 */
import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { ALARM_METRICS, type AlarmMetricName, type DimensionsOf } from './alarm-metrics.ts';
import { arn, type DeployEnv } from './deploy-env.ts';
import type { EventsDeliveryStream } from './firehose.ts';
import type { LakeKey } from './kms.ts';
import type { LakeFunction } from './lambda/function.ts';
import type { PartnerEventRouting } from './partner-bus.ts';
import type { EncryptedQueue } from './queue.ts';
import { EncryptedTopic } from './topic.ts';

export interface WatchdogProps {
  readonly env: DeployEnv;
  readonly namePrefix: string;
  readonly key: LakeKey;
  /** Addresses subscribed to the ops topic. @default none */
  readonly emails?: readonly string[];
  readonly routing: PartnerEventRouting;
  readonly deliveryStream: EventsDeliveryStream;
  /** Firehose buffer interval, for the freshness threshold. */
  readonly bufferingIntervalSeconds: number;
  /** Minutes without Okta events before alarming (5-1440). */
  readonly silenceMinutes: number;
  readonly functions: readonly LakeFunction[];
  /** Queues whose depth alarms, by a short name used in the alarm name. */
  readonly queues: Readonly<Record<string, EncryptedQueue>>;
}

export class Watchdog extends Construct {
  readonly topic: EncryptedTopic;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: WatchdogProps) {
    super(scope, id);
    if (props.silenceMinutes < 5 || props.silenceMinutes > 1440) {
      throw new Error(`Watchdog: silenceMinutes ${props.silenceMinutes} must be 5-1440 (one CloudWatch period of at most a day)`);
    }
    const alarmPrefix = `${props.namePrefix}-`;
    this.topic = new EncryptedTopic(this, 'ops', {
      name: `${props.namePrefix}-ops`,
      displayName: 'okta-log-lake operations',
      key: props.key,
      emails: props.emails,
    });
    this.topic.allowCloudWatchAlarms(props.env.accountId, arn(props.env, 'cloudwatch', `alarm:${alarmPrefix}*`));
    const actions = { alarmActions: [this.topic.arn], okActions: [this.topic.arn] };
    type AlarmSettings = Omit<ConstructorParameters<typeof CloudwatchMetricAlarm>[2], 'alarmActions' | 'okActions' | 'namespace' | 'metricName' | 'dimensions'>;
    const alarm = <M extends AlarmMetricName>(cid: string, metric: M, dimensions: DimensionsOf<M>, cfg: AlarmSettings) => {
      const { namespace, metricName } = ALARM_METRICS[metric];
      const a = new CloudwatchMetricAlarm(this, cid, { ...cfg, namespace, metricName, dimensions: { ...dimensions }, ...actions });
      this.alarms.push(a);
      return a;
    };

    alarm('okta-silent', 'partnerEventsIngested', { EventSourceName: props.routing.partnerEventSourceName }, {
      alarmName: `${alarmPrefix}okta-silent`,
      alarmDescription: `No Okta System Log event reached EventBridge from the partner source for ${props.silenceMinutes} minutes. Check the log stream in Okta (Reports > Log Streaming): Okta deactivates a stream whose target fails.`,
      statistic: 'Sum',
      period: props.silenceMinutes * 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      // AWS publishes no data point for a minute without events: missing data is the silence itself.
      treatMissingData: 'breaching',
    });
    const partnerRule = { EventBusName: props.routing.bus.name, RuleName: props.routing.rule.name };
    alarm('okta-delivery-failed', 'ruleFailedInvocations', partnerRule, {
      alarmName: `${alarmPrefix}okta-delivery-failed`,
      alarmDescription: 'EventBridge gave up delivering Okta events to Firehose after its retries; they are in the okta-events DLQ. Fix the cause (Firehose, its role), then redrive the queue.',
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });
    alarm('okta-dlq-failed', 'ruleDeadLetterFailures', partnerRule, {
      alarmName: `${alarmPrefix}okta-events-lost`,
      alarmDescription: 'Okta events failed delivery to Firehose AND could not be put in the DLQ (queue policy, KMS key, size): they are lost. Fix the DLQ, then pull the missing window from the Okta API (okta-lake backfill).',
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });
    const firehose = { DeliveryStreamName: props.deliveryStream.name };
    alarm('firehose-failed-conversion', 'firehoseFailedConversion', firehose, {
      alarmName: `${alarmPrefix}firehose-failed-conversion`,
      alarmDescription: 'Firehose could not convert records to Parquet; they are under okta/errors/ (and okta/raw/). Replay them with okta-lake replay once the cause is fixed.',
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });
    alarm('firehose-freshness', 'firehoseDataFreshness', firehose, {
      alarmName: `${alarmPrefix}firehose-data-freshness`,
      alarmDescription: 'The oldest record in Firehose waited longer than a buffer interval plus 15 minutes: delivery to S3 is failing or slow.',
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 2,
      threshold: props.bufferingIntervalSeconds + 900,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });
    for (const fn of props.functions) {
      alarm(`errors-${fn.node.id}`, 'lambdaErrors', { FunctionName: fn.name }, {
        alarmName: `${alarmPrefix}${fn.node.id}-errors`,
        alarmDescription: `The ${fn.node.id} function failed. Its log group has the error; failed runs also land in its on-failure queue.`,
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      });
    }
    for (const [short, queue] of Object.entries(props.queues)) {
      alarm(`dlq-${short}`, 'queueMessagesVisible', { QueueName: queue.name }, {
        alarmName: `${alarmPrefix}${short}-dead-letters`,
        alarmDescription: `Messages are waiting in ${short}: deliveries that failed after every retry. Read them, fix the cause, redrive.`,
        statistic: 'Maximum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      });
    }
  }
}
