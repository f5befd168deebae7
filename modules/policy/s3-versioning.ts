/** Every bucket keeps object versions, so a bad rewrite or delete can be undone. */
import { block, companions, resourcesOf, type PolicyRule, type Violation } from './plan.ts';

export const s3Versioning: PolicyRule = {
  id: 's3-versioning',
  description: 'Every S3 bucket has versioning Enabled.',
  check(plan) {
    const out: Violation[] = [];
    for (const bucket of resourcesOf(plan, 'aws_s3_bucket')) {
      const v = companions(plan, 'aws_s3_bucket_versioning', 'bucket', bucket);
      if (!v.some((x) => block(x.attrs.versioning_configuration)?.status === 'Enabled')) {
        out.push({ rule: this.id, address: bucket.address, message: 'versioning must be Enabled (aws_s3_bucket_versioning)' });
      }
    }
    return out;
  },
};
