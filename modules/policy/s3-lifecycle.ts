/**
 * Every bucket has lifecycle rules that bound what it keeps: something expires, and on a versioned bucket
 * old versions expire too (otherwise every rewrite is kept forever).
 */
import { block, blocks, companions, resourcesOf, type PolicyRule, type Violation } from './plan.ts';

export const s3Lifecycle: PolicyRule = {
  id: 's3-lifecycle',
  description: 'Every S3 bucket has an enabled lifecycle rule that expires objects, and one that expires noncurrent versions when versioning is on.',
  check(plan) {
    const out: Violation[] = [];
    for (const bucket of resourcesOf(plan, 'aws_s3_bucket')) {
      const rules = companions(plan, 'aws_s3_bucket_lifecycle_configuration', 'bucket', bucket)
        .flatMap((c) => blocks(c.attrs.rule))
        .filter((r) => r.status === 'Enabled');
      if (rules.length === 0) {
        out.push({ rule: this.id, address: bucket.address, message: 'has no enabled lifecycle rule' });
        continue;
      }
      const expires = rules.some((r) => blocks(r.expiration).some((e) => typeof e.days === 'number' || typeof e.date === 'string'));
      if (!expires) out.push({ rule: this.id, address: bucket.address, message: 'no lifecycle rule expires current objects' });
      const versioned = companions(plan, 'aws_s3_bucket_versioning', 'bucket', bucket).some(
        (v) => block(v.attrs.versioning_configuration)?.status === 'Enabled',
      );
      if (versioned && !rules.some((r) => blocks(r.noncurrent_version_expiration).length > 0)) {
        out.push({ rule: this.id, address: bucket.address, message: 'versioned, but no lifecycle rule expires noncurrent versions' });
      }
    }
    return out;
  },
};
