/**
 * Providers and state: `hashicorp/aws`, `okta/okta` and `hashicorp/time`, all fully qualified so `terraform` and `tofu` resolve
 * the same plugins, and an optional S3 backend.
 *
 * The Okta API token is not configured here: the okta provider reads `OKTA_API_TOKEN` from the environment
 * of whoever runs plan/apply, so it never appears in the synthesized plan or in a file.
 */
import { LocalBackend, S3Backend, TerraformStack, type TerraformBackend } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { OktaProvider } from '@cdktf/provider-okta/lib/provider/index.js';
import { TimeProvider } from '@cdktf/provider-time/lib/provider/index.js';
import type { OktaLakeConfig } from '../config/schema.ts';

export const AWS_PROVIDER_SOURCE = 'hashicorp/aws';
export const OKTA_PROVIDER_SOURCE = 'okta/okta';
export const TIME_PROVIDER_SOURCE = 'hashicorp/time';

export interface LakeProvidersProps {
  readonly config: OktaLakeConfig;
}

export class LakeProviders extends Construct {
  readonly aws: AwsProvider;
  readonly okta: OktaProvider;
  /** `hashicorp/time`, for the wait between the Okta log stream and the partner bus (see partner-bus.ts). */
  readonly time: TimeProvider;
  readonly backend: TerraformBackend;

  constructor(scope: Construct, id: string, props: LakeProvidersProps) {
    super(scope, id);
    const { config } = props;
    const stack = TerraformStack.of(this);
    this.aws = new AwsProvider(this, 'aws', {
      region: config.aws.region,
      ...(config.aws.accountId ? { allowedAccountIds: [config.aws.accountId] } : {}),
      ...(Object.keys(config.tags).length > 0 ? { defaultTags: [{ tags: { ...config.tags } }] } : {}),
    });
    this.okta = new OktaProvider(this, 'okta', { orgName: config.okta.orgName, baseUrl: config.okta.baseUrl });
    this.time = new TimeProvider(this, 'time');
    // The prebuilt aws provider declares the short source "aws" (registry.terraform.io/hashicorp/aws for
    // terraform, but not necessarily for other tools); name it in full.
    stack.addOverride(`terraform.required_providers.aws.source`, AWS_PROVIDER_SOURCE);
    stack.addOverride(`terraform.required_providers.okta.source`, OKTA_PROVIDER_SOURCE);
    stack.addOverride(`terraform.required_providers.time.source`, TIME_PROVIDER_SOURCE);

    if (config.backend) {
      const b = config.backend;
      const backend = new S3Backend(stack, {
        bucket: b.bucket,
        key: b.key,
        region: b.region ?? config.aws.region,
        encrypt: true,
        ...(b.dynamodbTable ? { dynamodbTable: b.dynamodbTable } : {}),
      });
      // S3-native locking (Terraform/OpenTofu >= 1.10); cdktf 0.21's S3Backend predates the option.
      if (b.useLockfile) backend.addOverride('use_lockfile', true);
      this.backend = backend;
    } else {
      // cdktf's implicit local backend writes an absolute path (this machine's checkout) into the plan. This is
      // the same file, relative to the stack directory cdktf.out/stacks/<stack>/: the project root.
      this.backend = new LocalBackend(stack, { path: `../../../terraform.${stack.node.id}.tfstate` });
    }
  }
}
