/**
 * The Okta API credentials of the functions that call Okta, from the Secrets Manager secret the stack creates
 * without a value (`<prefix>/okta-api`); the user puts one with `aws secretsmanager put-secret-value`.
 *
 * A secret without a value is not an error of the function: GetSecretValue answers ResourceNotFoundException for
 * its AWSCURRENT stage ("Secrets Manager can't find the specified secret value"), and the caller says "API access
 * not configured" once instead of failing and retrying. A value credentialsFromSecretJson refuses is reported the
 * same way, with its message (which never quotes the value). Anything else (access denied, KMS) throws.
 *
 * Read once in a while: `oktaAccessOnce` keeps configured credentials for `CREDENTIALS_TTL_MS` (a rotated key or
 * token is picked up by a warm container within that time), and asks again while there are none, so a value put
 * after a cold start is used at the next invocation.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { credentialsFromSecretJson, OktaConfigError, type OktaCredentials } from '../okta-api/index.ts';

export type OktaAccess =
  | { readonly kind: 'configured'; readonly credentials: OktaCredentials }
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'invalid'; readonly problem: string };

export async function readOktaAccess(secrets: SecretsManagerClient, secretArn: string): Promise<OktaAccess> {
  let text: string | undefined;
  try {
    const out = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    text = out.SecretString;
  } catch (e) {
    if ((e as { name?: unknown }).name === 'ResourceNotFoundException') return { kind: 'not-configured' };
    throw e;
  }
  if (text === undefined || text.trim() === '') return { kind: 'invalid', problem: 'the secret holds no text (a binary value, or an empty string)' };
  try {
    return { kind: 'configured', credentials: credentialsFromSecretJson(text, secretArn) };
  } catch (e) {
    if (e instanceof OktaConfigError) return { kind: 'invalid', problem: e.message };
    throw e;
  }
}

/** How long found credentials are kept before the secret is read again. @default 15 minutes */
export const CREDENTIALS_TTL_MS = 15 * 60_000;

/** `readOktaAccess`, remembered for `CREDENTIALS_TTL_MS` once it found credentials. */
export function oktaAccessOnce(secrets: SecretsManagerClient, secretArn: string, now: () => number = Date.now): () => Promise<OktaAccess> {
  let found: { access: OktaAccess; at: number } | undefined;
  return async () => {
    if (found && now() - found.at < CREDENTIALS_TTL_MS) return found.access;
    const access = await readOktaAccess(secrets, secretArn);
    found = access.kind === 'configured' ? { access, at: now() } : undefined;
    return access;
  };
}
