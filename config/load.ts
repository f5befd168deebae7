/**
 * Resolves the deployment configuration from its sources, in this order (later wins):
 *
 * 1. `okta-lake.config.json` (the caller reads it and passes its text), else the documented example values
 *    when neither the file nor the context is there;
 * 2. the cdktf context value `oktaLake` (cdktf.json `context`, or `CDKTF_CONTEXT_JSON`);
 * 3. `OKTA_LAKE_*` environment overrides (`ENV_OVERRIDES`).
 *
 * This module reads no file and no environment itself: `main.ts` does, and hands both in, so tests pass
 * plain objects. Every problem is reported at once, one line per field:
 * `config field "okta.eventSourceName": value "bad name!" must be 1-75 characters of [A-Za-z0-9._] ...`.
 */
import type { z } from 'zod';
import { configSchema, EXAMPLE_CONFIG, type OktaLakeConfig } from './schema.ts';

export const CONFIG_FILE_NAME = 'okta-lake.config.json';
export const CONTEXT_KEY = 'oktaLake';

export interface ConfigSources {
  /** `okta-lake.config.json`, when it exists: where it is (for messages) and its text. */
  readonly file?: { readonly path: string; readonly text: string };
  /** The cdktf context value under `oktaLake`, when set. */
  readonly context?: unknown;
  /** The environment, for `OKTA_LAKE_*` overrides and the `OKTA_API_TOKEN` check. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedConfig {
  readonly config: OktaLakeConfig;
  /** Things the person running synth should know (printed on stderr by main.ts). */
  readonly notes: readonly string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid okta-log-lake configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

type EnvKind = 'string' | 'int' | 'bool' | 'list' | 'json';

/** Environment variables that override one config field each. Lists are comma-separated. */
export const ENV_OVERRIDES: Readonly<Record<string, { readonly path: string; readonly kind: EnvKind }>> = {
  OKTA_LAKE_ORG_NAME: { path: 'okta.orgName', kind: 'string' },
  OKTA_LAKE_BASE_URL: { path: 'okta.baseUrl', kind: 'string' },
  OKTA_LAKE_LOG_STREAM_NAME: { path: 'okta.logStreamName', kind: 'string' },
  OKTA_LAKE_EVENT_SOURCE_NAME: { path: 'okta.eventSourceName', kind: 'string' },
  OKTA_LAKE_REGION: { path: 'aws.region', kind: 'string' },
  OKTA_LAKE_ACCOUNT_ID: { path: 'aws.accountId', kind: 'string' },
  OKTA_LAKE_NAME_PREFIX: { path: 'namePrefix', kind: 'string' },
  OKTA_LAKE_BUFFERING_INTERVAL_SECONDS: { path: 'firehose.bufferingIntervalSeconds', kind: 'int' },
  OKTA_LAKE_FINDING_EMAILS: { path: 'notifications.findingEmails', kind: 'list' },
  OKTA_LAKE_OPS_EMAILS: { path: 'notifications.opsEmails', kind: 'list' },
  OKTA_LAKE_SCHEDULES_ENABLED: { path: 'schedules.enabled', kind: 'bool' },
  OKTA_LAKE_HOURLY_MINUTE: { path: 'schedules.hourlyMinute', kind: 'int' },
  OKTA_LAKE_DAILY_AT: { path: 'schedules.dailyAt', kind: 'string' },
  OKTA_LAKE_SCAN_CUTOFF_BYTES: { path: 'athena.bytesScannedCutoffPerQuery', kind: 'int' },
  OKTA_LAKE_SILENCE_MINUTES: { path: 'watchdog.silenceMinutes', kind: 'int' },
  OKTA_LAKE_FORCE_DESTROY: { path: 'lake.forceDestroy', kind: 'bool' },
  // Same names and formats as the Lambda environment (handlers/env.ts): a JSON object and a JSON array or list.
  OKTA_LAKE_THRESHOLDS: { path: 'detections.thresholds', kind: 'json' },
  OKTA_LAKE_DISABLED_DETECTIONS: { path: 'detections.disabledDetections', kind: 'list' },
  OKTA_LAKE_STATE_BUCKET: { path: 'backend.bucket', kind: 'string' },
  OKTA_LAKE_STATE_KEY: { path: 'backend.key', kind: 'string' },
  OKTA_LAKE_STATE_REGION: { path: 'backend.region', kind: 'string' },
};

/** Keys that name a credential. None may appear in a config file or context: the token comes from the environment. */
const SECRET_KEY = /(token|secret|password|private_?key|credential)/i;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function resolveConfig(sources: ConfigSources): ResolvedConfig {
  const notes: string[] = [];
  const problems: string[] = [];

  let fromFile: JsonObject | undefined;
  if (sources.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(sources.file.text);
    } catch (e) {
      throw new ConfigError([`${sources.file.path} is not valid JSON: ${(e as Error).message}`]);
    }
    if (!isObject(parsed)) throw new ConfigError([`${sources.file.path} must hold a JSON object`]);
    problems.push(...secretProblems(parsed, [], sources.file.path));
    fromFile = parsed;
  }
  let fromContext: JsonObject | undefined;
  if (sources.context !== undefined) {
    if (!isObject(sources.context)) throw new ConfigError([`cdktf context "${CONTEXT_KEY}" must be an object`]);
    problems.push(...secretProblems(sources.context, [], `cdktf context "${CONTEXT_KEY}"`));
    fromContext = sources.context;
  }
  if (problems.length > 0) throw new ConfigError(problems);

  let merged: JsonObject;
  if (!fromFile && !fromContext) {
    merged = structuredClone(EXAMPLE_CONFIG) as JsonObject;
    notes.push(
      `note: no ${CONFIG_FILE_NAME} and no cdktf context "${CONTEXT_KEY}": synthesizing with the documented example values ` +
        `(Okta org "example", region us-east-1). Copy the example in README.md (Deploy to AWS > Configure) to ${CONFIG_FILE_NAME} before deploying.`,
    );
  } else {
    merged = deepMerge(fromFile ?? {}, fromContext ?? {});
  }

  const origins = new Map<string, string>();
  for (const [name, { path, kind }] of Object.entries(ENV_OVERRIDES)) {
    const raw = sources.env[name];
    if (raw === undefined || raw === '') continue;
    let value: Json;
    switch (kind) {
      case 'int':
        value = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
        break;
      case 'bool':
        value = raw === 'true' ? true : raw === 'false' ? false : raw;
        break;
      case 'list':
        value = raw.trim().startsWith('[') ? parseJsonEnv(name, path, raw) : raw.split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case 'json':
        value = parseJsonEnv(name, path, raw);
        break;
      default:
        value = raw;
    }
    setPath(merged, path, value);
    origins.set(path, name);
    if (path.startsWith('backend.') && isObject(merged.backend) && merged.backend.type === undefined) merged.backend.type = 's3';
  }

  if (!sources.env.OKTA_API_TOKEN) {
    notes.push('note: OKTA_API_TOKEN is not set. Synth does not need it; plan and deploy do (the okta provider reads it).');
  }

  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(result.error.issues.map((i) => describeIssue(i, merged, origins)));
  return { config: result.data, notes };
}

function parseJsonEnv(name: string, path: string, raw: string): Json {
  try {
    return JSON.parse(raw) as Json;
  } catch (e) {
    throw new ConfigError([`config field "${path}" (from ${name}): value ${JSON.stringify(raw)} is not valid JSON: ${(e as Error).message}`]);
  }
}

function secretProblems(obj: JsonObject, path: string[], where: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    const here = [...path, key];
    // Thresholds and exclusions are keyed by detection ids (okta-password-spray), not credentials.
    if (here.join('.') === 'detections.thresholds' || here.join('.') === 'detections.exclusions') continue;
    if (SECRET_KEY.test(key)) {
      out.push(
        `config field "${here.join('.')}": ${where} must not hold the Okta API token or any other credential. ` +
          'Remove the field and export OKTA_API_TOKEN in the shell (or CI secret) that runs cdktf; the okta provider reads it from there.',
      );
    } else if (isObject(value)) {
      out.push(...secretProblems(value, here, where));
    }
  }
  return out;
}

function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = structuredClone(base);
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    out[k] = isObject(cur) && isObject(v) ? deepMerge(cur, v) : structuredClone(v);
  }
  return out;
}

function setPath(obj: JsonObject, path: string, value: Json): void {
  const keys = path.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (!isObject(next)) cur[k] = {};
    cur = cur[k] as JsonObject;
  }
  cur[keys.at(-1)!] = value;
}

function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

const fieldName = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(top level)';

function describeIssue(issue: z.core.$ZodIssue, input: unknown, origins: ReadonlyMap<string, string>): string {
  const field = fieldName(issue.path);
  const origin = origins.get(field) ?? origins.get(fieldName(issue.path.slice(0, -1)));
  const where = `config field "${field}"${origin ? ` (from ${origin})` : ''}`;
  if (issue.code === 'unrecognized_keys') {
    const parent = fieldName(issue.path);
    return issue.keys
      .map((k) => {
        const known = knownKeys(issue.path);
        const f = issue.path.length ? `${parent}.${k}` : k;
        return `config field "${f}": unknown field${known.length ? `; ${issue.path.length ? `"${parent}"` : 'the top level'} takes ${known.join(', ')}` : ''}`;
      })
      .join('\n  ');
  }
  if (issue.code === 'invalid_key') {
    const key = String(issue.path.at(-1));
    return `${where}: key ${JSON.stringify(key)} is not allowed: ${issue.issues[0]?.message ?? issue.message}`;
  }
  const value = valueAt(input, issue.path);
  if (value === undefined) return `${where}: missing; it ${issue.message}`;
  return `${where}: value ${JSON.stringify(value)} ${issue.message}`;
}

/** The field names the schema takes at `path`, for "unknown field" messages. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema: unknown = configSchema;
  const unwrap = (s: unknown): unknown => {
    let cur = s as { _zod?: { def?: { innerType?: unknown; type?: string } } };
    while (cur?._zod?.def?.innerType) cur = cur._zod.def.innerType as typeof cur;
    return cur;
  };
  for (const k of path) {
    const shape = (unwrap(schema) as { shape?: Record<string, unknown> }).shape;
    if (!shape) return [];
    schema = shape[String(k)];
  }
  const shape = (unwrap(schema) as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}
