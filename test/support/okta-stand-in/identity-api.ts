/**
 * The identity endpoints of the stand-in Okta, over one org model (`StandInIdentityOrg`): users, a user's factors,
 * admin roles and devices, the org's devices, and the users holding admin roles. Shapes follow the examples of
 * Okta's management OpenAPI spec (github.com/okta/okta-management-openapi-spec, dist/2026.06.2/management-*.yaml):
 * `ListUsersResponse`, `ListFactorsResults` and the `ActivateFactor*Response`s, `APIUserListDevicesResponse`,
 * `APIDevicesListAllResponse` / `APIDevicesListAllUserSummaryResponse`, `StandardAndCustomRolesListResponse`,
 * `RoleAssignedUsersResponseExample`.
 *
 * - `GET /api/v1/users`: paged by `after` (the last id) and `limit` (default and most 200), Link headers. Without
 *   `search` or `filter` DEPROVISIONED users are left out, as Okta does; with either they are included
 *   (`search=status eq "DEPROVISIONED"` lists only them). `q` is a prefix match on first name, last name and email,
 *   unpaged, default limit 10, without DEPROVISIONED users.
 * - `GET /api/v1/users/{idOrLogin}`: any status; 404 E0000007 when unknown.
 * - `GET /api/v1/users/{id}/factors | roles | devices`: one array each; 404 E0000007 for an unknown user.
 * - `GET /api/v1/devices`: paged like users (most 200); `expand=user` embeds `_embedded.users` as
 *   `{created, managementStatus, screenLockType, user}` with the full user, `expand=userSummary` with a summary.
 * - `GET /api/v1/iam/assignees/users`: `{"value": [{id, orn, _links}], "_links": {"next": {"href": ...}}}`, paged by
 *   `after`/`limit` (default 100) in the body rather than a Link header: the users with at least one role.
 *
 * Rate limits: see `oktaRateLimitBucket` and `OKTA_IDENTITY_RATE_LIMITS`.
 */
import type {
  OktaDevice,
  OktaDeviceUser,
  OktaFactor,
  OktaRoleAssignment,
  OktaUser,
  OktaUserDevice,
} from '../../../okta-api/identity-objects.ts';
import { actorId } from './events.ts';
import { oktaError } from './okta-errors.ts';
import { linkHeaders, type StandInReply, type StandInRequest } from './routes.ts';
import { FilterSyntaxError, parseFilter, type Predicate } from './scim-filter.ts';

/** One user of a device, as `/api/v1/devices?expand=user` and `/api/v1/users/{id}/devices` describe the link. */
export interface StandInDeviceUser {
  readonly userId: string;
  /** When the user enrolled the device. @default the device's `created` */
  readonly created?: string;
  /** `MANAGED` or `NOT_MANAGED`. @default 'NOT_MANAGED' */
  readonly managementStatus?: string;
  /** `NONE`, `PASSCODE` or `BIOMETRIC`. @default 'NONE' */
  readonly screenLockType?: string;
  /** The enrollment's id (`deviceUserId`, `lnk...`). @default derived from the device and user ids */
  readonly deviceUserId?: string;
}

/** A device as Okta lists it (without `_embedded`), and its users. */
export interface StandInDevice {
  readonly device: OktaDevice;
  readonly users: readonly StandInDeviceUser[];
}

export interface StandInIdentityOrg {
  /** In Okta's JSON shape, in the order Okta lists them. */
  readonly users: readonly OktaUser[];
  /** By user id; a user absent here has none. */
  readonly factors: ReadonlyMap<string, readonly OktaFactor[]>;
  /** By user id; a user absent here has none. */
  readonly roles: ReadonlyMap<string, readonly OktaRoleAssignment[]>;
  readonly devices: readonly StandInDevice[];
}

/**
 * Okta's default per-minute limits for the buckets the identity endpoints fall in, by plan, from
 * okta-developer-docs `docs/reference/rl-global-mgmt/index.md` (commit ec652bd59e, May 2025, the last before that
 * page moved to the rate-limit dashboard) and `docs/reference/rate-limits/index.md` (buckets match by exact path
 * first, then by longest prefix, e.g. `/api/v1/users*`). The per-user sub-resources have no bucket of their own, so
 * factors, roles and devices of every user share one (`/api/v1/users*`; the overview's example quota for
 * `/api/v1/users/*` is 1,000, the table's "most other API actions" 1,200 for Workforce Identity). Okta also lets
 * one API token or OAuth app use only 50% of a bucket by default, and limits concurrent requests (75 per org).
 * The stand-in applies its one configured `rateLimit` to every bucket; these numbers are for scaling a benchmark
 * to what a real org allows.
 */
export const OKTA_IDENTITY_RATE_LIMITS = [
  { bucket: 'GET /api/v1/users', workforce: 600, enterprise: 600, integratorFree: 100 },
  { bucket: 'GET /api/v1/users/{idOrLogin}', workforce: 2000, enterprise: 1000, integratorFree: 100 },
  { bucket: 'GET /api/v1/users*', workforce: 1200, enterprise: 600, integratorFree: 100 },
  { bucket: 'GET /api/v1/devices', workforce: 100, enterprise: 150, integratorFree: 100 },
  { bucket: 'GET /api/v1*', workforce: 1200, enterprise: 600, integratorFree: 100 },
] as const;

/**
 * The Okta rate-limit bucket of an identity request, or undefined for paths it does not cover (the stand-in then
 * keeps one bucket per route). A user's factors, roles and devices share `GET /api/v1/users*` whatever the user.
 */
export function oktaRateLimitBucket(method: string, pathname: string): string | undefined {
  const m = method.toUpperCase();
  if (pathname === '/api/v1/users') return `${m} /api/v1/users`;
  if (/^\/api\/v1\/users\/[^/]+$/.test(pathname)) return m === 'GET' ? 'GET /api/v1/users/{idOrLogin}' : `${m} /api/v1/users/{id}`;
  if (/^\/api\/v1\/users\/[^/]+\//.test(pathname)) return `${m} /api/v1/users*`;
  if (pathname === '/api/v1/devices') return `${m} /api/v1/devices`;
  if (pathname.startsWith('/api/v1/iam/')) return `${m} /api/v1*`;
  return undefined;
}

const DEPROVISIONED = 'DEPROVISIONED';

/** The identity routes' handlers over one org. */
export class IdentityApi {
  readonly #org: StandInIdentityOrg;
  readonly #orgId: string;
  readonly #byId = new Map<string, OktaUser>();
  readonly #byLogin = new Map<string, OktaUser>();
  readonly #listed: readonly OktaUser[];
  readonly #assignees: readonly OktaUser[];
  readonly #devicesOfUser = new Map<string, Array<{ device: OktaDevice; link: StandInDeviceUser }>>();
  readonly #filtered = new Map<string, readonly OktaUser[]>();

  constructor(org: StandInIdentityOrg, options: { orgId?: string } = {}) {
    this.#org = org;
    this.#orgId = options.orgId ?? '00o1standIn2org3id4x';
    for (const user of org.users) {
      this.#byId.set(user.id, user);
      const login = user.profile?.login;
      if (login) this.#byLogin.set(login.toLowerCase(), user);
    }
    this.#listed = org.users.filter((u) => u.status !== DEPROVISIONED);
    this.#assignees = org.users.filter((u) => (org.roles.get(u.id)?.length ?? 0) > 0);
    for (const { device, users } of org.devices) {
      for (const link of users) {
        let list = this.#devicesOfUser.get(link.userId);
        if (!list) this.#devicesOfUser.set(link.userId, (list = []));
        list.push({ device, link });
      }
    }
  }

  /** `GET /api/v1/users`. */
  listUsers(request: StandInRequest): StandInReply {
    const q = request.url.searchParams;
    const people = q.get('q');
    if (people !== null) {
      const prefix = people.toLowerCase();
      const limit = limitOf(q, 10, 200);
      const starts = (v: unknown) => typeof v === 'string' && v.toLowerCase().startsWith(prefix);
      const found = this.#listed.filter((u) => starts(u.profile?.firstName) || starts(u.profile?.lastName) || starts(u.profile?.email));
      return { json: found.slice(0, limit), headers: { link: linkHeaders(request.url) } };
    }
    const search = q.get('search');
    const filter = q.get('filter');
    let users = this.#listed;
    if (search !== null || filter !== null) {
      const key = `${search ?? ''}\u0000${filter ?? ''}`;
      let selected = this.#filtered.get(key);
      if (!selected) {
        let predicates: Predicate[];
        try {
          predicates = [search, filter].filter((t): t is string => t !== null && t !== '').map((t) => parseFilter(t));
        } catch (error) {
          if (error instanceof FilterSyntaxError) return { status: 400, json: oktaError('E0000031', 'Invalid search criteria.', [error.message]) };
          throw error;
        }
        selected = this.#org.users.filter((u) => predicates.every((p) => p(u)));
        this.#filtered.set(key, selected);
      }
      users = selected;
    }
    return paged(request, users, (u) => u.id, 200, 200);
  }

  /** `GET /api/v1/users/{idOrLogin}`. */
  getUser(request: StandInRequest): StandInReply {
    const idOrLogin = decodeURIComponent(request.params[0] ?? '');
    const user = this.#user(idOrLogin);
    return user ? { json: user } : userNotFound(idOrLogin);
  }

  /** `GET /api/v1/users/{id}/factors`. */
  factors(request: StandInRequest): StandInReply {
    return this.#ofUser(request, (user) => this.#org.factors.get(user.id) ?? []);
  }

  /** `GET /api/v1/users/{id}/roles`. */
  roles(request: StandInRequest): StandInReply {
    return this.#ofUser(request, (user) => this.#org.roles.get(user.id) ?? []);
  }

  /** `GET /api/v1/users/{id}/devices`. */
  userDevices(request: StandInRequest): StandInReply {
    return this.#ofUser(request, (user) =>
      (this.#devicesOfUser.get(user.id) ?? []).map(
        ({ device, link }): OktaUserDevice => ({ created: link.created ?? device.created ?? null, device, deviceUserId: deviceUserIdOf(device, link) }),
      ),
    );
  }

  /** `GET /api/v1/devices`. */
  listDevices(request: StandInRequest): StandInReply {
    const expand = request.url.searchParams.get('expand');
    const reply = paged(request, this.#org.devices, (d) => d.device.id, 200, 200);
    if (reply.status !== undefined) return reply;
    const page = reply.json as StandInDevice[];
    const json = page.map(({ device, users }): OktaDevice => {
      if (expand !== 'user' && expand !== 'userSummary') return device;
      const embedded: OktaDeviceUser[] = [];
      for (const link of users) {
        const user = this.#byId.get(link.userId);
        if (!user) continue;
        embedded.push({
          managementStatus: link.managementStatus ?? 'NOT_MANAGED',
          created: link.created ?? device.created ?? null,
          screenLockType: link.screenLockType ?? 'NONE',
          user: expand === 'user' ? user : userSummary(user, request.url.origin),
        });
      }
      return { ...device, _embedded: { users: embedded } };
    });
    return { ...reply, json };
  }

  /** `GET /api/v1/iam/assignees/users`. */
  roleAssignees(request: StandInRequest): StandInReply {
    const origin = request.url.origin;
    const limit = limitOf(request.url.searchParams, 100, 1000);
    const after = request.url.searchParams.get('after');
    let start = 0;
    if (after) {
      const at = this.#assignees.findIndex((u) => u.id === after);
      if (at < 0) return invalidCursor();
      start = at + 1;
    }
    const page = this.#assignees.slice(start, start + limit);
    const links: Record<string, { href: string }> = {};
    if (start + limit < this.#assignees.length && page.length) {
      const next = new URL('/api/v1/iam/assignees/users', origin);
      next.searchParams.set('after', page.at(-1)!.id);
      next.searchParams.set('limit', String(limit));
      links.next = { href: next.href };
    }
    return {
      json: {
        value: page.map((u) => ({
          id: u.id,
          orn: `orn:okta:directory:${this.#orgId}:users:${u.id}`,
          _links: { self: { href: `${origin}/api/v1/users/${u.id}` }, roles: { href: `${origin}/api/v1/users/${u.id}/roles` } },
        })),
        _links: links,
      },
    };
  }

  #user(idOrLogin: string): OktaUser | undefined {
    return this.#byId.get(idOrLogin) ?? this.#byLogin.get(idOrLogin.toLowerCase());
  }

  #ofUser(request: StandInRequest, items: (user: OktaUser) => readonly unknown[]): StandInReply {
    const id = decodeURIComponent(request.params[0] ?? '');
    const user = this.#byId.get(id);
    return user ? { json: items(user) } : userNotFound(id);
  }
}

function userNotFound(idOrLogin: string): StandInReply {
  return { status: 404, json: oktaError('E0000007', `Not found: Resource not found: ${idOrLogin} (User)`) };
}

function invalidCursor(): StandInReply {
  return { status: 400, json: oktaError('E0000001', "Api validation failed: 'after': invalid cursor") };
}

function limitOf(q: URLSearchParams, byDefault: number, max: number): number {
  const raw = Number(q.get('limit') ?? byDefault);
  return Math.min(max, Math.max(1, Number.isFinite(raw) ? Math.floor(raw) : byDefault));
}

/** A page of `items` by Okta's `after` (the last id of the previous page) and `limit`, with Link headers. */
function paged<T>(request: StandInRequest, items: readonly T[], idOf: (item: T) => string, byDefault: number, max: number): StandInReply {
  const q = request.url.searchParams;
  const limit = limitOf(q, byDefault, max);
  const after = q.get('after');
  let start = 0;
  if (after) {
    const at = items.findIndex((item) => idOf(item) === after);
    if (at < 0) return invalidCursor();
    start = at + 1;
  }
  const page = items.slice(start, start + limit);
  let next: URL | undefined;
  if (start + limit < items.length && page.length) {
    next = new URL(request.url.href);
    next.searchParams.set('after', idOf(page.at(-1)!));
  }
  return { json: page, headers: { link: linkHeaders(request.url, next) } };
}

function userSummary(user: OktaUser, origin: string): OktaUser {
  const p = user.profile ?? {};
  return {
    id: user.id,
    profile: { firstName: p.firstName ?? null, lastName: p.lastName ?? null, login: p.login ?? null, email: p.email ?? null },
    _links: { self: { href: `${origin}/api/v1/users/${user.id}` } },
  };
}

function deviceUserIdOf(device: OktaDevice, link: StandInDeviceUser): string {
  if (link.deviceUserId) return link.deviceUserId;
  return `lnk${(device.id.slice(3, 10) + link.userId.slice(-10)).padEnd(17, '0').slice(0, 17)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// A generated org, for large tests and the benchmark.

export interface GeneratedIdentityOrgOptions {
  readonly users: number;
  /** @default 1 */
  readonly seed?: number;
  /** The org's "now": every timestamp is before it. @default 2026-12-01T00:00:00.000Z (fixed, so the org is too) */
  readonly now?: Date;
}

const DAY_MS = 86_400_000;

/**
 * A realistic org of `users` users, deterministic from the seed: statuses mostly ACTIVE with some STAGED,
 * PROVISIONED, SUSPENDED, LOCKED_OUT, PASSWORD_EXPIRED, RECOVERY and DEPROVISIONED; 0-3 factors a user (push,
 * signed_nonce, sms and call with phone numbers, webauthn, email, token:software:totp, question; some
 * PENDING_ACTIVATION); about one device a user, a tenth of them shared by two users; about 1% of users with admin
 * roles (SUPER_ADMIN, ORG_ADMIN, HELP_DESK_ADMIN, READ_ONLY_ADMIN, APP_ADMIN, and CUSTOM with `role` and
 * `resource-set`), user 0 always an active SUPER_ADMIN. User `i` has id `actorId(i)` and login
 * `user{i}@example.com`, the actor of the stand-in's generated System Log events, so events and inventory join.
 * Staged, provisioned and deprovisioned users have no factors and no roles here.
 */
export function generatedIdentityOrg(options: GeneratedIdentityOrgOptions): StandInIdentityOrg {
  const count = options.users;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`users must be a whole number >= 0, not ${count}`);
  const rand = mulberry32(options.seed ?? 1);
  const nowMs = (options.now ?? new Date('2026-12-01T00:00:00.000Z')).getTime();
  const iso = (ms: number) => new Date(Math.min(ms, nowMs)).toISOString();
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const weighted = <T extends string>(table: ReadonlyArray<readonly [T, number]>): T => {
    const total = table.reduce((s, [, w]) => s + w, 0);
    let r = rand() * total;
    for (const [value, weight] of table) if ((r -= weight) < 0) return value;
    return table.at(-1)![0];
  };
  const id = (prefix: string, length = 17) => prefix + randomChars(rand, length);
  const userTypeId = id('oty');
  const customRoles = [
    { role: id('cr0'), label: 'Help desk (password resets only)', resourceSet: id('iam') },
    { role: id('cr0'), label: 'UserCreatorRole', resourceSet: id('iam') },
  ];

  const users: OktaUser[] = [];
  const factors = new Map<string, OktaFactor[]>();
  const roles = new Map<string, OktaRoleAssignment[]>();
  const devices: StandInDevice[] = [];
  const deviceOwners: number[] = []; // user index of each device's first user

  for (let i = 0; i < count; i++) {
    const status = i === 0 ? 'ACTIVE' : weighted(STATUSES);
    const firstName = pick(FIRST_NAMES);
    const lastName = pick(LAST_NAMES);
    const login = `user${i}@example.com`;
    const createdMs = nowMs - int(30, 2000) * DAY_MS - int(0, DAY_MS);
    const staged = status === 'STAGED' || status === 'PROVISIONED';
    const activatedMs = staged ? undefined : createdMs + int(0, 2 * DAY_MS);
    const statusChangedMs = status === 'STAGED' ? undefined : status === 'ACTIVE' || status === 'PROVISIONED' ? (activatedMs ?? createdMs + DAY_MS) : nowMs - int(1, 200) * DAY_MS;
    let lastLoginMs: number | undefined;
    if (activatedMs !== undefined && rand() < 0.95) {
      const until = status === 'DEPROVISIONED' ? statusChangedMs! : nowMs;
      const stale = rand() < 0.06; // not seen for months
      lastLoginMs = Math.max(activatedMs, until - (stale ? int(90, 400) : int(0, 20)) * DAY_MS - int(0, DAY_MS));
    }
    const passwordChangedMs = activatedMs === undefined ? (status === 'PROVISIONED' ? createdMs : undefined) : activatedMs + int(0, 300) * DAY_MS;
    const lastUpdatedMs = Math.max(createdMs, statusChangedMs ?? 0, Math.min(passwordChangedMs ?? 0, nowMs));
    const user: OktaUser = {
      id: actorId(i),
      status,
      created: iso(createdMs),
      activated: activatedMs === undefined ? null : iso(activatedMs),
      statusChanged: statusChangedMs === undefined ? null : iso(statusChangedMs),
      lastLogin: lastLoginMs === undefined ? null : iso(lastLoginMs),
      lastUpdated: iso(lastUpdatedMs),
      passwordChanged: passwordChangedMs === undefined ? null : iso(passwordChangedMs),
      type: { id: userTypeId },
      profile: {
        firstName,
        lastName,
        mobilePhone: rand() < 0.6 ? phone(rand) : null,
        secondEmail: null,
        login,
        email: login,
        department: pick(DEPARTMENTS),
        title: pick(TITLES),
        userType: rand() < 0.9 ? 'Employee' : 'Contractor',
      },
      credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
    };
    users.push(user);

    const enrolled = !staged && status !== 'DEPROVISIONED';
    if (enrolled) {
      const howMany = i === 0 ? 3 : Number(weighted(FACTOR_COUNTS));
      const types = new Set<FactorType>();
      while (types.size < howMany) types.add(weighted(FACTOR_TYPES));
      const list: OktaFactor[] = [];
      for (const type of types) {
        const created = activatedMs! + int(0, 60) * DAY_MS;
        const pending = rand() < 0.05 && type !== 'signed_nonce' && type !== 'question';
        list.push(factorOf(type, id, rand, login, pending ? 'PENDING_ACTIVATION' : 'ACTIVE', iso(created), iso(created + int(0, 200) * DAY_MS)));
      }
      if (list.length) factors.set(user.id, list);

      const adminRoll = rand();
      if (i === 0 || adminRoll < 0.01) {
        const types = i === 0 ? (['SUPER_ADMIN'] as RoleType[]) : [weighted(ROLE_TYPES)];
        if (rand() < 0.2) types.push(weighted(ROLE_TYPES));
        const assigned: OktaRoleAssignment[] = [];
        for (const type of new Set(types)) {
          const created = iso(activatedMs! + int(1, 300) * DAY_MS);
          if (type === 'CUSTOM') {
            const custom = pick(customRoles);
            assigned.push({ id: id('irb'), role: custom.role, label: custom.label, type, status: 'ACTIVE', created, lastUpdated: created, assignmentType: 'USER', 'resource-set': custom.resourceSet });
          } else {
            assigned.push({ id: id('ra1'), label: ROLE_LABELS[type], type, status: 'ACTIVE', created, lastUpdated: created, assignmentType: 'USER' });
          }
        }
        roles.set(user.id, assigned);
      }
    }

    if (!staged && rand() < (status === 'DEPROVISIONED' ? 0.3 : 0.9)) {
      const enrolledMs = (activatedMs ?? createdMs) + int(0, 90) * DAY_MS;
      devices.push({ device: deviceOf(id, rand, int, pick, firstName, iso(enrolledMs), iso(enrolledMs + int(0, 120) * DAY_MS)), users: [deviceUser(rand, user.id, iso(enrolledMs))] });
      deviceOwners.push(i);
    }
  }

  // A tenth of the devices have a second user (a shared desktop, a handed-down phone).
  for (let d = 0; d < devices.length; d++) {
    if (count < 2 || rand() >= 0.1) continue;
    let other = int(0, count - 1);
    if (other === deviceOwners[d]) other = (other + 1) % count;
    const candidate = users[other]!;
    if (candidate.status === 'STAGED' || candidate.status === 'PROVISIONED') continue;
    const entry = devices[d]!;
    const linked = iso(Date.parse(entry.device.created ?? iso(nowMs)) + int(1, 60) * DAY_MS);
    devices[d] = { device: entry.device, users: [...entry.users, deviceUser(rand, candidate.id, linked)] };
  }

  return { users, factors, roles, devices };
}

// Deterministic helpers and tables of the generator.

const ID_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_CODES = [...ID_CHARS].map((c) => c.charCodeAt(0));
const charBuffer: number[] = [];

/** `length` characters of Okta's id alphabet. */
function randomChars(rand: () => number, length: number): string {
  charBuffer.length = length;
  for (let i = 0; i < length; i++) charBuffer[i] = ID_CODES[Math.floor(rand() * ID_CODES.length)]!;
  return String.fromCharCode(...charBuffer);
}

/** A small, fast, seedable PRNG (uniform in [0, 1)). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const STATUSES = [
  ['ACTIVE', 85],
  ['STAGED', 3],
  ['PROVISIONED', 3],
  ['SUSPENDED', 2],
  ['LOCKED_OUT', 1],
  ['PASSWORD_EXPIRED', 1],
  ['RECOVERY', 1],
  ['DEPROVISIONED', 4],
] as const;

const FACTOR_COUNTS = [
  ['0', 10],
  ['1', 35],
  ['2', 35],
  ['3', 20],
] as const;

type FactorType = 'push' | 'signed_nonce' | 'sms' | 'call' | 'webauthn' | 'email' | 'token:software:totp' | 'question';
const FACTOR_TYPES: ReadonlyArray<readonly [FactorType, number]> = [
  ['push', 30],
  ['signed_nonce', 20],
  ['sms', 12],
  ['call', 2],
  ['webauthn', 10],
  ['email', 12],
  ['token:software:totp', 10],
  ['question', 4],
];

type RoleType = 'SUPER_ADMIN' | 'ORG_ADMIN' | 'HELP_DESK_ADMIN' | 'READ_ONLY_ADMIN' | 'APP_ADMIN' | 'CUSTOM';
const ROLE_TYPES: ReadonlyArray<readonly [RoleType, number]> = [
  ['SUPER_ADMIN', 5],
  ['ORG_ADMIN', 25],
  ['HELP_DESK_ADMIN', 25],
  ['READ_ONLY_ADMIN', 20],
  ['APP_ADMIN', 10],
  ['CUSTOM', 15],
];
const ROLE_LABELS: Record<Exclude<RoleType, 'CUSTOM'>, string> = {
  SUPER_ADMIN: 'Super administrator',
  ORG_ADMIN: 'Organization administrator',
  HELP_DESK_ADMIN: 'Help Desk administrator',
  READ_ONLY_ADMIN: 'Read-only administrator',
  APP_ADMIN: 'Application administrator',
};

const FIRST_NAMES = ['Alice', 'Ben', 'Chloé', 'Dmitri', 'Eva', 'Farah', 'Gustav', 'Hana', 'Isaac', 'Janice', 'Kofi', 'Lena', 'Mateo', 'Nadia', 'Oskar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tomás', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zoë'];
const LAST_NAMES = ['Smith', 'Richler', 'Benson', 'García', 'Okafor', 'Nakamura', 'Müller', 'Kowalski', 'Haddad', 'Johansson', 'Patel', 'Rossi', 'Nguyen', 'Murphy', 'Dubois', 'Silva', 'Cohen', 'Larsen', 'Brock', 'Ivanova'];
const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'Support', 'Marketing', 'IT', 'People', 'Legal', 'Operations'];
const TITLES = ['Engineer', 'Senior Engineer', 'Manager', 'Analyst', 'Account Executive', 'Support Specialist', 'Director', 'Administrator'];

function phone(rand: () => number): string {
  return `+1-555-${String(Math.floor(rand() * 1000)).padStart(3, '0')}-${String(Math.floor(rand() * 10000)).padStart(4, '0')}`;
}

function factorOf(type: FactorType, id: (prefix: string, length?: number) => string, rand: () => number, login: string, status: string, created: string, lastUpdated: string): OktaFactor {
  const base = { factorType: type, status, created, lastUpdated };
  const ios = rand() < 0.55;
  switch (type) {
    case 'push':
      return { id: id('opf'), ...base, provider: 'OKTA', vendorName: 'OKTA', profile: { credentialId: login, deviceType: ios ? 'SmartPhone_IPhone' : 'SmartPhone_Android', name: ios ? 'iPhone' : 'Pixel 7', platform: ios ? 'IOS' : 'ANDROID', version: ios ? '17.5.1' : '14' } };
    case 'signed_nonce': {
      const desktop = rand() < 0.6;
      const platform = desktop ? (rand() < 0.5 ? 'MACOS' : 'WINDOWS') : ios ? 'IOS' : 'ANDROID';
      const deviceType = desktop ? (platform === 'MACOS' ? 'DesktopMacOS' : 'DesktopWindows') : ios ? 'SmartPhone_IPhone' : 'SmartPhone_Android';
      return { id: id('crp'), ...base, provider: 'OKTA', vendorName: 'OKTA', profile: { deviceType, name: desktop ? `${platform === 'MACOS' ? 'MacBook Pro' : 'DESKTOP'}` : 'Phone', platform, version: desktop ? '14.5.0' : '17.5.1' } };
    }
    case 'sms':
      return { id: id('sms'), ...base, provider: 'OKTA', vendorName: 'OKTA', profile: { phoneNumber: phone(rand) } };
    case 'call':
      return { id: id('clf'), ...base, provider: 'OKTA', vendorName: 'OKTA', profile: { phoneNumber: phone(rand) } };
    case 'webauthn': {
      const credentialId = randomChars(rand, 64);
      return { id: id('fwf'), ...base, provider: 'FIDO', vendorName: 'FIDO', profile: { credentialId, authenticatorName: ['YubiKey 5 NFC', 'MacBook Touch ID', 'Windows Hello', 'iCloud Keychain'][Math.floor(rand() * 4)] } };
    }
    case 'email':
      return { id: id('emf'), ...base, provider: 'OKTA', vendorName: 'OKTA', profile: { email: login } };
    case 'token:software:totp': {
      const google = rand() < 0.5;
      return { id: id(google ? 'uft' : 'ost'), ...base, provider: google ? 'GOOGLE' : 'OKTA', vendorName: google ? 'GOOGLE' : 'OKTA', profile: { credentialId: login } };
    }
    case 'question':
      return { id: id('ufs'), ...base, provider: 'OKTA', vendorName: 'OKTA', profile: { question: 'favorite_art_piece', questionText: 'What is your favorite piece of art?' } };
  }
}

function deviceOf(
  id: (prefix: string, length?: number) => string,
  rand: () => number,
  int: (min: number, max: number) => number,
  pick: <T>(items: readonly T[]) => T,
  firstName: string,
  created: string,
  lastUpdated: string,
): OktaDevice {
  const deviceId = id('guo');
  const platform = pick(['WINDOWS', 'WINDOWS', 'MACOS', 'MACOS', 'IOS', 'ANDROID'] as const);
  const serialNumber = id('', 12).toUpperCase();
  let profile: Record<string, unknown>;
  switch (platform) {
    case 'WINDOWS':
      profile = {
        displayName: `DESKTOP-${serialNumber.slice(0, 7)}`,
        platform,
        manufacturer: pick(['Dell Inc.', 'LENOVO', 'HP']),
        model: pick(['Latitude 7440', 'ThinkPad X1 Carbon Gen 11', 'EliteBook 840 G10']),
        osVersion: pick(['10.0.19045', '10.0.22631', '10.0.26100']),
        serialNumber,
        sid: `S-1-5-21-${int(1e9, 4e9)}-${int(1e9, 4e9)}-${int(1e9, 4e9)}-${int(1000, 9999)}`,
        registered: true,
        secureHardwarePresent: rand() < 0.9,
        diskEncryptionType: rand() < 0.85 ? 'ALL_INTERNAL_VOLUMES' : 'NONE',
      };
      break;
    case 'MACOS':
      profile = {
        displayName: `${firstName}'s MacBook Pro`,
        platform,
        manufacturer: 'Apple Inc.',
        model: pick(['MacBookPro18,3', 'Mac14,9', 'Mac15,6']),
        osVersion: pick(['13.6.7', '14.5.0', '15.1.0']),
        serialNumber,
        udid: `${id('', 8).toUpperCase()}-0000-0000-0000-${serialNumber}`,
        registered: true,
        secureHardwarePresent: true,
        diskEncryptionType: rand() < 0.9 ? 'ALL_INTERNAL_VOLUMES' : 'NONE',
      };
      break;
    case 'IOS':
      profile = { displayName: `${firstName}'s iPhone`, platform, manufacturer: 'APPLE', model: pick(['iPhone14,5', 'iPhone15,2', 'iPhone16,1']), osVersion: pick(['16.7.8', '17.5.1', '18.1']), registered: true, secureHardwarePresent: true, diskEncryptionType: 'FULL' };
      break;
    case 'ANDROID':
      profile = { displayName: pick(['Pixel 7', 'Galaxy S23', 'Pixel 8']), platform, manufacturer: pick(['Google', 'samsung']), model: pick(['Pixel 7', 'SM-S911B', 'Pixel 8']), osVersion: pick(['13', '14', '15']), registered: true, secureHardwarePresent: rand() < 0.95, diskEncryptionType: rand() < 0.9 ? 'USER' : 'NONE' };
      break;
  }
  const status = (() => {
    const r = rand();
    return r < 0.92 ? 'ACTIVE' : r < 0.95 ? 'SUSPENDED' : r < 0.98 ? 'DEACTIVATED' : 'CREATED';
  })();
  return {
    id: deviceId,
    status,
    created,
    lastUpdated,
    profile,
    resourceType: 'UDDevice',
    resourceDisplayName: { value: profile.displayName, sensitive: false },
    resourceAlternateId: null,
    resourceId: deviceId,
  };
}

function deviceUser(rand: () => number, userId: string, created: string): StandInDeviceUser {
  const r = rand();
  return {
    userId,
    created,
    managementStatus: rand() < 0.6 ? 'MANAGED' : 'NOT_MANAGED',
    screenLockType: r < 0.6 ? 'BIOMETRIC' : r < 0.9 ? 'PASSCODE' : 'NONE',
  };
}
