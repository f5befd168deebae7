/** Every Athena workgroup enforces its configuration, encrypts results with KMS and caps the data a query scans. */
import { block, isSet, resourcesOf, type PolicyRule, type Violation } from './plan.ts';

const KMS_OPTIONS = new Set(['SSE_KMS', 'CSE_KMS']);
/** Athena's minimum per-query cutoff. */
const MIN_CUTOFF = 10 * 1024 * 1024;

export const athenaWorkgroup: PolicyRule = {
  id: 'athena-workgroup',
  description: 'Every Athena workgroup has enforce_workgroup_configuration, KMS-encrypted results and bytes_scanned_cutoff_per_query.',
  check(plan) {
    const out: Violation[] = [];
    for (const w of resourcesOf(plan, 'aws_athena_workgroup')) {
      const c = block(w.attrs.configuration);
      if (c?.enforce_workgroup_configuration !== true) out.push({ rule: this.id, address: w.address, message: 'enforce_workgroup_configuration must be true' });
      const enc = block(block(c?.result_configuration)?.encryption_configuration);
      if (!KMS_OPTIONS.has(String(enc?.encryption_option)) || !isSet(enc?.kms_key_arn)) {
        out.push({ rule: this.id, address: w.address, message: 'results must be encrypted with SSE_KMS (or CSE_KMS) and a kms_key_arn' });
      }
      const cutoff = c?.bytes_scanned_cutoff_per_query;
      if (typeof cutoff !== 'number' || cutoff < MIN_CUTOFF) {
        out.push({ rule: this.id, address: w.address, message: `bytes_scanned_cutoff_per_query must be set (at least ${MIN_CUTOFF})` });
      }
    }
    return out;
  },
};
