/**
 * The identity reads of the Okta client (users, a user's factors, roles and devices, the org's devices and role
 * holders) against the stand-in Okta: paging, DEPROVISIONED users, 404s, Okta's `{value, _links}` body for role
 * assignees, the scope a 403 names, and retries after a 429.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  getUser,
  listDevicePages,
  listDevices,
  listRoleAssignees,
  listUserDevices,
  listUserFactors,
  listUserPages,
  listUserRoles,
  listUsers,
  OktaApiError,
  OktaConfigError,
  scopeForPath,
  serviceAppCredentials,
  type OktaFactor,
  type OktaRoleAssignment,
  type OktaUser,
} from '../../okta-api/index.ts';
import {
  generatedIdentityOrg,
  oktaRateLimitBucket,
  startOktaStandIn,
  type OktaStandIn,
  type StandInDevice,
  type StandInIdentityOrg,
} from '../support/okta-stand-in/index.ts';
import { clientOf, collect, rsaKeyPair } from './support.ts';
import { rateLimitBucket } from '../../okta-api/rate-limit-pacer.ts';

let standIn: OktaStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const userId = (n: number) => `00u${String(n).padStart(17, '0')}`;

function user(n: number, status = 'ACTIVE'): OktaUser {
  return {
    id: userId(n),
    status,
    created: '2025-04-04T15:56:05.000Z',
    activated: status === 'STAGED' ? null : '2025-04-04T16:00:00.000Z',
    statusChanged: null,
    lastLogin: '2026-11-04T19:50:52.000Z',
    lastUpdated: '2026-05-05T18:15:44.000Z',
    passwordChanged: '2025-04-04T16:00:22.000Z',
    type: { id: 'oty1162QAr8hJjTaq0g4' },
    profile: { firstName: `First${n}`, lastName: `Last${n}`, login: `person${n}@example.com`, email: `person${n}@example.com` },
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
  };
}

const pushFactor: OktaFactor = {
  id: 'opf3hkfocI4JTLAju0g4',
  factorType: 'push',
  provider: 'OKTA',
  vendorName: 'OKTA',
  status: 'ACTIVE',
  created: '2025-03-16T18:01:28.000Z',
  lastUpdated: '2025-08-27T14:25:17.000Z',
  profile: { credentialId: 'person1@example.com', deviceType: 'SmartPhone_IPhone', name: 'Gibson', platform: 'IOS', version: '17.5' },
};
const smsFactor: OktaFactor = {
  id: 'sms2gt8gzgEBPUWBIFHN',
  factorType: 'sms',
  provider: 'OKTA',
  status: 'PENDING_ACTIVATION',
  created: '2025-06-27T20:27:26.000Z',
  lastUpdated: '2025-06-27T20:27:26.000Z',
  profile: { phoneNumber: '+1-555-415-1337' },
};
const superAdmin: OktaRoleAssignment = {
  id: 'ra125eqBFpETrMwu80g4',
  label: 'Super administrator',
  type: 'SUPER_ADMIN',
  status: 'ACTIVE',
  created: '2025-02-06T16:17:40.000Z',
  lastUpdated: '2025-02-06T16:17:40.000Z',
  assignmentType: 'USER',
};
const customRole: OktaRoleAssignment = {
  id: 'irb1q92TFAHzySt3x0g4',
  role: 'cr0Yq6IJxGIr0ouum0g3',
  label: 'UserCreatorRole',
  type: 'CUSTOM',
  status: 'ACTIVE',
  created: '2025-02-06T16:20:57.000Z',
  lastUpdated: '2025-02-06T16:20:57.000Z',
  assignmentType: 'USER',
  'resource-set': 'iamoJDFKaJxGIr0oamd9g',
};

function device(n: number, users: StandInDevice['users']): StandInDevice {
  const id = `guo${String(n).padStart(17, '0')}`;
  return {
    device: {
      id,
      status: 'ACTIVE',
      created: '2025-06-21T23:24:02.000Z',
      lastUpdated: '2025-06-21T23:24:02.000Z',
      profile: { displayName: `Laptop ${n}`, platform: 'MACOS', manufacturer: 'Apple Inc.', model: 'Mac15,6', osVersion: '14.5.0', registered: true, secureHardwarePresent: true, diskEncryptionType: 'ALL_INTERNAL_VOLUMES' },
      resourceType: 'UDDevice',
      resourceId: id,
    },
    users,
  };
}

/** Eight users (user 4 DEPROVISIONED, user 7 STAGED), two with roles, three devices (one shared). */
function smallOrg(): StandInIdentityOrg {
  const users = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => user(n, n === 4 ? 'DEPROVISIONED' : n === 7 ? 'STAGED' : 'ACTIVE'));
  return {
    users,
    factors: new Map([[userId(1), [pushFactor, smsFactor]]]),
    roles: new Map([
      [userId(1), [superAdmin, customRole]],
      [userId(5), [superAdmin]],
      [userId(6), []],
    ]),
    devices: [
      device(1, [{ userId: userId(1), managementStatus: 'MANAGED', screenLockType: 'BIOMETRIC', created: '2025-07-01T00:00:00.000Z' }]),
      device(2, [
        { userId: userId(2), managementStatus: 'NOT_MANAGED', screenLockType: 'PASSCODE' },
        { userId: userId(1), managementStatus: 'MANAGED', screenLockType: 'NONE', deviceUserId: 'lnk46w61OLJz1uSQW0g4' },
      ]),
      device(3, [{ userId: userId(3) }]),
    ],
  };
}

const idsOf = (items: ReadonlyArray<{ id: string }>) => items.map((i) => i.id);

async function failureOf(promise: Promise<unknown>): Promise<OktaApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OktaApiError) return error;
    throw error;
  }
  throw new Error('expected an OktaApiError');
}

describe('users', () => {
  it('reads every user but the deprovisioned one once, over several pages of a small limit', async () => {
    const org = smallOrg();
    standIn = await startOktaStandIn({ identities: org });

    const pages = await collect(listUserPages(clientOf(standIn), { limit: 3 }));

    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((p) => idsOf(p.items))).toEqual(idsOf(org.users.filter((u) => u.status !== 'DEPROVISIONED')));
    expect(pages.at(-1)!.nextUrl).toBeUndefined();
    expect(standIn.requests.filter((r) => r.path === '/api/v1/users').map((r) => r.query.get('limit'))).toEqual(['3', '3', '3']);
  });

  it('asks for 200 users a page by default and refuses a limit Okta would not honour', async () => {
    standIn = await startOktaStandIn({ identities: smallOrg() });
    const client = clientOf(standIn);

    const users = await collect(listUsers(client));

    expect(users).toHaveLength(7);
    expect(standIn.requests.map((r) => r.query.get('limit'))).toEqual(['200']);
    await expect(collect(listUsers(client, { limit: 201 }))).rejects.toBeInstanceOf(OktaConfigError);
    expect(standIn.requestCount()).toBe(1);
  });

  it('adds the deprovisioned users with a second pass that searches for them', async () => {
    const org = smallOrg();
    standIn = await startOktaStandIn({ identities: org });

    const users = await collect(listUsers(clientOf(standIn), { limit: 5, includeDeprovisioned: true }));

    expect(idsOf(users).sort()).toEqual(idsOf(org.users).sort());
    expect(users.at(-1)).toMatchObject({ id: userId(4), status: 'DEPROVISIONED' });
    expect(standIn.requests.map((r) => r.query.get('search'))).toEqual([null, null, 'status eq "DEPROVISIONED"']);
  });

  it('gets one user by id or by login, and undefined for one Okta does not have', async () => {
    standIn = await startOktaStandIn({ identities: smallOrg() });
    const client = clientOf(standIn);

    const byId = await getUser(client, userId(4));
    const byLogin = await getUser(client, 'Person2@example.com');
    const missing = await getUser(client, '00unobody0000000000x');
    const slashed = await getUser(client, 'a/b@example.com');

    expect(byId).toMatchObject({ id: userId(4), status: 'DEPROVISIONED' });
    expect(byLogin?.id).toBe(userId(2));
    expect(missing).toBeUndefined();
    expect(slashed).toBeUndefined();
    expect(standIn.requests.map((r) => `${r.path} ${r.status}`).slice(2)).toEqual(['/api/v1/users/00unobody0000000000x 404', '/api/v1/users/a%2Fb%40example.com 404']);
  });

  it('throws on a 404 that is not Okta\'s (a wrong org URL), rather than saying the user does not exist', async () => {
    standIn = await startOktaStandIn({ identities: smallOrg() });
    standIn.inject({ on: { path: `/api/v1/users/${userId(1)}` }, action: { kind: 'not-an-org' } });

    const error = await failureOf(getUser(clientOf(standIn), userId(1)));

    expect(error).toMatchObject({ kind: 'not-found', status: 404, errorCode: undefined });
    expect(error.message).toMatch(/without an Okta error: is the org URL right\?/);
  });
});

describe("a user's factors, roles and devices", () => {
  it('lists the factors, role assignments and devices of a user as Okta sends them', async () => {
    const org = smallOrg();
    standIn = await startOktaStandIn({ identities: org });
    const client = clientOf(standIn);

    const factors = await listUserFactors(client, userId(1));
    const roles = await listUserRoles(client, userId(1));
    const devices = await listUserDevices(client, userId(1));

    expect(factors).toEqual([pushFactor, smsFactor]);
    expect(roles).toEqual([superAdmin, customRole]);
    expect(devices).toEqual([
      { created: '2025-07-01T00:00:00.000Z', device: org.devices[0]!.device, deviceUserId: expect.stringMatching(/^lnk/) },
      { created: '2025-06-21T23:24:02.000Z', device: org.devices[1]!.device, deviceUserId: 'lnk46w61OLJz1uSQW0g4' },
    ]);
  });

  it('gives empty lists for a user with none, and a not-found error for a user Okta does not have', async () => {
    standIn = await startOktaStandIn({ identities: smallOrg() });
    const client = clientOf(standIn);

    expect(await listUserFactors(client, userId(8))).toEqual([]);
    expect(await listUserRoles(client, userId(8))).toEqual([]);
    expect(await listUserDevices(client, userId(8))).toEqual([]);
    const error = await failureOf(listUserFactors(client, '00ugone0000000000000'));

    expect(error).toMatchObject({ kind: 'not-found', status: 404, errorCode: 'E0000007', path: '/api/v1/users/00ugone0000000000000/factors' });
  });

  it('encodes the user id as one path segment', async () => {
    standIn = await startOktaStandIn({ identities: smallOrg() });

    await failureOf(listUserRoles(clientOf(standIn), '../../logs?x=1'));

    expect(standIn.requests.map((r) => r.path)).toEqual(['/api/v1/users/..%2F..%2Flogs%3Fx%3D1/roles']);
  });

  it('counts every user\'s factors, roles and devices against one rate-limit bucket, as Okta does', async () => {
    const t0 = Date.now();
    standIn = await startOktaStandIn({ identities: smallOrg(), rateLimit: { limit: 50, windowSeconds: 60 }, now: () => t0 });
    const client = clientOf(standIn);
    const remaining = async (path: string) => Number((await client.get(path)).headers.get('x-rate-limit-remaining'));

    const seen = [
      await remaining(`/api/v1/users/${userId(1)}/factors`),
      await remaining(`/api/v1/users/${userId(2)}/roles`),
      await remaining(`/api/v1/users/${userId(3)}/devices`),
      await remaining(`/api/v1/users/${userId(3)}`),
      await remaining('/api/v1/users'),
    ];

    expect(seen).toEqual([49, 48, 47, 49, 49]);
    expect(oktaRateLimitBucket('GET', '/api/v1/users/00uX/factors')).toBe(oktaRateLimitBucket('GET', '/api/v1/users/00uY/roles'));
  });

  it("paces a user's factors, roles and devices against one budget on the client too", () => {
    const sub = ['/factors', '/roles', '/devices'].map((p) => rateLimitBucket('GET', `/api/v1/users/${userId(1)}${p}`));
    expect(new Set([...sub, rateLimitBucket('GET', `/api/v1/users/${userId(2)}/factors`)]).size).toBe(1);
    expect(rateLimitBucket('GET', `/api/v1/users/${userId(1)}`)).not.toBe(sub[0]);
    expect(rateLimitBucket('GET', '/api/v1/users')).not.toBe(sub[0]);
    expect(rateLimitBucket('GET', '/api/v1/logs')).toBe('GET /api/v1/logs');
  });
});

describe('devices', () => {
  it('lists devices page by page with their users embedded (expand=user)', async () => {
    const org = smallOrg();
    standIn = await startOktaStandIn({ identities: org });

    const pages = await collect(listDevicePages(clientOf(standIn), { limit: 2 }));
    const devices = pages.flatMap((p) => p.items);

    expect(pages.map((p) => p.items.length)).toEqual([2, 1]);
    expect(idsOf(devices)).toEqual(org.devices.map((d) => d.device.id));
    expect(devices[1]!._embedded?.users).toEqual([
      { created: '2025-06-21T23:24:02.000Z', managementStatus: 'NOT_MANAGED', screenLockType: 'PASSCODE', user: org.users[1] },
      { created: '2025-06-21T23:24:02.000Z', managementStatus: 'MANAGED', screenLockType: 'NONE', user: org.users[0] },
    ]);
    expect(standIn.requests.every((r) => r.query.get('expand') === 'user')).toBe(true);
  });

  it('leaves _embedded out when the request does not expand users', async () => {
    standIn = await startOktaStandIn({ identities: smallOrg() });

    const plain = await collect(clientOf(standIn).list<Record<string, unknown>>('/api/v1/devices'));
    const expanded = await collect(listDevices(clientOf(standIn)));

    expect(plain.map((d) => '_embedded' in d)).toEqual([false, false, false]);
    expect(expanded.map((d) => d._embedded?.users?.length)).toEqual([1, 2, 1]);
  });
});

describe('users with admin roles', () => {
  it('follows _links.next of the {value, _links} body over several pages', async () => {
    const org = generatedIdentityOrg({ users: 1500, seed: 7 });
    const holders = org.users.filter((u) => (org.roles.get(u.id)?.length ?? 0) > 0);
    standIn = await startOktaStandIn({ identities: org });

    const assignees = await collect(listRoleAssignees(clientOf(standIn), { limit: 4 }));

    expect(holders.length).toBeGreaterThan(8); // so that there are at least three pages
    expect(idsOf(assignees)).toEqual(idsOf(holders));
    expect(assignees[0]).toEqual({
      id: holders[0]!.id,
      orn: expect.stringMatching(/^orn:okta:directory:00o\w+:users:00u\w+$/),
      _links: { self: { href: `${standIn.url}/api/v1/users/${holders[0]!.id}` }, roles: { href: `${standIn.url}/api/v1/users/${holders[0]!.id}/roles` } },
    });
    expect(standIn.requestCount('/api/v1/iam/assignees/users')).toBe(Math.ceil(holders.length / 4));
  });

  it('stops at a next link that points back at a page already read', async () => {
    standIn = await startOktaStandIn();
    standIn.route('GET', '/api/v1/iam/assignees/users', (request) => ({
      json: { value: [{ id: '00uloop0000000000001' }], _links: { next: { href: request.url.href } } },
    }));

    const assignees = await collect(listRoleAssignees(clientOf(standIn)));

    expect(idsOf(assignees)).toEqual(['00uloop0000000000001']);
    expect(standIn.requestCount()).toBe(1);
  });

  it('refuses a next link to another host, so credentials never leave the org', async () => {
    standIn = await startOktaStandIn();
    standIn.route('GET', '/api/v1/iam/assignees/users', () => ({
      json: { value: [{ id: '00ufirst000000000001' }], _links: { next: { href: 'https://collector.example/api/v1/iam/assignees/users?after=x' } } },
    }));

    const reading = collect(listRoleAssignees(clientOf(standIn)));

    await expect(reading).rejects.toThrow(/^Refusing to send Okta credentials to https:\/\/collector\.example: it is not the org/);
    expect(standIn.requestCount()).toBe(1);
  });

  it('says so when the body is not {value: [...]}', async () => {
    standIn = await startOktaStandIn();
    standIn.route('GET', '/api/v1/iam/assignees/users', () => ({ json: [{ id: '00unot0a0list0000001' }] }));

    const error = await failureOf(collect(listRoleAssignees(clientOf(standIn))));

    expect(error).toMatchObject({ kind: 'unexpected-response', path: '/api/v1/iam/assignees/users' });
    expect(error.message).toMatch(/with JSON that has no "value" list/);
  });
});

describe('refusals and retries', () => {
  it('names okta.roles.read when a service app token without it reads a user\'s roles', async () => {
    const pem = rsaKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    standIn = await startOktaStandIn({
      identities: smallOrg(),
      serviceApp: { clientId: '0oa1inventoryApp2Lake', publicKey: rsaKeyPair().publicKey, grantedScopes: ['okta.users.read'] },
    });
    const client = clientOf(standIn, { credentials: serviceAppCredentials({ clientId: '0oa1inventoryApp2Lake', privateKey: pem, scopes: 'okta.users.read' }) });

    const factors = await listUserFactors(client, userId(1));
    const error = await failureOf(listUserRoles(client, userId(1)));

    expect(factors).toHaveLength(2);
    expect(error).toMatchObject({ kind: 'forbidden', status: 403, requiredScope: 'okta.roles.read' });
    expect(error.message).toMatch(/lacks scope okta\.roles\.read\. Grant scope okta\.roles\.read to the service app/);
  });

  it('knows the scope of each identity path, for 403s that do not name it', () => {
    expect(scopeForPath('/api/v1/users')).toBe('okta.users.read');
    expect(scopeForPath('/api/v1/users/00u1a2b3c4d5e6f7g8h9')).toBe('okta.users.read');
    expect(scopeForPath('/api/v1/users/00u1a2b3c4d5e6f7g8h9/factors')).toBe('okta.users.read');
    expect(scopeForPath('/api/v1/users/00u1a2b3c4d5e6f7g8h9/devices')).toBe('okta.users.read');
    expect(scopeForPath('/api/v1/users/00u1a2b3c4d5e6f7g8h9/roles')).toBe('okta.roles.read');
    expect(scopeForPath('/api/v1/devices')).toBe('okta.devices.read');
    expect(scopeForPath('/api/v1/iam/assignees/users')).toBe('okta.roles.read');
  });

  it('waits out a 429 in the middle of the users and carries on without loss', async () => {
    const org = smallOrg();
    standIn = await startOktaStandIn({ identities: org });
    standIn.inject({ on: { path: '/api/v1/users', nth: 2 }, action: { kind: 'rate-limited' } });
    const client = clientOf(standIn);

    const users = await collect(listUsers(client, { limit: 3 }));

    expect(idsOf(users)).toEqual(idsOf(org.users.filter((u) => u.status !== 'DEPROVISIONED')));
    expect(client.stats).toMatchObject({ rateLimited: 1, retries: 1, requests: 4 });
    expect(standIn.requests.map((r) => r.status)).toEqual([200, 429, 200, 200]);
  });
});

describe('a generated org', () => {
  it('is the same for the same seed and serves every user once, deprovisioned included', async () => {
    const org = generatedIdentityOrg({ users: 2000, seed: 42 });
    const again = generatedIdentityOrg({ users: 2000, seed: 42 });
    const other = generatedIdentityOrg({ users: 2000, seed: 43 });
    standIn = await startOktaStandIn({ identities: org });

    const users = await collect(listUsers(clientOf(standIn), { includeDeprovisioned: true }));

    expect(again).toEqual(org);
    expect(other.users.map((u) => u.status)).not.toEqual(org.users.map((u) => u.status));
    expect(new Set(idsOf(users)).size).toBe(2000);
    expect(users.filter((u) => u.status === 'DEPROVISIONED').length).toBe(org.users.filter((u) => u.status === 'DEPROVISIONED').length);
  });

  it('looks like an org: mostly active users, 0-3 factors, about a device each, about 1% admins', () => {
    const org = generatedIdentityOrg({ users: 10_000, seed: 1, now: new Date('2026-11-01T00:00:00.000Z') });
    const statuses = new Set(org.users.map((u) => u.status));
    const factorCounts = org.users.map((u) => org.factors.get(u.id)?.length ?? 0);
    const factorTypes = new Set([...org.factors.values()].flat().map((f) => f.factorType));
    const roleTypes = new Set([...org.roles.values()].flat().map((r) => r.type));
    const admins = [...org.roles.values()].filter((r) => r.length > 0).length;
    const active = org.users.filter((u) => u.status === 'ACTIVE').length;

    expect([...statuses].sort()).toEqual(['ACTIVE', 'DEPROVISIONED', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'PROVISIONED', 'RECOVERY', 'STAGED', 'SUSPENDED']);
    expect(active / 10_000).toBeGreaterThan(0.8);
    expect(Math.min(...factorCounts)).toBe(0);
    expect(Math.max(...factorCounts)).toBe(3);
    expect([...factorTypes].sort()).toEqual(['call', 'email', 'push', 'question', 'signed_nonce', 'sms', 'token:software:totp', 'webauthn']);
    expect([...org.factors.values()].flat().some((f) => f.status === 'PENDING_ACTIVATION')).toBe(true);
    expect([...org.factors.values()].flat().filter((f) => f.factorType === 'sms').every((f) => /^\+1-555-\d{3}-\d{4}$/.test(String(f.profile?.phoneNumber)))).toBe(true);
    expect(org.devices.length / 10_000).toBeGreaterThan(0.7);
    expect(org.devices.length / 10_000).toBeLessThan(1);
    expect(org.devices.some((d) => d.users.length === 2)).toBe(true);
    expect(admins).toBeGreaterThan(50);
    expect(admins).toBeLessThan(200);
    expect(roleTypes).toEqual(new Set(['SUPER_ADMIN', 'ORG_ADMIN', 'HELP_DESK_ADMIN', 'READ_ONLY_ADMIN', 'APP_ADMIN', 'CUSTOM']));
    expect([...org.roles.values()].flat().filter((r) => r.type === 'CUSTOM').every((r) => /^cr0/.test(r.role ?? '') && /^iam/.test(r['resource-set'] ?? ''))).toBe(true);
    expect(org.roles.get(org.users[0]!.id)?.[0]?.type).toBe('SUPER_ADMIN');
    expect(org.users.every((u) => Date.parse(u.lastUpdated!) <= Date.parse('2026-11-01T00:00:00.000Z'))).toBe(true);
  });
});
