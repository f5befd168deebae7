/**
 * Logs expire: every log group declares a retention, and every Lambda function logs to a log group the plan
 * declares (otherwise Lambda creates `/aws/lambda/<name>` on first run, kept forever).
 */
import { block, resourcesOf, type PolicyRule, type Violation } from './plan.ts';

export const logRetention: PolicyRule = {
  id: 'log-retention',
  description: 'Every CloudWatch log group sets retention_in_days, and every Lambda function logs to a declared log group.',
  check(plan) {
    const out: Violation[] = [];
    const groups = resourcesOf(plan, 'aws_cloudwatch_log_group');
    for (const g of groups) {
      const days = g.attrs.retention_in_days;
      if (typeof days !== 'number' || days <= 0) out.push({ rule: this.id, address: g.address, message: 'retention_in_days must be set (a positive number of days)' });
    }
    for (const fn of resourcesOf(plan, 'aws_lambda_function')) {
      const target = block(fn.attrs.logging_config)?.log_group ?? `/aws/lambda/${String(fn.attrs.function_name)}`;
      const declared = groups.some((g) => target === g.attrs.name || (typeof target === 'string' && target.includes(`\${${g.address}.`)));
      if (!declared) out.push({ rule: this.id, address: fn.address, message: `logs to ${String(target)}, which the plan does not declare (so it would never expire)` });
    }
    return out;
  },
};
