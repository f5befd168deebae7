/**
 * Okta credentials, read from the environment (local runs) or from the JSON of a Secrets Manager secret
 * (Lambdas; the Secrets Manager call itself lives with the handlers). Two kinds:
 * - an API token (`Authorization: SSWS <token>`), acting with the permissions of the admin who created it;
 * - an OAuth 2.0 service app (`private_key_jwt`): a client ID, a private key and the scopes to request.
 *
 * Each credential remembers where it came from (`OKTA_API_TOKEN`, `secret okta-lake/okta apiToken`, ...) so
 * errors can say which one to check. Values are wrapped (`Secret`, a key object) and never echoed.
 */
import { OktaConfigError } from './errors.ts';
import { Secret } from './secret.ts';
import { parseSigningKey, type SigningKey } from './signing-key.ts';

/**
 * The scopes requested when none are configured: what the log lake reads. Okta refuses a token request if any
 * requested scope is not granted to the app, so set `OKTA_SCOPES` (or the secret's `scopes`) to a subset when
 * the app has fewer. `okta.groups.read` and `okta.apps.read` are optional extras.
 */
export const DEFAULT_SCOPES: readonly string[] = ['okta.logs.read', 'okta.users.read', 'okta.devices.read', 'okta.roles.read', 'okta.logStreams.read'];

export interface ApiTokenCredentials {
  readonly kind: 'api-token';
  readonly token: Secret;
  /** Where the token came from, named in errors: `OKTA_API_TOKEN`, or the secret and its field. */
  readonly source: string;
}

export interface ServiceAppCredentials {
  readonly kind: 'service-app';
  readonly clientId: string;
  readonly signingKey: SigningKey;
  readonly scopes: readonly string[];
  /** Where each part came from, named in errors. */
  readonly source: { readonly clientId: string; readonly privateKey: string; readonly scopes: string };
}

export type OktaCredentials = ApiTokenCredentials | ServiceAppCredentials;

/** An API token credential. @param source what to call it in errors. */
export function apiTokenCredentials(token: string, source = 'the API token'): ApiTokenCredentials {
  const value = token.trim();
  if (!value) throw new OktaConfigError(source, `${source} is empty.`);
  if (/^SSWS\s/i.test(value)) throw new OktaConfigError(source, `${source} starts with "SSWS "; give the token only, without the scheme.`);
  if (/\s/.test(value)) throw new OktaConfigError(source, `${source} contains white space; an Okta API token is one word.`);
  return { kind: 'api-token', token: new Secret(value), source };
}

export interface ServiceAppSettings {
  readonly clientId: string;
  /** PEM (PKCS#8 or PKCS#1) or private JWK JSON. */
  readonly privateKey: string;
  /** The `kid` of the app's public key to verify with. @default the JWK's `kid`, else none */
  readonly keyId?: string | undefined;
  /** @default DEFAULT_SCOPES */
  readonly scopes?: readonly string[] | string | undefined;
}

/** A service app credential. @param source what to call each setting in errors. */
export function serviceAppCredentials(
  settings: ServiceAppSettings,
  source: ServiceAppCredentials['source'] = { clientId: 'clientId', privateKey: 'privateKey', scopes: 'scopes' },
): ServiceAppCredentials {
  const clientId = settings.clientId.trim();
  if (!/^[A-Za-z0-9_-]{4,}$/.test(clientId)) {
    throw new OktaConfigError(source.clientId, `${source.clientId} ${JSON.stringify(clientId)} is not an Okta client ID (like 0oa1b2c3d4E5f6G7h8i9).`);
  }
  const signingKey = parseSigningKey(settings.privateKey, source.privateKey, settings.keyId?.trim() || undefined);
  return { kind: 'service-app', clientId, signingKey, scopes: parseScopes(settings.scopes, source.scopes), source };
}

/**
 * Reads credentials from environment variables: `OKTA_API_TOKEN`, or `OKTA_CLIENT_ID` with `OKTA_PRIVATE_KEY`
 * (optional `OKTA_PRIVATE_KEY_ID`, `OKTA_SCOPES`). Exactly one kind must be set.
 */
export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): OktaCredentials {
  const token = env.OKTA_API_TOKEN?.trim();
  const clientId = env.OKTA_CLIENT_ID?.trim();
  const privateKey = env.OKTA_PRIVATE_KEY?.trim();
  if (token && (clientId || privateKey)) {
    throw new OktaConfigError('OKTA_API_TOKEN', 'Both OKTA_API_TOKEN and OKTA_CLIENT_ID/OKTA_PRIVATE_KEY are set; unset one of them (a service app is preferred).');
  }
  if (token) return apiTokenCredentials(token, 'OKTA_API_TOKEN');
  if (clientId || privateKey) {
    if (!clientId) throw new OktaConfigError('OKTA_CLIENT_ID', 'OKTA_PRIVATE_KEY is set but OKTA_CLIENT_ID is not; set it to the service app\'s client ID.');
    if (!privateKey) throw new OktaConfigError('OKTA_PRIVATE_KEY', 'OKTA_CLIENT_ID is set but OKTA_PRIVATE_KEY is not; set it to the service app\'s private key (PEM or JWK).');
    return serviceAppCredentials(
      { clientId, privateKey, keyId: env.OKTA_PRIVATE_KEY_ID, scopes: env.OKTA_SCOPES },
      { clientId: 'OKTA_CLIENT_ID', privateKey: 'OKTA_PRIVATE_KEY', scopes: 'OKTA_SCOPES' },
    );
  }
  throw new OktaConfigError(
    'OKTA_API_TOKEN',
    'No Okta credentials: set OKTA_CLIENT_ID and OKTA_PRIVATE_KEY (a service app, preferred) or OKTA_API_TOKEN.',
  );
}

const SECRET_FIELDS = new Set(['apiToken', 'clientId', 'privateKey', 'keyId', 'scopes']);

/**
 * Parses the JSON value of the Secrets Manager secret: `{"apiToken": "..."}` or
 * `{"clientId": "...", "privateKey": "<PEM or JWK>", "keyId": "...", "scopes": "okta.logs.read ..."}`.
 * `privateKey` may also be the JWK as a JSON object rather than a string.
 * @param secretName named in errors (the name or ARN, never the value).
 */
export function credentialsFromSecretJson(secretJson: string, secretName: string): OktaCredentials {
  const where = `Secrets Manager secret ${secretName}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretJson);
  } catch {
    // The parser's message quotes the input, so it must not travel.
    throw new OktaConfigError(secretName, `${where} is not JSON; expected {"apiToken": "..."} or {"clientId": "...", "privateKey": "...", "keyId": "..."}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OktaConfigError(secretName, `${where} is not a JSON object; expected {"apiToken": "..."} or {"clientId": "...", "privateKey": "..."}.`);
  }
  const fields = parsed as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => !SECRET_FIELDS.has(k));
  if (unknown.length) {
    throw new OktaConfigError(secretName, `${where} has unknown field(s) ${unknown.join(', ')}; allowed: ${[...SECRET_FIELDS].join(', ')}.`);
  }
  const text = (name: string): string | undefined => {
    const value = fields[name];
    if (value === undefined || value === null) return undefined;
    if (name === 'privateKey' && typeof value === 'object') return JSON.stringify(value);
    if (name === 'scopes' && Array.isArray(value) && value.every((s) => typeof s === 'string')) return value.join(' ');
    if (typeof value !== 'string') throw new OktaConfigError(secretName, `${where}: field ${name} must be a string.`);
    return value;
  };
  const apiToken = text('apiToken');
  const clientId = text('clientId');
  const privateKey = text('privateKey');
  if (apiToken && (clientId || privateKey)) throw new OktaConfigError(secretName, `${where} has both apiToken and clientId/privateKey; keep one.`);
  if (apiToken) return apiTokenCredentials(apiToken, `${where} (apiToken)`);
  if (!clientId || !privateKey) {
    throw new OktaConfigError(secretName, `${where} needs apiToken, or both clientId and privateKey (missing ${clientId ? 'privateKey' : 'clientId'}).`);
  }
  return serviceAppCredentials(
    { clientId, privateKey, keyId: text('keyId'), scopes: text('scopes') },
    { clientId: `${where} (clientId)`, privateKey: `${where} (privateKey)`, scopes: `${where} (scopes)` },
  );
}

const SCOPE = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+)+$/;

function parseScopes(value: readonly string[] | string | undefined, setting: string): readonly string[] {
  if (value === undefined) return DEFAULT_SCOPES;
  const list = (typeof value === 'string' ? value.split(/[\s,]+/) : [...value]).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return DEFAULT_SCOPES;
  const bad = list.filter((s) => !SCOPE.test(s));
  if (bad.length) throw new OktaConfigError(setting, `${setting} has invalid scope(s) ${bad.map((s) => JSON.stringify(s)).join(', ')}; expected names like okta.logs.read, separated by spaces.`);
  return [...new Set(list)];
}
