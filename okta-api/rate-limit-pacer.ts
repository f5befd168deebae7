/**
 * Keeps requests inside Okta's rate limits instead of finding them with 429s. Okta reports, on every response of a
 * rate-limited endpoint, `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (epoch seconds,
 * on Okta's clock) for that endpoint's bucket.
 * https://developer.okta.com/docs/reference/rl-best-practices/
 *
 * Per bucket we keep the last known window and count our own requests in flight; a request waits while the
 * window has no more than `reserve` requests left, until Okta's clock (`ServerClock`) passes the reset. When a
 * window ends we assume the last known limit for the next one, until a response says otherwise.
 */
import type { ServerClock } from './server-clock.ts';

export interface RateLimitState {
  readonly limit?: number | undefined;
  readonly remaining?: number | undefined;
  /** The window's end, ms since the epoch on Okta's clock. */
  readonly resetAtMs?: number | undefined;
}

/** The rate-limit headers of a response, or undefined when it has none. */
export function readRateLimitHeaders(headers: Headers): RateLimitState | undefined {
  const number = (name: string) => {
    const raw = headers.get(name);
    if (raw === null || raw.trim() === '') return undefined;
    const value = Number(raw);
    return Number.isFinite(value) ? value : undefined;
  };
  const limit = number('x-rate-limit-limit');
  const remaining = number('x-rate-limit-remaining');
  const reset = number('x-rate-limit-reset');
  if (remaining === undefined && reset === undefined) return undefined;
  return { limit, remaining, resetAtMs: reset === undefined ? undefined : reset * 1000 };
}

/**
 * The bucket a request counts against. Okta limits per endpoint, so ids in the path are folded:
 * `GET /api/v1/logs/...` keeps its path, `GET /api/v1/users/00u1abcd2EFGH3ijk4l5` -> `GET /api/v1/users/{id}`.
 * Everything under one user (factors, roles, devices, ...) is one bucket for every user, `GET /api/v1/users/{id}/*`:
 * Okta's rate-limit reference groups `/api/v1/users/*` sub-resources under one limit
 * (https://developer.okta.com/docs/reference/rl-global-mgmt/, "most other API actions" and the `/api/v1/users/*`
 * example in https://developer.okta.com/docs/reference/rate-limits/), so an inventory reading factors and then roles
 * of many users must pace them against one budget, not three.
 */
export function rateLimitBucket(method: string, pathname: string): string {
  const m = method.toUpperCase();
  if (/^\/api\/v1\/users\/[^/]+\/./.test(pathname)) return `${m} /api/v1/users/{id}/*`;
  const path = pathname
    .split('/')
    .map((segment) => (segment.length >= 10 && /\d/.test(segment) ? '{id}' : segment))
    .join('/');
  return `${m} ${path}`;
}

interface Bucket {
  limit: number | undefined;
  remaining: number | undefined;
  resetAtMs: number | undefined;
  inFlight: number;
  waiters: Array<() => void>;
}

export interface RateLimitPacerOptions {
  readonly clock: ServerClock;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Requests of each window left to other callers of the org. @default 0 */
  readonly reserve?: number;
}

export class RateLimitPacer {
  readonly #buckets = new Map<string, Bucket>();
  readonly #clock: ServerClock;
  readonly #sleep: RateLimitPacerOptions['sleep'];
  readonly #reserve: number;

  constructor(options: RateLimitPacerOptions) {
    this.#clock = options.clock;
    this.#sleep = options.sleep;
    this.#reserve = Math.max(0, options.reserve ?? 0);
  }

  /**
   * Waits until the bucket has room, then counts one request against it. Every `take` must be followed by one
   * `settle` for the same bucket. Returns how long it waited (ms).
   */
  async take(bucketName: string, signal?: AbortSignal): Promise<number> {
    const bucket = this.#bucket(bucketName);
    let waited = 0;
    for (;;) {
      signal?.throwIfAborted();
      const serverNow = this.#clock.serverNow();
      if (bucket.resetAtMs !== undefined && serverNow >= bucket.resetAtMs) {
        // The window is over: assume the same limit for the next one, minus what is already on its way.
        bucket.remaining = bucket.limit === undefined ? undefined : bucket.limit - bucket.inFlight;
        bucket.resetAtMs = undefined;
      }
      const unknownWindow = bucket.resetAtMs === undefined;
      if (bucket.remaining === undefined || bucket.remaining > this.#reserve || (unknownWindow && bucket.inFlight === 0)) {
        if (bucket.remaining !== undefined) bucket.remaining--;
        bucket.inFlight++;
        return waited;
      }
      const started = this.#clock.localNow();
      if (bucket.resetAtMs !== undefined) {
        await this.#sleep(Math.max(1, Math.ceil(bucket.resetAtMs - serverNow)), signal);
      } else {
        // A new window of unknown size with our requests in flight: wait for one of them to report.
        await this.#nextSettle(bucket, signal);
      }
      waited += Math.max(0, this.#clock.localNow() - started);
    }
  }

  /** Reports the end of a request counted by `take`, with its response's rate-limit headers if it had a response. */
  settle(bucketName: string, observed: RateLimitState | undefined): void {
    const bucket = this.#bucket(bucketName);
    bucket.inFlight = Math.max(0, bucket.inFlight - 1);
    if (observed?.remaining !== undefined && observed.resetAtMs !== undefined) {
      if (observed.limit !== undefined) bucket.limit = observed.limit;
      if (bucket.resetAtMs === undefined || observed.resetAtMs > bucket.resetAtMs) {
        // A newer window: Okta's count, less our requests it may not have counted yet.
        bucket.resetAtMs = observed.resetAtMs;
        bucket.remaining = observed.remaining - bucket.inFlight;
      } else if (observed.resetAtMs === bucket.resetAtMs) {
        bucket.remaining = Math.min(bucket.remaining ?? Number.POSITIVE_INFINITY, observed.remaining - bucket.inFlight);
      }
    }
    const waiters = bucket.waiters.splice(0);
    for (const wake of waiters) wake();
  }

  /** What is known about a bucket (for progress displays and tests). */
  state(bucketName: string): RateLimitState {
    const { limit, remaining, resetAtMs } = this.#bucket(bucketName);
    return { limit, remaining, resetAtMs };
  }

  #bucket(name: string): Bucket {
    let bucket = this.#buckets.get(name);
    if (!bucket) {
      bucket = { limit: undefined, remaining: undefined, resetAtMs: undefined, inFlight: 0, waiters: [] };
      this.#buckets.set(name, bucket);
    }
    return bucket;
  }

  #nextSettle(bucket: Bucket, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const at = bucket.waiters.indexOf(wake);
        if (at >= 0) bucket.waiters.splice(at, 1);
        reject(signal?.reason);
      };
      bucket.waiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
