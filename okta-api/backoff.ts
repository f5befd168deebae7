/**
 * Exponential backoff with full jitter (a random delay between 0 and base·2^(attempt−1), capped), so clients
 * that failed together do not retry together.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export interface BackoffPolicy {
  /** @default 1000 */
  readonly baseDelayMs: number;
  /** @default 30000 */
  readonly maxDelayMs: number;
}

/** The delay before retry number `attempt` (1 = the first retry). `random` returns [0, 1). */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
