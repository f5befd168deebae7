/**
 * The policy checks over a synthesized plan, one rule per file. `checkPlan` runs them all; the infra tests
 * run it over the whole stack, and each rule has a compliant and a non-compliant test of its own.
 */
import { athenaWorkgroup } from './athena-workgroup.ts';
import { firehoseEncryption } from './firehose-encryption.ts';
import { iamNoWildcards } from './iam-no-wildcards.ts';
import { logRetention } from './log-retention.ts';
import type { Plan, PolicyRule, Violation } from './plan.ts';
import { s3Lifecycle } from './s3-lifecycle.ts';
import { s3PublicAccessBlock } from './s3-public-access-block.ts';
import { s3SseKms } from './s3-sse-kms.ts';
import { s3TlsOnly } from './s3-tls-only.ts';
import { s3Versioning } from './s3-versioning.ts';
import { secretsManager } from './secrets-manager.ts';
import { snsEncryption } from './sns-encryption.ts';
import { sqsEncryption } from './sqs-encryption.ts';

export type { Plan, PolicyRule, Violation } from './plan.ts';

export const POLICY_RULES: readonly PolicyRule[] = [
  s3PublicAccessBlock,
  s3SseKms,
  s3TlsOnly,
  s3Versioning,
  s3Lifecycle,
  firehoseEncryption,
  sqsEncryption,
  snsEncryption,
  secretsManager,
  logRetention,
  athenaWorkgroup,
  iamNoWildcards,
];

export function checkPlan(plan: Plan, rules: readonly PolicyRule[] = POLICY_RULES): Violation[] {
  return rules.flatMap((r) => r.check(plan));
}

/** One line per violation: `rule  address: message`. */
export const formatViolations = (vs: readonly Violation[]): string => vs.map((v) => `${v.rule}  ${v.address}: ${v.message}`).join('\n');
