/**
 * refresh-user's way to Okta in AWS: the credentials from the Okta API secret (read once found), an Okta client, the
 * api-events Firehose stream as the sink, and a wait until what it wrote has landed in S3 (the stream's delivery
 * time at most), so the day rebuilt right after includes it. Only the refresh-user entry imports this module: the
 * other functions' bundles do not carry the Firehose, Secrets Manager and Okta clients.
 *
 * Without a secret value, refresh-user works on the lake alone and says so in its log and result.
 *
 * With the identity rules in its environment (the stack sets them while `inventory.enabled`), the same client also
 * re-reads the user's inventory (user, factors, devices, admin roles) before their posture checks: the near-time
 * cascade (core/refresh-user.ts `inventory`).
 */
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { OktaFetch } from '../core/user-events-fetch.ts';
import { ApiInventorySource } from '../inventory/api-source.ts';
import type { IdentityRules } from '../inventory/identity-kind.ts';
import type { InventorySource } from '../inventory/source.ts';
import { FirehoseEventSink } from '../ingest/firehose-sink.ts';
import { waitForLanding } from '../ingest/s3-landing.ts';
import type { OktaClient, OktaClientOptions } from '../okta-api/index.ts';
import { HANDLER_ENV } from './env.ts';
import { identityRulesVariable } from './identity-rules.ts';
import { oktaClientFor, readOktaApiConfig, type OktaApiConfig } from './okta-api-config.ts';
import { oktaAccessOnce } from './okta-secret.ts';
import { realSleep, requiredVariable, type HandlerLog } from './runtime.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The Okta part of refresh-user's environment (the stack sets all of it), and the bucket it watches for landing. */
export interface RefreshOktaConfig extends OktaApiConfig {
  readonly bucket: string;
  /** The identity rules of the inventory; without them the refresh does not re-read the user's inventory. */
  readonly identityRules?: IdentityRules;
}

export function readRefreshOktaConfig(env: Env): RefreshOktaConfig {
  const identityRules = identityRulesVariable(env);
  return { ...readOktaApiConfig(env), bucket: requiredVariable(env, HANDLER_ENV.bucket, 'the lake bucket name'), ...(identityRules ? { identityRules } : {}) };
}

export interface RefreshOktaClients {
  readonly secrets: SecretsManagerClient;
  readonly firehose: FirehoseClient;
  readonly s3: S3Client;
}

/** Where a refresh re-reads the user's inventory from, and the rules that classify them. */
export interface RefreshInventory {
  readonly source: InventorySource;
  readonly rules: IdentityRules;
}

/**
 * What a refresh asks before it starts: the Okta access to fetch with (and to re-read the user's inventory with, when
 * the inventory is on; otherwise why not), or why there is none.
 */
export type RefreshOkta = () => Promise<
  | { readonly fetch: OktaFetch; readonly inventory: RefreshInventory | { readonly off: string } }
  | { readonly fetch?: undefined; readonly reason: string }
>;

/** Why a refresh with Okta access does not re-read the inventory. */
export const INVENTORY_OFF = 'the inventory is switched off for this deployment (inventory.enabled is false)';

export function refreshOkta(
  config: RefreshOktaConfig,
  log: HandlerLog,
  options: { clients?: RefreshOktaClients; sleep?: (ms: number) => Promise<void>; now?: () => Date; okta?: Partial<OktaClientOptions> } = {},
): RefreshOkta {
  const clients = options.clients ?? { secrets: new SecretsManagerClient({}), firehose: new FirehoseClient({}), s3: new S3Client({}) };
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? (() => new Date());
  const access = oktaAccessOnce(clients.secrets, config.secretArn);
  let client: OktaClient | undefined;
  let inventory: RefreshInventory | undefined;
  const sink = new FirehoseEventSink({ firehose: clients.firehose, deliveryStreamName: config.apiStreamName, sleep, log: (m, f) => log.info(m, f) });
  return async () => {
    const found = await access();
    if (found.kind === 'not-configured') return { reason: `the Okta API secret ${config.secretArn} has no value yet: the refresh used the lake only` };
    if (found.kind === 'invalid') return { reason: `the Okta API secret ${config.secretArn} is not usable (${found.problem}): the refresh used the lake only` };
    // A new client when the credentials changed (the secret is read again now and then: a rotated key).
    if (client?.credentials !== found.credentials) {
      client = oktaClientFor(config.orgUrl, found.credentials, 'refresh-user', log, options.okta);
      inventory = config.identityRules ? { source: new ApiInventorySource(client), rules: config.identityRules } : undefined;
    }
    return {
      inventory: inventory ?? { off: INVENTORY_OFF },
      fetch: {
        client,
        sink,
        settle: (hours, since) =>
          waitForLanding({ s3: clients.s3, bucket: config.bucket, hours, since, objectNamePrefix: config.apiStreamName, timeoutMs: config.apiStreamDelaySeconds * 1000, sleep, now }),
      },
    };
  };
}
