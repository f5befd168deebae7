/**
 * Where an inventory comes from: the live Okta API (api-source.ts) or a folder of saved API responses
 * (folder-source.ts). The collection (core/inventory-collect.ts) sees only this interface, so both go through the same rows and
 * the same rules for a missing part.
 */
import type { OktaDevice, OktaFactor, OktaRoleAssignment, OktaUser } from '../okta-api/identity-objects.ts';

/** The parts of an inventory: users first (without them there is nothing), then what hangs off each user. */
export type InventoryPart = 'users' | 'factors' | 'devices' | 'roles';

/**
 * A part the source cannot give: the API refused it (a missing scope or admin role) or the saved folder has no file
 * for it. The collection skips that part, says why in its summary, and marks the users' rows so no check reads
 * "no factor" or "no role" into a part that was never read.
 */
export class PartUnavailable extends Error {
  constructor(
    readonly part: InventoryPart,
    /** One line for people: what was refused or missing, and what to do (e.g. the scope to grant). */
    readonly reason: string,
  ) {
    super(`${part}: ${reason}`);
  }
}

export interface InventorySource {
  /** For messages: the org's URL, or the folder. */
  readonly description: string;
  /** Every user the org lists. Throws PartUnavailable('users') when none can be read. */
  users(): AsyncIterable<OktaUser>;
  /** One user by id or login, or undefined when the org has none. */
  user(idOrLogin: string): Promise<OktaUser | undefined>;
  /** A user's factor enrollments (one API call per user). */
  factorsOf(userId: string): Promise<readonly OktaFactor[]>;
  /** Every device with its users embedded. */
  devices(): AsyncIterable<OktaDevice>;
  /** One user's devices, each with that user embedded (for the refresh of one user). */
  devicesOf(user: OktaUser): Promise<readonly OktaDevice[]>;
  /** Ids of the users that hold at least one admin role. */
  roleAssignees(): AsyncIterable<string>;
  /** A user's admin role assignments, direct and through groups. */
  rolesOf(userId: string): Promise<readonly OktaRoleAssignment[]>;
  /** API calls made so far, when the source is the API. */
  calls?(): number;
}
