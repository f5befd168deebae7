/**
 * What the functions that call the Okta API share: the credentials, and the way back into the lake for what they
 * fetch. The stack declares no Okta service app (nor its `okta_app_oauth_api_scope` grants): the user creates the app
 * and grants it the scopes of okta-api/credentials.ts DEFAULT_SCOPES (the inventory needs okta.users.read,
 * okta.devices.read and okta.roles.read), then puts its credentials in the secret.
 *
 * - A Secrets Manager secret `<prefix>/okta-api`, encrypted with the lake key, created WITHOUT a value (the plan and
 *   the state never hold one); the user puts `{"apiToken": "..."}` or `{"clientId", "privateKey", "keyId", "scopes"}`
 *   with `aws secretsmanager put-secret-value` (okta-api/credentials.ts reads it).
 * - The api-events Firehose stream `<prefix>-okta-api-events`: the same Parquet conversion through the same Glue
 *   table as the partner stream, but partitioned by each event's `published` (dynamic partitioning,
 *   modules/firehose.ts), with the shortest buffer (60 s) so fetched events land fast. Gap recovery writes the
 *   windows it recovers there; refresh-user the user's newest events.
 */
import { Construct } from 'constructs';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { FIREHOSE_LANDING_SLACK_SECONDS } from '../config/schema.ts';
import { RECOVERY_ENV } from '../handlers/env.ts';
import { okta_events } from '../schema/index.ts';
import type { DeployEnv } from './deploy-env.ts';
import { EventsDeliveryStream } from './firehose.ts';
import type { LakeCatalog } from './glue-catalog.ts';
import type { Grantable } from './iam.ts';
import type { LakeKey } from './kms.ts';
import type { LakeBucket } from './lake-bucket.ts';

/** The api-events stream's buffer: Firehose's minimum for S3 (dynamic partitioning has no zero buffering). */
export const API_BUFFERING_INTERVAL_SECONDS = 60;

/** Seconds before fetched events are in S3: 1.5 buffer intervals (multi-stage buffering) plus the landing slack. */
export const apiDeliverySeconds = (apiBufferingIntervalSeconds: number): number =>
  Math.min(900, Math.ceil(1.5 * apiBufferingIntervalSeconds) + FIREHOSE_LANDING_SLACK_SECONDS);

export interface OktaApiAccessProps {
  readonly env: DeployEnv;
  readonly namePrefix: string;
  readonly key: LakeKey;
  readonly bucket: LakeBucket;
  readonly catalog: LakeCatalog;
  /** `https://<orgName>.<baseUrl>` */
  readonly orgUrl: string;
  /** The api-events stream's buffer interval (60-900). @default API_BUFFERING_INTERVAL_SECONDS */
  readonly apiBufferingIntervalSeconds?: number;
  /** Days the stream's delivery log is kept. @default 30 */
  readonly logRetentionDays?: number;
  /** Delete the secret at once on destroy instead of after a 7-day recovery window. @default false */
  readonly forceDestroy?: boolean;
}

export class OktaApiAccess extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly apiStream: EventsDeliveryStream;
  readonly orgUrl: string;
  /** Seconds the api-events stream takes to deliver what it was given. */
  readonly deliverySeconds: number;
  private readonly key: LakeKey;

  constructor(scope: Construct, id: string, props: OktaApiAccessProps) {
    super(scope, id);
    this.key = props.key;
    this.orgUrl = props.orgUrl;
    const interval = props.apiBufferingIntervalSeconds ?? API_BUFFERING_INTERVAL_SECONDS;
    this.deliverySeconds = apiDeliverySeconds(interval);
    this.secret = new SecretsmanagerSecret(this, 'okta-api-secret', {
      name: `${props.namePrefix}/okta-api`,
      description:
        'Okta API credentials for gap recovery, refresh-user and the inventory: {"apiToken": "..."} or {"clientId": "...", "privateKey": "...", "keyId": "...", "scopes": "okta.logs.read okta.logStreams.read okta.users.read okta.devices.read okta.roles.read"}. ' +
        'Put the value with aws secretsmanager put-secret-value; the plan holds none.',
      kmsKeyId: props.key.arn,
      recoveryWindowInDays: props.forceDestroy ? 0 : 7,
    });
    this.apiStream = new EventsDeliveryStream(this, 'api-events', {
      env: props.env,
      name: `${props.namePrefix}-okta-api-events`,
      bucket: props.bucket,
      key: props.key,
      catalog: props.catalog,
      tableName: okta_events.name,
      partitioning: 'published',
      bufferingIntervalSeconds: interval,
      bufferingSizeMb: 64,
      logRetentionDays: props.logRetentionDays,
    });
  }

  /** The variables a function needs to reach Okta: the secret and the org (handlers/okta-api-config.ts readOktaOrgConfig). */
  get accessEnvironment(): Record<string, string> {
    return {
      [RECOVERY_ENV.oktaSecretArn]: this.secret.arn,
      [RECOVERY_ENV.oktaOrgUrl]: this.orgUrl,
    };
  }

  /** The variables a function needs to reach Okta and write what it fetches (handlers/env.ts). */
  get environment(): Record<string, string> {
    return {
      ...this.accessEnvironment,
      [RECOVERY_ENV.apiStreamName]: this.apiStream.name,
      [RECOVERY_ENV.apiStreamDelaySeconds]: String(this.deliverySeconds),
    };
  }

  /** Read the Okta API credentials: GetSecretValue on this secret only, and the key it is encrypted with. */
  grantReadCredentials(grantee: Grantable): void {
    grantee.addToPolicy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: this.secret.arn });
    this.key.grantEncryptDecrypt(grantee);
  }

  /** Write events read from the Okta API into the lake: PutRecordBatch on the api-events stream only (ingest/firehose-sink.ts). */
  grantPutEvents(grantee: Grantable): void {
    grantee.addToPolicy({ Effect: 'Allow', Action: 'firehose:PutRecordBatch', Resource: this.apiStream.arn });
  }
}
