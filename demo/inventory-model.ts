/**
 * The model the demo inventory is built as before `inventory-json.ts` renders it in Okta's field names: one
 * `Identity` per user with its factors, devices and admin roles; and what the modules building it share (the day's
 * times, Okta's admin role types, the state of one build).
 */
import { HOUR, MIN, SEC } from './clock.ts';
import { oktaId, type Place } from './org.ts';
import type { Rng } from './prng.ts';

export const DAY_MS = 24 * HOUR;
/** Okta's timestamps are whole seconds. */
export const wholeSecond = (ms: number): number => Math.floor(ms / SEC) * SEC;

export type Status = 'ACTIVE' | 'STAGED' | 'PROVISIONED' | 'SUSPENDED' | 'DEPROVISIONED' | 'LOCKED_OUT';

export interface DeviceSpec {
  readonly id: string;
  readonly kind: 'laptop' | 'phone';
  readonly displayName: string;
  readonly platform: 'MACOS' | 'WINDOWS' | 'IOS' | 'ANDROID';
  readonly manufacturer: string;
  readonly model: string;
  readonly osVersion: string;
  readonly serialNumber: string | null;
  readonly udid: string | null;
  readonly secureHardwarePresent: boolean;
  readonly diskEncryptionType: string;
  readonly managementStatus: 'MANAGED' | 'NOT_MANAGED';
  readonly screenLockType: 'NONE' | 'PASSCODE' | 'BIOMETRIC';
  readonly created: number;
}

export type FactorSpec =
  | { readonly type: 'push' | 'signed_nonce'; readonly id: string; readonly status: string; readonly created: number; readonly device: DeviceSpec | null }
  | { readonly type: 'sms'; readonly id: string; readonly status: string; readonly created: number; readonly phone: string }
  | { readonly type: 'token:software:totp' | 'webauthn'; readonly id: string; readonly status: string; readonly created: number };

export interface RoleSpec {
  readonly id: string;
  readonly type: string;
  readonly created: number;
}

export interface Identity {
  readonly id: string;
  readonly login: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  readonly userType: string;
  readonly department: string | null;
  readonly title: string | null;
  readonly employeeNumber: string | null;
  readonly place: Place | null;
  readonly status: Status;
  readonly created: number;
  readonly activated: number | null;
  readonly statusChanged: number | null;
  readonly lastLogin: number | null;
  readonly passwordChanged: number | null;
  readonly lastUpdated: number;
  factors: FactorSpec[];
  devices: DeviceSpec[];
  roles: RoleSpec[];
}

/** Okta's standard admin roles: `User.adminRole` (as the Admin Console names it) to the role type and label. */
export const ROLE_TYPES: Readonly<Record<string, { readonly type: string; readonly label: string }>> = {
  'Super Administrator': { type: 'SUPER_ADMIN', label: 'Super Administrator' },
  'Organization Administrator': { type: 'ORG_ADMIN', label: 'Organization Administrator' },
  'Help Desk Administrator': { type: 'HELP_DESK_ADMIN', label: 'Help Desk Administrator' },
  'Application Administrator': { type: 'APP_ADMIN', label: 'Application Administrator' },
  'Read-only Administrator': { type: 'READ_ONLY_ADMIN', label: 'Read Only Administrator' },
};
export const ROLE_LABELS = new Map(Object.values(ROLE_TYPES).map((r) => [r.type, r.label]));

/** What the steps building one inventory share: the org's seed, the day, and the ids handed out so far. */
export interface InventoryBuild {
  readonly seed: number;
  /** The start of the day (UTC). */
  readonly d0: number;
  /** Whole-second time `daysAgo` days before the day, at `hour` UTC plus up to `spreadMin` minutes. */
  ago(rng: Rng, daysAgo: number, hour: number, spreadMin?: number): number;
  /** An Okta id with `prefix` that no user and nothing else in the inventory has. */
  freshId(rng: Rng, prefix: string): string;
}

/** The build of one inventory of the org with `seed` on the day starting at `d0`, the org's user ids taken. */
export function inventoryBuild(seed: number, d0: number, takenIds: Iterable<string>): InventoryBuild {
  const taken = new Set(takenIds);
  return {
    seed,
    d0,
    ago: (rng, daysAgo, hour, spreadMin = 59) => wholeSecond(d0 - daysAgo * DAY_MS + hour * HOUR + rng.int(0, spreadMin) * MIN + rng.int(0, 59) * SEC),
    freshId: (rng, prefix) => {
      for (;;) {
        const id = oktaId(rng, prefix);
        if (!taken.has(id)) {
          taken.add(id);
          return id;
        }
      }
    },
  };
}
