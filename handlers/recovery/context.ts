/**
 * What every part of gap recovery shares: its configuration, the runtime it is given (clients and settings),
 * the job that travels on the recovery queue, the outcomes it reports, and the two calls every part makes: the ops
 * topic, and Okta's view of our log stream.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { RecoveryWindow } from '../../core/lake-silences.ts';
import type { OpsMessage, ReportNames, StreamStatus } from '../../core/recovery-report.ts';
import type { QueryEngine } from '../../engines/query-engine.ts';
import { listLogStreams, OktaApiError, OktaConfigError, OktaNetworkError, type OktaClient, type OktaCredentials } from '../../okta-api/index.ts';
import type { OktaAccess } from '../okta-secret.ts';
import type { HandlerLog } from '../runtime.ts';

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

/** Publishes to the ops topic; a failure is logged, never thrown (the work it reports is done). */
export async function publish(rt: RecoveryRuntime, message: OpsMessage): Promise<void> {
  try {
    await rt.sns.send(new PublishCommand({ TopicArn: rt.config.opsTopicArn, Subject: message.subject, Message: message.message }));
  } catch (e) {
    // The work is done (or was refused for good): a failed notice must not redo it.
    rt.log.error('could not publish to the ops topic', { subject: message.subject, error: describeError(e) });
  }
}

export const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** The names the ops messages use. */
export const reportNames = (c: RecoveryConfig): ReportNames => ({
  logStreamName: c.logStreamName,
  eventSourceName: c.eventSourceName,
  deliveryStreamName: c.apiStreamName,
  secretArn: c.secretArn,
  functionName: c.functionName,
});
