/**
 * Findings out, in AWS: each new finding is published to the findings SNS topic (e-mail subscribers read it)
 * and put on EventBridge as `okta-log-lake` / `Okta Detection Finding`, whose detail is the finding exactly as
 * `okta-lake detect --json` prints it plus the `run` that wrote it (and, for a user the inventory knows, their
 * `identity`). A rule on those events invokes refresh-user for the user involved.
 *
 * Every finding is attempted on both channels; throttled calls and failed PutEvents entries are retried with
 * backoff; whatever still failed is reported in one error that names the findings, after all were tried.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { FINDING_EVENT, findingJson, type Finding } from '../core/findings.ts';
import { identityLine, identityOf, type IdentityContext, type IdentityMap } from '../core/identity-context.ts';
import { cascadeMessage, cascadeSeverity, cascadeSubject, type CascadeNotice } from './cascade-message.ts';
import type { Notifier, NotifyContext } from './notifier.ts';
import { snsSubject } from './sns-text.ts';

export interface AwsNotifierOptions {
  readonly sns: SNSClient;
  readonly events: EventBridgeClient;
  /** The findings topic. */
  readonly topicArn: string;
  /** Name or ARN of the bus the finding events go to. */
  readonly eventBus: string;
  /** A detection's runbook, for the message. @default none: the message points at the detection's folder only */
  readonly runbookFor?: (detectionId: string) => string | undefined;
  /** How to wait between retries. @default a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts per SNS publish (when throttled) and per PutEvents entry, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** First backoff; doubles after each retry. @default 200 */
  readonly retryBaseMs?: number;
  /** Structured log. @default silent */
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * The EventBridge detail of a finding event: the CLI's `detect --json` finding plus the run that wrote it, and for a
 * user finding whose user the inventory knows, `identity`.
 */
export type FindingDetail = ReturnType<typeof findingJson> & { readonly run: string; readonly identity?: IdentityContext };

/** The identity of a user finding's user, when `identities` has it. */
export function findingIdentity(f: Finding, identities: IdentityMap | undefined): IdentityContext | undefined {
  return f.entity.type === 'user' ? identityOf(identities, f.entity.id) : undefined;
}

export function findingDetail(f: Finding, identities?: IdentityMap): FindingDetail {
  const identity = findingIdentity(f, identities);
  return identity ? { ...findingJson(f), run: f.run, identity } : { ...findingJson(f), run: f.run };
}

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_BATCH = 10;

export { MAX_SUBJECT } from './sns-text.ts';

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException']);
const isThrottling = (e: unknown) =>
  typeof e === 'object' && e !== null && (THROTTLING.has(String((e as Error).name)) || (e as { $retryable?: { throttling?: boolean } }).$retryable?.throttling === true);

/** `[HIGH] Brute force against one user: alice@example.com`, cut to SNS's limit. */
export function findingSubject(f: Finding): string {
  return snsSubject(`[${f.severity}] ${f.title || f.detection}: ${f.entity.id}`);
}

const SHOWN_UUIDS = 20;

/** The e-mail body: what, who (with the user's identity when known), when, how many, which events, and what to do. */
export function findingMessage(f: Finding, runbook?: string, identity?: IdentityContext): string {
  const uuids = f.event_uuids.slice(0, SHOWN_UUIDS);
  const more = f.event_count - uuids.length;
  const lines = [
    `${f.severity}: ${f.title || f.detection}`,
    '',
    f.summary,
    '',
    `Detection:  ${f.detection}`,
    `Severity:   ${f.severity}`,
    `Entity:     ${f.entity.type} ${f.entity.id}`,
    ...(identity ? [`Identity:   ${identityLine(identity, f.dt)}`] : []),
    `Window:     ${f.window_start} to ${f.window_end}`,
    `First seen: ${f.first_seen}`,
    `Last seen:  ${f.last_seen}`,
    `Events:     ${f.event_count}`,
    ...(f.actors.length ? [`Users:      ${f.actors.join(', ')}`] : []),
    ...(f.ips.length ? [`IPs:        ${f.ips.join(', ')}`] : []),
    '',
    `Event uuids${more > 0 ? ` (${uuids.length} of ${f.event_count}; the findings table keeps more)` : ''}:`,
    ...uuids.map((u) => `  ${u}`),
    '',
    `Finding id: ${f.finding_id} (findings table, dt=${f.dt}, run=${f.run})`,
    '',
    `Runbook (detections/${f.detection}/detection.yaml):`,
    ...(runbook ? runbook.trimEnd().split('\n').map((l) => `  ${l}`) : ['  see the detection folder']),
  ];
  return lines.join('\n');
}

interface Failure {
  readonly finding_id: string;
  readonly channel: 'sns' | 'eventbridge';
  readonly error: string;
}

export class AwsNotifier implements Notifier {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly log: (message: string, fields: Record<string, unknown>) => void;

  constructor(private readonly options: AwsNotifierOptions) {
    if (!options.topicArn) throw new Error('AwsNotifier: topicArn is empty; pass the findings topic ARN');
    if (!options.eventBus) throw new Error('AwsNotifier: eventBus is empty; pass the event bus name or ARN');
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxAttempts = options.maxAttempts ?? 4;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.log = options.log ?? (() => {});
  }

  async notify(findings: readonly Finding[], context: NotifyContext = {}): Promise<void> {
    if (findings.length === 0) return;
    const failures = [...(await this.publishAll(findings, context.identities)), ...(await this.putAll(findings, context.identities))];
    this.log('findings notified', { findings: findings.length, failed: failures.length });
    if (failures.length > 0) {
      const shown = failures.map((f) => `${f.finding_id} via ${f.channel} (${f.error})`).join('; ');
      throw new Error(`could not notify ${failures.length} of ${findings.length * 2} finding messages: ${shown}`);
    }
  }

  /**
   * The near-time cascade (notify/cascade-message.ts): ONE SNS message about the identity (the triggering finding and
   * every check the user fails now, the new ones marked, with the user's identity line when `context` has it), and each
   * NEW finding on the event bus as `notify` puts it (a rule or a SIEM still sees one event per finding). Nothing when nothing is new. Both channels are attempted; a
   * failure of either throws after, naming what failed.
   */
  async notifyCascade(notice: CascadeNotice, context: NotifyContext = {}): Promise<void> {
    // A finding that escalated is told with what else fails for the user, even when those failures were notified
    // before (last night's posture checks): that is the point of the story. Without a trigger or anything failing,
    // and with nothing new, there is nothing to tell.
    if (notice.newFindings.length === 0 && (notice.trigger === undefined || notice.findings.length === 0)) return;
    const command = new PublishCommand({
      TopicArn: this.options.topicArn,
      Subject: cascadeSubject(notice),
      Message: cascadeMessage(notice, (id) => this.options.runbookFor?.(id), identityOf(context.identities, notice.user.login)),
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: cascadeSeverity(notice) },
        detection: { DataType: 'String', StringValue: notice.trigger?.detection || (notice.newFindings[0] ?? notice.findings[0])!.detection },
        entity_type: { DataType: 'String', StringValue: 'user' },
      },
    });
    const label = `cascade of ${notice.user.login} (${(notice.newFindings.length ? notice.newFindings : notice.findings).map((f) => f.finding_id).join(', ')})`;
    const published = await this.publish(command, label);
    const failures = [...(published ? [published] : []), ...(await this.putAll(notice.newFindings, context.identities))];
    this.log('cascade notified', { user: notice.user.login, findings: notice.findings.length, new: notice.newFindings.length, failed: failures.length });
    if (failures.length > 0) {
      const shown = failures.map((f) => `${f.finding_id} via ${f.channel} (${f.error})`).join('; ');
      throw new Error(`could not notify ${failures.length} of ${notice.newFindings.length + 1} cascade messages: ${shown}`);
    }
  }

  private backoff(attempt: number): number {
    return this.retryBaseMs * 2 ** (attempt - 1);
  }

  private async publishAll(findings: readonly Finding[], identities: IdentityMap | undefined): Promise<Failure[]> {
    const failures: Failure[] = [];
    for (const f of findings) {
      const command = new PublishCommand({
        TopicArn: this.options.topicArn,
        Subject: findingSubject(f),
        Message: findingMessage(f, this.options.runbookFor?.(f.detection), findingIdentity(f, identities)),
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: f.severity },
          detection: { DataType: 'String', StringValue: f.detection },
          entity_type: { DataType: 'String', StringValue: f.entity.type },
        },
      });
      const failure = await this.publish(command, f.finding_id);
      if (failure) failures.push(failure);
    }
    return failures;
  }

  /** Publishes one message, retrying while throttled; the failure (named `id`) when it could not. */
  private async publish(command: PublishCommand, id: string): Promise<Failure | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.sns.send(command);
        return undefined;
      } catch (e) {
        if (isThrottling(e) && attempt < this.maxAttempts) {
          await this.sleep(this.backoff(attempt));
          continue;
        }
        this.log('SNS publish failed', { finding_id: id, error: String(e) });
        return { finding_id: id, channel: 'sns', error: (e as Error).name || String(e) };
      }
    }
  }

  private async putAll(findings: readonly Finding[], identities?: IdentityMap): Promise<Failure[]> {
    const failures: Failure[] = [];
    for (let i = 0; i < findings.length; i += PUT_EVENTS_BATCH) {
      failures.push(...(await this.putBatch(findings.slice(i, i + PUT_EVENTS_BATCH), identities)));
    }
    return failures;
  }

  /** Puts up to 10 events, retrying only the entries that failed, until they succeed or attempts run out. */
  private async putBatch(batch: readonly Finding[], identities: IdentityMap | undefined): Promise<Failure[]> {
    let pending = batch.map((f) => ({
      finding: f,
      entry: {
        Source: FINDING_EVENT.source,
        DetailType: FINDING_EVENT.detailType,
        Detail: JSON.stringify(findingDetail(f, identities)),
        EventBusName: this.options.eventBus,
      } satisfies PutEventsRequestEntry,
      error: '',
    }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      let retry: typeof pending;
      try {
        const result = await this.options.events.send(new PutEventsCommand({ Entries: pending.map((p) => p.entry) }));
        const failed = result.FailedEntryCount ?? 0;
        const entries = result.Entries ?? [];
        if (failed > 0 && entries.length !== pending.length) {
          // Results do not line up with the request: which entries failed is unknown, so all are repeated.
          retry = pending.map((p) => ({ ...p, error: `${failed} entries failed (no per-entry result)` }));
        } else {
          retry = pending
            .map((p, i) => ({ ...p, error: entries[i]?.ErrorCode ? `${entries[i]!.ErrorCode}: ${entries[i]!.ErrorMessage ?? ''}`.trim() : '' }))
            .filter((p) => p.error !== '');
        }
        if (retry.length > 0) this.log('PutEvents entries failed', { attempt, failed: retry.length, errors: retry.map((p) => p.error) });
      } catch (e) {
        // The whole call failed: every entry is still pending. Only throttling is worth repeating.
        retry = pending.map((p) => ({ ...p, error: (e as Error).name || String(e) }));
        if (!isThrottling(e)) attempt = this.maxAttempts;
        this.log('PutEvents failed', { attempt, error: String(e) });
      }
      if (retry.length === 0) return [];
      if (attempt >= this.maxAttempts) {
        return retry.map((p) => ({ finding_id: p.finding.finding_id, channel: 'eventbridge' as const, error: p.error || 'failed' }));
      }
      pending = retry;
      await this.sleep(this.backoff(attempt));
    }
    return [];
  }
}
