/** Every queue is encrypted at rest (a KMS key, or SQS-managed SSE). */
import { isSet, resourcesOf, type PolicyRule, type Violation } from './plan.ts';

export const sqsEncryption: PolicyRule = {
  id: 'sqs-encryption',
  description: 'Every SQS queue sets kms_master_key_id or sqs_managed_sse_enabled.',
  check(plan) {
    const out: Violation[] = [];
    for (const q of resourcesOf(plan, 'aws_sqs_queue')) {
      if (!isSet(q.attrs.kms_master_key_id) && q.attrs.sqs_managed_sse_enabled !== true) {
        out.push({ rule: this.id, address: q.address, message: 'must set kms_master_key_id (or sqs_managed_sse_enabled)' });
      }
    }
    return out;
  },
};
