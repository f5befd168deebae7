/** Every bucket's policy denies requests that do not use TLS. */
import { asList, companions, resourcesOf, type PolicyRule, type PolicyStatementJson, type Violation } from './plan.ts';

const denyAll = (s: PolicyStatementJson) =>
  s.Effect === 'Deny' &&
  (s.Principal === '*' || (typeof s.Principal === 'object' && s.Principal !== null && (s.Principal as { AWS?: unknown }).AWS === '*')) &&
  asList(s.Action).some((a) => a === 's3:*' || a === '*');

const insecureTransport = (s: PolicyStatementJson) => {
  const bool = s.Condition?.Bool as Record<string, unknown> | undefined;
  return bool !== undefined && String(bool['aws:SecureTransport']) === 'false';
};

export const s3TlsOnly: PolicyRule = {
  id: 's3-tls-only',
  description: 'Every S3 bucket policy denies all S3 actions to everyone when aws:SecureTransport is false, on the bucket and its objects.',
  check(plan) {
    const out: Violation[] = [];
    for (const bucket of resourcesOf(plan, 'aws_s3_bucket')) {
      const policies = companions(plan, 'aws_s3_bucket_policy', 'bucket', bucket);
      const statements = policies.flatMap((p) => {
        try {
          return asList((JSON.parse(String(p.attrs.policy)) as { Statement?: PolicyStatementJson | PolicyStatementJson[] }).Statement);
        } catch {
          return [];
        }
      });
      const deny = statements.find((s) => denyAll(s) && insecureTransport(s));
      if (!deny) {
        out.push({ rule: this.id, address: bucket.address, message: 'no bucket policy statement denies s3:* to * when aws:SecureTransport is false' });
        continue;
      }
      const resources = asList(deny.Resource);
      const bucketArn = `\${${bucket.address}.arn}`;
      if (!resources.includes(bucketArn) || !resources.includes(`${bucketArn}/*`)) {
        out.push({ rule: this.id, address: bucket.address, message: 'the TLS-only statement must cover the bucket and its objects (arn and arn/*)' });
      }
    }
    return out;
  },
};
