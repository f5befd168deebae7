/**
 * A small lake with an identity inventory, for tests: `writeInventoryFolder` writes an inventory folder (the layout of inventory/folder-source.ts) for tests: users, each user's factors
 * and admin roles, and devices, as the Okta API returns them. A part left out (`factors: undefined` for every user,
 * `roles: false`) is not written, so the collection skips it as "not collected". `userEvent` is a System Log event
 * of such a user.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FolderUser {
  readonly id: string;
  readonly login: string;
  readonly status?: string;
  readonly userType?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** [factorType, provider, status] of each enrollment. */
  readonly factors?: readonly (readonly [type: string, provider: string, status: string])[];
  /** Admin role types (SUPER_ADMIN, ...), each an ACTIVE assignment to the user. */
  readonly roles?: readonly string[];
  /** Devices of the user: [id, display name, platform]. */
  readonly devices?: readonly (readonly [id: string, name: string, platform: string])[];
}

export interface FolderOptions {
  /** Write `factors/` (default true). */
  readonly factors?: boolean;
  /** Write `role-assignees.json` and `roles/` (default true). */
  readonly roles?: boolean;
  /** Write `devices.json` (default true). */
  readonly devices?: boolean;
}

const json = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value, null, 1));

export function writeInventoryFolder(dir: string, users: readonly FolderUser[], options: FolderOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const at = '2026-01-10T09:00:00.000Z';
  json(
    join(dir, 'users.json'),
    users.map((u) => ({
      id: u.id,
      status: u.status ?? 'ACTIVE',
      created: at,
      activated: at,
      lastUpdated: at,
      type: { id: 'oty1defaultusertype0' },
      profile: {
        login: u.login,
        email: u.login,
        firstName: u.firstName ?? u.login.split('@')[0],
        lastName: u.lastName ?? 'Test',
        userType: u.userType ?? null,
      },
    })),
  );
  if (options.factors !== false) {
    mkdirSync(join(dir, 'factors'), { recursive: true });
    for (const u of users) {
      json(
        join(dir, 'factors', `${u.id}.json`),
        (u.factors ?? []).map(([factorType, provider, status], i) => ({
          id: `fac${u.id.slice(3, 12)}${i}`,
          factorType,
          provider,
          vendorName: provider,
          status,
          created: at,
          lastUpdated: at,
          profile: factorType === 'sms' ? { phoneNumber: `+1617555${String(i).padStart(4, '0')}` } : {},
        })),
      );
    }
  }
  if (options.roles !== false) {
    const holders = users.filter((u) => (u.roles ?? []).length > 0);
    json(join(dir, 'role-assignees.json'), { value: holders.map((u) => ({ id: u.id, orn: `orn:okta:directory:org:users:${u.id}` })) });
    mkdirSync(join(dir, 'roles'), { recursive: true });
    for (const u of holders) {
      json(
        join(dir, 'roles', `${u.id}.json`),
        u.roles!.map((type, i) => ({ id: `ra${u.id.slice(3, 12)}${i}`, type, label: type, status: 'ACTIVE', assignmentType: 'USER', created: at, lastUpdated: at })),
      );
    }
  }
  if (options.devices !== false) {
    json(
      join(dir, 'devices.json'),
      users.flatMap((u) =>
        (u.devices ?? []).map(([id, name, platform]) => ({
          id,
          status: 'ACTIVE',
          created: at,
          lastUpdated: at,
          profile: { displayName: name, platform, registered: true, secureHardwarePresent: true },
          _embedded: { users: [{ managementStatus: 'MANAGED', screenLockType: 'BIOMETRIC', user: { id: u.id, profile: { login: u.login } } }] },
        })),
      ),
    );
  }
  return dir;
}

let seq = 0;
/** A System Log event of `user` (a person), from `ip`. */
export function userEvent(
  user: { readonly id: string; readonly login: string },
  published: string,
  eventType: string,
  options: { readonly result?: string; readonly ip?: string; readonly target?: readonly object[] } = {},
): Record<string, unknown> {
  seq += 1;
  return {
    uuid: `5e1f0c2a-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    published,
    eventType,
    version: '0',
    severity: options.result === 'FAILURE' ? 'WARN' : 'INFO',
    displayMessage: eventType,
    actor: { id: user.id, type: 'User', alternateId: user.login, displayName: user.login.split('@')[0] },
    client: {
      userAgent: { rawUserAgent: 'Mozilla/5.0 (Macintosh) Safari/17.0', os: 'Mac OS X', browser: 'SAFARI' },
      zone: 'null',
      device: 'Computer',
      ipAddress: options.ip ?? '198.51.100.10',
      geographicalContext: { city: 'Amsterdam', country: 'Netherlands', geolocation: { lat: 52.4, lon: 4.9 } },
    },
    authenticationContext: { externalSessionId: `idx${seq}`, authenticationStep: 0 },
    securityContext: { asNumber: 1136, asOrg: 'KPN B.V.', isp: 'KPN B.V.', domain: 'kpn.net', isProxy: false },
    debugContext: { debugData: { requestId: `req${seq}` } },
    outcome: { result: options.result ?? 'SUCCESS', reason: options.result === 'FAILURE' ? 'INVALID_CREDENTIALS' : null },
    target: options.target ?? [],
  };
}
