/**
 * The recovery queue's consumer: pulls each window of a job with `pullSystemLog` into the api-events Firehose stream
 * (ingest/firehose-sink.ts), in batches. When the invocation is close to its end, or after a transient failure, it
 * puts the job back on the queue with the query cursor after the last batch written and the counts so far: the next
 * invocation continues from there, with no gap and no duplicate. When every window is read: one message per
 * recovered hour on the re-run queue, then the ops summary.
 */
import { recoveryFailed, recoverySummary, streamIsOff, type StreamStatus } from '../../core/recovery-report.ts';
import { pullSystemLog, type PullProgress } from '../../core/system-log-pull.ts';
import { FirehoseEventSink } from '../../ingest/firehose-sink.ts';
import { hourLabel } from '../../schema/layout.ts';
import { OktaApiError, OktaConfigError, type OktaClient } from '../../okta-api/index.ts';
import { hourBefore } from '../schedule.ts';
import {
  describeError,
  logStreamStatus,
  publish,
  reportNames,
  type RecoveryJob,
  type RecoveryOutcome,
  type RecoveryRuntime,
  type RemainingTime,
} from './context.ts';
import { sendJob, sendReruns } from './queues.ts';
import { accessMissing } from './start.ts';

/** Stop reading when less than this is left of the invocation: room for one more batch, the continuation, the log. */
export const STOP_MARGIN_MS = 180_000;
/** Events per write (and per checkpoint): 5 System Log pages. */
export const BATCH_EVENTS = 5_000;
/** Invocations in a row that may fail on a transient error before the recovery gives up and says so. */
export const MAX_FAILED_ATTEMPTS = 3;
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
        names: reportNames(config),
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
      names: reportNames(config),
      invocations: job.invocations,
    });
    const message = rerunError
      ? `${summary.message}\n\nThe hourly re-runs could not be queued (${rerunError}). Invoke the hourly-detections function with {"scheduled_time": "<the hour after>"} for: ${rerunHours.join(', ')}.`
      : summary.message;
    await publish(rt, { subject: summary.subject, message });
  }
  return { action: 'completed', job, rerunHours, stream };
}

async function continueLater(rt: RecoveryRuntime, job: RecoveryJob, reason: 'deadline' | 'failure'): Promise<RecoveryOutcome> {
  await sendJob(rt, job, `${job.id}-${job.invocations}`);
  rt.log.info('recovery continues in the next invocation', { job: job.id, reason, window: job.current, read: job.read, written: job.written, invocations: job.invocations });
  return { action: 'continued', job, reason };
}

/** Errors another attempt will not fix: our input or our credentials. */
function isPermanent(e: unknown): boolean {
  if (e instanceof OktaConfigError) return true;
  return e instanceof OktaApiError && (e.kind === 'unauthorized' || e.kind === 'forbidden' || e.kind === 'bad-request' || e.kind === 'not-found');
}
