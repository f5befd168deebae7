/**
 * The Okta API for the commands that talk to Okta: the org from `--org`, credentials from the environment only
 * (`OKTA_API_TOKEN`, or `OKTA_CLIENT_ID` with `OKTA_PRIVATE_KEY`), never from a file or a flag.
 */
import { credentialsFromEnv, OktaClient, OktaConfigError, parseOrgUrl } from '../okta-api/index.ts';
import { UsageError } from './usage-error.ts';

/** An Okta client for `--org` with the credentials of the environment; a missing or wrong setting is a usage error. */
export function oktaClientFromEnv(org: string, env: NodeJS.ProcessEnv = process.env): OktaClient {
  try {
    return new OktaClient({ orgUrl: parseOrgUrl(org, '--org'), credentials: credentialsFromEnv(env) });
  } catch (e) {
    if (e instanceof OktaConfigError) throw new UsageError(e.message);
    throw e;
  }
}
