/**
 * Faked AWS for gap recovery (aws-sdk-client-mock), on top of FakeAws (Athena, S3, SNS, EventBridge):
 * - Athena answers core/sql/lake-minutes.sql from the events the test says the lake holds;
 * - Firehose keeps every record put (decoded), and can refuse some;
 * - SQS keeps what is sent to the recovery queue (jobs) and to the re-run queue, and answers the recovery queue's
 *   attributes with what the test sets;
 * - Secrets Manager holds the secret's value, or none (ResourceNotFoundException, as for a secret never given one).
 */
import { FirehoseClient, PutRecordBatchCommand, type PutRecordBatchCommandInput } from '@aws-sdk/client-firehose';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, type PublishCommandInput } from '@aws-sdk/client-sns';
import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type SendMessageBatchCommandInput,
  type SendMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { compileNamedParams } from '../../../core/sql-params.ts';
import { readSql } from '../../../core/sql-files.ts';
import { RECOVERY_ENV, HANDLER_ENV } from '../../../handlers/env.ts';
import type { RecoveryClients } from '../../../handlers/recovery/runtime.ts';
import { FakeAws, type Outcome, type StartedQuery } from './fake-aws.ts';
import { unquote } from './fake-lake.ts';

/** core/sql/lake-minutes.sql as Athena receives it: the dt bounds are literals written into the text. */
export const isLakeMinutes = (q: StartedQuery): boolean =>
  q.sql.replace(/'\d{4}-\d{2}-\d{2}'/g, '?') === compileNamedParams(readSql('core/sql/lake-minutes.sql')).text;

export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme-lake/okta-api-AbCdEf';
export const RECOVERY_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/acme-lake-recover-gap.fifo';
export const RERUN_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/acme-lake-hourly-reruns';
export const OPS_TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:acme-lake-ops';

/** The recover-gap function's environment, as the stack sets it (the org URL is the stand-in's). */
export const recoveryEnv = (orgUrl: string): Record<string, string> => ({
  [HANDLER_ENV.workgroup]: 'acme-lake',
  [HANDLER_ENV.database]: 'acme_lake',
  [HANDLER_ENV.bucket]: 'acme-lake-123456789012-eu-west-1',
  [RECOVERY_ENV.oktaSecretArn]: SECRET_ARN,
  [RECOVERY_ENV.oktaOrgUrl]: orgUrl,
  [RECOVERY_ENV.eventSourceName]: 'okta_log_lake',
  [RECOVERY_ENV.logStreamName]: 'okta-log-lake',
  [RECOVERY_ENV.apiStreamName]: 'acme-lake-okta-api-events',
  [RECOVERY_ENV.apiStreamDelaySeconds]: '390',
  [RECOVERY_ENV.recoveryQueueUrl]: RECOVERY_QUEUE_URL,
  [RECOVERY_ENV.rerunQueueUrl]: RERUN_QUEUE_URL,
  [RECOVERY_ENV.opsTopicArn]: OPS_TOPIC_ARN,
  [RECOVERY_ENV.silenceAlarmName]: 'acme-lake-okta-silent',
  [RECOVERY_ENV.silenceMinutes]: '60',
  [RECOVERY_ENV.landingLagSeconds]: '600',
  // The hourly detections run at :05, so at NOW (HH:10) the hour before NOW's hour has had its scheduled run.
  [RECOVERY_ENV.hourlyMinute]: '5',
  AWS_LAMBDA_FUNCTION_NAME: 'acme-lake-recover-gap',
});

export interface LakeEvent {
  readonly uuid: string;
  readonly published: string;
}

/** A message sent to the recovery queue. */
export interface SentJob {
  readonly body: string;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
}

export class FakeRecoveryAws {
  readonly aws: FakeAws;
  readonly firehoseMock: AwsClientStub<FirehoseClient> = mockClient(FirehoseClient);
  readonly sqsMock: AwsClientStub<SQSClient> = mockClient(SQSClient);
  readonly secretsMock: AwsClientStub<SecretsManagerClient> = mockClient(SecretsManagerClient);
  readonly firehose = new FirehoseClient({ region: 'eu-west-1' });
  readonly sqs = new SQSClient({ region: 'eu-west-1' });
  readonly secrets = new SecretsManagerClient({ region: 'eu-west-1' });

  /** What the lake holds (for the minutes query). */
  lakeEvents: LakeEvent[] = [];
  /** The secret's value; undefined: none was ever put. */
  secretValue: string | undefined;
  /** The recovery queue's approximate counts. */
  queueDepth = { visible: 0, inFlight: 0, delayed: 0 };
  /** Every record Firehose accepted, decoded, in order. */
  readonly records: Array<{ uuid: string; published: string }> = [];
  /** Called before each PutRecordBatch (e.g. to move a fake clock). */
  onPut: (call: number) => void = () => {};
  readonly jobs: SentJob[] = [];
  readonly reruns: string[] = [];
  private puts = 0;

  constructor(other?: (q: StartedQuery) => Outcome | undefined) {
    this.aws = new FakeAws((q) => other?.(q) ?? this.answer(q));
    this.firehoseMock.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
      this.onPut(++this.puts);
      const records = input.Records ?? [];
      for (const r of records) this.records.push(JSON.parse(Buffer.from(r.Data!).toString('utf8')) as { uuid: string; published: string });
      return { FailedPutCount: 0, Encrypted: true, RequestResponses: records.map((_, i) => ({ RecordId: `r-${this.puts}-${i}` })) };
    });
    this.sqsMock.on(SendMessageCommand).callsFake((input: SendMessageCommandInput) => {
      if (input.QueueUrl !== RECOVERY_QUEUE_URL) throw new Error(`fake SQS: SendMessage to ${String(input.QueueUrl)}`);
      this.jobs.push({ body: input.MessageBody!, groupId: input.MessageGroupId, deduplicationId: input.MessageDeduplicationId });
      return { MessageId: `job-${this.jobs.length}` };
    });
    this.sqsMock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      if (input.QueueUrl !== RERUN_QUEUE_URL) throw new Error(`fake SQS: SendMessageBatch to ${String(input.QueueUrl)}`);
      const entries = input.Entries ?? [];
      if (entries.length > 10) throw new Error('fake SQS: more than 10 entries in a batch');
      for (const e of entries) this.reruns.push(e.MessageBody!);
      return { Successful: entries.map((e) => ({ Id: e.Id!, MessageId: `m-${e.Id}`, MD5OfMessageBody: '' })), Failed: [] };
    });
    this.sqsMock.on(GetQueueAttributesCommand).callsFake(() => ({
      Attributes: {
        ApproximateNumberOfMessages: String(this.queueDepth.visible),
        ApproximateNumberOfMessagesNotVisible: String(this.queueDepth.inFlight),
        ApproximateNumberOfMessagesDelayed: String(this.queueDepth.delayed),
      },
    }));
    this.secretsMock.on(GetSecretValueCommand).callsFake(({ SecretId }: { SecretId?: string }) => {
      if (SecretId !== SECRET_ARN) throw new Error(`fake Secrets Manager: no secret ${String(SecretId)}`);
      if (this.secretValue === undefined) {
        const e = new Error("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
        e.name = 'ResourceNotFoundException';
        throw e;
      }
      return { ARN: SECRET_ARN, Name: 'acme-lake/okta-api', SecretString: this.secretValue, VersionStages: ['AWSCURRENT'] };
    });
  }

  get clients(): RecoveryClients {
    return { athena: this.aws.athena, s3: this.aws.s3, sns: this.aws.sns, firehose: this.firehose, sqs: this.sqs, secrets: this.secrets };
  }

  /** What was published to SNS, in order. */
  published(): PublishCommandInput[] {
    return this.aws.snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
  }

  /** The n-th job sent to the recovery queue, as the SQS event Lambda would deliver. */
  jobEvent(n: number): { Records: { eventSource: string; messageId: string; body: string }[] } {
    const job = this.jobs[n];
    if (!job) throw new Error(`no job ${n}: ${this.jobs.length} sent`);
    return { Records: [{ eventSource: 'aws:sqs', messageId: `job-${n + 1}`, body: job.body }] };
  }

  restore(): void {
    this.aws.restore();
    for (const m of [this.firehoseMock, this.sqsMock, this.secretsMock]) m.restore();
  }

  private answer(q: StartedQuery): Outcome {
    if (!isLakeMinutes(q)) return { state: 'FAILED', reason: `fake recovery lake: no answer for ${q.sql.slice(0, 80)}` };
    // dt literals are in the text; the published bounds are bound.
    const [from, to] = q.params.map(unquote) as [string, string];
    const byMinute = new Map<string, LakeEvent[]>();
    for (const e of this.lakeEvents.filter((x) => x.published >= from && x.published < to)) {
      const m = e.published.slice(0, 16);
      byMinute.set(m, [...(byMinute.get(m) ?? []), e]);
    }
    const rows = [...byMinute.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([minute, es]) => {
        const sorted = [...es].sort((a, b) => (a.published < b.published ? -1 : 1));
        return [minute, sorted[0]!.published, sorted.at(-1)!.published, sorted.at(-1)!.uuid];
      });
    return { columns: ['minute', 'first_published', 'last_published', 'last_uuid'].map((name) => ({ name, type: 'varchar' })), rows };
  }
}
