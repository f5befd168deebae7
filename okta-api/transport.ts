/**
 * Sends one HTTP request to Okta the way every call should be sent: paced under the rate limit, at most N at a
 * time, each attempt under a timeout, and retried when retrying can help (429 after the window resets, 5xx,
 * resets and timeouts, with exponential backoff and full jitter, a bounded number of times). It knows nothing of
 * credentials or response bodies: the caller builds each attempt's headers (a DPoP proof or client assertion
 * is single-use) and reads the final response.
 *
 * Everything time- or chance-dependent (`fetch`, `sleep`, `now`, `random`) is injectable, and the counters in
 * `stats` (requests, retries, rate-limit waits and time waited) let a caller show progress.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { fullJitterDelay } from './backoff.ts';
import { OktaNetworkError } from './errors.ts';
import { RateLimitPacer, rateLimitBucket, readRateLimitHeaders } from './rate-limit-pacer.ts';
import { Semaphore } from './semaphore.ts';
import { ServerClock } from './server-clock.ts';

export interface TransportOptions {
  /** Per-attempt timeout, covering the response body too. Okta ends a System Log query at 30 s itself. @default 60000 */
  readonly requestTimeoutMs?: number;
  /** Attempts per request, the first included. @default 5 */
  readonly maxAttempts?: number;
  /** First backoff ceiling for 5xx and network retries. @default 1000 */
  readonly retryBaseDelayMs?: number;
  /** Largest backoff ceiling. @default 30000 */
  readonly retryMaxDelayMs?: number;
  /** Most extra random wait after a 429's reset, so clients refused together do not return together. @default 1000 */
  readonly rateLimitJitterMs?: number;
  /** Requests in flight at once (Okta also limits concurrent requests per org). @default 4 */
  readonly maxConcurrentRequests?: number;
  /** Requests of each rate-limit window left unused for other callers of the org. @default 0 */
  readonly rateLimitReserve?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default a timer that an AbortSignal cancels */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Local clock in ms. @default Date.now */
  readonly now?: () => number;
  /** Uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Told about each retry and rate-limit wait, e.g. to log or draw progress. Carries no credential. */
  readonly onEvent?: (event: TransportEvent) => void;
}

export type TransportEvent =
  | { readonly type: 'retry'; readonly method: string; readonly path: string; readonly reason: string; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'rate-limit-wait'; readonly method: string; readonly path: string; readonly waitedMs: number };

/** Counters since the client was made. */
export interface TransportStats {
  /** Requests sent (every attempt counts). */
  requests: number;
  /** Attempts that were repeated after a 429, 5xx, reset or timeout. */
  retries: number;
  /** 429 responses received (pacing should keep this at 0 unless others share the bucket). */
  rateLimited: number;
  /** Times a request was held back for the rate limit (pacing or after a 429). */
  rateLimitWaits: number;
  /** Total time held back for the rate limit, ms. */
  rateLimitWaitMs: number;
}

export interface TransportRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** Builds one attempt's headers and body; called again for each attempt. */
  readonly build: () => Promise<{ readonly headers: Record<string, string>; readonly body?: string | undefined }>;
  readonly signal?: AbortSignal | undefined;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly attempts: number;
}

const DEFAULTS = {
  requestTimeoutMs: 60_000,
  maxAttempts: 5,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 30_000,
  rateLimitJitterMs: 1_000,
  maxConcurrentRequests: 4,
  rateLimitReserve: 0,
};

/** Network failures that another attempt will not fix: a wrong host, nothing listening, a bad certificate. */
const PERMANENT_NETWORK_CODES = new Set([
  'ENOTFOUND',
  'ECONNREFUSED',
  'ERR_INVALID_URL',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const NETWORK_HINTS: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve',
  ECONNREFUSED: 'nothing accepts connections there',
  ECONNRESET: 'the connection was reset',
  UND_ERR_SOCKET: 'the connection closed mid-response',
  TIMEOUT: 'no complete answer in time',
  EAI_AGAIN: 'DNS lookup failed for now',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the TLS certificate is for another host',
};

const defaultSleep = (ms: number, signal?: AbortSignal) => delay(ms, undefined, signal ? { signal } : undefined);

export class Transport {
  readonly stats: TransportStats = { requests: 0, retries: 0, rateLimited: 0, rateLimitWaits: 0, rateLimitWaitMs: 0 };
  readonly clock: ServerClock;
  readonly #options: Required<Omit<TransportOptions, 'onEvent'>> & Pick<TransportOptions, 'onEvent'>;
  readonly #pacer: RateLimitPacer;
  readonly #semaphore: Semaphore;

  constructor(options: TransportOptions = {}) {
    this.#options = {
      ...DEFAULTS,
      fetch: (input, init) => globalThis.fetch(input, init),
      sleep: defaultSleep,
      now: Date.now,
      random: Math.random,
      ...withoutUndefined(options),
    };
    for (const name of ['requestTimeoutMs', 'maxAttempts', 'maxConcurrentRequests'] as const) {
      const value = this.#options[name];
      if (!Number.isFinite(value) || value < 1) throw new RangeError(`${name} must be >= 1, got ${value}`);
    }
    this.clock = new ServerClock(this.#options.now);
    this.#pacer = new RateLimitPacer({ clock: this.clock, sleep: this.#options.sleep, reserve: this.#options.rateLimitReserve });
    this.#semaphore = new Semaphore(this.#options.maxConcurrentRequests);
  }

  /** The local clock (the injected `now`). */
  now(): number {
    return this.#options.now();
  }

  /**
   * Sends the request, retrying what is worth retrying. Resolves with the last response, whatever its status
   * (the caller decides what a 4xx means); throws `OktaNetworkError` when no attempt got a response, or the
   * caller's abort reason when its signal fired.
   */
  async send(request: TransportRequest): Promise<TransportResponse> {
    const { method, url, signal } = request;
    const o = this.#options;
    const bucket = rateLimitBucket(method, url.pathname);
    for (let attempt = 1; ; attempt++) {
      const waitedMs = await this.#pacer.take(bucket, signal);
      if (waitedMs > 0) this.#countRateLimitWait(method, url.pathname, waitedMs);

      let attemptInput: Awaited<ReturnType<TransportRequest['build']>>;
      try {
        attemptInput = await request.build();
      } catch (error) {
        this.#pacer.settle(bucket, undefined);
        throw error;
      }
      const { headers, body } = attemptInput;

      let response: Response;
      let text: string;
      let settled = false;
      let timeout: AbortSignal | undefined;
      try {
        await this.#semaphore.acquire(signal);
        try {
          timeout = AbortSignal.timeout(o.requestTimeoutMs); // from the moment it is sent, not queued
          this.stats.requests++;
          response = await o.fetch(url, {
            method,
            headers,
            body,
            redirect: 'manual', // never follow a redirect with credentials attached
            signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          });
          text = await response.text();
        } finally {
          this.#semaphore.release();
        }
        this.clock.observe(response.headers.get('date'), o.now());
        this.#pacer.settle(bucket, readRateLimitHeaders(response.headers));
        settled = true;
      } catch (error) {
        if (!settled) this.#pacer.settle(bucket, undefined);
        if (signal?.aborted) throw signal.reason;
        const timedOut = timeout?.aborted === true;
        if (!timedOut && !isNetworkFailure(error)) throw error;
        const code = timedOut ? 'TIMEOUT' : networkCode(error);
        if (!PERMANENT_NETWORK_CODES.has(code) && attempt < o.maxAttempts) {
          await this.#retryAfter(method, url, attempt, code, fullJitterDelay(attempt, this.#backoff(), o.random), signal);
          continue;
        }
        throw networkError(method, url, code, attempt, o.requestTimeoutMs);
      }

      if (response.status === 429 && attempt < o.maxAttempts) {
        this.stats.rateLimited++;
        const observed = readRateLimitHeaders(response.headers);
        // With a reset time the pacer now holds the next attempt until then; add jitter on top.
        // Without one, back off as for a server error.
        const wait = observed?.resetAtMs !== undefined ? Math.floor(o.random() * o.rateLimitJitterMs) : fullJitterDelay(attempt, this.#backoff(), o.random);
        if (wait > 0) this.#countRateLimitWait(method, url.pathname, wait);
        await this.#retryAfter(method, url, attempt, 'HTTP 429', wait, signal);
        continue;
      }
      if (response.status === 429) this.stats.rateLimited++;
      if (response.status >= 500 && attempt < o.maxAttempts) {
        await this.#retryAfter(method, url, attempt, `HTTP ${response.status}`, fullJitterDelay(attempt, this.#backoff(), o.random), signal);
        continue;
      }
      return { status: response.status, headers: response.headers, text, attempts: attempt };
    }
  }

  #backoff() {
    return { baseDelayMs: this.#options.retryBaseDelayMs, maxDelayMs: this.#options.retryMaxDelayMs };
  }

  async #retryAfter(method: string, url: URL, attempt: number, reason: string, delayMs: number, signal?: AbortSignal): Promise<void> {
    this.stats.retries++;
    this.#options.onEvent?.({ type: 'retry', method, path: url.pathname, reason, attempt, delayMs });
    if (delayMs > 0) await this.#options.sleep(delayMs, signal);
  }

  #countRateLimitWait(method: string, path: string, waitedMs: number): void {
    this.stats.rateLimitWaits++;
    this.stats.rateLimitWaitMs += waitedMs;
    this.#options.onEvent?.({ type: 'rate-limit-wait', method, path, waitedMs });
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** fetch rejects with a TypeError ("fetch failed", or "terminated" mid-body) whose cause carries the socket error code. */
function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof Error && typeof (error as { code?: unknown }).code === 'string');
}

function networkCode(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_ASSERTION') return code;
    const nested = (current as { errors?: unknown[] }).errors?.[0];
    current = (current as { cause?: unknown }).cause ?? nested;
  }
  return 'NETWORK_ERROR';
}

function networkError(method: string, url: URL, code: string, attempts: number, timeoutMs: number): OktaNetworkError {
  const hint = NETWORK_HINTS[code] ?? 'the request failed before Okta answered';
  const what = code === 'TIMEOUT' ? `timed out after ${timeoutMs / 1000} s` : `failed: ${code}, ${hint}`;
  const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
  const advice =
    code === 'ENOTFOUND' || code === 'ECONNREFUSED' || code.startsWith('ERR_TLS') || code.includes('CERT')
      ? `is the org URL ${url.origin} right and reachable from here?`
      : 'check the network and try again; Okta status: https://status.okta.com';
  return new OktaNetworkError(`${method} ${url.origin}${url.pathname} ${what}${tries}: ${advice}`, { url: `${url.origin}${url.pathname}`, code, attempts });
}
