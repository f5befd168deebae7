/**
 * The identity objects of the Okta management API as they come over the wire: users, factors (authenticator
 * enrollments), devices, role assignments. Only the fields the lake reads are typed, all optional (Okta leaves
 * fields out, adds new ones, and some orgs send null); anything else is kept as `unknown` and ignored.
 *
 * References (Okta management API, OpenAPI v3):
 * - User: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/
 * - UserFactor: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserFactor/
 * - Device: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Device/
 * - Role assignments: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/RoleAssignmentAUser/
 */

type Open = { readonly [field: string]: unknown };

export interface OktaUser extends Open {
  readonly id: string;
  readonly status?: string | null;
  readonly created?: string | null;
  readonly activated?: string | null;
  readonly statusChanged?: string | null;
  readonly lastLogin?: string | null;
  readonly lastUpdated?: string | null;
  readonly passwordChanged?: string | null;
  readonly type?: { readonly id?: string | null } & Open;
  readonly profile?: {
    readonly login?: string | null;
    readonly email?: string | null;
    readonly firstName?: string | null;
    readonly lastName?: string | null;
    readonly displayName?: string | null;
    readonly userType?: string | null;
    readonly department?: string | null;
    readonly title?: string | null;
    readonly manager?: string | null;
    readonly managerId?: string | null;
  } & Open;
}

export interface OktaFactor extends Open {
  readonly id: string;
  readonly factorType?: string | null;
  readonly provider?: string | null;
  readonly vendorName?: string | null;
  readonly status?: string | null;
  readonly created?: string | null;
  readonly lastUpdated?: string | null;
  /** Present on some orgs' responses; null or absent otherwise. */
  readonly lastVerified?: string | null;
  /**
   * By type: `phoneNumber` (sms, call), `email` (email), `credentialId` and `authenticatorName` (webauthn, u2f),
   * `name`, `platform`, `deviceType`, `credentialId` (push, signed_nonce), `question` (question).
   */
  readonly profile?: Open | null;
}

/** A device's user as `GET /api/v1/devices?expand=user` embeds it in `_embedded.users`. */
export interface OktaDeviceUser extends Open {
  readonly created?: string | null;
  readonly managementStatus?: string | null;
  readonly screenLockType?: string | null;
  readonly user?: OktaUser | null;
}

export interface OktaDevice extends Open {
  readonly id: string;
  readonly status?: string | null;
  readonly created?: string | null;
  readonly lastUpdated?: string | null;
  readonly profile?: {
    readonly displayName?: string | null;
    readonly platform?: string | null;
    readonly osVersion?: string | null;
    readonly manufacturer?: string | null;
    readonly model?: string | null;
    readonly registered?: boolean | null;
    readonly secureHardwarePresent?: boolean | null;
    readonly diskEncryptionType?: string | null;
  } & Open;
  readonly _embedded?: { readonly users?: readonly OktaDeviceUser[] | null } & Open;
}

/** An item of `GET /api/v1/users/{id}/devices`: one device of one user. */
export interface OktaUserDevice extends Open {
  readonly created?: string | null;
  readonly device?: OktaDevice | null;
  readonly deviceUserId?: string | null;
}

/** A role assignment, as `GET /api/v1/users/{id}/roles` lists them. */
export interface OktaRoleAssignment extends Open {
  readonly id: string;
  readonly type?: string | null;
  readonly label?: string | null;
  readonly status?: string | null;
  readonly created?: string | null;
  readonly lastUpdated?: string | null;
  /** USER or GROUP. */
  readonly assignmentType?: string | null;
  /** For a custom role: the role's id (`cr0...`) and the resource set's (`iam...`). */
  readonly role?: string | null;
  readonly 'resource-set'?: string | null;
}

/** An item of `GET /api/v1/iam/assignees/users` (`value` of each page): a user holding at least one admin role. */
export interface OktaRoleAssignee extends Open {
  readonly id: string;
  readonly orn?: string | null;
}
