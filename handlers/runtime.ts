/**
 * What every Lambda handler shares: its configuration read from the environment (names in `env.ts`), and
 * the objects built from it once per container: the Athena engine, the notifier, the detection catalog with
 * its thresholds. Handlers' logic takes a `Runtime` and a clock, so tests pass fakes.
 */
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AthenaClient } from '@aws-sdk/client-athena';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import '../core/zod-mini.ts';
import { assetRoot } from '../core/assets.ts';
import { detectionSettings, DetectionSettingsError, loadCatalog, type Detection, type ThresholdOverrides, type ThresholdValue } from '../core/catalog.ts';
import type { DetectionExclusions, ExclusionConfig } from '../core/exclusions.ts';
import { AthenaEngine } from '../engines/athena/athena-engine.ts';
import type { QueryEngine } from '../engines/query-engine.ts';
import { AwsNotifier } from '../notify/aws-notifier.ts';
import type { Notifier } from '../notify/notifier.ts';
import { HANDLER_ENV } from './env.ts';

/** The handlers' structured log (Powertools' Logger fits it; tests pass a recorder). */
export interface HandlerLog {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

export interface HandlerConfig {
  readonly workgroup: string;
  readonly database: string;
  readonly bucket: string;
  readonly findingsTopicArn: string;
  readonly findingsEventBus: string;
  readonly thresholds: ThresholdOverrides;
  readonly disabledDetections: readonly string[];
  readonly exclusions: ExclusionConfig;
}

/** A configuration error: the message names the environment variable, the value at fault and the fix. */
export class HandlerConfigError extends Error {
  override readonly name = 'HandlerConfigError';
}

const thresholdsSchema = z.record(z.string(), z.record(z.string(), z.union([z.number(), z.string()])));
const disabledSchema = z.array(z.string().check(z.minLength(1)));
const exclusionsSchema = z.record(z.string(), z.strictObject({ ips: z.optional(z.array(z.string())), users: z.optional(z.array(z.string())) }));

/** The value of environment variable `name`; the error names it and what it must hold. */
export function requiredVariable(env: Readonly<Record<string, string | undefined>>, name: string, what: string): string {
  const value = env[name]?.trim();
  if (!value) throw new HandlerConfigError(`environment variable ${name} is not set; it must hold ${what} (the infrastructure sets it)`);
  return value;
}

/** The whole number in environment variable `name`, from `min` to `max`; the error names it and what it holds. */
export function wholeNumberVariable(env: Readonly<Record<string, string | undefined>>, name: string, min: number, max: number, what: string): number {
  const text = requiredVariable(env, name, what);
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HandlerConfigError(`environment variable ${name} is ${JSON.stringify(text)}; it must be a whole number from ${min} to ${max} (${what})`);
  }
  return n;
}

/** A real timer: how the engines and sinks wait unless a test gives them another. */
export const realSleep = (ms: number): Promise<void> => delay(ms);

function required(env: Readonly<Record<string, string | undefined>>, key: keyof typeof HANDLER_ENV, what: string): string {
  return requiredVariable(env, HANDLER_ENV[key], what);
}

/**
 * The JSON in environment variable `name`, checked by `schema`, or undefined when the variable is not set. The error
 * names the variable, the field at fault and what it must hold, quotes the value (never a credential here) and an
 * example.
 */
export function jsonVariable<T>(env: Readonly<Record<string, string | undefined>>, name: string, schema: z.ZodMiniType<T>, example: string): T | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new HandlerConfigError(`environment variable ${name} is not valid JSON (${(e as Error).message}): ${JSON.stringify(text)}; expected e.g. ${example}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length ? ` at ${issue.path.join('.')}` : '';
    const what = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : issue.message;
    throw new HandlerConfigError(`environment variable ${name}${at}: ${what}; got ${text}; expected e.g. ${example}`);
  }
  return parsed.data;
}

function json<T>(env: Readonly<Record<string, string | undefined>>, key: keyof typeof HANDLER_ENV, schema: z.ZodMiniType<T>, fallback: T, example: string): T {
  return jsonVariable(env, HANDLER_ENV[key], schema, example) ?? fallback;
}

/** The lake every function queries: the Athena workgroup, the Glue database and the bucket. */
export function readLakeConfig(env: Readonly<Record<string, string | undefined>>): Pick<HandlerConfig, 'workgroup' | 'database' | 'bucket'> {
  return {
    workgroup: required(env, 'workgroup', 'the Athena workgroup name'),
    database: required(env, 'database', 'the Glue database name'),
    bucket: required(env, 'bucket', 'the lake bucket name'),
  };
}

/** Reads and validates the handlers' environment. */
export function readHandlerConfig(env: Readonly<Record<string, string | undefined>>): HandlerConfig {
  return {
    ...readLakeConfig(env),
    findingsTopicArn: required(env, 'findingsTopicArn', 'the findings SNS topic ARN'),
    findingsEventBus: required(env, 'findingsEventBus', 'the name or ARN of the bus that receives finding events'),
    thresholds: json(env, 'thresholds', thresholdsSchema, {}, '{"okta-brute-force-user": {"min_failures": 30}}'),
    disabledDetections: json(env, 'disabledDetections', disabledSchema, [], '["okta-session-roaming"]'),
    exclusions: json(env, 'exclusions', exclusionsSchema, {}, '{"okta-password-spray": {"ips": ["203.0.113.0/24"]}}'),
  };
}

export interface Runtime {
  readonly engine: QueryEngine;
  readonly notifier: Notifier;
  readonly catalog: readonly Detection[];
  readonly thresholds: ReadonlyMap<string, Readonly<Record<string, ThresholdValue>>>;
  readonly disabled: ReadonlySet<string>;
  readonly exclusions: ReadonlyMap<string, DetectionExclusions>;
  readonly log: HandlerLog;
}

/** The catalog with the configured thresholds and switched-off detections, checked against it. */
export function configureCatalog(
  catalog: readonly Detection[],
  config: Pick<HandlerConfig, 'thresholds' | 'disabledDetections' | 'exclusions'>,
): Pick<Runtime, 'catalog' | 'thresholds' | 'disabled' | 'exclusions'> {
  try {
    return { catalog, ...detectionSettings(catalog, { thresholds: config.thresholds, disabled: config.disabledDetections, exclusions: config.exclusions }) };
  } catch (e) {
    if (!(e instanceof DetectionSettingsError)) throw e;
    const variable = { disabled: HANDLER_ENV.disabledDetections, thresholds: HANDLER_ENV.thresholds, exclusions: HANDLER_ENV.exclusions }[e.setting];
    throw new HandlerConfigError(`environment variable ${variable}: ${e.message}`);
  }
}

/** The AWS clients a runtime uses. @default new clients for the function's region */
export interface AwsClients {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly events: EventBridgeClient;
}

export const defaultAwsClients = (): AwsClients => ({
  athena: new AthenaClient({}),
  s3: new S3Client({}),
  sns: new SNSClient({}),
  events: new EventBridgeClient({}),
});

export interface RuntimeOptions {
  readonly clients?: AwsClients;
  /** How the engine and notifier wait between polls and retries. @default a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The detection catalog. @default every folder under the bundle's detections/ */
  readonly catalog?: readonly Detection[];
}

/** The Athena engine over the lake of a function's configuration, logging to the function's log. */
export function lakeEngine(
  config: Pick<HandlerConfig, 'workgroup' | 'database' | 'bucket'>,
  clients: Pick<AwsClients, 'athena' | 's3'>,
  log: HandlerLog,
  sleep?: (ms: number) => Promise<void>,
): AthenaEngine {
  return new AthenaEngine({
    athena: clients.athena,
    s3: clients.s3,
    workgroup: config.workgroup,
    database: config.database,
    bucket: config.bucket,
    sleep,
    log: (message, fields) => log.info(message, fields),
  });
}

/** Builds the engine, notifier and catalog from a configuration; call once per container. */
export function createRuntime(config: HandlerConfig, log: HandlerLog, options: RuntimeOptions = {}): Runtime {
  const clients = options.clients ?? defaultAwsClients();
  const catalog = configureCatalog(options.catalog ?? loadCatalog(join(assetRoot(), 'detections')), config);
  const runbooks = new Map(catalog.catalog.map((d) => [d.id, d.runbook]));
  const engine = lakeEngine(config, clients, log, options.sleep);
  const notifier = new AwsNotifier({
    sns: clients.sns,
    events: clients.events,
    topicArn: config.findingsTopicArn,
    eventBus: config.findingsEventBus,
    runbookFor: (id) => runbooks.get(id),
    sleep: options.sleep,
    log: (message, fields) => log.info(message, fields),
  });
  return { engine, notifier, ...catalog, log };
}

/** Memoizes the runtime: built on the first invocation of a container, reused by the next ones. */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
