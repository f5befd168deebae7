/**
 * The identity inventory: what the Okta API says about each user, their authenticator enrollments, their devices
 * and their admin roles, one snapshot a day. The posture checks (`cadence: posture` detections) read these
 * tables; an analyst joins them to `activity` and `findings` by `user_id` or `login`.
 *
 * Every column is a scalar (no arrays, maps or structs): the inventory Lambda writes these tables as Parquet
 * itself (engines/parquet-rows.ts), with no Firehose or Athena INSERT in between, and a flat file is what a
 * small writer can produce for Athena and DuckDB alike. A device with two users is two rows.
 *
 * Partitions: `dt` is the day the snapshot describes (the state at the end of that day, or now for today);
 * `batch` is `daily` for the whole org, or `refresh-<user hash>` when one user's inventory was refreshed from the
 * API during the day (the near-time cascade). The nightly collection of a day replaces every batch of that day.
 * Readers take each user's latest batch through the `*_current` views of `schema/views.ts`.
 *
 * Times are UTC. Fields Okta leaves out or sends as null are null; Okta fields with no column here are dropped.
 */
import { boolean, string, timestamp, type RowOf, type TableDef } from './types.ts';

/** How the lake classifies an identity (see inventory/identity-kind.ts): a person, a service account, a guest. */
export const IDENTITY_KINDS = ['human', 'service', 'guest'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

/** NIST SP 800-63B strength of an authenticator enrollment (see inventory/factor-strength.ts). */
export const FACTOR_STRENGTHS = ['low', 'medium', 'high', 'unknown'] as const;
export type FactorStrength = (typeof FACTOR_STRENGTHS)[number];

const INVENTORY_PARTITIONS = ['dt', 'batch'] as const;

export const oktaUserColumns = {
  user_id: string,
  login: string,
  email: string,
  /** STAGED, PROVISIONED, ACTIVE, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT, SUSPENDED, DEPROVISIONED. */
  status: string,
  /** `type.id`: the Okta user type (`oty...`). */
  type_id: string,
  /** `profile.userType`, free text the org sets (Employee, Contractor, Service, Guest, ...). */
  user_type: string,
  /** human, service or guest: derived from the user type, the login and the configured lists. */
  identity_kind: string,
  display_name: string,
  department: string,
  title: string,
  manager: string,
  manager_id: string,
  created: timestamp,
  activated: timestamp,
  status_changed: timestamp,
  last_login: timestamp,
  last_updated: timestamp,
  password_changed: timestamp,
  /**
   * Whether this collection read the user's factors and admin roles. False when the API refused that part (a
   * missing scope) or a saved folder lacked it: a check about MFA or roles must not read "no factor" into it.
   */
  factors_collected: boolean,
  roles_collected: boolean,
  /**
   * When this user's factors were read from Okta: this collection's time, or an earlier one's when a large org's
   * collection ran out of time and carried the user's factors over from the day before (core/inventory-collect.ts).
   */
  factors_read_at: timestamp,
  collected_at: timestamp,
} as const;

export const oktaFactorColumns = {
  user_id: string,
  login: string,
  factor_id: string,
  /** `factorType`: sms, call, email, question, push, token:software:totp, token:hardware, webauthn, signed_nonce, ... */
  factor_type: string,
  /** OKTA, GOOGLE, FIDO, YUBICO, RSA, SYMANTEC, DUO, CUSTOM, ... */
  provider: string,
  vendor_name: string,
  /** ACTIVE, PENDING_ACTIVATION, NOT_SETUP, ENROLLED, DISABLED, INACTIVE, EXPIRED. */
  status: string,
  created: timestamp,
  last_updated: timestamp,
  last_verified: timestamp,
  /** low, medium, high or unknown (inventory/factor-strength.ts). */
  strength: string,
  /** What the enrollment binds to, when it binds one thing several users could share: phone, email or device. */
  bound_kind: string,
  /** sha256 (hex) of the normalized phone number, e-mail address or device credential: comparable, not readable. */
  bound_hash: string,
  /** A hint a person can read without the secret: the last 4 digits of a phone, the device's name. */
  bound_hint: string,
  collected_at: timestamp,
} as const;

export const oktaDeviceColumns = {
  device_id: string,
  /** The user of this row (a device with several users is several rows); null for a device with no user. */
  user_id: string,
  login: string,
  /** ACTIVE, CREATED, DEACTIVATED, SUSPENDED. */
  status: string,
  display_name: string,
  /** ANDROID, IOS, MACOS, WINDOWS, CHROMEOS. */
  platform: string,
  os_version: string,
  manufacturer: string,
  model: string,
  registered: boolean,
  secure_hardware_present: boolean,
  disk_encryption_type: string,
  /** This user's `managementStatus` on the device: MANAGED or NOT_MANAGED. */
  management_status: string,
  screen_lock_type: string,
  created: timestamp,
  last_updated: timestamp,
  collected_at: timestamp,
} as const;

export const oktaAdminRoleColumns = {
  user_id: string,
  login: string,
  /** The role assignment's id. */
  assignment_id: string,
  /** SUPER_ADMIN, ORG_ADMIN, APP_ADMIN, USER_ADMIN, HELP_DESK_ADMIN, READ_ONLY_ADMIN, ..., or CUSTOM. */
  role_type: string,
  role_label: string,
  /** For a custom role: its id (`cr0...`) and the resource set it applies to. */
  custom_role_id: string,
  resource_set_id: string,
  /** USER (assigned to the user) or GROUP (through a group the user is in). */
  assignment_type: string,
  status: string,
  created: timestamp,
  last_updated: timestamp,
  collected_at: timestamp,
} as const;

export const okta_users: TableDef<typeof oktaUserColumns> = {
  name: 'okta_users',
  description: 'Okta users, one row per user per daily snapshot (GET /api/v1/users): status, type, profile, sign-in and password dates.',
  location: 'inventory/users',
  columns: oktaUserColumns,
  partitionKeys: INVENTORY_PARTITIONS,
};

export const okta_factors: TableDef<typeof oktaFactorColumns> = {
  name: 'okta_factors',
  description: "Users' authenticator enrollments per daily snapshot (GET /api/v1/users/{id}/factors) with their NIST 800-63B strength.",
  location: 'inventory/factors',
  columns: oktaFactorColumns,
  partitionKeys: INVENTORY_PARTITIONS,
};

export const okta_devices: TableDef<typeof oktaDeviceColumns> = {
  name: 'okta_devices',
  description: 'Okta devices and their users per daily snapshot (GET /api/v1/devices?expand=user), one row per device and user.',
  location: 'inventory/devices',
  columns: oktaDeviceColumns,
  partitionKeys: INVENTORY_PARTITIONS,
};

export const okta_admin_roles: TableDef<typeof oktaAdminRoleColumns> = {
  name: 'okta_admin_roles',
  description: "Admin role assignments of users per daily snapshot (GET /api/v1/iam/assignees/users, then each user's roles).",
  location: 'inventory/admin-roles',
  columns: oktaAdminRoleColumns,
  partitionKeys: INVENTORY_PARTITIONS,
};

/** The inventory tables, in the order a collection writes them. */
export const inventoryTables = [okta_users, okta_factors, okta_devices, okta_admin_roles] as const;

export type OktaUserRow = RowOf<typeof oktaUserColumns>;
export type OktaFactorRow = RowOf<typeof oktaFactorColumns>;
export type OktaDeviceRow = RowOf<typeof oktaDeviceColumns>;
export type OktaAdminRoleRow = RowOf<typeof oktaAdminRoleColumns>;
