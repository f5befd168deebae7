/**
 * Gap recovery's two FIFO queues, each with one message group: the recovery queue carries jobs and their
 * continuations (one recovery at a time, in order), the re-run queue one message per recovered hour for the hourly
 * detections (one hour at a time, oldest first).
 */
import { GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { hourStart, parseHour } from '../../schema/layout.ts';
import type { RecoveryJob, RecoveryRuntime } from './context.ts';

/** The recovery queue's one message group: jobs run one at a time, in order. */
export const RECOVERY_MESSAGE_GROUP = 'recover-gap';
/** Deduplication id of every start: two starts within SQS's 5-minute interval are one. */
export const START_DEDUPLICATION_ID = 'start';
/** SendMessageBatch takes at most 10 entries. */
const SQS_BATCH = 10;

/** The body of a re-run message: the scheduled time of the hourly run that covers `hour`. */
export const rerunBody = (hour: string): string => JSON.stringify({ scheduled_time: new Date(hourStart(parseHour(hour)).getTime() + 3_600_000).toISOString() });

/** The re-run queue's one message group: the hourly detections re-run one hour at a time, oldest first. */
export const RERUN_MESSAGE_GROUP = 'hourly-reruns';

/** One message per hour on the re-run queue, deduplicated per job and hour; a refused entry is an error naming it. */
export async function sendReruns(rt: RecoveryRuntime, jobId: string, hours: readonly string[]): Promise<void> {
  for (let i = 0; i < hours.length; i += SQS_BATCH) {
    const batch = hours.slice(i, i + SQS_BATCH);
    const out = await rt.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: rt.config.rerunQueueUrl,
        Entries: batch.map((h) => ({
          Id: h.replace(/[^A-Za-z0-9_-]/g, '_'),
          MessageBody: rerunBody(h),
          MessageGroupId: RERUN_MESSAGE_GROUP,
          MessageDeduplicationId: `${jobId}-${h}`,
        })),
      }),
    );
    if (out.Failed && out.Failed.length > 0) {
      throw new Error(`SQS refused ${out.Failed.length} re-run message(s): ${out.Failed.map((f) => `${f.Id} ${f.Code ?? ''} ${f.Message ?? ''}`.trim()).join('; ')}`);
    }
  }
}

/** Puts a job (new, or a continuation) on the recovery queue. */
export async function sendJob(rt: RecoveryRuntime, job: RecoveryJob, deduplicationId: string): Promise<void> {
  await rt.sqs.send(
    new SendMessageCommand({
      QueueUrl: rt.config.recoveryQueueUrl,
      MessageBody: JSON.stringify(job),
      MessageGroupId: RECOVERY_MESSAGE_GROUP,
      MessageDeduplicationId: deduplicationId,
    }),
  );
}

/** Whether a job waits (visible or delayed) or runs (in flight) on the recovery queue. */
export async function recoveryBusy(rt: RecoveryRuntime): Promise<boolean> {
  const out = await rt.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: rt.config.recoveryQueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return Object.values(out.Attributes ?? {}).some((v) => Number(v) > 0);
}

/** A recovery queue message's body as a job; the error names the message. */
export function parseJob(body: unknown, messageId: string): RecoveryJob {
  const job = (typeof body === 'object' && body !== null ? body : {}) as Partial<RecoveryJob>;
  if (job.version !== 1 || typeof job.id !== 'string' || !Array.isArray(job.windows) || typeof job.current !== 'number' || !Array.isArray(job.hours)) {
    throw new Error(`recover-gap: SQS message ${messageId} is not a recovery job of version 1`);
  }
  return job as RecoveryJob;
}
