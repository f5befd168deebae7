/**
 * Turns Okta's refusals into one-line `OktaApiError` messages that say what to do: which credential variable to
 * check on a 401, which scope to grant on a 403, whether the org URL is wrong on a 404 that is not Okta's.
 * Okta error bodies are `{errorCode, errorSummary, errorId, errorCauses}` on the management API and
 * `{error, error_description}` on the token endpoint; a missing OAuth scope is named in
 * `WWW-Authenticate: Bearer ..., error="insufficient_scope", scope="okta.logs.read"`.
 */
import type { OktaCredentials } from './credentials.ts';
import { OktaApiError, type OktaApiErrorKind } from './errors.ts';
import { redact, type Secret } from './secret.ts';
import type { TransportResponse } from './transport.ts';

export interface OktaErrorBody {
  readonly errorCode?: string | undefined;
  readonly errorSummary?: string | undefined;
  readonly errorId?: string | undefined;
  readonly causes: readonly string[];
}

/** Reads an Okta (management API or OAuth) error body; undefined when the body is not one (e.g. an HTML page). */
export function readErrorBody(text: string): OktaErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const body = json as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const causes = Array.isArray(body.errorCauses)
    ? body.errorCauses.map((c) => str((c as Record<string, unknown> | null)?.errorSummary)).filter((c): c is string => c !== undefined)
    : [];
  const errorCode = str(body.errorCode) ?? str(body.error);
  const errorSummary = str(body.errorSummary) ?? str(body.error_description);
  if (!errorCode && !errorSummary) return undefined;
  return { errorCode, errorSummary, errorId: str(body.errorId), causes };
}

/** The parameters of a `WWW-Authenticate` challenge, lower-cased names (`error`, `scope`, ...), plus its scheme. */
export function readAuthChallenge(header: string | null): { scheme: string; params: Record<string, string> } | undefined {
  if (!header) return undefined;
  const scheme = /^\s*([\w-]+)/.exec(header)?.[1] ?? '';
  const params: Record<string, string> = {};
  for (const m of header.matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))/g)) params[(m[1] ?? '').toLowerCase()] = m[2] ?? m[3] ?? '';
  return { scheme, params };
}

const SCOPE_BY_PATH: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/api\/v1\/logs(\/|$)/, 'okta.logs.read'],
  [/^\/api\/v1\/logStreams(\/|$)/, 'okta.logStreams.read'],
  [/^\/api\/v1\/users\/[^/]+\/roles(\/|$)/, 'okta.roles.read'],
  [/^\/api\/v1\/iam\//, 'okta.roles.read'],
  [/^\/api\/v1\/users(\/|$)/, 'okta.users.read'],
  [/^\/api\/v1\/devices(\/|$)/, 'okta.devices.read'],
  [/^\/api\/v1\/groups(\/|$)/, 'okta.groups.read'],
  [/^\/api\/v1\/apps(\/|$)/, 'okta.apps.read'],
];

/** The read scope an Okta management API path needs, when we know it. */
export function scopeForPath(pathname: string): string | undefined {
  return SCOPE_BY_PATH.find(([pattern]) => pattern.test(pathname))?.[1];
}

export interface ApiErrorContext {
  readonly method: string;
  readonly url: URL;
  readonly orgUrl: URL;
  readonly credentials: OktaCredentials;
  /** Values to scrub from any text quoted into the message. */
  readonly secrets: readonly Secret[];
}

const ADMIN_CONSOLE_SCOPES = 'Admin Console > Applications > the service app > Okta API Scopes';

/** The error for a final non-2xx response of a management API request. */
export function apiErrorFrom(response: TransportResponse, context: ApiErrorContext): OktaApiError {
  const { method, url, orgUrl, credentials } = context;
  const path = url.pathname;
  const request = `${method} ${path}`;
  const body = readErrorBody(response.text);
  const status = response.status;
  const quoted = quote(status, body);
  const challenge = readAuthChallenge(response.headers.get('www-authenticate'));
  let kind: OktaApiErrorKind = 'unexpected-response';
  let requiredScope: string | undefined;
  let message: string;

  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    message = `${orgUrl.origin} redirected ${request} (${status}${location ? ` to ${new URL(location, url).origin}` : ''}) instead of answering: is the org URL right? It must be the org itself, e.g. https://acme.okta.com.`;
  } else if (status === 401) {
    kind = 'unauthorized';
    message =
      credentials.kind === 'api-token'
        ? `Okta rejected the API token on ${request} (${quoted}): check ${credentials.source}; the token may be revoked, unused for 30 days, owned by a deactivated admin, or from another org than ${orgUrl.host}.`
        : `Okta rejected the service app's access token on ${request} (${quoted}) even after fetching a new one: check that ${credentials.source.clientId} is a service app of ${orgUrl.host}.`;
  } else if (status === 403) {
    kind = 'forbidden';
    const said = challenge?.params.error === 'insufficient_scope' ? challenge.params.scope?.trim() : undefined;
    const inBody = [body?.errorSummary, ...(body?.causes ?? [])].join(' ').match(/\bokta\.[a-zA-Z]+\.(read|manage)\b/)?.[0];
    if (credentials.kind === 'service-app' && (said || inBody)) {
      requiredScope = said || inBody;
      message = `Okta refused ${request} (${quoted}): the access token lacks scope ${requiredScope}. Grant scope ${requiredScope} to the service app (${ADMIN_CONSOLE_SCOPES}) and request it (${credentials.source.scopes}).`;
    } else if (credentials.kind === 'service-app') {
      requiredScope = scopeForPath(path);
      message = `Okta refused ${request} (${quoted}): the service app's admin role does not allow it${requiredScope ? `, or scope ${requiredScope} is not granted` : ''}. Assign the app an admin role that can read this (Admin Console > Applications > the service app > Admin roles, e.g. Read-only Administrator)${requiredScope ? ` and grant scope ${requiredScope} to the service app` : ''}.`;
    } else {
      message = `Okta refused ${request} (${quoted}): the admin who created ${credentials.source} lacks a role that allows it; use a token created by an admin with e.g. the Read-only Administrator role.`;
    }
  } else if (status === 404) {
    kind = 'not-found';
    message = body
      ? `Okta found nothing at ${request} (${quoted}).`
      : `${orgUrl.origin} answered 404 to ${request} without an Okta error: is the org URL right? (e.g. https://acme.okta.com)`;
  } else if (status === 429) {
    kind = 'rate-limited';
    message = `Okta kept refusing ${request} for its rate limit (${quoted}) after ${response.attempts} attempts: let the limit reset, or see Admin Console > Reports > Rate Limits for who else uses it.`;
  } else if (status >= 500) {
    kind = 'server-error';
    message = `Okta failed ${request} (${quoted}) ${response.attempts} times: try again later (https://status.okta.com).`;
  } else if (status === 400) {
    kind = 'bad-request';
    message = `Okta refused ${request} (${quoted}).`;
  } else if (!body && status >= 200 && status < 300) {
    message = `${orgUrl.origin} answered ${request} with a body that is not Okta JSON: is the org URL right?`;
  } else {
    message = `Okta answered ${request} with ${quoted}.`;
  }

  return new OktaApiError(redact(message, context.secrets), {
    kind,
    status,
    method,
    path,
    errorCode: body?.errorCode,
    errorSummary: body?.errorSummary === undefined ? undefined : redact(body.errorSummary, context.secrets),
    errorId: body?.errorId,
    requiredScope,
    attempts: response.attempts,
  });
}

/** The error for a refused token request (`POST /oauth2/v1/token`). */
export function tokenErrorFrom(response: TransportResponse, context: ApiErrorContext & { readonly scopes: readonly string[] }): OktaApiError {
  const { credentials, orgUrl } = context;
  if (credentials.kind !== 'service-app') return apiErrorFrom(response, context);
  const body = readErrorBody(response.text);
  const code = body?.errorCode;
  const quoted = quote(response.status, body);
  const src = credentials.source;
  let message: string;
  let kind: OktaApiErrorKind = response.status === 401 ? 'unauthorized' : response.status >= 500 ? 'server-error' : 'bad-request';
  if (!body) return apiErrorFrom(response, context);
  if (code === 'invalid_client') {
    kind = 'unauthorized';
    const kid = credentials.signingKey.kid ? ` (kid ${credentials.signingKey.kid})` : '';
    message = `Okta refused the service app's credentials (${quoted}): check that ${src.clientId} is the client ID of a service app in ${orgUrl.host} using "Public key / Private key" authentication, and that the public half of ${src.privateKey}${kid} is registered on it.`;
  } else if (code === 'invalid_scope') {
    message = `Okta refused the scopes ${context.scopes.join(' ')} (${quoted}): grant each to the service app (${ADMIN_CONSOLE_SCOPES}), or set ${src.scopes} to the scopes it has.`;
  } else if (code === 'invalid_dpop_proof' || code === 'use_dpop_nonce') {
    message = `Okta refused the token request's DPoP proof (${quoted}): the service app requires DPoP; check the machine's clock, or turn off "Require Demonstrating Proof of Possession" on the app.`;
  } else if (code === 'unauthorized_client') {
    message = `Okta refused the token request (${quoted}): ${src.clientId} must be an API Services (service) app with the Client Credentials grant.`;
  } else {
    message = `Okta refused the token request of service app ${credentials.clientId} (${quoted}).`;
  }
  return new OktaApiError(redact(message, context.secrets), {
    kind,
    status: response.status,
    method: 'POST',
    path: context.url.pathname,
    errorCode: code,
    errorSummary: body.errorSummary === undefined ? undefined : redact(body.errorSummary, context.secrets),
    errorId: body.errorId,
    attempts: response.attempts,
  });
}

function quote(status: number, body: OktaErrorBody | undefined): string {
  if (!body) return `HTTP ${status}`;
  const summary = [body.errorSummary, ...body.causes.filter((c) => c !== body.errorSummary)].filter(Boolean).join('; ');
  return `${status} ${body.errorCode ?? ''}${summary ? `${body.errorCode ? ': ' : ''}${summary}` : ''}`.trim();
}
