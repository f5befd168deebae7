/**
 * The recover-gap function's configuration (names in `env.ts`: the Athena names of HANDLER_ENV and RECOVERY_ENV)
 * and the objects built from it once per container: the Athena engine, the AWS clients, the Okta credentials
 * (read from Secrets Manager once found) and the Okta client factory.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { OktaClientOptions } from '../../okta-api/index.ts';
import { RECOVERY_ENV } from '../env.ts';
import { oktaClientFor, readOktaApiConfig } from '../okta-api-config.ts';
import { oktaAccessOnce } from '../okta-secret.ts';
import type { RecoveryConfig, RecoveryRuntime } from './context.ts';
import { lakeEngine, readLakeConfig, realSleep, requiredVariable, wholeNumberVariable, type HandlerLog } from '../runtime.ts';

export interface RecoveryHandlerConfig extends RecoveryConfig {
  readonly workgroup: string;
  readonly database: string;
  readonly bucket: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the recover-gap function's environment. */
export function readRecoveryConfig(env: Env): RecoveryHandlerConfig {
  const v = (key: keyof typeof RECOVERY_ENV, what: string) => requiredVariable(env, RECOVERY_ENV[key], what);
  const okta = readOktaApiConfig(env);
  return {
    ...readLakeConfig(env),
    secretArn: okta.secretArn,
    orgUrl: okta.orgUrl.origin,
    eventSourceName: v('eventSourceName', "the log stream's event source name"),
    logStreamName: v('logStreamName', "the log stream's name in the Okta Admin Console"),
    apiStreamName: okta.apiStreamName,
    apiStreamDelaySeconds: okta.apiStreamDelaySeconds,
    recoveryQueueUrl: v('recoveryQueueUrl', 'the recovery queue URL'),
    rerunQueueUrl: v('rerunQueueUrl', 'the re-run queue URL'),
    opsTopicArn: v('opsTopicArn', 'the ops topic ARN'),
    silenceAlarmName: v('silenceAlarmName', 'the okta-silent alarm name'),
    silenceMinutes: wholeNumberVariable(env, RECOVERY_ENV.silenceMinutes, 1, 1440, 'minutes without events that make a silence'),
    landingLagSeconds: wholeNumberVariable(env, RECOVERY_ENV.landingLagSeconds, 0, 3600, 'seconds a streamed event takes to land in the lake'),
    hourlyMinute: wholeNumberVariable(env, RECOVERY_ENV.hourlyMinute, 0, 59, 'the minute the hourly detections run'),
    functionName: env.AWS_LAMBDA_FUNCTION_NAME?.trim() || 'recover-gap',
  };
}

/** The AWS clients the recovery uses. @default new clients for the function's region */
export interface RecoveryClients {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  readonly firehose: FirehoseClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly secrets: SecretsManagerClient;
}

export const defaultRecoveryClients = (): RecoveryClients => ({
  athena: new AthenaClient({}),
  s3: new S3Client({}),
  firehose: new FirehoseClient({}),
  sqs: new SQSClient({}),
  sns: new SNSClient({}),
  secrets: new SecretsManagerClient({}),
});

export interface RecoveryRuntimeOptions {
  readonly clients?: RecoveryClients;
  /** How the engine and the Firehose sink wait. @default a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source for the Firehose sink. @default Math.random */
  readonly random?: () => number;
  /** Options for every Okta client (tests: `random`, timeouts). @default the client's own */
  readonly okta?: Partial<Omit<OktaClientOptions, 'orgUrl' | 'credentials'>>;
  /** Job ids. @default randomUUID */
  readonly newId?: () => string;
  /** Events per write and checkpoint. @default BATCH_EVENTS */
  readonly batchEvents?: number;
  /** Events per System Log page. @default 1000 */
  readonly pageSize?: number;
}

/** Builds the runtime from a configuration; call once per container. */
export function createRecoveryRuntime(config: RecoveryHandlerConfig, log: HandlerLog, options: RecoveryRuntimeOptions = {}): RecoveryRuntime {
  const clients = options.clients ?? defaultRecoveryClients();
  const sleep = options.sleep ?? realSleep;
  const engine = lakeEngine(config, clients, log, sleep);
  return {
    config,
    engine,
    firehose: clients.firehose,
    sqs: clients.sqs,
    sns: clients.sns,
    oktaAccess: oktaAccessOnce(clients.secrets, config.secretArn),
    oktaClient: (credentials) => oktaClientFor(config.orgUrl, credentials, 'recover-gap', log, options.okta),
    log,
    sleep,
    ...(options.random ? { random: options.random } : {}),
    ...(options.newId ? { newId: options.newId } : {}),
    ...(options.batchEvents ? { batchEvents: options.batchEvents } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  };
}
