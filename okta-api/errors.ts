/**
 * The three ways a call to Okta fails, as types a caller can branch on:
 * - `OktaConfigError`: our input is wrong (org URL, credentials, query); nothing was sent. A CLI exits 2.
 * - `OktaApiError`: Okta answered with an error status (after retries, for the retryable ones).
 * - `OktaNetworkError`: no answer (DNS, refused connection, reset, timeout), after retries where they help.
 * Every message is one line that says what failed and what to do; none contains a credential.
 */

export class OktaConfigError extends Error {
  override readonly name = 'OktaConfigError';
  /** The flag, variable or field at fault, e.g. `--org`, `OKTA_PRIVATE_KEY`, `since`. */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(message);
    this.setting = setting;
  }
}

/** What kind of refusal an `OktaApiError` is, so callers need not remember status codes. */
export type OktaApiErrorKind =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'server-error'
  | 'unexpected-response';

export interface OktaApiErrorDetails {
  readonly kind: OktaApiErrorKind;
  readonly status: number;
  readonly method: string;
  /** The request path without its query, e.g. `/api/v1/logs`. */
  readonly path: string;
  /** Okta's error code (`E0000011`) or OAuth error (`invalid_client`), when the body had one. */
  readonly errorCode?: string | undefined;
  readonly errorSummary?: string | undefined;
  readonly errorId?: string | undefined;
  /** The scope Okta said is missing (403 `insufficient_scope`), or the one the path needs when it did not say. */
  readonly requiredScope?: string | undefined;
  /** How many times the request was sent. */
  readonly attempts: number;
}

export class OktaApiError extends Error implements OktaApiErrorDetails {
  override readonly name = 'OktaApiError';
  readonly kind: OktaApiErrorKind;
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly errorCode: string | undefined;
  readonly errorSummary: string | undefined;
  readonly errorId: string | undefined;
  readonly requiredScope: string | undefined;
  readonly attempts: number;

  constructor(message: string, details: OktaApiErrorDetails) {
    super(message);
    this.kind = details.kind;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.errorCode = details.errorCode;
    this.errorSummary = details.errorSummary;
    this.errorId = details.errorId;
    this.requiredScope = details.requiredScope;
    this.attempts = details.attempts;
  }
}

export class OktaNetworkError extends Error {
  override readonly name = 'OktaNetworkError';
  /** The URL that could not be reached (no credentials ever appear in it). */
  readonly url: string;
  /** `ENOTFOUND`, `ECONNREFUSED`, `ECONNRESET`, `TIMEOUT`, ... */
  readonly code: string;
  readonly attempts: number;

  constructor(message: string, details: { url: string; code: string; attempts: number }) {
    super(message);
    this.url = details.url;
    this.code = details.code;
    this.attempts = details.attempts;
  }
}
