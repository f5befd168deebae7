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
 * The first three only decide. They ask Okta whether our log stream is ACTIVE (`listLogStreams`: the aws_eventbridge
 * stream with our event source name) and the lake where it is silent (core/lake-silences.ts); a recovery is needed
 * when the lake misses a window: its newest event is older than the silence threshold plus the landing delay, or a
 * recent hole as long as the threshold, or any tail at all while Okta reports the stream off. The windows go to the
 * recovery queue as a job. Only the queue's consumer reads Okta, and the queue is FIFO with one message group, so two
 * recoveries never run at once (the alarm and the hourly check can fire together; a recovery can outlast an hour);
 * a decision is skipped while a job waits or runs, and two starts within SQS's 5-minute deduplication interval are
 * one. (Reserved concurrency 1 would do the same, but AWS refuses it on an account still at the default quota.)
 *
 * The consumer pulls each window with `pullSystemLog` into the api-events Firehose stream (ingest/firehose-sink.ts),
 * in batches; when the invocation is close to its end (`getRemainingTimeInMillis`), or after a transient failure, it
 * puts the job back on the queue with the query cursor after the last batch written and the counts so far, and
 * returns: the next invocation continues from there, with no gap and no duplicate. Okta's 429s and 5xx are retried by
 * the client itself. When every window is read: one message per recovered hour on the re-run queue (read by the
 * hourly detections, which compute that hour from `scheduled_time` as always), then the ops summary.
 *
 * "API access not configured" (the secret has no value) is said once per alarm, never retried; the hourly check
 * stays quiet about it (the alarm already spoke).
 */
import { isSqsEvent, sqsJsonBodies } from './sqs-event.ts';
import { createHash, randomUUID } from 'node:crypto';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { findLakeSilences, type RecoveryWindow } from '../core/lake-silences.ts';
import {
  apiNotConfigured,
  apiSecretInvalid,
  nothingMissing,
  recoveryFailed,
  recoverySummary,
  streamIsOff,
  type OpsMessage,
  type ReportNames,
  type StreamStatus,
} from '../core/recovery-report.ts';
import { pullSystemLog, type PullProgress } from '../core/system-log-pull.ts';
import type { QueryEngine } from '../engines/query-engine.ts';
import { FirehoseEventSink } from '../ingest/firehose-sink.ts';
import { hourLabel, hourStart, parseHour, parseIsoInstant } from '../schema/layout.ts';
import { listLogStreams, OktaApiError, OktaConfigError, OktaNetworkError, type OktaClient, type OktaCredentials } from '../okta-api/index.ts';
import type { OktaAccess } from './okta-secret.ts';
import type { HandlerLog } from './runtime.ts';
import { hourBefore } from './schedule.ts';

/** The recovery queue's one message group: jobs run one at a time, in order. */
export const RECOVERY_MESSAGE_GROUP = 'recover-gap';
/** Deduplication id of every start: two starts within SQS's 5-minute interval are one. */
export const START_DEDUPLICATION_ID = 'start';
/** Stop reading when less than this is left of the invocation: room for one more batch, the continuation, the log. */
export const STOP_MARGIN_MS = 180_000;
/** Events per write (and per checkpoint): 5 System Log pages. */
export const BATCH_EVENTS = 5_000;
/** Invocations in a row that may fail on a transient error before the recovery gives up and says so. */
export const MAX_FAILED_ATTEMPTS = 3;
/** SendMessageBatch takes at most 10 entries. */
const SQS_BATCH = 10;

export interface RecoveryConfig {
  readonly secretArn: string;
  readonly orgUrl: string;
  readonly eventSourceName: string;
  readonly logStreamName: string;
  readonly apiStreamName: string;
  /** Seconds the api-events stream takes to deliver: the re-run queue's delay. */
  readonly apiStreamDelaySeconds: number;
  readonly recoveryQueueUrl: string;
  readonly rerunQueueUrl: string;
  readonly opsTopicArn: string;
  readonly silenceAlarmName: string;
  readonly silenceMinutes: number;
  readonly landingLagSeconds: number;
  /** Minute past each hour the hourly detections run for the hour before (config `schedules.hourlyMinute`). */
  readonly hourlyMinute: number;
  /** This function's name (Lambda sets AWS_LAMBDA_FUNCTION_NAME), for the by-hand command in messages. */
  readonly functionName: string;
}

export interface RecoveryRuntime {
  readonly config: RecoveryConfig;
  readonly engine: QueryEngine;
  readonly firehose: FirehoseClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  /** The Okta credentials, or why there are none (handlers/okta-secret.ts). */
  readonly oktaAccess: () => Promise<OktaAccess>;
  /** An Okta client for the org with these credentials. */
  readonly oktaClient: (credentials: OktaCredentials) => OktaClient;
  readonly log: HandlerLog;
  /** How the Firehose sink waits between retries. */
  readonly sleep: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default randomUUID */
  readonly newId?: () => string;
  /** Events per write and checkpoint. @default BATCH_EVENTS */
  readonly batchEvents?: number;
  /** Events per System Log page. @default 1000 (Okta's maximum) */
  readonly pageSize?: number;
}

/** What Lambda's context offers that the recovery uses. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

export type RecoveryTrigger = 'alarm' | 'check' | 'manual';

/** A recovery in progress: the body of a recovery queue message. */
export interface RecoveryJob {
  readonly version: 1;
  readonly id: string;
  readonly trigger: RecoveryTrigger;
  readonly requestedAt: string;
  /** Oldest first. */
  readonly windows: readonly RecoveryWindow[];
  readonly stream: StreamStatus;
  /** The window being read. */
  readonly current: number;
  /** Where the current window's query continues (a System Log next link); absent: from the window's start. */
  readonly resumeFrom?: string;
  readonly pages: number;
  /** Events read from Okta. */
  readonly read: number;
  readonly written: number;
  readonly quarantined: number;
  /** `published` of the newest event read. */
  readonly lastPublished?: string;
  /** Hours (`YYYY-MM-DDTHH`) that received events, sorted. */
  readonly hours: readonly string[];
  /** Invocations so far. */
  readonly invocations: number;
  /** Invocations in a row that ended on a transient error. */
  readonly failures: number;
}

export type RecoveryOutcome =
  | { readonly action: 'ignored'; readonly reason: string }
  | { readonly action: 'already-running' }
  | { readonly action: 'not-configured' }
  | { readonly action: 'invalid-secret'; readonly problem: string }
  | { readonly action: 'nothing-missing'; readonly newest: string | undefined; readonly stream: StreamStatus }
  | { readonly action: 'queued'; readonly job: RecoveryJob }
  | { readonly action: 'continued'; readonly job: RecoveryJob; readonly reason: 'deadline' | 'failure' }
  | { readonly action: 'completed'; readonly job: RecoveryJob; readonly rerunHours: readonly string[]; readonly stream: StreamStatus }
  | { readonly action: 'failed'; readonly job: RecoveryJob; readonly error: string };

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

/** Decides whether a recovery is needed and, if so, queues it. */
export async function requestRecovery(rt: RecoveryRuntime, trigger: RecoveryTrigger, now: () => Date, manual?: RecoveryWindow): Promise<RecoveryOutcome> {
  const { config, log } = rt;
  // A window asked for by hand waits its turn; the others are not needed while a recovery waits or runs.
  if (!manual && (await recoveryBusy(rt))) {
    log.info('recovery not started: one is already queued or running', { trigger });
    return { action: 'already-running' };
  }
  const access = await rt.oktaAccess();
  if (access.kind !== 'configured') return accessMissing(rt, trigger, access, now);

  const client = rt.oktaClient(access.credentials);
  const stream = await logStreamStatus(client, config.eventSourceName);
  let windows: readonly RecoveryWindow[];
  let newest: string | undefined;
  if (manual) windows = [manual];
  else {
    ({ windows, newest } = await findLakeSilences(rt.engine, {
      now: now(),
      silenceMinutes: config.silenceMinutes,
      landingLagSeconds: config.landingLagSeconds,
      streamOff: streamIsOff(stream),
      alarmed: trigger === 'alarm',
    }));
  }
  log.info('recovery decision', { trigger, stream: stream.state, newest, windows });
  if (windows.length === 0) {
    if (trigger === 'alarm') await publish(rt, nothingMissing(newest, stream, names(config)));
    return { action: 'nothing-missing', newest, stream };
  }
  const id = (rt.newId ?? randomUUID)();
  const job: RecoveryJob = {
    version: 1,
    id,
    trigger,
    requestedAt: now().toISOString(),
    windows,
    stream,
    current: 0,
    pages: 0,
    read: 0,
    written: 0,
    quarantined: 0,
    hours: [],
    invocations: 0,
    failures: 0,
  };
  // Two starts of the same windows within SQS's 5-minute deduplication interval (the alarm and the check at once)
  // are one; a start of other windows is not dropped.
  await sendJob(rt, job, manual ? `manual-${id}` : `${START_DEDUPLICATION_ID}-${createHash('sha256').update(JSON.stringify(windows)).digest('hex').slice(0, 32)}`);
  log.info('recovery queued', { job: id, trigger, windows: windows.length });
  return { action: 'queued', job };
}

/** Reads a job's windows from Okta into the lake, until done or the invocation's end is near. */
export async function processJob(rt: RecoveryRuntime, job: RecoveryJob, context: RemainingTime, now: () => Date): Promise<RecoveryOutcome> {
  const { config, log } = rt;
  const access = await rt.oktaAccess();
  if (access.kind !== 'configured') return accessMissing(rt, job.trigger, access, now, job.windows, true);
  const client = rt.oktaClient(access.credentials);
  const hours = new Set(job.hours);
  const firehose = new FirehoseEventSink({
    firehose: rt.firehose,
    deliveryStreamName: config.apiStreamName,
    sleep: rt.sleep,
    ...(rt.random ? { random: rt.random } : {}),
    log: (message, fields) => log.warn(message, fields),
  });
  let state: RecoveryJob = { ...job, invocations: job.invocations + 1 };
  const nearEnd = () => context.getRemainingTimeInMillis() < STOP_MARGIN_MS;
  const add = (p: PullProgress): RecoveryJob => ({
    ...state,
    pages: state.pages + p.pages,
    read: state.read + p.events,
    written: state.written + p.written,
    quarantined: state.quarantined + p.quarantined,
    ...(p.lastPublished ? { lastPublished: p.lastPublished } : {}),
    hours: [...hours].sort(),
  });
  let windowsDone = 0;

  while (state.current < state.windows.length) {
    if (windowsDone > 0 && nearEnd()) return continueLater(rt, state, 'deadline');
    const window = state.windows[state.current]!;
    const skip = window.skipUuid;
    const sink = {
      write: async (events: readonly object[]) => {
        // The event at `since` is the lake's newest before the silence: it is there already.
        const kept = skip === undefined ? events : events.filter((e) => (e as { uuid?: unknown }).uuid !== skip);
        const wrote = await firehose.write(kept);
        for (const h of wrote.hours) hours.add(h);
        return wrote;
      },
    };
    let checkpoint: { cursor: string | undefined; progress: PullProgress } | undefined;
    try {
      const result = await pullSystemLog({
        client,
        start: state.resumeFrom !== undefined ? { resumeFrom: state.resumeFrom } : { since: window.since, until: window.until, limit: rt.pageSize },
        sink,
        batchEvents: rt.batchEvents ?? BATCH_EVENTS,
        shouldStop: nearEnd,
        checkpoint: (cursor, progress) => void (checkpoint = { cursor, progress }),
      });
      state = add(result);
      if (!result.complete) return continueLater(rt, { ...state, resumeFrom: result.resumeFrom!, failures: 0 }, 'deadline');
      const { resumeFrom: _done, ...rest } = state;
      state = { ...rest, current: state.current + 1, failures: 0 };
      windowsDone++;
    } catch (e) {
      // What the last checkpoint covers is in the lake: count it, and continue (or report) from there.
      const progressed = checkpoint !== undefined && checkpoint.progress.pages > 0;
      if (checkpoint) {
        state = add(checkpoint.progress);
        if (checkpoint.cursor !== undefined) state = { ...state, resumeFrom: checkpoint.cursor };
      }
      const error = describeError(e);
      // Failures count in a row: an invocation that got further before failing starts the count again.
      const failures = progressed || windowsDone > 0 ? 1 : state.failures + 1;
      if (!isPermanent(e) && failures < MAX_FAILED_ATTEMPTS) {
        log.warn('recovery interrupted by an error; continuing from the last checkpoint', { job: state.id, error, failures });
        return continueLater(rt, { ...state, failures }, 'failure');
      }
      log.error('recovery failed', { job: state.id, error, written: state.written });
      await publish(rt, recoveryFailed({
        windows: state.windows.slice(state.current),
        reachedPublished: state.lastPublished,
        written: state.written,
        error,
        attempts: failures,
        names: names(config),
      }));
      return { action: 'failed', job: state, error };
    }
  }
  return complete(rt, state, client, now);
}

async function complete(rt: RecoveryRuntime, job: RecoveryJob, client: OktaClient, now: () => Date): Promise<RecoveryOutcome> {
  const { config, log } = rt;
  // Hours whose scheduled run is still to come (the current hour, and the one before it until its run at
  // `hourlyMinute`) will read what was recovered by themselves; earlier hours run again.
  const lastScheduled = hourLabel(hourBefore(new Date(now().getTime() - config.hourlyMinute * 60_000)));
  const rerunHours = job.hours.filter((h) => h <= lastScheduled);
  let rerunError: string | undefined;
  try {
    await sendReruns(rt, job.id, [...rerunHours].sort());
  } catch (e) {
    rerunError = describeError(e);
    log.error('could not queue the hourly re-runs', { job: job.id, hours: rerunHours, error: rerunError });
  }
  // The status now, for the message: still off, or back?
  const stream = await logStreamStatus(client, config.eventSourceName).catch((): StreamStatus => job.stream);
  log.info('recovery complete', { job: job.id, read: job.read, written: job.written, quarantined: job.quarantined, hours: job.hours, rerun: rerunHours, stream: stream.state, invocations: job.invocations });
  const worthSaying = job.trigger !== 'check' || job.written > 0 || job.quarantined > 0 || streamIsOff(stream) || rerunError !== undefined;
  if (worthSaying) {
    const summary = recoverySummary({
      trigger: job.trigger === 'alarm' ? 'alarm' : 'check',
      windows: job.windows,
      read: job.read,
      written: job.written,
      quarantined: job.quarantined,
      hours: job.hours,
      rerunHours: rerunError ? [] : rerunHours,
      rerunDelaySeconds: config.apiStreamDelaySeconds,
      stream,
      names: names(config),
      invocations: job.invocations,
    });
    const message = rerunError
      ? `${summary.message}\n\nThe hourly re-runs could not be queued (${rerunError}). Invoke the hourly-detections function with {"scheduled_time": "<the hour after>"} for: ${rerunHours.join(', ')}.`
      : summary.message;
    await publish(rt, { subject: summary.subject, message });
  }
  return { action: 'completed', job, rerunHours, stream };
}

/** The body of a re-run message: the scheduled time of the hourly run that covers `hour`. */
export const rerunBody = (hour: string): string => JSON.stringify({ scheduled_time: new Date(hourStart(parseHour(hour)).getTime() + 3_600_000).toISOString() });

/** The re-run queue's one message group: the hourly detections re-run one hour at a time, oldest first. */
export const RERUN_MESSAGE_GROUP = 'hourly-reruns';

async function sendReruns(rt: RecoveryRuntime, jobId: string, hours: readonly string[]): Promise<void> {
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

async function continueLater(rt: RecoveryRuntime, job: RecoveryJob, reason: 'deadline' | 'failure'): Promise<RecoveryOutcome> {
  await sendJob(rt, job, `${job.id}-${job.invocations}`);
  rt.log.info('recovery continues in the next invocation', { job: job.id, reason, window: job.current, read: job.read, written: job.written, invocations: job.invocations });
  return { action: 'continued', job, reason };
}

async function sendJob(rt: RecoveryRuntime, job: RecoveryJob, deduplicationId: string): Promise<void> {
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
async function recoveryBusy(rt: RecoveryRuntime): Promise<boolean> {
  const out = await rt.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: rt.config.recoveryQueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return Object.values(out.Attributes ?? {}).some((v) => Number(v) > 0);
}

/** No usable credentials: the alarm (and a request by hand, and a queued job) say so once; the hourly check logs it. */
async function accessMissing(
  rt: RecoveryRuntime,
  trigger: RecoveryTrigger,
  access: Exclude<OktaAccess, { kind: 'configured' }>,
  now: () => Date,
  known?: readonly RecoveryWindow[],
  queued = false,
): Promise<RecoveryOutcome> {
  const { config, log } = rt;
  const outcome: RecoveryOutcome = access.kind === 'invalid' ? { action: 'invalid-secret', problem: access.problem } : { action: 'not-configured' };
  log.warn('Okta API access is not usable: nothing recovered', { trigger, secret: config.secretArn, access: access.kind, ...(access.kind === 'invalid' ? { problem: access.problem } : {}) });
  if (trigger === 'check' && !queued) return outcome;
  if (access.kind === 'invalid') {
    await publish(rt, apiSecretInvalid(names(config), access.problem));
    return outcome;
  }
  // Best effort: the windows the lake misses, so the message can say what to recover by hand.
  const windows =
    known ??
    (await findLakeSilences(rt.engine, { now: now(), silenceMinutes: config.silenceMinutes, landingLagSeconds: config.landingLagSeconds, streamOff: false })
      .then((s) => s.windows)
      .catch(() => []));
  await publish(rt, apiNotConfigured(names(config), windows, trigger));
  return outcome;
}

/** Our log stream as Okta reports it; UNKNOWN (with the reason) when Okta cannot say. */
export async function logStreamStatus(client: OktaClient, eventSourceName: string): Promise<StreamStatus> {
  try {
    const streams = await listLogStreams(client, { filter: 'type eq "aws_eventbridge"' });
    const ours = streams.find((s) => s.type === 'aws_eventbridge' && s.settings?.eventSourceName === eventSourceName);
    if (!ours) return { state: 'NOT_FOUND' };
    return { state: ours.status === 'ACTIVE' ? 'ACTIVE' : 'INACTIVE', id: ours.id, name: ours.name };
  } catch (e) {
    if (e instanceof OktaApiError || e instanceof OktaNetworkError || e instanceof OktaConfigError) return { state: 'UNKNOWN', error: e.message };
    throw e;
  }
}

async function publish(rt: RecoveryRuntime, message: OpsMessage): Promise<void> {
  try {
    await rt.sns.send(new PublishCommand({ TopicArn: rt.config.opsTopicArn, Subject: message.subject, Message: message.message }));
  } catch (e) {
    // The work is done (or was refused for good): a failed notice must not redo it.
    rt.log.error('could not publish to the ops topic', { subject: message.subject, error: describeError(e) });
  }
}

/** Errors another attempt will not fix: our input or our credentials. */
function isPermanent(e: unknown): boolean {
  if (e instanceof OktaConfigError) return true;
  return e instanceof OktaApiError && (e.kind === 'unauthorized' || e.kind === 'forbidden' || e.kind === 'bad-request' || e.kind === 'not-found');
}

const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

const names = (c: RecoveryConfig): ReportNames => ({
  logStreamName: c.logStreamName,
  eventSourceName: c.eventSourceName,
  deliveryStreamName: c.apiStreamName,
  secretArn: c.secretArn,
  functionName: c.functionName,
});

/** `{"since", "until"}` of a request by hand, checked: ISO instants with a zone, since before until, until not ahead of now. */
export function manualWindow(input: { since?: unknown; until?: unknown }, now: Date): RecoveryWindow {
  const since = parseIsoInstant(input.since);
  const until = input.until === undefined ? now : parseIsoInstant(input.until);
  const form = 'give {"since": "2026-11-25T01:00:00Z", "until": "2026-11-25T04:00:00Z"} (ISO-8601 with a zone; until defaults to now)';
  if (!since) throw new Error(`recover-gap: since ${JSON.stringify(input.since)} is not an ISO-8601 instant; ${form}`);
  if (!until) throw new Error(`recover-gap: until ${JSON.stringify(input.until)} is not an ISO-8601 instant; ${form}`);
  if (since.getTime() >= until.getTime()) throw new Error(`recover-gap: since ${since.toISOString()} is not before until ${until.toISOString()}; ${form}`);
  const end = until.getTime() > now.getTime() ? now : until;
  return { since: since.toISOString(), until: end.toISOString() };
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

/** A recovery queue message's body as a job; the error names the message. */
export function parseJob(body: unknown, messageId: string): RecoveryJob {
  const job = (typeof body === 'object' && body !== null ? body : {}) as Partial<RecoveryJob>;
  if (job.version !== 1 || typeof job.id !== 'string' || !Array.isArray(job.windows) || typeof job.current !== 'number' || !Array.isArray(job.hours)) {
    throw new Error(`recover-gap: SQS message ${messageId} is not a recovery job of version 1`);
  }
  return job as RecoveryJob;
}
