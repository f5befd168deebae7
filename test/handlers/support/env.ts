/** The environment the stack gives the detection functions, as the handler tests use it. */
export const ENV = {
  OKTA_LAKE_ATHENA_WORKGROUP: 'okta-lake',
  OKTA_LAKE_GLUE_DATABASE: 'okta_lake',
  OKTA_LAKE_BUCKET: 'okta-lake-123456789012',
  OKTA_LAKE_FINDINGS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:okta-lake-findings',
  OKTA_LAKE_FINDINGS_EVENT_BUS: 'default',
} as const;
