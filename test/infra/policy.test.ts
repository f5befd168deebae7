/**
 * The policy rules over the synthesized plan. Each rule passes on the real stack and fails on a copy of it
 * broken in the one way the rule is about (so each rule is tested on the shapes cdktf really emits), and the
 * whole stack passes every rule.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { athenaWorkgroup } from '../../modules/policy/athena-workgroup.ts';
import { firehoseEncryption } from '../../modules/policy/firehose-encryption.ts';
import { iamNoWildcards, WILDCARD_EXCEPTIONS, wildResource } from '../../modules/policy/iam-no-wildcards.ts';
import { checkPlan, formatViolations, POLICY_RULES } from '../../modules/policy/index.ts';
import { logRetention } from '../../modules/policy/log-retention.ts';
import type { Attrs, Plan, PolicyRule } from '../../modules/policy/plan.ts';
import { s3Lifecycle } from '../../modules/policy/s3-lifecycle.ts';
import { s3PublicAccessBlock } from '../../modules/policy/s3-public-access-block.ts';
import { s3SseKms } from '../../modules/policy/s3-sse-kms.ts';
import { s3TlsOnly } from '../../modules/policy/s3-tls-only.ts';
import { s3Versioning } from '../../modules/policy/s3-versioning.ts';
import { secretsManager } from '../../modules/policy/secrets-manager.ts';
import { snsEncryption } from '../../modules/policy/sns-encryption.ts';
import { sqsEncryption } from '../../modules/policy/sqs-encryption.ts';
import { synthStack } from './helpers.ts';

let plan: Plan;

beforeAll(() => {
  plan = synthStack().plan;
});

/** A deep copy of the plan with `edit` applied to it. */
function broken(edit: (p: { resource: Record<string, Record<string, Attrs>> }) => void): Plan {
  const copy = structuredClone(plan) as { resource: Record<string, Record<string, Attrs>> };
  edit(copy);
  return copy as Plan;
}

/** The only resource of `type` in a plan being edited. */
function only(p: { resource: Record<string, Record<string, Attrs>> }, type: string, where: (a: Attrs) => boolean = () => true): Attrs {
  const found = Object.values(p.resource[type] ?? {}).filter(where);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

const addresses = (rule: PolicyRule, p: Plan) => rule.check(p).map((v) => v.address);

type PolicyDoc = { Statement: Record<string, unknown>[] };
const editPolicy = (holder: Attrs, attribute: string, change: (doc: PolicyDoc) => void) => {
  const doc = JSON.parse(String(holder[attribute])) as PolicyDoc;
  change(doc);
  holder[attribute] = JSON.stringify(doc);
};

describe('the whole stack', () => {
  it('passes every policy rule', () => {
    expect(formatViolations(checkPlan(plan))).toBe('');
  });

  it('runs one rule per file, each named after its file', () => {
    expect(POLICY_RULES.map((r) => r.id)).toEqual([
      's3-public-access-block',
      's3-sse-kms',
      's3-tls-only',
      's3-versioning',
      's3-lifecycle',
      'firehose-encryption',
      'sqs-encryption',
      'sns-encryption',
      'secrets-manager',
      'log-retention',
      'athena-workgroup',
      'iam-no-wildcards',
    ]);
  });
});

describe('s3-public-access-block', () => {
  it('passes a bucket with all four settings on', () => {
    expect(s3PublicAccessBlock.check(plan)).toEqual([]);
  });

  it('fails a bucket whose block lets public policies through', () => {
    const p = broken((x) => {
      only(x, 'aws_s3_bucket_public_access_block').block_public_policy = false;
    });

    expect(s3PublicAccessBlock.check(p).map((v) => v.message)).toEqual(['block_public_policy must be true']);
  });

  it('fails a bucket without a public access block', () => {
    const p = broken((x) => delete x.resource.aws_s3_bucket_public_access_block);

    expect(addresses(s3PublicAccessBlock, p)).toEqual([`aws_s3_bucket.${Object.keys(plan.resource!.aws_s3_bucket!)[0]}`]);
  });
});

describe('s3-sse-kms', () => {
  it('passes default encryption with the lake key', () => {
    expect(s3SseKms.check(plan)).toEqual([]);
  });

  it('fails S3-managed encryption (AES256)', () => {
    const p = broken((x) => {
      const c = only(x, 'aws_s3_bucket_server_side_encryption_configuration');
      c.rule = [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }];
    });

    expect(s3SseKms.check(p)).toHaveLength(1);
  });

  it('fails a bucket with no encryption configuration', () => {
    const p = broken((x) => delete x.resource.aws_s3_bucket_server_side_encryption_configuration);

    expect(s3SseKms.check(p)[0]!.message).toContain('has no aws_s3_bucket_server_side_encryption_configuration');
  });
});

describe('s3-tls-only', () => {
  it('passes a policy denying insecure transport on the bucket and its objects', () => {
    expect(s3TlsOnly.check(plan)).toEqual([]);
  });

  it('fails when the deny statement is gone', () => {
    const p = broken((x) =>
      editPolicy(only(x, 'aws_s3_bucket_policy'), 'policy', (d) => {
        d.Statement = d.Statement.filter((s) => s.Sid !== 'DenyInsecureTransport');
      }),
    );

    expect(s3TlsOnly.check(p)[0]!.message).toContain('no bucket policy statement denies');
  });

  it('fails when the deny covers the bucket but not its objects', () => {
    const p = broken((x) =>
      editPolicy(only(x, 'aws_s3_bucket_policy'), 'policy', (d) => {
        const s = d.Statement.find((st) => st.Sid === 'DenyInsecureTransport')!;
        s.Resource = (s.Resource as string[]).slice(0, 1);
      }),
    );

    expect(s3TlsOnly.check(p)[0]!.message).toContain('must cover the bucket and its objects');
  });
});

describe('s3-versioning', () => {
  it('passes versioning Enabled', () => {
    expect(s3Versioning.check(plan)).toEqual([]);
  });

  it('fails versioning Suspended', () => {
    const p = broken((x) => {
      only(x, 'aws_s3_bucket_versioning').versioning_configuration = { status: 'Suspended' };
    });

    expect(s3Versioning.check(p)).toHaveLength(1);
  });
});

describe('s3-lifecycle', () => {
  it('passes expiring prefixes and noncurrent versions', () => {
    expect(s3Lifecycle.check(plan)).toEqual([]);
  });

  it('fails a versioned bucket that keeps old versions forever', () => {
    const p = broken((x) => {
      const lc = only(x, 'aws_s3_bucket_lifecycle_configuration');
      lc.rule = (lc.rule as Attrs[]).filter((r) => r.noncurrent_version_expiration === undefined);
    });

    expect(s3Lifecycle.check(p).map((v) => v.message)).toEqual(['versioned, but no lifecycle rule expires noncurrent versions']);
  });

  it('fails a bucket without lifecycle rules', () => {
    const p = broken((x) => delete x.resource.aws_s3_bucket_lifecycle_configuration);

    expect(s3Lifecycle.check(p).map((v) => v.message)).toEqual(['has no enabled lifecycle rule']);
  });
});

describe('firehose-encryption', () => {
  it('passes a stream encrypted at rest writing SSE-KMS objects and backups', () => {
    expect(firehoseEncryption.check(plan)).toEqual([]);
  });

  it('fails a stream without server-side encryption', () => {
    const p = broken((x) => {
      delete only(x, 'aws_kinesis_firehose_delivery_stream', (a) => a.name === 'acme-lake-okta-events').server_side_encryption;
    });

    expect(firehoseEncryption.check(p).map((v) => v.message)).toEqual(['server_side_encryption must be enabled']);
  });

  it('fails a raw backup written without the key', () => {
    const p = broken((x) => {
      const s3 = only(x, 'aws_kinesis_firehose_delivery_stream', (a) => a.name === 'acme-lake-okta-events').extended_s3_configuration as { s3_backup_configuration: Attrs };
      delete s3.s3_backup_configuration.kms_key_arn;
    });

    expect(firehoseEncryption.check(p).map((v) => v.message)).toEqual(['s3_backup_configuration.kms_key_arn must be set']);
  });
});

describe('sqs-encryption', () => {
  it('passes queues encrypted with the key', () => {
    expect(sqsEncryption.check(plan)).toEqual([]);
  });

  it('fails an unencrypted queue, and accepts SQS-managed SSE', () => {
    const p = broken((x) => {
      delete only(x, 'aws_sqs_queue', (a) => a.name === 'acme-lake-okta-events-dlq').kms_master_key_id;
    });
    const managed = broken((x) => {
      const q = only(x, 'aws_sqs_queue', (a) => a.name === 'acme-lake-okta-events-dlq');
      delete q.kms_master_key_id;
      q.sqs_managed_sse_enabled = true;
    });

    expect(sqsEncryption.check(p)).toHaveLength(1);
    expect(sqsEncryption.check(managed)).toEqual([]);
  });
});

describe('sns-encryption', () => {
  it('passes topics encrypted with the key', () => {
    expect(snsEncryption.check(plan)).toEqual([]);
  });

  it('fails an unencrypted topic', () => {
    const p = broken((x) => {
      delete only(x, 'aws_sns_topic', (a) => a.name === 'acme-lake-ops').kms_master_key_id;
    });

    expect(snsEncryption.check(p)).toHaveLength(1);
  });
});

describe('secrets-manager', () => {
  it('passes the Okta API secret: encrypted with the lake key, no value in the plan', () => {
    expect(secretsManager.check(plan)).toEqual([]);
  });

  it('fails a secret left on the AWS-managed key', () => {
    const p = broken((x) => {
      delete only(x, 'aws_secretsmanager_secret').kms_key_id;
    });

    expect(secretsManager.check(p).map((v) => v.message)).toEqual(['must set kms_key_id (a customer-managed key)']);
  });

  it('fails a secret value written into the plan', () => {
    const p = broken((x) => {
      x.resource.aws_secretsmanager_secret_version = { token: { secret_id: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme-lake/okta-api', secret_string: '{"apiToken":"00x"}' } };
    });

    expect(addresses(secretsManager, p)).toEqual(['aws_secretsmanager_secret_version.token']);
  });
});

describe('log-retention', () => {
  it('passes log groups with retention that every function logs to', () => {
    expect(logRetention.check(plan)).toEqual([]);
  });

  it('fails a log group kept forever', () => {
    const p = broken((x) => {
      delete only(x, 'aws_cloudwatch_log_group', (a) => a.name === '/aws/lambda/acme-lake-refresh-user').retention_in_days;
    });

    expect(logRetention.check(p).map((v) => v.message)).toEqual(['retention_in_days must be set (a positive number of days)']);
  });

  it('fails a function whose log group the plan does not declare', () => {
    const p = broken((x) => {
      const fn = only(x, 'aws_lambda_function', (a) => a.function_name === 'acme-lake-refresh-user');
      delete fn.logging_config;
      delete x.resource.aws_cloudwatch_log_group![Object.entries(x.resource.aws_cloudwatch_log_group!).find(([, g]) => g.name === '/aws/lambda/acme-lake-refresh-user')![0]];
    });

    expect(logRetention.check(p).map((v) => v.message)).toEqual([
      'logs to /aws/lambda/acme-lake-refresh-user, which the plan does not declare (so it would never expire)',
    ]);
  });
});

describe('athena-workgroup', () => {
  it('passes an enforced workgroup with KMS-encrypted results and a scan cutoff', () => {
    expect(athenaWorkgroup.check(plan)).toEqual([]);
  });

  it.each([
    ['not enforced', (c: Attrs) => (c.enforce_workgroup_configuration = false), 'enforce_workgroup_configuration must be true'],
    ['SSE_S3 results', (c: Attrs) => (c.result_configuration = { encryption_configuration: { encryption_option: 'SSE_S3' } }), 'results must be encrypted with SSE_KMS'],
    ['no scan cutoff', (c: Attrs) => delete c.bytes_scanned_cutoff_per_query, 'bytes_scanned_cutoff_per_query must be set'],
  ])('fails a workgroup with %s', (_what, change, message) => {
    const p = broken((x) => {
      change(only(x, 'aws_athena_workgroup').configuration as Attrs);
    });

    expect(athenaWorkgroup.check(p).map((v) => v.message)).toEqual([expect.stringContaining(message)]);
  });
});

describe('iam-no-wildcards', () => {
  const rolePolicy = (x: { resource: Record<string, Record<string, Attrs>> }, role: string) =>
    only(x, 'aws_iam_role_policy', (a) => a.name === `${role}-permissions`);

  it('passes the stack, whose only wildcards are the named KMS key policy exceptions', () => {
    expect(iamNoWildcards.check(plan)).toEqual([]);
    expect(WILDCARD_EXCEPTIONS.map((e) => e.id)).toEqual(['kms-key-policy-resource', 'kms-key-policy-account-root']);
    for (const e of WILDCARD_EXCEPTIONS) expect(e.reason.length).toBeGreaterThan(40);
  });

  it('fails a role allowed resource "*"', () => {
    const p = broken((x) =>
      editPolicy(rolePolicy(x, 'acme-lake-refresh-user'), 'policy', (d) => {
        d.Statement.push({ Effect: 'Allow', Action: 'athena:StartQueryExecution', Resource: '*' });
      }),
    );

    expect(iamNoWildcards.check(p).map((v) => v.message)).toEqual([expect.stringContaining('resource * is a wildcard')]);
  });

  it('fails a role allowed a service-wide action', () => {
    const p = broken((x) =>
      editPolicy(rolePolicy(x, 'acme-lake-okta-events-firehose'), 'policy', (d) => {
        (d.Statement[0] as Attrs).Action = 's3:*';
      }),
    );

    expect(iamNoWildcards.check(p).map((v) => v.message)).toEqual([expect.stringContaining('action s3:* is a wildcard')]);
  });

  it('fails an ARN whose resource part is "*"', () => {
    expect(wildResource('arn:aws:s3:::*')).toBe(true);
    expect(wildResource('arn:aws:sqs:eu-west-1:123456789012:*')).toBe(true);
    expect(wildResource('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/x:*')).toBe(false);
    expect(wildResource('arn:aws:s3:::bucket/findings/*')).toBe(false);
  });

  it('fails kms:* in a key policy for any principal but the account root', () => {
    const p = broken((x) =>
      editPolicy(only(x, 'aws_kms_key'), 'policy', (d) => {
        d.Statement.push({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'kms:*', Resource: '*' });
      }),
    );

    expect(iamNoWildcards.check(p).map((v) => v.message)).toEqual([expect.stringContaining('action kms:* is a wildcard')]);
  });

  it('fails resource "*" outside a key policy even for kms actions', () => {
    const p = broken((x) =>
      editPolicy(rolePolicy(x, 'acme-lake-daily-snapshot'), 'policy', (d) => {
        d.Statement.push({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' });
      }),
    );

    expect(iamNoWildcards.check(p)).toHaveLength(1);
  });

  it('fails an Allow to principal "*" in a resource policy', () => {
    const p = broken((x) =>
      editPolicy(only(x, 'aws_sns_topic_policy'), 'policy', (d) => {
        (d.Statement[0] as Attrs).Principal = '*';
      }),
    );

    expect(iamNoWildcards.check(p).map((v) => v.message)).toEqual([expect.stringContaining('allows principal "*"')]);
  });

  it('lets Deny statements be broad (the TLS-only deny is s3:* for everyone)', () => {
    const deny = JSON.parse(String(Object.values(plan.resource!.aws_s3_bucket_policy!)[0]!.policy)) as PolicyDoc;

    expect(deny.Statement.some((s) => s.Effect === 'Deny' && s.Action === 's3:*')).toBe(true);
    expect(iamNoWildcards.check(plan)).toEqual([]);
  });

  it('reports a policy it cannot read rather than passing it', () => {
    const p = broken((x) => {
      rolePolicy(x, 'acme-lake-refresh-user').policy = '${jsonencode(local.policy)}';
    });

    expect(iamNoWildcards.check(p).map((v) => v.message)).toEqual(['policy is not a JSON policy document the checks can read']);
  });
});
