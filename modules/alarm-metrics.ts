/**
 * The CloudWatch metrics our alarms watch, each with the exact dimensions AWS publishes it with and the AWS page
 * that says so. An alarm on a metric/dimension pair AWS never publishes has no data at all: with missing data
 * treated as breaching it sits in ALARM forever, otherwise it never fires. So alarms are built only from this
 * table (`Watchdog`), and a test checks every alarm of the plan against it.
 */

export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  /** The dimension names AWS publishes the metric with, for the resource the alarm watches. */
  readonly dimensions: readonly string[];
  /** Whether AWS publishes a data point when the value is zero; when it does not, missing data means zero. */
  readonly publishedWhenZero: boolean;
  /** The AWS documentation page that lists the metric and its dimensions. */
  readonly source: string;
}

const EVENTBRIDGE = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html';
const FIREHOSE = 'https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html';
const LAMBDA = 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html';
const SQS = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html';

export const ALARM_METRICS = {
  /**
   * Partner events EventBridge ingested from one partner source: whether Okta sent anything at all. (Not
   * `MatchedEvents`, which AWS publishes without dimensions: per rule it has no series.)
   */
  partnerEventsIngested: { namespace: 'AWS/Events', metricName: 'Events', dimensions: ['EventSourceName'], publishedWhenZero: false, source: EVENTBRIDGE },
  /**
   * Target invocations of a rule on a custom (here: partner) bus that failed for good. "Metrics that specify both the
   * EventBusName and RuleName dimensions refer to a custom event bus"; "EventBridge only sends this metric to
   * CloudWatch if it isn't zero".
   */
  ruleFailedInvocations: {
    namespace: 'AWS/Events',
    metricName: 'FailedInvocations',
    dimensions: ['EventBusName', 'RuleName'],
    publishedWhenZero: false,
    source: EVENTBRIDGE,
  },
  /** Invocations of a rule on a custom bus that could not even be put in its dead-letter queue: events lost silently. */
  ruleDeadLetterFailures: {
    namespace: 'AWS/Events',
    metricName: 'InvocationsFailedToBeSentToDlq',
    dimensions: ['EventBusName', 'RuleName'],
    publishedWhenZero: false,
    source: EVENTBRIDGE,
  },
  firehoseFailedConversion: {
    namespace: 'AWS/Firehose',
    metricName: 'FailedConversion.Records',
    dimensions: ['DeliveryStreamName'],
    publishedWhenZero: true,
    source: FIREHOSE,
  },
  firehoseDataFreshness: {
    namespace: 'AWS/Firehose',
    metricName: 'DeliveryToS3.DataFreshness',
    dimensions: ['DeliveryStreamName'],
    publishedWhenZero: true,
    source: FIREHOSE,
  },
  lambdaErrors: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: ['FunctionName'], publishedWhenZero: true, source: LAMBDA },
  queueMessagesVisible: {
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensions: ['QueueName'],
    publishedWhenZero: true,
    source: SQS,
  },
} as const satisfies Readonly<Record<string, AlarmMetric>>;

export type AlarmMetricName = keyof typeof ALARM_METRICS;

/** The dimension values of one alarm on `metric`: exactly the table's dimension names, no more, no fewer. */
export type DimensionsOf<M extends AlarmMetricName> = { readonly [D in (typeof ALARM_METRICS)[M]['dimensions'][number]]: string };

/** The entry of the table an alarm's namespace, metric and dimension names match, or undefined. */
export function alarmMetricOf(namespace: string, metricName: string, dimensionNames: readonly string[]): AlarmMetric | undefined {
  const names = [...dimensionNames].sort().join(',');
  return Object.values(ALARM_METRICS).find(
    (m: AlarmMetric) => m.namespace === namespace && m.metricName === metricName && [...m.dimensions].sort().join(',') === names,
  );
}
