/**
 * The org's log streams (`GET /api/v1/logStreams`): which exist, of what type, active or not, with their settings.
 * Gap recovery uses it: Okta turns a stream off after its target fails, and events it did not deliver must then
 * be read back from the System Log. Needs scope `okta.logStreams.read`.
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/LogStream/
 */
import type { OktaClient } from './client.ts';

export interface OktaLogStream {
  readonly id: string;
  readonly name: string;
  /** `aws_eventbridge` or `splunk_cloud_logstreaming`. */
  readonly type: string;
  readonly status: 'ACTIVE' | 'INACTIVE';
  /** For aws_eventbridge: `accountId`, `eventSourceName`, `region`. */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly created?: string;
  readonly lastUpdated?: string;
  readonly [field: string]: unknown;
}

export interface ListLogStreamsOptions {
  /** e.g. `type eq "aws_eventbridge"` or `status eq "ACTIVE"`. */
  readonly filter?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

export async function listLogStreams(client: OktaClient, options: ListLogStreamsOptions = {}): Promise<OktaLogStream[]> {
  const streams: OktaLogStream[] = [];
  for await (const stream of client.list<OktaLogStream>('/api/v1/logStreams', { query: { filter: options.filter }, signal: options.signal })) streams.push(stream);
  return streams;
}
