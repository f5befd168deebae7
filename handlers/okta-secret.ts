/**
 * The Okta API credentials of the functions that call Okta, from the Secrets Manager secret the stack creates
 * without a value (`<prefix>/okta-api`); the user puts one with `aws secretsmanager put-secret-value`.
 *
 * A secret without a value is not an error of the function: GetSecretValue answers ResourceNotFoundException for
 * its AWSCURRENT stage ("Secrets Manager can't find the specified secret value"), and the caller says "API access
 * not configured" once instead of failing and retrying. A value credentialsFromSecretJson refuses is reported the
 * same way, with its message (which never quotes the value). Anything else (access denied, KMS) throws.
 *
 * Read once per container: `oktaAccessOnce` keeps configured credentials, and asks again while there are none, so a
 * value put after a cold start is used at the next invocation.
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

/** `readOktaAccess`, remembered once it found credentials. */
export function oktaAccessOnce(secrets: SecretsManagerClient, secretArn: string): () => Promise<OktaAccess> {
  let found: OktaAccess | undefined;
  return async () => {
    if (found) return found;
    const access = await readOktaAccess(secrets, secretArn);
    if (access.kind === 'configured') found = access;
    return access;
  };
}
