/**
 * What gap recovery tells the ops topic, as plain text for e-mail: how long the gap was, how many events came
 * back, which hours the detections re-run, whether Okta's log stream is still off and how to turn it back on.
 * Pure functions of what the recovery knows, so the wording is tested without AWS.
 */
import { windowsDurationMs, type RecoveryWindow } from './lake-silences.ts';

/** Our log stream as Okta reports it (`GET /api/v1/logStreams`). */
export type StreamStatus =
  | { readonly state: 'ACTIVE' | 'INACTIVE'; readonly id: string; readonly name: string }
  /** No aws_eventbridge stream with our event source name: deleted in the Admin Console. */
  | { readonly state: 'NOT_FOUND' }
  /** Okta could not be asked (missing scope, network): the message says why. */
  | { readonly state: 'UNKNOWN'; readonly error: string };

export const streamIsOff = (s: StreamStatus): boolean => s.state === 'INACTIVE' || s.state === 'NOT_FOUND';

/** Names the messages use. */
export interface ReportNames {
  /** The stream's name in the Admin Console (config `okta.logStreamName`). */
  readonly logStreamName: string;
  readonly eventSourceName: string;
  /** The api-events Firehose stream the recovered events went through. */
  readonly deliveryStreamName: string;
  /** The Secrets Manager secret holding the Okta API credentials. */
  readonly secretArn: string;
  /** The recover-gap function, which also takes a window by hand. */
  readonly functionName: string;
}

/** The command that recovers a window by hand (the function takes `{"since", "until"}`). */
export const manualRecovery = (names: ReportNames, since: string, until: string): string =>
  `aws lambda invoke --function-name ${names.functionName} --cli-binary-format raw-in-base64-out --payload '{"since":"${since}","until":"${until}"}' /dev/stdout`;

export interface OpsMessage {
  /** Printable ASCII, under 100 characters (SNS). */
  readonly subject: string;
  readonly message: string;
}

const SUBJECT_PREFIX = 'okta-log-lake';

/** `3 h 12 min`, `45 min`, `20 s`. */
export function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 0) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The lines about the log stream: its state and, when it is off, how to turn it back on. */
export function streamLines(stream: StreamStatus, names: ReportNames): string[] {
  const reapply =
    're-apply the plan (npx cdktf deploy, or terraform apply in cdktf.out/stacks/okta-log-lake): its okta_log_stream resource declares status ACTIVE';
  switch (stream.state) {
    case 'ACTIVE':
      return [`Okta reports the log stream "${stream.name}" (${names.eventSourceName}) ACTIVE.`];
    case 'INACTIVE':
      return [
        `The Okta log stream "${stream.name}" (${names.eventSourceName}) is still INACTIVE: Okta delivers nothing to EventBridge until it is`,
        'activated again (Okta turns a stream off after its target fails twice). Until then this recovery runs every hour.',
        `To turn it back on: Okta Admin Console > Reports > Log Streaming > "${stream.name}" > Activate, or ${reapply}.`,
        'Fix the cause first if you know it (the partner event bus deleted, the source not ACTIVE in EventBridge > Partner event sources).',
      ];
    case 'NOT_FOUND':
      return [
        `Okta holds no aws_eventbridge log stream with event source name ${names.eventSourceName} (expected "${names.logStreamName}"):`,
        `it was deleted. Until it exists again this recovery runs every hour. To create it: ${reapply}.`,
      ];
    case 'UNKNOWN':
      return [
        `The log stream's status could not be read from Okta (${stream.error}).`,
        `Check Okta Admin Console > Reports > Log Streaming > "${names.logStreamName}"; the credentials need the scope okta.logStreams.read.`,
      ];
  }
}

export interface RecoverySummaryInput {
  readonly trigger: 'alarm' | 'check';
  readonly windows: readonly RecoveryWindow[];
  /** Events read from Okta in the windows. */
  readonly read: number;
  /** Events written to the lake (read, less the known boundary events and the quarantined). */
  readonly written: number;
  readonly quarantined: number;
  /** Hours (`YYYY-MM-DDTHH`) that received events. */
  readonly hours: readonly string[];
  /** Of those, the hours sent to the hourly detections again. */
  readonly rerunHours: readonly string[];
  /** Seconds before the re-runs start (the api stream's delivery delay). */
  readonly rerunDelaySeconds: number;
  readonly stream: StreamStatus;
  readonly names: ReportNames;
  /** Lambda invocations the recovery took. */
  readonly invocations: number;
}

export function recoverySummary(input: RecoverySummaryInput): OpsMessage {
  const gap = windowsDurationMs(input.windows);
  const off = streamIsOff(input.stream) ? '; log stream still off' : '';
  const subject = `${SUBJECT_PREFIX}: ${count(input.written)} Okta events recovered from a ${duration(gap)} gap${off}`;
  const lines = [
    input.trigger === 'alarm'
      ? 'The okta-silent alarm fired: no Okta event reached EventBridge for a while. The missing window was read back from the Okta System Log API.'
      : 'The hourly check found Okta events missing from the lake. The missing window was read back from the Okta System Log API.',
    '',
    `Gap: ${duration(gap)} in ${input.windows.length === 1 ? 'one window' : `${input.windows.length} windows`} (UTC):`,
    ...input.windows.map((w) => `  ${w.since} to ${w.until} (${duration(windowsDurationMs([w]))})${w.capped ? ' - the lake held no event in the two days before: earlier events, if any, were not read' : ''}`),
    `Events read from Okta: ${count(input.read)}; written to the lake: ${count(input.written)} (through Firehose ${input.names.deliveryStreamName}, under the hour of each event's published time).`,
  ];
  if (input.quarantined > 0) {
    lines.push(`Not written: ${count(input.quarantined)} event(s) Firehose cannot take (too large, or no UTC published time); their uuids are in the recover-gap function's log.`);
  }
  if (input.rerunHours.length > 0) {
    lines.push(
      `Hourly detections re-run in about ${duration(input.rerunDelaySeconds * 1000)} for: ${input.rerunHours.join(', ')}.`,
      'Findings keep their ids and the notification ledger holds what was already sent: only new findings are notified.',
    );
  }
  const later = input.hours.filter((h) => !input.rerunHours.includes(h));
  if (later.length > 0) lines.push(`The scheduled hourly run covers the current hour (${later.join(', ')}) as usual.`);
  if (input.hours.length === 0) lines.push('Okta holds no event in the window: nothing was lost (a quiet org, or the events arrived after all).');
  lines.push('', ...streamLines(input.stream, input.names));
  if (input.invocations > 1) lines.push('', `The recovery took ${input.invocations} function invocations (it continues from its checkpoint).`);
  return { subject: ascii(subject), message: lines.join('\n') };
}

/** No secret value yet: what gap recovery needs, and how to give it. */
export function apiNotConfigured(names: ReportNames, windows: readonly RecoveryWindow[], trigger: 'alarm' | 'check' | 'manual' = 'alarm'): OpsMessage {
  const opening = { alarm: 'The okta-silent alarm fired', check: 'The hourly check found Okta events missing', manual: 'A recovery was asked for' }[trigger];
  const lines = [
    `${opening}, but gap recovery cannot read the missing events back: Okta API access is not configured.`,
    `The Secrets Manager secret ${names.secretArn} has no value yet.`,
    '',
    'To turn recovery on, store an API token or a service app key in it, e.g.:',
    `  aws secretsmanager put-secret-value --secret-id '${names.secretArn}' --secret-string '{"apiToken":"00a..."}'`,
    `  aws secretsmanager put-secret-value --secret-id '${names.secretArn}' --secret-string file://okta-service-app.json`,
    '     where okta-service-app.json is {"clientId":"0oa...","privateKey":"-----BEGIN PRIVATE KEY-----...","keyId":"...","scopes":"okta.logs.read okta.logStreams.read"}',
    'The credentials need the scopes okta.logs.read and okta.logStreams.read (a service app also needs an admin role, e.g. Read-Only Administrator).',
    '',
    `Nothing was recovered this time${trigger === 'alarm' ? '; this message is sent once per alarm' : ''}.`,
  ];
  if (windows.length > 0) {
    lines.push('', 'Once the secret is set, the next hourly check recovers the gap; or now, by hand:', ...windows.map((w) => `  ${manualRecovery(names, w.since, w.until)}`));
  }
  return { subject: ascii(`${SUBJECT_PREFIX}: Okta events missing, gap recovery not configured`), message: lines.join('\n') };
}

/** The secret holds something credentialsFromSecretJson refuses. */
export function apiSecretInvalid(names: ReportNames, problem: string): OpsMessage {
  return {
    subject: ascii(`${SUBJECT_PREFIX}: gap recovery cannot use the Okta API secret`),
    message: [
      `Gap recovery could not use the Okta credentials in ${names.secretArn}: ${problem}`,
      'Nothing was recovered. Put a valid value with aws secretsmanager put-secret-value: {"apiToken": "..."} or {"clientId": "...", "privateKey": "...", "keyId": "..."}.',
    ].join('\n'),
  };
}

/** The alarm fired but the lake misses nothing gap recovery can find. */
export function nothingMissing(newest: string | undefined, stream: StreamStatus, names: ReportNames): OpsMessage {
  return {
    subject: ascii(`${SUBJECT_PREFIX}: okta-silent alarm, no Okta events missing from the lake`),
    message: [
      'The okta-silent alarm fired, but the lake misses no window long enough to read back:',
      newest ? `its newest event was published at ${newest}.` : 'it holds no event at all in the last two days.',
      '',
      ...streamLines(stream, names),
    ].join('\n'),
  };
}

export interface RecoveryFailedInput {
  readonly windows: readonly RecoveryWindow[];
  /** Where the recovery stopped: events before this are in the lake. */
  readonly reachedPublished: string | undefined;
  readonly written: number;
  readonly error: string;
  readonly attempts: number;
  readonly names: ReportNames;
}

/** The recovery gave up: what is in the lake, what is not, and how to finish by hand. */
export function recoveryFailed(input: RecoveryFailedInput): OpsMessage {
  const last = input.windows.at(-1);
  return {
    subject: ascii(`${SUBJECT_PREFIX}: Okta gap recovery failed`),
    message: [
      `Gap recovery stopped after ${input.attempts} attempt(s): ${input.error}`,
      `Events written before it stopped: ${count(input.written)}${input.reachedPublished ? ` (up to ${input.reachedPublished})` : ''}.`,
      'Windows it was recovering (UTC):',
      ...input.windows.map((w) => `  ${w.since} to ${w.until}`),
      '',
      'Once the cause is fixed, the next hourly check recovers the tail and any hole that ended in the last 3 hours by itself; an older window only by hand:',
      ...(last ? [`  ${manualRecovery(input.names, input.reachedPublished ?? input.windows[0]!.since, last.until)}`] : []),
    ].join('\n'),
  };
}

/** Printable ASCII on one line, cut to SNS's subject limit. */
function ascii(text: string): string {
  const line = text.replace(/\s+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim();
  return line.length > 99 ? `${line.slice(0, 98)}~` : line;
}
