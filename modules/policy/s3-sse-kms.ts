/** Every bucket encrypts objects by default with a KMS key (SSE-KMS), not S3-managed keys. */
import { blocks, companions, isSet, resourcesOf, type PolicyRule, type Violation } from './plan.ts';

const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);

export const s3SseKms: PolicyRule = {
  id: 's3-sse-kms',
  description: 'Every S3 bucket has default encryption SSE-KMS with a named key.',
  check(plan) {
    const out: Violation[] = [];
    for (const bucket of resourcesOf(plan, 'aws_s3_bucket')) {
      const configs = companions(plan, 'aws_s3_bucket_server_side_encryption_configuration', 'bucket', bucket);
      if (configs.length === 0) {
        out.push({ rule: this.id, address: bucket.address, message: 'has no aws_s3_bucket_server_side_encryption_configuration' });
        continue;
      }
      for (const c of configs) {
        const defaults = blocks(c.attrs.rule).flatMap((r) => blocks(r.apply_server_side_encryption_by_default));
        const ok = defaults.some((d) => KMS_ALGORITHMS.has(String(d.sse_algorithm)) && isSet(d.kms_master_key_id));
        if (!ok) out.push({ rule: this.id, address: c.address, message: 'default encryption must be aws:kms with kms_master_key_id set' });
      }
    }
    return out;
  },
};
