/**
 * The refresh-user invocation: one user's activity today so far and the daily checks for them, now
 * (core/refresh-user.ts). Two ways in:
 *
 * - a finding event (`source` okta-log-lake, `detail-type` Okta Detection Finding) put on the bus by any run;
 *   the user is `detail.entity.id` when `detail.entity.type` is `user`. This is the near-time escalation: a
 *   rule on those events puts them on a FIFO queue (one message group), and the queue invokes this function
 *   with one SQS record at a time, so refreshes never overlap (modules/findings.ts says why);
 * - a direct invocation `{"user": "<login or Okta user id>"}` (an analyst, a runbook step, a test).
 *
 * How the escalation loop ends: the findings a refresh writes belong to the run `refresh-<hash>`, and they are
 * put on the bus like any other new finding (they are real findings, e.g. a new country). Their events come
 * back here, and a finding event whose `detail.run` starts with `refresh-` is acknowledged without refreshing
 * anyone. So an hourly or daily finding causes exactly one refresh hop, never a chain. (The rule can also drop
 * them before they invoke anything: `"run": [{"anything-but": {"prefix": "refresh-"}}]`.) A refresh notifies
 * only findings whose id the lake did not hold, and those ids hash (detection, user, day), so repeated
 * escalations of one user in a day notify each finding once.
 *
 * The cascade: with Okta API access and the inventory on, the refresh re-reads the user's factors, devices and admin
 * roles before their posture checks (handlers/refresh-okta.ts). What goes out is ONE message about the identity
 * (notify/cascade-message.ts): the finding that escalated, every check the user fails now with the new ones marked,
 * and what was re-read; each new finding still goes on the bus on its own. Nothing new, no message. The ledger
 * records the new findings once the message went out.
 */
import { isSqsEvent, sqsJsonBodies } from './sqs-event.ts';
import { refreshUser, InvalidUserError } from '../core/refresh-user.ts';
import { dayOf, parseIsoInstant } from '../schema/layout.ts';
import { FINDING_EVENT } from '../core/findings.ts';
import { recordNotified } from '../core/notification-ledger.ts';
import { notifiedIdentities } from './identities.ts';
import type { Runtime } from './runtime.ts';
import type { RefreshInventory, RefreshOkta } from './refresh-okta.ts';
import type { FetchedUserEvents, OktaFetch } from '../core/user-events-fetch.ts';
import type { InventorySummary } from '../core/inventory-collect.ts';
import type { CascadeNotice, CascadeTrigger } from '../notify/cascade-message.ts';

/** The run name prefix of refresh runs: their findings do not escalate again. */
export const REFRESH_RUN_PREFIX = 'refresh-';

export type RefreshRequest =
  | {
      readonly kind: 'refresh';
      readonly user: string;
      readonly via: 'event' | 'direct';
      readonly day?: string;
      readonly finding_id?: string;
      /** The finding that escalated (from the event's detail), for the cascade's message. */
      readonly trigger?: CascadeTrigger;
    }
  | { readonly kind: 'skip'; readonly reason: string; readonly finding_id?: string };

interface FindingEventShape {
  readonly source?: unknown;
  readonly 'detail-type'?: unknown;
  readonly detail?: {
    readonly finding_id?: unknown;
    readonly run?: unknown;
    readonly window_start?: unknown;
    readonly entity?: { readonly type?: unknown; readonly id?: unknown };
  } & Readonly<Record<string, unknown>>;
}

const TRIGGER_FIELDS = ['finding_id', 'detection', 'title', 'severity', 'summary', 'window_start', 'window_end', 'run'] as const;

/** The text fields of a finding event's detail (aws-notifier.ts findingDetail), for the message; others are dropped. */
function triggerOf(detail: NonNullable<FindingEventShape['detail']>): CascadeTrigger {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const fields = Object.fromEntries(TRIGGER_FIELDS.flatMap((k) => (text(detail[k]) === undefined ? [] : [[k, text(detail[k])!]])));
  const entity = Object.fromEntries(Object.entries({ type: text(detail.entity?.type), id: text(detail.entity?.id) }).filter(([, v]) => v !== undefined));
  return { ...fields, entity };
}

/** What an invocation asks for; the error says which inputs are understood. */
export function refreshRequest(event: unknown): RefreshRequest {
  const expected =
    `expected a finding event (source "${FINDING_EVENT.source}", detail-type "${FINDING_EVENT.detailType}") ` +
    `or {"user": "<login or Okta user id>", "day": "<YYYY-MM-DD, optional>"}`;
  if (typeof event !== 'object' || event === null) throw new Error(`refresh-user: ${expected}; got ${JSON.stringify(event)}`);
  const direct = (event as { user?: unknown }).user;
  if (direct !== undefined) {
    if (typeof direct !== 'string' || direct.trim() === '') throw new Error(`refresh-user: "user" must be a non-empty string; got ${JSON.stringify(direct)}`);
    const day = (event as { day?: unknown }).day;
    if (day !== undefined && typeof day !== 'string') throw new Error(`refresh-user: "day" must be a YYYY-MM-DD string; got ${JSON.stringify(day)}`);
    return { kind: 'refresh', user: direct.trim(), via: 'direct', ...(day === undefined ? {} : { day }) };
  }
  const e = event as FindingEventShape;
  if (e.source !== FINDING_EVENT.source || e['detail-type'] !== FINDING_EVENT.detailType || typeof e.detail !== 'object' || e.detail === null) {
    throw new Error(`refresh-user: ${expected}; got source ${JSON.stringify(e.source)}, detail-type ${JSON.stringify(e['detail-type'])}`);
  }
  const findingId = typeof e.detail.finding_id === 'string' ? e.detail.finding_id : undefined;
  const base = findingId === undefined ? {} : { finding_id: findingId };
  if (typeof e.detail.run === 'string' && e.detail.run.startsWith(REFRESH_RUN_PREFIX)) {
    return { kind: 'skip', reason: `the finding comes from a refresh (run ${e.detail.run}); refresh findings do not escalate again`, ...base };
  }
  const type = e.detail.entity?.type;
  const id = e.detail.entity?.id;
  if (type !== 'user') return { kind: 'skip', reason: `the finding is about ${JSON.stringify(type)}, not a user`, ...base };
  if (typeof id !== 'string' || id.trim() === '') throw new Error(`refresh-user: the finding event has no detail.entity.id for its user`);
  // The day of the finding's window, not of the clock: an hour's run and its escalation may straddle midnight.
  const windowStart = parseIsoInstant(e.detail.window_start);
  return { kind: 'refresh', user: id.trim(), via: 'event', ...(windowStart ? { day: dayOf(windowStart) } : {}), ...base, trigger: triggerOf(e.detail) };
}

export type RefreshInvocationResult =
  | { readonly refreshed: false; readonly reason: string }
  | {
      readonly refreshed: true;
      readonly user: string;
      readonly day: string;
      readonly found: boolean;
      readonly run: string | null;
      readonly findings: number;
      readonly notified: readonly string[];
      /** What was fetched from Okta first, or why the lake was used alone. */
      readonly okta: FetchedUserEvents | { readonly lakeOnly: string };
      /** The user's inventory re-read from Okta before the checks, or why it was not. */
      readonly inventory: InventorySummary | { readonly notRead: string };
    };

export async function refreshInvocation(runtime: Runtime, event: unknown, now: () => Date, okta?: RefreshOkta): Promise<RefreshInvocationResult> {
  const request = refreshRequest(event);
  if (request.kind === 'skip') {
    runtime.log.info('refresh skipped', { reason: request.reason, finding_id: request.finding_id });
    return { refreshed: false, reason: request.reason };
  }
  // The user's newest events from Okta first, when the stack gave this function API access and the secret has a value.
  const access = okta ? await okta() : { reason: 'no Okta API access configured for this function: the refresh used the lake only' };
  if (!access.fetch) runtime.log.info('refresh without the Okta API', { reason: access.reason });
  let lakeOnly = access.fetch ? undefined : access.reason;
  const inventory = access.fetch && 'source' in access.inventory ? access.inventory : undefined;
  const inventoryOff = access.fetch && 'off' in access.inventory ? access.inventory.off : undefined;
  const refresh = (fetch: OktaFetch | undefined, inv: RefreshInventory | undefined) =>
    refreshUser({
      engine: runtime.engine,
      catalog: runtime.catalog,
      thresholds: runtime.thresholds,
      disabled: runtime.disabled,
    exclusions: runtime.exclusions,
      user: request.user,
      now,
      ...(request.day === undefined ? {} : { day: request.day }),
      ...(fetch ? { fetch } : {}),
      ...(inv ? { inventory: inv } : {}),
    });
  let result;
  try {
    try {
      result = await refresh(access.fetch, inventory);
    } catch (e) {
      // Okta or the api-events stream failing must not cost the refresh (nor hold the escalation queue with
      // retries): the lake still answers. An invalid user is not Okta's fault: handled below.
      if (!access.fetch || e instanceof InvalidUserError) throw e;
      lakeOnly = `fetching from Okta failed (${(e as Error).message}): the refresh used the lake only`;
      runtime.log.warn('refresh without the Okta API', { user: request.user, reason: lakeOnly });
      result = await refresh(undefined, undefined);
    }
  } catch (e) {
    // A user id a finding carries that is not a valid login will not become valid on a retry: say so loudly
    // and acknowledge the event. A direct caller gets the error.
    if (e instanceof InvalidUserError && request.via === 'event') {
      runtime.log.error('refresh refused: the finding names no valid user', { user: request.user, finding_id: request.finding_id, error: e.message });
      return { refreshed: false, reason: e.message };
    }
    throw e;
  }
  const fresh = result.newFindings;
  const identity: InventorySummary | { readonly notRead: string } = result.inventory ?? {
    notRead: lakeOnly ?? inventoryOff ?? (result.found ? 'Okta has no such user' : 'the lake does not know the user: nothing was refreshed'),
  };
  runtime.log.info('refresh done', {
    user: request.user,
    via: request.via,
    finding_id: request.finding_id,
    day: result.day,
    found: result.found,
    run: result.run,
    findings: result.findings.length,
    new: fresh.length,
    fetched: result.fetched,
    inventory: identity,
  });
  for (const s of result.inventory?.skipped ?? []) runtime.log.warn('refresh inventory part skipped', { user: request.user, part: s.part, reason: s.reason });
  const context = { identities: await notifiedIdentities(runtime, fresh) };
  const notice: CascadeNotice = {
    user: { login: result.login || request.user, id: result.user_id },
    day: result.day,
    run: result.run,
    trigger: request.trigger,
    findings: result.findings,
    newFindings: fresh,
    inventory: identity,
  };
  // One message about the identity; a notifier that cannot compose one announces each new finding.
  if (runtime.notifier.notifyCascade) await runtime.notifier.notifyCascade(notice, context);
  else await runtime.notifier.notify(fresh, context);
  // Only once the notification went out: a retry after a failed one notifies again (at least once).
  await recordNotified(runtime.engine, fresh, now);
  return {
    refreshed: true,
    user: request.user,
    day: result.day,
    found: result.found,
    run: result.run,
    findings: result.findings.length,
    notified: fresh.map((f) => f.finding_id),
    okta: result.fetched ?? { lakeOnly: lakeOnly ?? 'Okta does not know the user' },
    inventory: identity,
  };
}

/**
 * What the function's entry point runs: an SQS event from the escalation queue (one refresh per record, in
 * order; a failure throws, so the message is received again and, after its last receive, dead-lettered), or a
 * single event (a direct invocation).
 */
export async function refreshEntry(
  runtime: Runtime,
  event: unknown,
  now: () => Date,
  okta?: RefreshOkta,
): Promise<RefreshInvocationResult | RefreshInvocationResult[]> {
  if (!isSqsEvent(event)) return refreshInvocation(runtime, event, now, okta);
  const results: RefreshInvocationResult[] = [];
  // Each record's body is one finding event, as the escalation rule put it on the queue.
  for (const { body } of sqsJsonBodies(event, 'refresh-user')) results.push(await refreshInvocation(runtime, body, now, okta));
  return results;
}
