/**
 * refresh-user's way to Okta in AWS: the credentials from the Okta API secret (read once found), an Okta client, the
 * api-events Firehose stream as the sink, and a wait until what it wrote has landed in S3 (the stream's delivery
 * time at most), so the day rebuilt right after includes it. Only the refresh-user entry imports this module: the
 * other functions' bundles do not carry the Firehose, Secrets Manager and Okta clients.
 *
 * Without a secret value, refresh-user works on the lake alone and says so in its log and result.
 */
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { OktaFetch } from '../core/user-events-fetch.ts';
import { FirehoseEventSink } from '../ingest/firehose-sink.ts';
import { waitForLanding } from '../ingest/s3-landing.ts';
import { OktaClient, OktaConfigError, parseOrgUrl, type OktaClientOptions } from '../okta-api/index.ts';
import { HANDLER_ENV, RECOVERY_ENV } from './env.ts';
import { oktaAccessOnce } from './okta-secret.ts';
import { HandlerConfigError, requiredVariable, type HandlerLog } from './runtime.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface RefreshOktaConfig {
  readonly secretArn: string;
  readonly orgUrl: URL;
  readonly apiStreamName: string;
  /** Seconds the api-events stream takes to deliver: how long a refresh waits for what it fetched. */
  readonly deliverySeconds: number;
  readonly bucket: string;
}

/** The Okta part of refresh-user's environment (the stack sets all of it). */
export function readRefreshOktaConfig(env: Env): RefreshOktaConfig {
  const v = (key: keyof typeof RECOVERY_ENV, what: string) => requiredVariable(env, RECOVERY_ENV[key], what);
  let orgUrl: URL;
  try {
    orgUrl = parseOrgUrl(v('oktaOrgUrl', 'the Okta org URL, e.g. https://acme.okta.com'), RECOVERY_ENV.oktaOrgUrl);
  } catch (e) {
    if (e instanceof OktaConfigError) throw new HandlerConfigError(`environment variable ${e.message}`);
    throw e;
  }
  const delay = Number(v('apiStreamDelaySeconds', "the api-events stream's delivery time in seconds"));
  if (!Number.isInteger(delay) || delay < 1 || delay > 900) {
    throw new HandlerConfigError(`environment variable ${RECOVERY_ENV.apiStreamDelaySeconds} must be a whole number of seconds from 1 to 900`);
  }
  return {
    secretArn: v('oktaSecretArn', 'the ARN of the Okta API secret'),
    orgUrl,
    apiStreamName: v('apiStreamName', 'the api-events Firehose stream name'),
    deliverySeconds: delay,
    bucket: requiredVariable(env, HANDLER_ENV.bucket, 'the lake bucket name'),
  };
}

export interface RefreshOktaClients {
  readonly secrets: SecretsManagerClient;
  readonly firehose: FirehoseClient;
  readonly s3: S3Client;
}

/** What a refresh asks before it starts: the Okta access to fetch with, or why there is none. */
export type RefreshOkta = () => Promise<{ readonly fetch: OktaFetch } | { readonly fetch?: undefined; readonly reason: string }>;

export function refreshOkta(
  config: RefreshOktaConfig,
  log: HandlerLog,
  options: { clients?: RefreshOktaClients; sleep?: (ms: number) => Promise<void>; now?: () => Date; okta?: Partial<OktaClientOptions> } = {},
): RefreshOkta {
  const clients = options.clients ?? { secrets: new SecretsManagerClient({}), firehose: new FirehoseClient({}), s3: new S3Client({}) };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? (() => new Date());
  const access = oktaAccessOnce(clients.secrets, config.secretArn);
  let client: OktaClient | undefined;
  const sink = new FirehoseEventSink({ firehose: clients.firehose, deliveryStreamName: config.apiStreamName, sleep, log: (m, f) => log.info(m, f) });
  return async () => {
    const found = await access();
    if (found.kind === 'not-configured') return { reason: `the Okta API secret ${config.secretArn} has no value yet: the refresh used the lake only` };
    if (found.kind === 'invalid') return { reason: `the Okta API secret ${config.secretArn} is not usable (${found.problem}): the refresh used the lake only` };
    client ??= new OktaClient({ userAgent: 'okta-log-lake refresh-user', onEvent: (e) => log.info('okta api', { ...e }), ...options.okta, orgUrl: config.orgUrl, credentials: found.credentials });
    return {
      fetch: {
        client,
        sink,
        settle: (hours, since) =>
          waitForLanding({ s3: clients.s3, bucket: config.bucket, hours, since, timeoutMs: config.deliverySeconds * 1000, sleep, now }),
      },
    };
  };
}
