/** What the Okta API tests share: clients pointed at a stand-in, recent events, keys, and collecting pages. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { apiTokenCredentials, OktaClient, type OktaClientOptions, type OktaCredentials } from '../../okta-api/index.ts';
import { sampleEvent, STAND_IN_API_TOKEN, type OktaStandIn, type StandInLogEvent } from '../support/okta-stand-in/index.ts';

/** A client of the stand-in with an API token; backoff and 429 jitter are zero (`random` = 0) so retries are instant. */
export function clientOf(standIn: OktaStandIn, options: Partial<OktaClientOptions> = {}): OktaClient {
  const credentials: OktaCredentials = options.credentials ?? apiTokenCredentials(STAND_IN_API_TOKEN, 'OKTA_API_TOKEN');
  return new OktaClient({ random: () => 0, ...options, orgUrl: standIn.url, credentials });
}

/** `count` events, one every `stepMs`, ending an hour ago (inside Okta's retention and the 180-day window). */
export function recentEvents(count: number, stepMs = 1000): StandInLogEvent[] {
  const start = Date.now() - 3_600_000 - count * stepMs;
  return Array.from({ length: count }, (_, i) => sampleEvent(i, start + i * stepMs));
}

/** The ISO time an hour before the first of `recentEvents(count, stepMs)`, a safe `since`. */
export function sinceBefore(events: readonly StandInLogEvent[]): string {
  return new Date(Date.parse(events[0]!.published) - 60_000).toISOString();
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

export interface TestKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

let rsa: TestKeyPair | undefined;
/** One 2048-bit RSA key pair per test file (generating one takes a moment). */
export function rsaKeyPair(): TestKeyPair {
  rsa ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  return rsa;
}

export function ecKeyPair(): TestKeyPair {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}
