/**
 * Gap recovery: when Okta's log stream goes silent, the missing window is read back from the System Log API into
 * the lake, the hourly detections re-run the hours it filled, and the ops topic is told what happened.
 *
 * Four ways in, one function (`recoverGapEntry`):
 * - the okta-silent alarm going to ALARM (an EventBridge `CloudWatch Alarm State Change` event);
 * - the hourly check from EventBridge Scheduler, `{"scheduled_time": ..., "check": "log-stream"}`;
 * - by hand, `{"since": "<ISO>", "until": "<ISO>"}` (the ops messages print the command);
 * - a job on the recovery queue (SQS, one record per invocation).
 *
 * The first three only decide (start.ts). They ask Okta whether our log stream is ACTIVE (`listLogStreams`: the aws_eventbridge
 * stream with our event source name) and the lake where it is silent (core/lake-silences.ts); a recovery is needed
 * when the lake misses a window: its newest event is older than the silence threshold plus the landing delay, or a
 * recent hole as long as the threshold, or any tail at all while Okta reports the stream off. The windows go to the
 * recovery queue as a job. Only the queue's consumer reads Okta, and the queue is FIFO with one message group, so two
 * recoveries never run at once (the alarm and the hourly check can fire together; a recovery can outlast an hour);
 * a decision is skipped while a job waits or runs, and two starts within SQS's 5-minute deduplication interval are
 * one. (Reserved concurrency 1 would do the same, but AWS refuses it on an account still at the default quota.)
 *
 * The consumer (job.ts) pulls each window with `pullSystemLog` into the api-events Firehose stream (ingest/firehose-sink.ts),
 * in batches; when the invocation is close to its end (`getRemainingTimeInMillis`), or after a transient failure, it
 * puts the job back on the queue with the query cursor after the last batch written and the counts so far, and
 * returns: the next invocation continues from there, with no gap and no duplicate. Okta's 429s and 5xx are retried by
 * the client itself. When every window is read: one message per recovered hour on the re-run queue (read by the
 * hourly detections, which compute that hour from `scheduled_time` as always), then the ops summary.
 *
 * "API access not configured" (the secret has no value) is said once per alarm, never retried; the hourly check
 * stays quiet about it (the alarm already spoke).
 */
import { isSqsEvent, sqsJsonBodies } from '../sqs-event.ts';
import type { RecoveryOutcome, RecoveryRuntime, RemainingTime } from './context.ts';
import { processJob } from './job.ts';
import { parseJob } from './queues.ts';
import { manualWindow, requestRecovery } from './start.ts';

const EXPECTED =
  'expected a CloudWatch Alarm State Change event of the okta-silent alarm, {"scheduled_time": "<ISO>", "check": "log-stream"}, ' +
  '{"since": "<ISO>", "until": "<ISO>"}, or an SQS event of the recovery queue';

/** The function's entry: an SQS event (one job per record), or one of the three ways to ask for a recovery. */
export async function recoverGapEntry(rt: RecoveryRuntime, event: unknown, context: RemainingTime, now: () => Date): Promise<RecoveryOutcome | RecoveryOutcome[]> {
  if (isSqsEvent(event)) {
    const out: RecoveryOutcome[] = [];
    for (const { messageId, body } of sqsJsonBodies(event, 'recover-gap')) out.push(await processJob(rt, parseJob(body, messageId), context, now));
    return out;
  }
  if (isAlarmEvent(event)) {
    const { alarmName, state } = event.detail;
    if (alarmName !== rt.config.silenceAlarmName || state?.value !== 'ALARM') {
      const reason = `alarm ${String(alarmName)} went to ${String(state?.value)}; only ${rt.config.silenceAlarmName} going to ALARM starts a recovery`;
      rt.log.info('alarm event ignored', { reason });
      return { action: 'ignored', reason };
    }
    return requestRecovery(rt, 'alarm', now);
  }
  if (typeof event === 'object' && event !== null && 'scheduled_time' in event) {
    const check = (event as { check?: unknown }).check;
    if (check !== undefined && check !== 'log-stream') throw new Error(`recover-gap: unknown check ${JSON.stringify(check)}; ${EXPECTED}`);
    return requestRecovery(rt, 'check', now);
  }
  if (typeof event === 'object' && event !== null && 'since' in event) return requestRecovery(rt, 'manual', now, manualWindow(event as { since?: unknown; until?: unknown }, now()));
  throw new Error(`recover-gap: ${EXPECTED}; got ${JSON.stringify(event)?.slice(0, 200)}`);
}

interface AlarmEventShape {
  readonly source: 'aws.cloudwatch';
  readonly 'detail-type': 'CloudWatch Alarm State Change';
  readonly detail: { readonly alarmName?: unknown; readonly state?: { readonly value?: unknown } };
}

const isAlarmEvent = (event: unknown): event is AlarmEventShape =>
  typeof event === 'object' &&
  event !== null &&
  (event as { source?: unknown }).source === 'aws.cloudwatch' &&
  (event as { 'detail-type'?: unknown })['detail-type'] === 'CloudWatch Alarm State Change' &&
  typeof (event as { detail?: unknown }).detail === 'object';
