/**
 * Okta API objects (okta-api/identity-objects.ts) as rows of the inventory tables (schema/inventory.ts). Pure
 * functions: what the live collection, a saved folder, the demo and the per-user refresh all go through, so a
 * row means the same whatever its source.
 *
 * Okta's JSON is taken as it comes: unknown fields are ignored, missing or null fields become null columns, a
 * value of the wrong JSON type (a number where text is expected) becomes null rather than failing the whole
 * snapshot. Only an object without an `id` is refused (the caller says which file or call held it).
 */
import { createHash } from 'node:crypto';
import type { OktaDevice, OktaFactor, OktaRoleAssignment, OktaUser } from '../okta-api/identity-objects.ts';
import type { IdentityKind, OktaAdminRoleRow, OktaDeviceRow, OktaFactorRow, OktaUserRow } from '../schema/inventory.ts';
import { parseIsoInstant } from '../schema/layout.ts';
import { factorStrength } from './factor-strength.ts';

/** Text or null: anything that is not a non-empty string is null. */
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const flag = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
/** An ISO-8601 instant as Okta writes it, or null when absent or not a valid instant. */
const instant = (v: unknown): string | null => parseIsoInstant(v)?.toISOString() ?? null;

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** A phone number compared by its digits: `+1 617-555-0142` and `+16175550142` are one phone. */
export function normalizedPhone(value: string): string | null {
  const digits = value.replace(/\D/g, '');
  return digits.length >= 6 ? digits : null;
}

export class InventoryShapeError extends Error {}

function requireId(o: { readonly id?: unknown } | null | undefined, what: string): string {
  const id = o?.id;
  if (typeof id !== 'string' || id === '') throw new InventoryShapeError(`${what} has no "id" (got ${JSON.stringify(o)?.slice(0, 200)})`);
  return id;
}

export interface RowContext {
  /** When the collection read the objects, ISO-8601. */
  readonly collectedAt: string;
}

export function userRow(
  user: OktaUser,
  kind: IdentityKind,
  parts: { readonly factors: boolean; readonly roles: boolean; readonly factorsReadAt?: string | null },
  ctx: RowContext,
): OktaUserRow {
  const p = user.profile ?? {};
  const first = text(p.firstName);
  const last = text(p.lastName);
  return {
    user_id: requireId(user, 'a user'),
    login: text(p.login),
    email: text(p.email),
    status: text(user.status),
    type_id: text(user.type?.id),
    user_type: text(p.userType),
    identity_kind: kind,
    display_name: text(p.displayName) ?? ([first, last].filter(Boolean).join(' ') || null),
    department: text(p.department),
    title: text(p.title),
    manager: text(p.manager),
    manager_id: text(p.managerId),
    created: instant(user.created),
    activated: instant(user.activated),
    status_changed: instant(user.statusChanged),
    last_login: instant(user.lastLogin),
    last_updated: instant(user.lastUpdated),
    password_changed: instant(user.passwordChanged),
    factors_collected: parts.factors,
    roles_collected: parts.roles,
    factors_read_at: parts.factors ? (parts.factorsReadAt ?? ctx.collectedAt) : null,
    collected_at: ctx.collectedAt,
  };
}

/** What an enrollment binds to that several users could share: a phone number or an e-mail address. */
function binding(factor: OktaFactor): Pick<OktaFactorRow, 'bound_kind' | 'bound_hash' | 'bound_hint'> {
  const profile = factor.profile ?? {};
  const phone = text(profile.phoneNumber);
  const digits = phone === null ? null : normalizedPhone(phone);
  if (digits !== null) return { bound_kind: 'phone', bound_hash: sha256(`phone:${digits}`), bound_hint: `…${digits.slice(-4)}` };
  const email = (factor.factorType ?? '').toLowerCase() === 'email' ? text(profile.email) : null;
  if (email !== null) {
    const at = email.indexOf('@');
    return { bound_kind: 'email', bound_hash: sha256(`email:${email.trim().toLowerCase()}`), bound_hint: at > 0 ? `…${email.slice(at)}` : null };
  }
  return { bound_kind: null, bound_hash: null, bound_hint: null };
}

export function factorRows(user: { readonly user_id: string; readonly login: string | null }, factors: readonly OktaFactor[], ctx: RowContext): OktaFactorRow[] {
  return factors.map((f, i) => ({
    user_id: user.user_id,
    login: user.login,
    factor_id: requireId(f, `factor ${i} of user ${user.user_id}`),
    factor_type: text(f.factorType),
    provider: text(f.provider),
    vendor_name: text(f.vendorName),
    status: text(f.status),
    created: instant(f.created),
    last_updated: instant(f.lastUpdated),
    last_verified: instant(f.lastVerified),
    strength: factorStrength(text(f.factorType), text(f.provider)),
    ...binding(f),
    collected_at: ctx.collectedAt,
  }));
}

/**
 * One row per device and user (`_embedded.users` of `GET /api/v1/devices?expand=user`); a device with no user is
 * one row with a null user (kept in `okta_devices`, not in `okta_devices_current`, which is by user).
 */
export function deviceRows(device: OktaDevice, ctx: RowContext): OktaDeviceRow[] {
  const id = requireId(device, 'a device');
  const p = device.profile ?? {};
  const base = {
    device_id: id,
    status: text(device.status),
    display_name: text(p.displayName),
    platform: text(p.platform),
    os_version: text(p.osVersion),
    manufacturer: text(p.manufacturer),
    model: text(p.model),
    registered: flag(p.registered),
    secure_hardware_present: flag(p.secureHardwarePresent),
    disk_encryption_type: text(p.diskEncryptionType),
    created: instant(device.created),
    last_updated: instant(device.lastUpdated),
    collected_at: ctx.collectedAt,
  };
  const users = (device._embedded?.users ?? []).filter((u) => typeof u?.user?.id === 'string');
  if (users.length === 0) return [{ ...base, user_id: null, login: null, management_status: null, screen_lock_type: null }];
  return users.map((u) => ({
    ...base,
    user_id: u.user!.id,
    login: text(u.user!.profile?.login),
    management_status: text(u.managementStatus),
    screen_lock_type: text(u.screenLockType),
  }));
}

export function roleRows(user: { readonly user_id: string; readonly login: string | null }, roles: readonly OktaRoleAssignment[], ctx: RowContext): OktaAdminRoleRow[] {
  return roles.map((r, i) => ({
    user_id: user.user_id,
    login: user.login,
    assignment_id: requireId(r, `role assignment ${i} of user ${user.user_id}`),
    role_type: text(r.type),
    role_label: text(r.label),
    custom_role_id: text(r.role),
    resource_set_id: text(r['resource-set']),
    assignment_type: text(r.assignmentType),
    status: text(r.status),
    created: instant(r.created),
    last_updated: instant(r.lastUpdated),
    collected_at: ctx.collectedAt,
  }));
}
