/** Every bucket has a public access block with all four settings on. */
import { companions, resourcesOf, type PolicyRule, type Violation } from './plan.ts';

const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

export const s3PublicAccessBlock: PolicyRule = {
  id: 's3-public-access-block',
  description: 'Every S3 bucket blocks public ACLs and policies (all four public access block settings true).',
  check(plan) {
    const out: Violation[] = [];
    for (const bucket of resourcesOf(plan, 'aws_s3_bucket')) {
      const blocks = companions(plan, 'aws_s3_bucket_public_access_block', 'bucket', bucket);
      if (blocks.length === 0) {
        out.push({ rule: this.id, address: bucket.address, message: 'has no aws_s3_bucket_public_access_block' });
        continue;
      }
      for (const b of blocks) {
        const off = SETTINGS.filter((s) => b.attrs[s] !== true);
        if (off.length > 0) out.push({ rule: this.id, address: b.address, message: `${off.join(', ')} must be true` });
      }
    }
    return out;
  },
};
