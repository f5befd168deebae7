/**
 * The demo inventory's identities rendered as the Okta management API returns them, in Okta's field names: users,
 * factors, devices (`?expand=user`), role assignees and role assignments.
 */
import type { OktaDevice, OktaFactor, OktaRoleAssignee, OktaRoleAssignment, OktaUser } from '../okta-api/identity-objects.ts';
import { ROLE_LABELS, type DeviceSpec, type FactorSpec, type Identity, type RoleSpec } from './inventory-model.ts';
import { OKTA_ORG, oktaId, ORG_NAME } from './org.ts';
import { hash32, Rng } from './prng.ts';

const API = `https://${OKTA_ORG}/api/v1`;
const iso = (ms: number): string => new Date(ms).toISOString();

const COUNTRY_CODES: Readonly<Record<string, string>> = {
  'United States': 'US',
  Canada: 'CA',
  'United Kingdom': 'GB',
  Ireland: 'IE',
  Germany: 'DE',
};

/**
 * The API responses of the identities `all` (sorted by id) of the org with `seed`: the users, each one's factors,
 * the devices sorted by id, and the admins' role assignments.
 */
export function renderInventory(seed: number, all: readonly Identity[]) {
  const defaultTypeId = oktaId(Rng.derive(seed, 'inventory:user-type'), 'oty');
  const orgId = oktaId(Rng.derive(seed, 'inventory:org'), '00o');
  const orn = (userId: string) => `orn:okta:directory:${orgId}:users:${userId}`;
  const users = all.map((who) => renderUser(who, defaultTypeId));
  const userById = new Map(users.map((u) => [u.id, u]));
  const factors = new Map(all.map((who) => [who.id, who.factors.map((f) => renderFactor(who, f))]));
  const devices: OktaDevice[] = all
    .flatMap((who) => who.devices.map((d) => renderDevice(d, who, userById.get(who.id)!)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const admins = all.filter((who) => who.roles.length > 0);
  const roleAssignees: { value: OktaRoleAssignee[]; _links: Record<string, { href: string }> } = {
    value: admins.map((who) => ({ id: who.id, orn: orn(who.id), _links: { self: { href: `${API}/users/${who.id}` }, roles: { href: `${API}/users/${who.id}/roles` } } })),
    _links: { self: { href: `${API}/iam/assignees/users` } },
  };
  const roles = new Map(admins.map((who) => [who.id, who.roles.map((r) => renderRole(who, r))]));
  return { users, factors, devices, roleAssignees, roles };
}

function renderUser(who: Identity, typeId: string): OktaUser {
  const self = `${API}/users/${who.id}`;
  const hasPassword = who.passwordChanged !== null;
  return {
    id: who.id,
    status: who.status,
    created: iso(who.created),
    activated: who.activated === null ? null : iso(who.activated),
    statusChanged: who.statusChanged === null ? null : iso(who.statusChanged),
    lastLogin: who.lastLogin === null ? null : iso(who.lastLogin),
    lastUpdated: iso(who.lastUpdated),
    passwordChanged: who.passwordChanged === null ? null : iso(who.passwordChanged),
    type: { id: typeId },
    profile: {
      firstName: who.firstName,
      lastName: who.lastName,
      mobilePhone: null,
      secondEmail: null,
      login: who.login,
      email: who.email,
      displayName: who.displayName,
      userType: who.userType,
      ...(who.department ? { department: who.department } : {}),
      ...(who.title ? { title: who.title } : {}),
      organization: who.userType === 'Guest' ? 'Brightline Logistics' : ORG_NAME,
      ...(who.employeeNumber ? { employeeNumber: who.employeeNumber } : {}),
      ...(who.place ? { city: who.place.city, state: who.place.state, countryCode: COUNTRY_CODES[who.place.country] ?? null } : {}),
    },
    credentials: {
      ...(hasPassword ? { password: {} } : {}),
      ...(hasPassword && who.userType !== 'Service' ? { recovery_question: { question: 'What is the food you least liked as a child?' } } : {}),
      provider: { type: 'OKTA', name: 'OKTA' },
    },
    _links: { self: { href: self } },
  };
}

const platformDeviceType: Record<DeviceSpec['platform'], string> = {
  IOS: 'SmartPhone_IPhone',
  ANDROID: 'SmartPhone_Android',
  WINDOWS: 'Tablet_Windows',
  MACOS: 'Desktop_Mac',
};

function renderFactor(who: Identity, f: FactorSpec): OktaFactor {
  const self = `${API}/users/${who.id}/factors/${f.id}`;
  const links: Record<string, unknown> =
    f.status === 'ACTIVE'
      ? {
          ...(f.type === 'signed_nonce' ? {} : { verify: { href: `${self}/verify`, hints: { allow: ['POST'] } } }),
          self: { href: self, hints: { allow: ['GET', 'DELETE'] } },
          user: { href: `${API}/users/${who.id}`, hints: { allow: ['GET'] } },
        }
      : {
          poll: { href: `${self}/lifecycle/activate/poll`, hints: { allow: ['POST'] } },
          self: { href: self, hints: { allow: ['GET', 'DELETE'] } },
          user: { href: `${API}/users/${who.id}`, hints: { allow: ['GET'] } },
        };
  const provider = f.type === 'token:software:totp' ? 'GOOGLE' : f.type === 'webauthn' ? 'FIDO' : 'OKTA';
  let profile: Record<string, unknown> | undefined;
  switch (f.type) {
    case 'push':
    case 'signed_nonce':
      profile = f.device
        ? { credentialId: who.login, deviceType: platformDeviceType[f.device.platform], name: f.device.displayName, platform: f.device.platform, version: f.device.osVersion }
        : undefined;
      break;
    case 'sms':
      profile = { phoneNumber: f.phone };
      break;
    case 'token:software:totp':
      profile = { credentialId: who.login };
      break;
    case 'webauthn':
      profile = { credentialId: Rng.derive(hash32(f.id), 'webauthn').base62(43), authenticatorName: 'YubiKey 5 NFC' };
      break;
  }
  return {
    id: f.id,
    factorType: f.type,
    provider,
    vendorName: provider,
    status: f.status,
    created: iso(f.created),
    lastUpdated: iso(f.created),
    ...(profile ? { profile } : {}),
    _links: links,
  };
}

function renderDevice(d: DeviceSpec, who: Identity, user: OktaUser): OktaDevice {
  const self = `${API}/devices/${d.id}`;
  const lastUpdated = who.lastLogin !== null && who.lastLogin > d.created ? who.lastLogin : d.created;
  return {
    id: d.id,
    status: 'ACTIVE',
    created: iso(d.created),
    lastUpdated: iso(lastUpdated),
    profile: {
      displayName: d.displayName,
      platform: d.platform,
      manufacturer: d.manufacturer,
      model: d.model,
      osVersion: d.osVersion,
      ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}),
      ...(d.udid ? { udid: d.udid } : {}),
      registered: true,
      secureHardwarePresent: d.secureHardwarePresent,
      diskEncryptionType: d.diskEncryptionType,
    },
    resourceType: 'UDDevice',
    resourceDisplayName: { value: d.displayName, sensitive: false },
    resourceAlternateId: null,
    resourceId: d.id,
    _links: {
      suspend: { href: `${self}/lifecycle/suspend`, hints: { allow: ['POST'] } },
      self: { href: self, hints: { allow: ['GET', 'PATCH', 'PUT'] } },
      users: { href: `${self}/users`, hints: { allow: ['GET'] } },
      deactivate: { href: `${self}/lifecycle/deactivate`, hints: { allow: ['POST'] } },
    },
    _embedded: {
      users: [{ created: iso(d.created), managementStatus: d.managementStatus, screenLockType: d.screenLockType, user }],
    },
  };
}

function renderRole(who: Identity, r: RoleSpec): OktaRoleAssignment {
  return {
    id: r.id,
    label: ROLE_LABELS.get(r.type) ?? r.type,
    type: r.type,
    status: 'ACTIVE',
    created: iso(r.created),
    lastUpdated: iso(r.created),
    assignmentType: 'USER',
    _links: { assignee: { href: `${API}/users/${who.id}` } },
  };
}
