/**
 * The inventory invocation: what the Okta API says about every user, their factors, devices and admin roles,
 * collected into the lake's inventory tables (core/inventory-collect.ts) once a day, a few minutes before the nightly
 * run (config `inventory.minutesBeforeDaily`), so that run's posture checks read it.
 *
 * The day: Scheduler fires just after midnight UTC, and what Okta says then is the state at the end of the day that
 * just ended, so the collection is filed under the day before the scheduled time's day (the day the nightly run
 * checks). A retry with the same input files under the same day and replaces that day's batch. By hand,
 * `{"day": "YYYY-MM-DD"}` collects again under a day of the last week (what Okta says now, filed under that day).
 *
 * A part Okta refuses (a scope or admin role the service app lacks) is skipped with a WARN naming the part and Okta's
 * reason, and the rest is written; the users' rows say which parts were read. When the users cannot be read, the
 * invocation fails (nothing is written). Without a secret value it does nothing and says so; with an unusable value
 * it fails, naming the secret.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { QueryEngine } from '../engines/query-engine.ts';
import { ApiInventorySource } from '../inventory/api-source.ts';
import { collectInventory, type InventorySummary } from '../core/inventory-collect.ts';
import type { IdentityRules } from '../inventory/identity-kind.ts';
import type { OktaClient, OktaClientOptions } from '../okta-api/index.ts';
import { addDays, dayOf, parseDay } from '../schema/layout.ts';
import { includeDeprovisionedVariable, requiredIdentityRules } from './identity-rules.ts';
import { oktaClientFor, readOktaOrgConfig, type OktaOrgConfig } from './okta-api-config.ts';
import { oktaAccessOnce } from './okta-secret.ts';
import { lakeEngine, readLakeConfig, type HandlerLog } from './runtime.ts';
import { dayBefore, scheduledTime } from './schedule.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** How many days back a collection by hand may be filed: what Okta says now misstates a day long gone. */
export const INVENTORY_MAX_DAYS_BACK = 7;

export interface InventoryConfig {
  readonly workgroup: string;
  readonly database: string;
  readonly bucket: string;
  readonly okta: OktaOrgConfig;
  readonly rules: IdentityRules;
  readonly includeDeprovisioned: boolean;
}

/** Reads and validates the inventory function's environment (names in env.ts: HANDLER_ENV, RECOVERY_ENV, INVENTORY_ENV). */
export function readInventoryConfig(env: Env): InventoryConfig {
  return {
    ...readLakeConfig(env),
    okta: readOktaOrgConfig(env),
    rules: requiredIdentityRules(env),
    includeDeprovisioned: includeDeprovisionedVariable(env),
  };
}

/** The Okta client to collect with, or why there is none. */
export type InventoryOkta = () => Promise<
  { readonly client: OktaClient } | { readonly client?: undefined; readonly access: 'not-configured' | 'invalid'; readonly reason: string }
>;

export interface InventoryRuntime {
  readonly engine: QueryEngine;
  readonly okta: InventoryOkta;
  readonly rules: IdentityRules;
  readonly includeDeprovisioned: boolean;
  readonly log: HandlerLog;
}

export interface InventoryClients {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  readonly secrets: SecretsManagerClient;
}

export interface InventoryRuntimeOptions {
  /** @default new clients for the function's region */
  readonly clients?: InventoryClients;
  /** How the engine waits between polls and retries. @default a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Options for the Okta client (tests: `random`, timeouts). @default the client's own */
  readonly okta?: Partial<Omit<OktaClientOptions, 'orgUrl' | 'credentials'>>;
}

/** Builds the engine and the Okta access from a configuration; call once per container. */
export function createInventoryRuntime(config: InventoryConfig, log: HandlerLog, options: InventoryRuntimeOptions = {}): InventoryRuntime {
  const clients = options.clients ?? { athena: new AthenaClient({}), s3: new S3Client({}), secrets: new SecretsManagerClient({}) };
  const access = oktaAccessOnce(clients.secrets, config.okta.secretArn);
  let client: OktaClient | undefined;
  const okta: InventoryOkta = async () => {
    const found = await access();
    if (found.kind === 'not-configured') {
      return { access: 'not-configured', reason: `the Okta API secret ${config.okta.secretArn} has no value yet: put one with aws secretsmanager put-secret-value` };
    }
    if (found.kind === 'invalid') return { access: 'invalid', reason: `the Okta API secret ${config.okta.secretArn} is not usable: ${found.problem}` };
    // A new client when the credentials changed (the secret is read again now and then: a rotated key).
    if (client?.credentials !== found.credentials) client = oktaClientFor(config.okta.orgUrl, found.credentials, 'inventory', log, options.okta);
    return { client };
  };
  return {
    engine: lakeEngine(config, clients, log, options.sleep),
    okta,
    rules: config.rules,
    includeDeprovisioned: config.includeDeprovisioned,
    log,
  };
}

/**
 * The day an invocation files its collection under: the day before the scheduled time's day, or the `day` given by
 * hand (a date of the last `INVENTORY_MAX_DAYS_BACK` days, today included). The error says which inputs are understood.
 */
export function inventoryDay(event: unknown, now: Date): string {
  const day = typeof event === 'object' && event !== null ? (event as { day?: unknown }).day : undefined;
  if (day === undefined) return dayBefore(scheduledTime(event, 'inventory'));
  const expected = 'expected {"scheduled_time": "<aws.scheduler.scheduled-time>"} or {"day": "YYYY-MM-DD"}';
  if (typeof day !== 'string') throw new Error(`inventory: "day" must be a YYYY-MM-DD string; got ${JSON.stringify(day)}; ${expected}`);
  let parsed: string;
  try {
    parsed = parseDay(day, 'inventory day');
  } catch (e) {
    throw new Error(`inventory: ${(e as Error).message}; ${expected}`);
  }
  const today = dayOf(now);
  const earliest = addDays(today, -INVENTORY_MAX_DAYS_BACK);
  if (parsed > today) throw new Error(`inventory: day ${parsed} is after today (${today}); the inventory is what Okta says now, filed under a day that has begun`);
  if (parsed < earliest) {
    throw new Error(
      `inventory: day ${parsed} is more than ${INVENTORY_MAX_DAYS_BACK} days ago (earliest ${earliest}); the inventory is what Okta says now, which would misstate a day long gone`,
    );
  }
  return parsed;
}

export type InventoryInvocationResult =
  | { readonly collected: true; readonly day: string; readonly summary: InventorySummary }
  | { readonly collected: false; readonly day: string; readonly reason: string };

/** `factorsUntil`: when to stop reading factors and carry the rest over (the function's deadline less the writing). */
export async function inventoryInvocation(runtime: InventoryRuntime, event: unknown, now: () => Date, factorsUntil?: Date): Promise<InventoryInvocationResult> {
  const day = inventoryDay(event, now());
  const { log } = runtime;
  const okta = await runtime.okta();
  if (!okta.client) {
    if (okta.access === 'invalid') {
      log.error('inventory failed: Okta API access is not usable', { day, reason: okta.reason });
      throw new Error(`inventory of ${day}: ${okta.reason}`);
    }
    log.warn('inventory not collected: no Okta API access', { day, reason: okta.reason });
    return { collected: false, day, reason: okta.reason };
  }
  const source = new ApiInventorySource(okta.client, { includeDeprovisioned: runtime.includeDeprovisioned });
  log.info('inventory starting', { day, source: source.description, include_deprovisioned: runtime.includeDeprovisioned });
  let summary: InventorySummary;
  try {
    summary = await collectInventory({ engine: runtime.engine, source, day, rules: runtime.rules, now, ...(factorsUntil ? { factorsUntil } : {}) });
  } catch (e) {
    log.error('inventory failed', { day, source: source.description, error: (e as Error).message, api_calls: source.calls() });
    throw e;
  }
  // A part Okta refused is not a failure of the run: the rest is in the lake, and the users' rows say what was read.
  for (const s of summary.skipped) log.warn('inventory part skipped', { day, part: s.part, reason: s.reason });
  log.info('inventory collected', {
    day,
    batch: summary.batch,
    source: summary.source,
    users: summary.users,
    factors: summary.factors,
    devices: summary.devices,
    roles: summary.roles,
    skipped: summary.skipped.map((s) => ({ part: s.part, reason: s.reason })),
    api_calls: summary.apiCalls,
    factors_deferred: summary.factorsDeferred,
  });
  // Out of time before every user's factors were read: said, not failed (the rest were carried over, and are read first next time).
  if (summary.factorsDeferred) log.warn('inventory factors deferred', { day, ...summary.factorsDeferred });
  return { collected: true, day, summary };
}
