/**
 * Watchdog: CloudWatch alarms, all publishing to an encrypted ops topic.
 *
 * - Okta silent: the partner rule matched no event for `silenceMinutes`. Okta switches a stream off after its
 *   target fails twice, and sends nothing for an empty org either; missing data counts as breaching.
 * - Firehose: records that failed Parquet conversion, and data freshness (oldest record not yet delivered)
 *   beyond a buffer interval plus slack.
 * - Lambda errors, per function.
 * - Dead letters: messages waiting in the partner rule's DLQ or a function's on-failure queue.
 */
import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
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
    const alarm = (cid: string, cfg: Omit<ConstructorParameters<typeof CloudwatchMetricAlarm>[2], 'alarmActions' | 'okActions'>) => {
      const a = new CloudwatchMetricAlarm(this, cid, { ...cfg, ...actions });
      this.alarms.push(a);
      return a;
    };

    alarm('okta-silent', {
      alarmName: `${alarmPrefix}okta-silent`,
      alarmDescription: `No Okta System Log event reached the partner bus for ${props.silenceMinutes} minutes. Check the log stream in Okta (Reports > Log Streaming): Okta deactivates a stream whose target fails.`,
      namespace: 'AWS/Events',
      metricName: 'MatchedEvents',
      dimensions: { EventBusName: props.routing.bus.name, RuleName: props.routing.rule.name },
      statistic: 'Sum',
      period: props.silenceMinutes * 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'breaching',
    });
    const firehose = { DeliveryStreamName: props.deliveryStream.name };
    alarm('firehose-failed-conversion', {
      alarmName: `${alarmPrefix}firehose-failed-conversion`,
      alarmDescription: 'Firehose could not convert records to Parquet; they are under okta/errors/ (and okta/raw/). Compare them with the Glue table.',
      namespace: 'AWS/Firehose',
      metricName: 'FailedConversion.Records',
      dimensions: firehose,
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });
    alarm('firehose-freshness', {
      alarmName: `${alarmPrefix}firehose-data-freshness`,
      alarmDescription: 'The oldest record in Firehose waited longer than a buffer interval plus 15 minutes: delivery to S3 is failing or slow.',
      namespace: 'AWS/Firehose',
      metricName: 'DeliveryToS3.DataFreshness',
      dimensions: firehose,
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 2,
      threshold: props.bufferingIntervalSeconds + 900,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });
    for (const fn of props.functions) {
      alarm(`errors-${fn.node.id}`, {
        alarmName: `${alarmPrefix}${fn.node.id}-errors`,
        alarmDescription: `The ${fn.node.id} function failed. Its log group has the error; failed runs also land in its on-failure queue.`,
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: fn.name },
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      });
    }
    for (const [short, queue] of Object.entries(props.queues)) {
      alarm(`dlq-${short}`, {
        alarmName: `${alarmPrefix}${short}-dead-letters`,
        alarmDescription: `Messages are waiting in ${short}: deliveries that failed after every retry. Read them, fix the cause, redrive.`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: queue.name },
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
