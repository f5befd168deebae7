/**
 * The AWS regions an Okta `aws_eventbridge` log stream can deliver to.
 *
 * Source: the `AwsRegion` enum of Okta's Management API (`LogStreamSettingsAws.region`, OpenAPI document
 * 5.1.0, as generated into okta-sdk-dotnet `Okta.Sdk.Model.AwsRegion`). Okta rejects any other region when
 * the log stream is created, so a config naming one fails synth instead of failing half-way through a deploy.
 * Older revisions of the spec (3.0.0) listed a shorter set that also held `eu-south-1`; the current one does
 * not, so it is not accepted here.
 */
export const OKTA_LOG_STREAM_REGIONS = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
] as const;

export type OktaLogStreamRegion = (typeof OKTA_LOG_STREAM_REGIONS)[number];
