/**
 * An inventory from the live Okta API, through the client of okta-api/ (paced by Okta's rate-limit headers,
 * retried, credentials redacted). A 403 on a part's endpoint (a scope or admin role the service app lacks) becomes
 * PartUnavailable with Okta's own explanation, so the collection skips that part and says which scope to grant.
 */
import {
  getUser,
  listDevices,
  listRoleAssignees,
  listUserDevices,
  listUserFactors,
  listUserRoles,
  listUsers,
  OktaApiError,
  type OktaClient,
} from '../okta-api/index.ts';
import type { OktaDevice, OktaFactor, OktaRoleAssignment, OktaUser } from '../okta-api/identity-objects.ts';
import { PartUnavailable, type InventoryPart, type InventorySource } from './source.ts';

export interface ApiInventoryOptions {
  /** Also list DEPROVISIONED users (Okta leaves them out of a plain list; one more listing). @default false */
  readonly includeDeprovisioned?: boolean;
}

/** Runs `call`, turning Okta's refusal of the part (403) into PartUnavailable; other errors stay as they are. */
async function refusedAs<T>(part: InventoryPart, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof OktaApiError && e.kind === 'forbidden') throw new PartUnavailable(part, e.message);
    throw e;
  }
}

/** A user's sub-resource; a user deleted since the list was read (404) has none, rather than failing the whole run. */
async function ofUser<T>(part: InventoryPart, call: () => Promise<readonly T[]>): Promise<readonly T[]> {
  try {
    return await refusedAs(part, call);
  } catch (e) {
    if (e instanceof OktaApiError && e.kind === 'not-found') return [];
    throw e;
  }
}

async function* refusedStreamAs<T>(part: InventoryPart, items: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* items;
  } catch (e) {
    if (e instanceof OktaApiError && e.kind === 'forbidden') throw new PartUnavailable(part, e.message);
    throw e;
  }
}

export class ApiInventorySource implements InventorySource {
  readonly description: string;

  constructor(
    readonly client: OktaClient,
    readonly options: ApiInventoryOptions = {},
  ) {
    this.description = client.orgUrl.origin;
  }

  users(): AsyncIterable<OktaUser> {
    return refusedStreamAs('users', listUsers(this.client, { includeDeprovisioned: this.options.includeDeprovisioned ?? false }));
  }

  user(idOrLogin: string): Promise<OktaUser | undefined> {
    return refusedAs('users', () => getUser(this.client, idOrLogin));
  }

  factorsOf(userId: string): Promise<readonly OktaFactor[]> {
    return ofUser('factors', () => listUserFactors(this.client, userId));
  }

  devices(): AsyncIterable<OktaDevice> {
    return refusedStreamAs('devices', listDevices(this.client));
  }

  async devicesOf(user: OktaUser): Promise<readonly OktaDevice[]> {
    const items = await ofUser('devices', () => listUserDevices(this.client, user.id));
    // `/users/{id}/devices` gives each device with the user's enrollment beside it; as the org-wide list embeds it.
    return items.flatMap((item) =>
      item.device ? [{ ...item.device, _embedded: { users: [{ created: item.created ?? null, user }] } }] : [],
    );
  }

  async *roleAssignees(): AsyncIterable<string> {
    for await (const a of refusedStreamAs('roles', listRoleAssignees(this.client))) yield a.id;
  }

  rolesOf(userId: string): Promise<readonly OktaRoleAssignment[]> {
    return ofUser('roles', () => listUserRoles(this.client, userId));
  }

  calls(): number {
    return this.client.stats.requests;
  }
}
