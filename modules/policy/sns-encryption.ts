/** Every topic is encrypted at rest with a KMS key. */
import { isSet, resourcesOf, type PolicyRule, type Violation } from './plan.ts';

export const snsEncryption: PolicyRule = {
  id: 'sns-encryption',
  description: 'Every SNS topic sets kms_master_key_id.',
  check(plan) {
    const out: Violation[] = [];
    for (const t of resourcesOf(plan, 'aws_sns_topic')) {
      if (!isSet(t.attrs.kms_master_key_id)) out.push({ rule: this.id, address: t.address, message: 'must set kms_master_key_id' });
    }
    return out;
  },
};
