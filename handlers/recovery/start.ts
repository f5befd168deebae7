/**
 * The three ways a recovery is asked for (the okta-silent alarm, the hourly check, by hand) only decide: is Okta's
 * log stream ACTIVE, where is the lake silent (core/lake-silences.ts)? The windows it misses go to the recovery
 * queue as a job; only the queue's consumer (job.ts) reads Okta.
 */
import { createHash, randomUUID } from 'node:crypto';
import { findLakeSilences, type RecoveryWindow } from '../../core/lake-silences.ts';
import { apiNotConfigured, apiSecretInvalid, nothingMissing, streamIsOff } from '../../core/recovery-report.ts';
import { parseIsoInstant } from '../../schema/layout.ts';
import type { OktaAccess } from '../okta-secret.ts';
import { logStreamStatus, publish, reportNames, type RecoveryJob, type RecoveryOutcome, type RecoveryRuntime, type RecoveryTrigger } from './context.ts';
import { recoveryBusy, sendJob, START_DEDUPLICATION_ID } from './queues.ts';

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
    if (trigger === 'alarm') await publish(rt, nothingMissing(newest, stream, reportNames(config)));
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

/** No usable credentials: the alarm (and a request by hand, and a queued job) say so once; the hourly check logs it. */
export async function accessMissing(
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
    await publish(rt, apiSecretInvalid(reportNames(config), access.problem));
    return outcome;
  }
  // Best effort: the windows the lake misses, so the message can say what to recover by hand.
  const windows =
    known ??
    (await findLakeSilences(rt.engine, { now: now(), silenceMinutes: config.silenceMinutes, landingLagSeconds: config.landingLagSeconds, streamOff: false })
      .then((s) => s.windows)
      .catch(() => []));
  await publish(rt, apiNotConfigured(reportNames(config), windows, trigger));
  return outcome;
}

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
