/**
 * The Okta management API client the CLI and the Lambdas share: one org, one set of credentials, and every call
 * paced, bounded, timed out and retried by the transport. It offers three levels: `get` (one resource),
 * `pages` (a collection, page by page, following `Link: <...>; rel="next"`), and `list` (its items).
 * The System Log and log streams (`system-log.ts`, `log-streams.ts`) are built on `pages`.
 *
 * Credentials are only ever sent to the org's own origin: a next link or absolute URL elsewhere is refused.
 */
import { apiErrorFrom } from './api-errors.ts';
import { createAuthorizer, type Authorizer, type DpopMode, type RecoveryState } from './authorizer.ts';
import type { OktaCredentials } from './credentials.ts';
import { OktaApiError, OktaConfigError } from './errors.ts';
import { parseLinkHeader } from './link-header.ts';
import { parseOrgUrl } from './org-url.ts';
import { Transport, type TransportOptions, type TransportResponse, type TransportStats } from './transport.ts';

export interface OktaClientOptions extends TransportOptions {
  /** The org's base URL (validated by `parseOrgUrl`), e.g. `https://acme.okta.com`. */
  readonly orgUrl: string | URL;
  readonly credentials: OktaCredentials;
  /** DPoP for service apps: `auto` turns it on when Okta says the app requires it. @default 'auto' */
  readonly dpop?: DpopMode;
  /** @default 'okta-log-lake' */
  readonly userAgent?: string;
}

export type QueryValue = string | number | boolean | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

export interface OktaRequestOptions {
  /** Added to the path's query; undefined values are left out. */
  readonly query?: Query | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface OktaResponse<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
  /** The URL requested. */
  readonly url: string;
  /** `Link: <...>; rel="next"`, if any. */
  readonly nextUrl: string | undefined;
}

export interface OktaPage<T> {
  readonly items: T[];
  /** The URL this page was read from. */
  readonly url: string;
  /** Where the next page is; save it to resume. Undefined on the last page. */
  readonly nextUrl: string | undefined;
}

export interface OktaPagesOptions extends OktaRequestOptions {
  /** Stop after the first empty page even if it has a next link (Okta's polling queries always have one). @default false */
  readonly stopAtEmptyPage?: boolean | undefined;
}

/** Counters since the client was made, for progress displays. */
export interface OktaClientStats extends TransportStats {
  /** Access token requests (service apps), each possibly several HTTP requests. */
  readonly tokenRequests: number;
}

/** Identical empty pages pointing at themselves tolerated before giving up (a server-side loop). */
const MAX_SELF_LINKED_EMPTY_PAGES = 3;

export class OktaClient {
  readonly orgUrl: URL;
  readonly credentials: OktaCredentials;
  readonly #transport: Transport;
  readonly #authorizer: Authorizer;
  readonly #userAgent: string;

  constructor(options: OktaClientOptions) {
    this.orgUrl = typeof options.orgUrl === 'string' ? parseOrgUrl(options.orgUrl) : parseOrgUrl(options.orgUrl.href);
    this.credentials = options.credentials;
    this.#transport = new Transport(options);
    this.#authorizer = createAuthorizer(options.credentials, this.#transport, this.orgUrl, options.dpop ?? 'auto');
    this.#userAgent = options.userAgent ?? 'okta-log-lake';
  }

  get stats(): OktaClientStats {
    return { ...this.#transport.stats, tokenRequests: this.#authorizer.tokenRequests };
  }

  /** The local clock the client was given (for validating query times). */
  now(): number {
    return this.#transport.now();
  }

  /** Resolves a path (`/api/v1/logs`) or an absolute URL on the org, plus query values, to a URL. */
  url(pathOrUrl: string, query?: Query): URL {
    let url: URL;
    try {
      url = new URL(pathOrUrl, this.orgUrl);
    } catch {
      throw new OktaConfigError('url', `${JSON.stringify(pathOrUrl)} is not a path or URL on ${this.orgUrl.origin}.`);
    }
    if (url.origin !== this.orgUrl.origin) {
      throw new OktaConfigError('url', `Refusing to send Okta credentials to ${url.origin}: it is not the org ${this.orgUrl.origin}.`);
    }
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    return url;
  }

  /** GETs one resource; throws `OktaApiError` on a refusal, `OktaNetworkError` when Okta cannot be reached. */
  async get<T = unknown>(pathOrUrl: string, options: OktaRequestOptions = {}): Promise<OktaResponse<T>> {
    const url = this.url(pathOrUrl, options.query);
    const response = await this.#send('GET', url, options.signal);
    let body: T;
    try {
      body = JSON.parse(response.text) as T;
    } catch {
      throw this.#error(response, url);
    }
    return { status: response.status, body, headers: response.headers, url: url.href, nextUrl: parseLinkHeader(response.headers.get('link')).get('next') };
  }

  /** A collection page by page, following next links until there is none. */
  async *pages<T = unknown>(pathOrUrl: string, options: OktaPagesOptions = {}): AsyncGenerator<OktaPage<T>, void, undefined> {
    let url: string = this.url(pathOrUrl, options.query).href;
    let selfLinkedEmpty = 0;
    for (;;) {
      const response = await this.get<unknown>(url, { signal: options.signal });
      if (!Array.isArray(response.body)) {
        throw new OktaApiError(`${this.orgUrl.origin} answered GET ${new URL(url).pathname} with JSON that is not a list: is the path right?`, {
          kind: 'unexpected-response',
          status: response.status,
          method: 'GET',
          path: new URL(url).pathname,
          attempts: 1,
        });
      }
      const items = response.body as T[];
      yield { items, url, nextUrl: response.nextUrl };
      if (!response.nextUrl) return;
      if (items.length === 0 && options.stopAtEmptyPage) return;
      selfLinkedEmpty = items.length === 0 && response.nextUrl === url ? selfLinkedEmpty + 1 : 0;
      if (selfLinkedEmpty >= MAX_SELF_LINKED_EMPTY_PAGES) return;
      url = this.url(response.nextUrl).href;
    }
  }

  /** Every item of a collection (users, factors, devices, role assignments, ...). */
  async *list<T = unknown>(pathOrUrl: string, options: OktaRequestOptions = {}): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages<T>(pathOrUrl, options)) yield* page.items;
  }

  async #send(method: 'GET', url: URL, signal?: AbortSignal): Promise<TransportResponse> {
    const state: RecoveryState = { tokenGeneration: 0, refreshedToken: false, learntNonce: false };
    for (;;) {
      const response = await this.#transport.send({
        method,
        url,
        signal,
        build: async () => ({
          headers: { accept: 'application/json', 'user-agent': this.#userAgent, ...(await this.#authorizer.headers(method, url, state, signal)) },
        }),
      });
      if (response.status === 401 && this.#authorizer.recover(response, state)) continue;
      if (response.status >= 200 && response.status < 300) return response;
      throw this.#error(response, url);
    }
  }

  #error(response: TransportResponse, url: URL): OktaApiError {
    return apiErrorFrom(response, { method: 'GET', url, orgUrl: this.orgUrl, credentials: this.credentials, secrets: this.#authorizer.secrets() });
  }
}
