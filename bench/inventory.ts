/**
 * (f) The identity inventory of a 10,000-user org from the stand-in Okta (a real HTTP server on 127.0.0.1 with
 * Okta's identity routes, paging and rate-limit headers): how long it takes, how many API calls per 1,000 users,
 * and that it stays within the rate limits (no request over a bucket's limit) with every user, factor and device
 * written once.
 *
 * The stand-in allows `LIMIT_PER_SECOND` requests a second per bucket, well above Okta's own limits (a user's
 * factors/roles/devices share 1,200 a minute on a Workforce org, 600 on others, see
 * test/support/okta-stand-in/identity-api.ts OKTA_IDENTITY_RATE_LIMITS) so the bench finishes in seconds; the
 * time the same calls take at Okta's limits is printed beside it, from the calls counted.
 */
import { join } from 'node:path';
import { ApiInventorySource } from '../inventory/api-source.ts';
import { LocalLake } from '../lake/local-lake.ts';
import { apiTokenCredentials, OktaClient } from '../okta-api/index.ts';
import { generatedIdentityOrg, OKTA_IDENTITY_RATE_LIMITS, STAND_IN_API_TOKEN, startOktaStandIn } from '../test/support/okta-stand-in/index.ts';

export interface InventoryBenchResult {
  readonly users: number;
  readonly seconds: number;
  readonly calls: number;
  readonly callsPerThousandUsers: number;
  /** Minutes the same calls take at Okta's Workforce limit for a user's sub-resources (1,200 a minute). */
  readonly minutesAtOktaLimit: number;
  readonly violations: number;
  readonly rows: { readonly users: number; readonly factors: number; readonly devices: number; readonly roles: number };
  /** Each generated user, factor and device landed exactly once. */
  readonly complete: boolean;
}

const LIMIT_PER_SECOND = 400;

export async function inventoryBench(workDir: string, users = 10_000): Promise<InventoryBenchResult> {
  const org = generatedIdentityOrg({ users });
  const standIn = await startOktaStandIn({ identities: org, rateLimit: { limit: LIMIT_PER_SECOND } });
  const client = new OktaClient({ orgUrl: standIn.url, credentials: apiTokenCredentials(STAND_IN_API_TOKEN) });
  const lake = await LocalLake.open(join(workDir, 'lake-inventory'), { catalog: [] });
  try {
    const started = Date.now();
    const summary = await lake.collectInventory(new ApiInventorySource(client), '2026-11-24');
    const seconds = (Date.now() - started) / 1000;
    const listed = org.users.filter((u) => u.status !== 'DEPROVISIONED');
    const expectedFactors = listed.reduce((n, u) => n + (org.factors.get(u.id)?.length ?? 0), 0);
    const [row] = await lake.engine.select(
      `select (select count(distinct user_id) from okta_users) as users, (select count(distinct factor_id) from okta_factors) as factors,
              (select count(distinct device_id) from okta_devices) as devices, (select count(*) from okta_admin_roles) as roles`,
      [],
    );
    const rows = { users: Number(row!.users), factors: Number(row!.factors), devices: Number(row!.devices), roles: Number(row!.roles) };
    const calls = summary.apiCalls ?? client.stats.requests;
    const perUser = OKTA_IDENTITY_RATE_LIMITS.find((l) => l.bucket === 'GET /api/v1/users*')!.workforce;
    return {
      users: summary.users,
      seconds,
      calls,
      callsPerThousandUsers: (calls / summary.users) * 1000,
      minutesAtOktaLimit: calls / perUser,
      violations: standIn.violations,
      rows,
      complete:
        summary.skipped.length === 0 &&
        rows.users === listed.length &&
        summary.users === listed.length &&
        rows.factors === expectedFactors &&
        summary.factors === expectedFactors &&
        rows.devices === org.devices.length,
    };
  } finally {
    lake.close();
    await standIn.close();
  }
}
