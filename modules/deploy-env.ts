/**
 * Where the stack deploys: account, region, partition. Constructs build ARNs from it instead of taking
 * ARN strings from the caller.
 */

export interface DeployEnv {
  /** The 12-digit account id, or a reference to `data.aws_caller_identity` when the config does not pin one. */
  readonly accountId: string;
  /** The stack's region (also the Okta log stream's target region). */
  readonly region: string;
  /**
   * Always `aws`: the config only accepts regions Okta Log Streaming supports, all of them commercial
   * (no China or GovCloud partition).
   */
  readonly partition: 'aws';
}

/** `arn:aws:<service>:<region>:<account>:<resource>`; pass `region: ''` / `account: ''` for global services. */
export function arn(
  env: DeployEnv,
  service: string,
  resource: string,
  opts: { readonly region?: string; readonly account?: string } = {},
): string {
  return `arn:${env.partition}:${service}:${opts.region ?? env.region}:${opts.account ?? env.accountId}:${resource}`;
}
