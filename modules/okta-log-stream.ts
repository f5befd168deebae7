/**
 * The Okta side: an `aws_eventbridge` log stream, ACTIVE, delivering to this stack's account and region.
 *
 * Okta fixes the settings (account id, region, event source name) at creation: changing one replaces the
 * stream, and Okta allows at most two log streams per org. Okta creates the partner event source
 * `aws.partner/okta.com/<org>/<eventSourceName>` in the target account; events sent before the matching bus
 * exists are dropped, so the bus is created right after the stream (see `partner-bus.ts`).
 */
import { Construct } from 'constructs';
import { LogStream } from '@cdktf/provider-okta/lib/log-stream/index.js';
import { EVENT_SOURCE_NAME_PATTERN, EVENT_SOURCE_RULE } from '../config/schema.ts';

export interface OktaLogStreamProps {
  /** Okta org name (the subdomain), part of the partner event source name. */
  readonly orgName: string;
  /** Name of the log stream in the Okta Admin Console. */
  readonly name: string;
  /** Event source name in EventBridge: 1-75 characters of `[A-Za-z0-9._]` (no `-`: see `EVENT_SOURCE_NAME_PATTERN`). */
  readonly eventSourceName: string;
  /** AWS account that receives the events (12 digits, or a reference to the caller identity). */
  readonly accountId: string;
  /** AWS region that receives the events; one Okta Log Streaming supports. */
  readonly region: string;
}

export class OktaLogStream extends Construct {
  readonly logStream: LogStream;
  /** `aws.partner/okta.com/<org>/<eventSourceName>`: the partner event source and the bus take exactly this name. */
  readonly partnerEventSourceName: string;

  constructor(scope: Construct, id: string, props: OktaLogStreamProps) {
    super(scope, id);
    if (!EVENT_SOURCE_NAME_PATTERN.test(props.eventSourceName)) {
      throw new Error(`OktaLogStream: eventSourceName "${props.eventSourceName}" ${EVENT_SOURCE_RULE}`);
    }
    this.partnerEventSourceName = `aws.partner/okta.com/${props.orgName}/${props.eventSourceName}`;
    this.logStream = new LogStream(this, 'stream', {
      name: props.name,
      type: 'aws_eventbridge',
      status: 'ACTIVE',
      settings: {
        accountId: props.accountId,
        region: props.region,
        eventSourceName: props.eventSourceName,
      },
    });
  }
}
