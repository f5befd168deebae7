/**
 * One Lambda of the lake: nodejs22.x on arm64, its own log group (with retention, created before the
 * function so Lambda never creates an unmanaged one), its own role, asynchronous invocation with retries and
 * an encrypted on-failure queue. Permissions are added with the other constructs' `grantXxx(fn)`.
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js';
import { ServiceRole, type Grantable, type PolicyStatement } from '../iam.ts';
import type { LakeKey } from '../kms.ts';
import { EncryptedQueue } from '../queue.ts';
import type { LambdaBundle } from './bundle.ts';

export const LAMBDA_RUNTIME = 'nodejs22.x';
export const LAMBDA_ARCHITECTURE = 'arm64';
/** Lambda refuses environments over 4 KB (keys and values together). */
const MAX_ENVIRONMENT_BYTES = 4096;

export interface LakeFunctionProps {
  readonly functionName: string;
  readonly description: string;
  readonly bundle: LambdaBundle;
  readonly key: LakeKey;
  readonly environment: Readonly<Record<string, string>>;
  /** @default 300 */
  readonly timeoutSeconds?: number;
  /** @default 512 */
  readonly memoryMb?: number;
  /** Days the log group keeps logs. @default 30 */
  readonly logRetentionDays?: number;
  /** Retries of a failed asynchronous invocation (0-2). @default 2 */
  readonly asyncRetryAttempts?: number;
  /** Seconds an asynchronous event may wait (60-21600) before it goes to the on-failure queue. @default 3600 */
  readonly maxEventAgeSeconds?: number;
}

export class LakeFunction extends Construct implements Grantable {
  readonly function: LambdaFunction;
  readonly arn: string;
  readonly name: string;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: ServiceRole;
  /** Seconds an invocation may run. */
  readonly timeoutSeconds: number;
  /** Where an asynchronous invocation lands once its retries are spent. */
  readonly failureQueue: EncryptedQueue;

  constructor(scope: Construct, id: string, props: LakeFunctionProps) {
    super(scope, id);
    const envBytes = Object.entries(props.environment).reduce((n, [k, v]) => n + k.length + v.length, 0);
    if (envBytes > MAX_ENVIRONMENT_BYTES) {
      throw new Error(`LakeFunction ${props.functionName}: environment is ${envBytes} bytes; Lambda allows ${MAX_ENVIRONMENT_BYTES}`);
    }

    this.timeoutSeconds = props.timeoutSeconds ?? 300;
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays ?? 30,
    });
    this.role = new ServiceRole(this, 'role', {
      name: props.functionName,
      service: 'lambda.amazonaws.com',
      description: props.description,
    });
    this.role.addToPolicy({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${this.logGroup.arn}:log-stream:*`,
    });
    this.failureQueue = new EncryptedQueue(this, 'on-failure', { name: `${props.functionName}-failures`, key: props.key });
    this.failureQueue.grantSendMessages(this.role);

    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      handler: 'index.handler',
      filename: props.bundle.path,
      sourceCodeHash: props.bundle.sourceCodeHash,
      timeout: this.timeoutSeconds,
      memorySize: props.memoryMb ?? 512,
      environment: { variables: { ...props.environment } },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      dependsOn: [this.logGroup, this.role.policy],
    });
    this.arn = this.function.arn;
    this.name = this.function.functionName;
    new LambdaFunctionEventInvokeConfig(this, 'async', {
      functionName: this.function.functionName,
      maximumRetryAttempts: props.asyncRetryAttempts ?? 2,
      maximumEventAgeInSeconds: props.maxEventAgeSeconds ?? 3600,
      destinationConfig: { onFailure: { destination: this.failureQueue.arn } },
    });
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    this.role.addToPolicy(...statements);
  }
}
