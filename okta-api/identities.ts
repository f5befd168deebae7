/**
 * The identity reads the inventory needs: users, their factors, admin roles and devices, and the org's devices and
 * role holders. All go through `OktaClient` (`get`, `pages`, `list`), so they are paced by Okta's rate-limit
 * headers, retried, and their errors name the missing scope and never a secret. Ids in paths are URL-encoded.
 *
 * Scopes (service apps): `okta.users.read` for users, factors and a user's devices; `okta.devices.read` for
 * `/api/v1/devices`; `okta.roles.read` for a user's roles and `/api/v1/iam/assignees/users`. An API token needs an
 * admin who can read them (e.g. Read-only Administrator).
 */
import type { OktaClient, OktaPage } from './client.ts';
import { OktaApiError, OktaConfigError } from './errors.ts';
import type { OktaDevice, OktaFactor, OktaRoleAssignee, OktaRoleAssignment, OktaUser, OktaUserDevice } from './identity-objects.ts';

/** Okta's largest (and default) page size for `GET /api/v1/users` and `GET /api/v1/devices`. */
export const USERS_MAX_LIMIT = 200;
export const DEVICES_MAX_LIMIT = 200;

/** The `search` that lists the users a plain `GET /api/v1/users` leaves out. */
export const DEPROVISIONED_SEARCH = 'status eq "DEPROVISIONED"';

export interface ListUsersOptions {
  /** Users a page, 1 to 200. @default 200 */
  readonly limit?: number | undefined;
  /**
   * Also list DEPROVISIONED (deactivated) users. Okta leaves them out of a plain `GET /api/v1/users`, so this is a
   * second pass, after the first, with `search=status eq "DEPROVISIONED"`: at least one more request, plus one per
   * `limit` deprovisioned users, in the same rate-limit bucket. `search` reads an eventually consistent index (a
   * user deactivated seconds ago may be missing), and a user whose status changes between the passes can appear
   * in both: the later record is the newer. @default false
   */
  readonly includeDeprovisioned?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The org's users page by page: every status but DEPROVISIONED, then (with `includeDeprovisioned`) the
 * DEPROVISIONED ones. Scope `okta.users.read`.
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers
 */
export async function* listUserPages(client: OktaClient, options: ListUsersOptions = {}): AsyncGenerator<OktaPage<OktaUser>, void, undefined> {
  const limit = pageLimit(options.limit, USERS_MAX_LIMIT);
  yield* client.pages<OktaUser>('/api/v1/users', { query: { limit }, signal: options.signal });
  if (options.includeDeprovisioned) {
    yield* client.pages<OktaUser>('/api/v1/users', { query: { search: DEPROVISIONED_SEARCH, limit }, signal: options.signal });
  }
}

/** The org's users one by one (see `listUserPages`). Scope `okta.users.read`. */
export async function* listUsers(client: OktaClient, options: ListUsersOptions = {}): AsyncGenerator<OktaUser, void, undefined> {
  for await (const page of listUserPages(client, options)) yield* page.items;
}

export interface IdentityRequestOptions {
  readonly signal?: AbortSignal | undefined;
}

/**
 * One user by id or login, or undefined when Okta has no such user (404 E0000007). Any other refusal throws.
 * Scope `okta.users.read`.
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/getUser
 */
export async function getUser(client: OktaClient, idOrLogin: string, options: IdentityRequestOptions = {}): Promise<OktaUser | undefined> {
  if (!idOrLogin) throw new OktaConfigError('idOrLogin', 'A user id or login is needed to read a user.');
  try {
    return (await client.get<OktaUser>(`/api/v1/users/${encodeURIComponent(idOrLogin)}`, { signal: options.signal })).body;
  } catch (error) {
    // A 404 without an Okta error body is not "no such user" but a wrong org URL: let that one through.
    if (error instanceof OktaApiError && error.kind === 'not-found' && error.errorCode !== undefined) return undefined;
    throw error;
  }
}

/**
 * A user's enrolled factors (one array; Okta does not page it). Throws `OktaApiError` kind `not-found` when the
 * user no longer exists. Scope `okta.users.read`.
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserFactor/#tag/UserFactor/operation/listFactors
 */
export function listUserFactors(client: OktaClient, userId: string, options: IdentityRequestOptions = {}): Promise<OktaFactor[]> {
  return all(client.list<OktaFactor>(userPath(userId, 'factors'), { signal: options.signal }));
}

/**
 * A user's admin role assignments (following next links if Okta sends any). Throws kind `not-found` when the user
 * no longer exists. Scope `okta.roles.read`.
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/RoleAssignmentAUser/#tag/RoleAssignmentAUser/operation/listAssignedRolesForUser
 */
export function listUserRoles(client: OktaClient, userId: string, options: IdentityRequestOptions = {}): Promise<OktaRoleAssignment[]> {
  return all(client.list<OktaRoleAssignment>(userPath(userId, 'roles'), { signal: options.signal }));
}

/**
 * The devices a user enrolled, each as `{created, device, deviceUserId}`. Throws kind `not-found` when the user no
 * longer exists. Scope `okta.users.read` (Identity Engine orgs).
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserResources/#tag/UserResources/operation/listUserDevices
 */
export function listUserDevices(client: OktaClient, userId: string, options: IdentityRequestOptions = {}): Promise<OktaUserDevice[]> {
  return all(client.list<OktaUserDevice>(userPath(userId, 'devices'), { signal: options.signal }));
}

export interface ListDevicesOptions {
  /** Devices a page, 1 to 200. @default 200 */
  readonly limit?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The org's devices page by page, each with its users in `_embedded.users` (`expand=user`: the full user, its
 * `managementStatus` and `screenLockType`). Scope `okta.devices.read` (Identity Engine orgs).
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Device/#tag/Device/operation/listDevices
 */
export function listDevicePages(client: OktaClient, options: ListDevicesOptions = {}): AsyncGenerator<OktaPage<OktaDevice>, void, undefined> {
  const limit = pageLimit(options.limit, DEVICES_MAX_LIMIT);
  return client.pages<OktaDevice>('/api/v1/devices', { query: { expand: 'user', limit }, signal: options.signal });
}

/** The org's devices one by one (see `listDevicePages`). Scope `okta.devices.read`. */
export async function* listDevices(client: OktaClient, options: ListDevicesOptions = {}): AsyncGenerator<OktaDevice, void, undefined> {
  for await (const page of listDevicePages(client, options)) yield* page.items;
}

export interface ListRoleAssigneesOptions {
  /** Users a page. @default Okta's, 100 */
  readonly limit?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The users holding at least one admin role directly (`{id, orn}`); read each one's roles with `listUserRoles`.
 * Okta answers `{"value": [...], "_links": {"next": {"href": ...}}}` rather than a list with a Link header, so this
 * follows `_links.next.href` itself; like every call, a next link off the org is refused. Scope `okta.roles.read`.
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/RoleAssignmentAUser/#tag/RoleAssignmentAUser/operation/listUsersWithRoleAssignments
 */
export async function* listRoleAssignees(client: OktaClient, options: ListRoleAssigneesOptions = {}): AsyncGenerator<OktaRoleAssignee, void, undefined> {
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
    throw new OktaConfigError('limit', `limit must be a whole number of at least 1, not ${options.limit}.`);
  }
  let url = client.url('/api/v1/iam/assignees/users', { limit: options.limit }).href;
  const visited = new Set<string>();
  for (;;) {
    visited.add(url);
    const response = await client.get<unknown>(url, { signal: options.signal });
    const body = response.body as { value?: unknown; _links?: { next?: { href?: unknown } | null } | null } | null;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.value)) {
      const path = new URL(url).pathname;
      throw new OktaApiError(`${client.orgUrl.origin} answered GET ${path} with JSON that has no "value" list: is the path right?`, {
        kind: 'unexpected-response',
        status: response.status,
        method: 'GET',
        path,
        attempts: 1,
      });
    }
    yield* body.value as OktaRoleAssignee[];
    const next = body._links?.next?.href;
    if (typeof next !== 'string' || next === '') return;
    url = client.url(next).href; // refuses a link off the org
    if (visited.has(url)) return; // a next link back to a page already read would loop forever
  }
}

function userPath(userId: string, resource: 'factors' | 'roles' | 'devices'): string {
  if (!userId) throw new OktaConfigError('userId', `A user id is needed to read a user's ${resource}.`);
  return `/api/v1/users/${encodeURIComponent(userId)}/${resource}`;
}

function pageLimit(limit: number | undefined, max: number): number {
  if (limit === undefined) return max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new OktaConfigError('limit', `limit must be a whole number from 1 to ${max}, not ${limit}.`);
  return limit;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
