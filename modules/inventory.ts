/**
 * The daily identity inventory in AWS: one function (handlers/inventory-collect.ts) that reads every user, their
 * factors, devices and admin roles from the Okta API with the credentials of the Okta API secret, and writes them as
 * Parquet into the inventory tables' partitions of the day (`inventory/<table>/dt=<day>/batch=daily/`), registering
 * each partition with an Athena `ALTER TABLE ... ADD IF NOT EXISTS PARTITION` (engines/athena/athena-engine.ts
 * `writeRows`). It is scheduled `inventory.minutesBeforeDaily` before the nightly run (modules/stack.ts), whose
 * posture checks read it.
 *
 * What its role may do, and nothing else:
 * - GetSecretValue on the Okta API secret, and the key (OktaApiAccess.grantReadCredentials);
 * - run queries in the lake's workgroup, read and write its results prefix (LakeWorkgroup.grantQuery);
 * - read the schema and partitions of the four inventory tables and their `*_current` views (the collection reads
 *   the previous inventory through them), and create the tables' partitions (Glue);
 * - get, put, delete and list objects under the four inventory tables' prefixes (a new file, then the older files
 *   of the partition and the day's refresh batches deleted), with the lake key.
 */
import { Construct } from 'constructs';
import { HANDLER_ENV, INVENTORY_ENV } from '../handlers/env.ts';
import type { IdentityRules } from '../inventory/identity-kind.ts';
import { inventoryTables } from '../schema/inventory.ts';
import { lakeViews } from '../schema/views.ts';
import type { LakeWorkgroup } from './athena.ts';
import type { LakeCatalog } from './glue-catalog.ts';
import type { LakeKey } from './kms.ts';
import type { LakeBucket } from './lake-bucket.ts';
import type { LambdaBundle } from './lambda/bundle.ts';
import { LakeFunction } from './lambda/function.ts';
import { terraformLiteral } from './literal.ts';
import type { OktaApiAccess } from './okta-api-access.ts';

/** The S3 prefixes of the inventory tables (`inventory/users`, ...): the only ones an inventory write touches. */
export const INVENTORY_PREFIXES: readonly string[] = inventoryTables.map((t) => t.location);
/** The Glue names of the inventory tables. */
export const INVENTORY_TABLE_NAMES: readonly string[] = inventoryTables.map((t) => t.name);
/**
 * The Glue names of the views over the inventory tables (`okta_users_current`, ...). The collection reads the newest
 * inventory before the day through them (core/sql/previous-factor-reads.sql, carried-factors.sql); Athena needs
 * glue:GetTable on a view it queries, and on the views that view reads.
 */
export const INVENTORY_VIEW_NAMES: readonly string[] = lakeViews
  .filter((v) => inventoryTables.some((t) => t.name === v.source.name))
  .map((v) => v.name);

/**
 * Seconds the inventory may run: Lambda's most. A whole org is one call per user for factors and one per admin, paced
 * by Okta's rate limits; see the README for the org size this fits.
 */
export const INVENTORY_TIMEOUT_SECONDS = 900;

/** The identity rules as the functions read them (handlers/identity-rules.ts): JSON, escaped for Terraform. */
export const identityRulesEnvironment = (rules: IdentityRules): Record<string, string> => ({
  [INVENTORY_ENV.identityRules]: terraformLiteral(
    JSON.stringify({
      serviceUserTypes: rules.serviceUserTypes,
      serviceLoginPatterns: rules.serviceLoginPatterns,
      serviceLogins: rules.serviceLogins,
      guestUserTypes: rules.guestUserTypes,
    }),
  ),
});

export interface InventoryCollectionProps {
  readonly namePrefix: string;
  readonly key: LakeKey;
  readonly bucket: LakeBucket;
  readonly catalog: LakeCatalog;
  readonly workgroup: LakeWorkgroup;
  readonly oktaApi: OktaApiAccess;
  readonly bundle: LambdaBundle;
  readonly rules: IdentityRules;
  readonly includeDeprovisioned: boolean;
  /** Variables every function has (Powertools' service name, log level). */
  readonly baseEnvironment: Readonly<Record<string, string>>;
  /** Days the function's log group keeps logs. */
  readonly logRetentionDays: number;
}

export class InventoryCollection extends Construct {
  readonly function: LakeFunction;

  constructor(scope: Construct, id: string, props: InventoryCollectionProps) {
    super(scope, id);
    const fn = new LakeFunction(this, 'inventory', {
      functionName: `${props.namePrefix}-inventory`,
      description: 'Collects the identity inventory (users, factors, devices, admin roles) from the Okta API for the day that just ended',
      bundle: props.bundle,
      key: props.key,
      environment: {
        ...props.baseEnvironment,
        [HANDLER_ENV.workgroup]: props.workgroup.name,
        [HANDLER_ENV.database]: props.catalog.name,
        [HANDLER_ENV.bucket]: props.bucket.name,
        ...props.oktaApi.accessEnvironment,
        ...identityRulesEnvironment(props.rules),
        [INVENTORY_ENV.includeDeprovisioned]: String(props.includeDeprovisioned),
      },
      timeoutSeconds: INVENTORY_TIMEOUT_SECONDS,
      // Every user's rows are held until the tables are written, then encoded as Parquet.
      memoryMb: 1024,
      logRetentionDays: props.logRetentionDays,
      maxEventAgeSeconds: 6 * 3600,
    });
    props.oktaApi.grantReadCredentials(fn);
    props.workgroup.grantQuery(fn);
    props.catalog.grantRead(fn, [...INVENTORY_TABLE_NAMES, ...INVENTORY_VIEW_NAMES]);
    props.catalog.grantWritePartitions(fn, INVENTORY_TABLE_NAMES);
    props.bucket.grant(fn, 'read-write', INVENTORY_PREFIXES);
    this.function = fn;
  }
}
