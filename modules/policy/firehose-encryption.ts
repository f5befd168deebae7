/** Firehose encrypts records at rest in the stream and writes every S3 object (and backup) with a KMS key. */
import { block, isSet, resourcesOf, type PolicyRule, type Violation } from './plan.ts';

export const firehoseEncryption: PolicyRule = {
  id: 'firehose-encryption',
  description: 'Every Firehose stream has server-side encryption enabled and a kms_key_arn on its S3 destination and S3 backup.',
  check(plan) {
    const out: Violation[] = [];
    for (const s of resourcesOf(plan, 'aws_kinesis_firehose_delivery_stream')) {
      // A stream fed by Kinesis or MSK is encrypted by its source; server_side_encryption is for Direct PUT.
      const directPut = s.attrs.kinesis_source_configuration === undefined && s.attrs.msk_source_configuration === undefined;
      if (directPut && block(s.attrs.server_side_encryption)?.enabled !== true) {
        out.push({ rule: this.id, address: s.address, message: 'server_side_encryption must be enabled' });
      }
      const s3 = block(s.attrs.extended_s3_configuration);
      if (s3) {
        if (!isSet(s3.kms_key_arn)) out.push({ rule: this.id, address: s.address, message: 'extended_s3_configuration.kms_key_arn must be set' });
        const backup = block(s3.s3_backup_configuration);
        if (s3.s3_backup_mode === 'Enabled' && !isSet(backup?.kms_key_arn)) {
          out.push({ rule: this.id, address: s.address, message: 's3_backup_configuration.kms_key_arn must be set' });
        }
      }
    }
    return out;
  },
};
