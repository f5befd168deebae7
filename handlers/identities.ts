/**
 * The identities of the users a run's new findings are about, for their notification (core/identity-context.ts).
 * Reading them must not cost the notification: a failed read is logged and the findings go out without them.
 * No query runs when no new finding is about a user.
 */
import { findingIdentities, type IdentityMap } from '../core/identity-context.ts';
import type { Finding } from '../core/findings.ts';
import type { Runtime } from './runtime.ts';

export async function notifiedIdentities(runtime: Pick<Runtime, 'engine' | 'log'>, findings: readonly Finding[]): Promise<IdentityMap> {
  return findingIdentities(runtime.engine, findings, (e) =>
    runtime.log.warn('notifying without the identity context: reading the inventory failed', { error: e instanceof Error ? e.message : String(e) }),
  );
}
