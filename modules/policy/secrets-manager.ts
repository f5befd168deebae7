/**
 * Secrets: every Secrets Manager secret is encrypted with a customer-managed key (`kms_key_id`; without it Secrets
 * Manager uses the AWS-managed `aws/secretsmanager` key, whose policy the account cannot narrow), and no secret value
 * is in the plan: an `aws_secretsmanager_secret_version` would put it in the plan and the Terraform state in clear
 * text. The user puts the value with `aws secretsmanager put-secret-value`.
 */
import { isSet, resourcesOf, type PolicyRule, type Violation } from './plan.ts';

export const secretsManager: PolicyRule = {
  id: 'secrets-manager',
  description: 'Every Secrets Manager secret sets kms_key_id, and the plan holds no aws_secretsmanager_secret_version (no secret value).',
  check(plan) {
    const out: Violation[] = [];
    for (const s of resourcesOf(plan, 'aws_secretsmanager_secret')) {
      if (!isSet(s.attrs.kms_key_id)) out.push({ rule: this.id, address: s.address, message: 'must set kms_key_id (a customer-managed key)' });
    }
    for (const v of resourcesOf(plan, 'aws_secretsmanager_secret_version')) {
      out.push({ rule: this.id, address: v.address, message: 'puts a secret value into the plan and the state; put it with aws secretsmanager put-secret-value instead' });
    }
    return out;
  },
};
