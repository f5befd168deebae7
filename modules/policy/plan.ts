/**
 * The synthesized plan (cdk.tf.json) as the policy rules read it, and the helpers they share.
 *
 * Rules work on the JSON, not on constructs, so they check what Terraform will actually be asked to create,
 * whichever construct (or hand-written override) produced it. References between resources appear as
 * `${type.name.attr}` strings.
 */

export type Attrs = Record<string, unknown>;

export interface Plan {
  readonly resource?: Record<string, Record<string, Attrs>>;
  readonly data?: Record<string, Record<string, Attrs>>;
  readonly [key: string]: unknown;
}

export interface PlanResource {
  readonly type: string;
  readonly name: string;
  /** `type.name`, as Terraform addresses it. */
  readonly address: string;
  readonly attrs: Attrs;
}

export interface Violation {
  readonly rule: string;
  /** Terraform address of the offending resource. */
  readonly address: string;
  readonly message: string;
}

export interface PolicyRule {
  /** File name without extension. */
  readonly id: string;
  readonly description: string;
  check(plan: Plan): Violation[];
}

export function resourcesOf(plan: Plan, type: string): PlanResource[] {
  return Object.entries(plan.resource?.[type] ?? {}).map(([name, attrs]) => ({ type, name, address: `${type}.${name}`, attrs }));
}

/** Whether `value` holds a reference to the resource (`${aws_s3_bucket.lake.id}` and the like). */
export function refersTo(value: unknown, r: PlanResource): boolean {
  return typeof value === 'string' && value.includes(`\${${r.address}.`);
}

/** The resources of `type` whose attribute `attr` refers to `target`. */
export function companions(plan: Plan, type: string, attr: string, target: PlanResource): PlanResource[] {
  return resourcesOf(plan, type).filter((c) => refersTo(c.attrs[attr], target));
}

/** A nested block as a list: cdktf writes single blocks as objects and repeated ones as arrays. */
export function blocks(value: unknown): Attrs[] {
  if (Array.isArray(value)) return value.filter((v): v is Attrs => typeof v === 'object' && v !== null);
  if (typeof value === 'object' && value !== null) return [value as Attrs];
  return [];
}

export const block = (value: unknown): Attrs | undefined => blocks(value)[0];

export const asList = <T>(v: T | readonly T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? [...v] : [v as T]);

export const isSet = (v: unknown): boolean => typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null;

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Where a policy document sits: identity policies grant a role, resource policies guard a resource. */
export type PolicyKind = 'identity' | 'trust' | 'key' | 'resource';

export interface PlanPolicy {
  readonly address: string;
  readonly attribute: string;
  readonly kind: PolicyKind;
  readonly statements: readonly PolicyStatementJson[];
}

const POLICY_ATTRIBUTES: readonly { type: string; attribute: string; kind: PolicyKind }[] = [
  { type: 'aws_iam_role_policy', attribute: 'policy', kind: 'identity' },
  { type: 'aws_iam_policy', attribute: 'policy', kind: 'identity' },
  { type: 'aws_iam_user_policy', attribute: 'policy', kind: 'identity' },
  { type: 'aws_iam_group_policy', attribute: 'policy', kind: 'identity' },
  { type: 'aws_iam_role', attribute: 'assume_role_policy', kind: 'trust' },
  { type: 'aws_kms_key', attribute: 'policy', kind: 'key' },
  { type: 'aws_kms_key_policy', attribute: 'policy', kind: 'key' },
  { type: 'aws_s3_bucket_policy', attribute: 'policy', kind: 'resource' },
  { type: 'aws_sqs_queue_policy', attribute: 'policy', kind: 'resource' },
  { type: 'aws_sns_topic_policy', attribute: 'policy', kind: 'resource' },
];

/**
 * Every policy document in the plan, parsed. A policy that is not a JSON literal (a `jsonencode(...)` or a
 * reference) cannot be checked and is reported by the caller as such.
 */
export function policiesOf(plan: Plan): { policies: PlanPolicy[]; unreadable: Violation[] } {
  const policies: PlanPolicy[] = [];
  const unreadable: Violation[] = [];
  for (const { type, attribute, kind } of POLICY_ATTRIBUTES) {
    for (const r of resourcesOf(plan, type)) {
      const raw = r.attrs[attribute];
      if (raw === undefined) continue;
      let doc: { Statement?: PolicyStatementJson | PolicyStatementJson[] };
      try {
        doc = typeof raw === 'string' ? JSON.parse(raw) : (raw as typeof doc);
      } catch {
        unreadable.push({ rule: 'policy-json', address: r.address, message: `${attribute} is not a JSON policy document the checks can read` });
        continue;
      }
      policies.push({ address: r.address, attribute, kind, statements: asList(doc.Statement) });
    }
    // Inline policies declared on the role itself.
    if (type === 'aws_iam_role') {
      for (const r of resourcesOf(plan, type)) {
        for (const inline of blocks(r.attrs.inline_policy)) {
          if (typeof inline.policy !== 'string') continue;
          try {
            const doc = JSON.parse(inline.policy) as { Statement?: PolicyStatementJson | PolicyStatementJson[] };
            policies.push({ address: r.address, attribute: 'inline_policy', kind: 'identity', statements: asList(doc.Statement) });
          } catch {
            unreadable.push({ rule: 'policy-json', address: r.address, message: 'inline_policy is not a JSON policy document the checks can read' });
          }
        }
      }
    }
  }
  return { policies, unreadable };
}
