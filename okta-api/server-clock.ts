/**
 * Okta's clock as seen from here. `X-Rate-Limit-Reset` is an instant on Okta's clock (epoch seconds), so waiting
 * "until reset" with a local clock that runs fast sends requests into an exhausted window (429s), and one that
 * runs slow waits too long. Every response's `Date` header gives a sample.
 *
 * The estimate is a lower bound on (Okta − local): `Date` is truncated to the second and stamped before the
 * response arrived, so `Date − receivedAt` can only under-state Okta's lead. Taking the largest of the recent
 * samples tightens it towards the truth; waiting until `reset − skew` on the local clock is then never early.
 */

/** How many recent `Date` samples to keep. @default 20 */
const DEFAULT_SAMPLES = 20;

export class ServerClock {
  readonly #now: () => number;
  readonly #samples: number[] = [];
  readonly #maxSamples: number;

  constructor(now: () => number, maxSamples = DEFAULT_SAMPLES) {
    this.#now = now;
    this.#maxSamples = maxSamples;
  }

  /** Records a response's `Date` header, received at local time `receivedAt`. */
  observe(dateHeader: string | null, receivedAt: number): void {
    if (!dateHeader) return;
    const serverMs = Date.parse(dateHeader);
    if (Number.isNaN(serverMs)) return;
    this.#samples.push(serverMs - receivedAt);
    if (this.#samples.length > this.#maxSamples) this.#samples.shift();
  }

  /** Lower bound of (Okta clock − local clock) in ms; 0 before any response. */
  get skewMs(): number {
    return this.#samples.length ? Math.max(...this.#samples) : 0;
  }

  /** Local clock, in ms since the epoch. */
  localNow(): number {
    return this.#now();
  }

  /** Okta's clock (never ahead of it once a `Date` header was seen). */
  serverNow(): number {
    return this.#now() + this.skewMs;
  }
}
