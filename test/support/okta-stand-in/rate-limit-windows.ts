/**
 * Okta-style rate limits: each endpoint bucket allows `limit` requests per fixed window (aligned to the epoch, so
 * `X-Rate-Limit-Reset` is exact in whole seconds); a request beyond it is refused with 429 and counted as a
 * violation, which tests assert stays at zero for a well-paced client.
 */
export interface RateLimitConfig {
  /** Requests allowed per window and bucket. */
  readonly limit: number;
  /** Window length in whole seconds. @default 1 */
  readonly windowSeconds?: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Epoch seconds when the window ends. */
  readonly resetSeconds: number;
}

export class RateLimitWindows {
  readonly #limit: number;
  readonly #windowSeconds: number;
  readonly #counts = new Map<string, { windowStart: number; count: number }>();
  violations = 0;

  constructor(config: RateLimitConfig) {
    this.#limit = config.limit;
    this.#windowSeconds = config.windowSeconds ?? 1;
    if (!Number.isInteger(this.#windowSeconds) || this.#windowSeconds < 1) throw new RangeError('windowSeconds must be a whole number >= 1');
  }

  /** Counts a request against `bucket` at `nowMs`. */
  take(bucket: string, nowMs: number): RateLimitDecision {
    const windowStart = Math.floor(nowMs / 1000 / this.#windowSeconds) * this.#windowSeconds;
    let window = this.#counts.get(bucket);
    if (!window || window.windowStart !== windowStart) {
      window = { windowStart, count: 0 };
      this.#counts.set(bucket, window);
    }
    const resetSeconds = windowStart + this.#windowSeconds;
    if (window.count >= this.#limit) {
      this.violations++;
      return { allowed: false, limit: this.#limit, remaining: 0, resetSeconds };
    }
    window.count++;
    return { allowed: true, limit: this.#limit, remaining: this.#limit - window.count, resetSeconds };
  }

  /** The current window of `bucket` without counting a request. */
  peek(bucket: string, nowMs: number): RateLimitDecision {
    const windowStart = Math.floor(nowMs / 1000 / this.#windowSeconds) * this.#windowSeconds;
    const window = this.#counts.get(bucket);
    const count = window?.windowStart === windowStart ? window.count : 0;
    return { allowed: count < this.#limit, limit: this.#limit, remaining: Math.max(0, this.#limit - count), resetSeconds: windowStart + this.#windowSeconds };
  }
}
