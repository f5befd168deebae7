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
 *
 * Constructs made after the watchdog (gap recovery) add their own with `watchFunction`, `watchQueue` and
 * `watchConversions`; the okta-silent alarm is `silenceAlarm`, whose state changes start a recovery.
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

type AlarmSettings = Omit<ConstructorParameters<typeof CloudwatchMetricAlarm>[2], 'alarmActions' | 'okActions' | 'namespace' | 'metricName' | 'dimensions'>;

/** An alarm on a count: any at all within five minutes alarms; no data is nothing to count. */
const ANY_IN_FIVE_MINUTES = {
  statistic: 'Sum',
  period: 300,
  evaluationPeriods: 1,
  threshold: 0,
  comparisonOperator: 'GreaterThanThreshold',
  treatMissingData: 'notBreaching',
} as const;

export class Watchdog extends Construct {
  readonly topic: EncryptedTopic;
  readonly alarms: CloudwatchMetricAlarm[] = [];
  /** `<prefix>-okta-silent`: no Okta event for `silenceMinutes`. */
  readonly silenceAlarm: CloudwatchMetricAlarm;
  /** The silence alarm's name, as text known at synth (EventBridge patterns and handler settings name it). */
  readonly silenceAlarmName: string;
  private readonly alarmPrefix: string;

  constructor(scope: Construct, id: string, props: WatchdogProps) {
    super(scope, id);
    if (props.silenceMinutes < 5 || props.silenceMinutes > 1440) {
      throw new Error(`Watchdog: silenceMinutes ${props.silenceMinutes} must be 5-1440 (one CloudWatch period of at most a day)`);
    }
    const alarmPrefix = `${props.namePrefix}-`;
    this.alarmPrefix = alarmPrefix;
    this.topic = new EncryptedTopic(this, 'ops', {
      name: `${props.namePrefix}-ops`,
      displayName: 'okta-log-lake operations',
      key: props.key,
      emails: props.emails,
    });
    this.topic.allowCloudWatchAlarms(props.env.accountId, arn(props.env, 'cloudwatch', `alarm:${alarmPrefix}*`));
    const alarm = this.alarm.bind(this);

    this.silenceAlarmName = `${alarmPrefix}okta-silent`;
    this.silenceAlarm = alarm('okta-silent', 'partnerEventsIngested', { EventSourceName: props.routing.partnerEventSourceName }, {
      alarmName: this.silenceAlarmName,
      alarmDescription: `No Okta System Log event reached EventBridge from the partner source for ${props.silenceMinutes} minutes. Check the log stream in Okta (Reports > Log Streaming): Okta deactivates a stream whose target fails. Gap recovery reads the silent window back from the Okta API and reports on this topic.`,
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
      ...ANY_IN_FIVE_MINUTES,
    });
    alarm('okta-dlq-failed', 'ruleDeadLetterFailures', partnerRule, {
      alarmName: `${alarmPrefix}okta-events-lost`,
      alarmDescription: `Okta events failed delivery to Firehose AND could not be put in the DLQ (queue policy, KMS key, size): they are lost. Fix the DLQ, then read the missing window back from the Okta API: invoke ${props.namePrefix}-recover-gap with {"since": ..., "until": ...}.`,
      ...ANY_IN_FIVE_MINUTES,
    });
    const firehose = { DeliveryStreamName: props.deliveryStream.name };
    this.watchConversions('firehose-failed-conversion', props.deliveryStream);
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
    for (const fn of props.functions) this.watchFunction(fn);
    for (const [short, queue] of Object.entries(props.queues)) this.watchQueue(short, queue);
  }

  private alarm<M extends AlarmMetricName>(cid: string, metric: M, dimensions: DimensionsOf<M>, cfg: AlarmSettings): CloudwatchMetricAlarm {
    const { namespace, metricName } = ALARM_METRICS[metric];
    const a = new CloudwatchMetricAlarm(this, cid, {
      ...cfg,
      namespace,
      metricName,
      dimensions: { ...dimensions },
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
    });
    this.alarms.push(a);
    return a;
  }

  /** `<prefix>-<function id>-errors`: the function failed. */
  watchFunction(fn: LakeFunction): CloudwatchMetricAlarm {
    return this.alarm(`errors-${fn.node.id}`, 'lambdaErrors', { FunctionName: fn.name }, {
      alarmName: `${this.alarmPrefix}${fn.node.id}-errors`,
      alarmDescription: `The ${fn.node.id} function failed. Its log group has the error; failed runs also land in its on-failure queue.`,
      ...ANY_IN_FIVE_MINUTES,
    });
  }

  /** `<prefix>-<short>-dead-letters`: messages wait in a dead-letter or on-failure queue. */
  watchQueue(short: string, queue: EncryptedQueue): CloudwatchMetricAlarm {
    return this.alarm(`dlq-${short}`, 'queueMessagesVisible', { QueueName: queue.name }, {
      alarmName: `${this.alarmPrefix}${short}-dead-letters`,
      alarmDescription: `Messages are waiting in ${short}: deliveries that failed after every retry. Read them, fix the cause, redrive.`,
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });
  }

  /** `<prefix>-<id>`: records a stream could not convert to Parquet (they are under its error prefix, and raw). */
  watchConversions(id: string, stream: EventsDeliveryStream): CloudwatchMetricAlarm {
    const where = stream.partitioning === 'published' ? 'okta/errors/api/ (and okta/raw/api/)' : 'okta/errors/ (and okta/raw/)';
    return this.alarm(id, 'firehoseFailedConversion', { DeliveryStreamName: stream.name }, {
      alarmName: `${this.alarmPrefix}${id}`,
      alarmDescription: `Firehose ${stream.partitioning === 'published' ? 'stream of events read back from the Okta API ' : ''}could not convert records to Parquet; they are under ${where}. Replay them with okta-lake replay once the cause is fixed.`,
      ...ANY_IN_FIVE_MINUTES,
    });
  }
}
