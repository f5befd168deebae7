/**
 * IAM policy documents as plain typed objects, rendered to JSON at synth.
 *
 * Policies are JSON strings in the plan (not `jsonencode(...)` expressions) so the policy rules in
 * `modules/policy/` can parse and check them; references to other resources appear as `${...}` inside the
 * string values, which Terraform interpolates.
 */
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';

export type Principal = '*' | { readonly Service?: string | readonly string[]; readonly AWS?: string | readonly string[] };
export type Conditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Conditions;
}

export const policyJson = (statements: readonly PolicyStatement[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** Something that can be given permissions: a role. Mirrors aws-cdk's `IGrantable`. */
export interface Grantable {
  addToPolicy(...statements: PolicyStatement[]): void;
}

export interface ServiceRoleProps {
  /** Role name. */
  readonly name: string;
  /** Service principal that assumes the role, e.g. `lambda.amazonaws.com`. */
  readonly service: string;
  /** Conditions on the trust statement (confused-deputy protection). @default none */
  readonly trustConditions?: Conditions;
  /** @default none */
  readonly description?: string;
}

/**
 * A role for one AWS service with one inline policy. Permissions are added with `addToPolicy` (usually through
 * a construct's `grantXxx(role)`), and rendered when the plan is synthesized; a role left without any fails
 * synth rather than deploying a role that can do nothing.
 */
export class ServiceRole extends Construct implements Grantable {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  readonly arn: string;
  readonly name: string;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: policyJson([
        {
          Effect: 'Allow',
          Principal: { Service: props.service },
          Action: 'sts:AssumeRole',
          ...(props.trustConditions ? { Condition: props.trustConditions } : {}),
        },
      ]),
    });
    this.arn = this.role.arn;
    this.name = this.role.name;
    this.policy = new IamRolePolicy(this, 'policy', {
      name: `${props.name}-permissions`,
      role: this.role.id,
      policy: Lazy.stringValue({ produce: () => policyJson(this.statements) }),
    });
    this.node.addValidation({
      validate: () => (this.statements.length === 0 ? [`role ${props.name} was given no permissions`] : []),
    });
  }

  /** Adds statements; one identical to a statement already there is not added twice. */
  addToPolicy(...statements: PolicyStatement[]): void {
    for (const s of statements) {
      const json = JSON.stringify(s);
      if (!this.statements.some((t) => JSON.stringify(t) === json)) this.statements.push(s);
    }
  }
}
