/**
 * The environment of a function that calls the Okta API (recover-gap, refresh-user), as the stack's
 * `OktaApiAccess` sets it: the secret holding the credentials, the org, and the api-events stream with its delivery
 * time. One reader for both functions, so they agree on names, ranges and messages.
 */
import { OktaClient, OktaConfigError, parseOrgUrl, type OktaClientOptions, type OktaCredentials } from '../okta-api/index.ts';
import { RECOVERY_ENV } from './env.ts';
import { HandlerConfigError, requiredVariable, wholeNumberVariable, type HandlerLog } from './runtime.ts';

/** Where a function finds Okta: the secret with the credentials, and the org. */
export interface OktaOrgConfig {
  readonly secretArn: string;
  readonly orgUrl: URL;
}

export interface OktaApiConfig extends OktaOrgConfig {
  readonly apiStreamName: string;
  /** Seconds the api-events stream takes to deliver what it was given. */
  readonly apiStreamDelaySeconds: number;
}

/** The secret and the org only: what a function that reads Okta but writes no events needs (the inventory). */
export function readOktaOrgConfig(env: Readonly<Record<string, string | undefined>>): OktaOrgConfig {
  const v = (key: keyof typeof RECOVERY_ENV, what: string) => requiredVariable(env, RECOVERY_ENV[key], what);
  let orgUrl: URL;
  try {
    orgUrl = parseOrgUrl(v('oktaOrgUrl', 'the Okta org URL, e.g. https://acme.okta.com'), RECOVERY_ENV.oktaOrgUrl);
  } catch (e) {
    if (e instanceof OktaConfigError) throw new HandlerConfigError(`environment variable ${e.message}`);
    throw e;
  }
  return { secretArn: v('oktaSecretArn', 'the ARN of the Okta API secret'), orgUrl };
}

export function readOktaApiConfig(env: Readonly<Record<string, string | undefined>>): OktaApiConfig {
  const org = readOktaOrgConfig(env);
  const delay = wholeNumberVariable(env, RECOVERY_ENV.apiStreamDelaySeconds, 0, 900, "the api-events stream's delivery time in seconds");
  return {
    ...org,
    apiStreamName: requiredVariable(env, RECOVERY_ENV.apiStreamName, 'the api-events Firehose stream name'),
    apiStreamDelaySeconds: delay,
  };
}

/** The Okta client of a function (`name` in its user agent), logging each retry and rate-limit wait. */
export function oktaClientFor(
  orgUrl: string | URL,
  credentials: OktaCredentials,
  name: string,
  log: HandlerLog,
  options: Partial<Omit<OktaClientOptions, 'orgUrl' | 'credentials'>> = {},
): OktaClient {
  return new OktaClient({ userAgent: `okta-log-lake ${name}`, onEvent: (event) => log.info('okta api', { ...event }), ...options, orgUrl, credentials });
}
