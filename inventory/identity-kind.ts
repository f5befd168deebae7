/**
 * Which users are people, which are service accounts (non-human identities) and which are guests. Okta has no
 * such field: orgs mark service accounts with a user type or `profile.userType`, a login convention, or not at
 * all. The rules are configuration (`inventory.identities` in okta-lake.config.json), applied when the inventory
 * is collected, and the result is the `identity_kind` column every posture check filters on, so the checks
 * agree on who is a service account.
 */
import type { IdentityKind } from '../schema/inventory.ts';
import type { OktaUser } from '../okta-api/identity-objects.ts';

export interface IdentityRules {
  /**
   * `profile.userType` values (compared case-insensitively) of service accounts.
   * @default service, service account, serviceaccount, non-human, nonhuman, system, bot
   */
  readonly serviceUserTypes: readonly string[];
  /**
   * Login patterns of service accounts, `*` matching any run of characters, case-insensitive.
   * @default svc-*, svc_*, svc.*, service-*, service.*, *-svc@*, *-bot@*, noreply*, no-reply*
   */
  readonly serviceLoginPatterns: readonly string[];
  /** Logins that are service accounts whatever their type (case-insensitive). @default none */
  readonly serviceLogins: readonly string[];
  /** `profile.userType` values of guests (external, partner accounts). @default guest, external, partner */
  readonly guestUserTypes: readonly string[];
}

export const DEFAULT_IDENTITY_RULES: IdentityRules = {
  serviceUserTypes: ['service', 'service account', 'serviceaccount', 'non-human', 'nonhuman', 'system', 'bot'],
  serviceLoginPatterns: ['svc-*', 'svc_*', 'svc.*', 'service-*', 'service.*', '*-svc@*', '*-bot@*', 'noreply*', 'no-reply*'],
  serviceLogins: [],
  guestUserTypes: ['guest', 'external', 'partner'],
};

const globToRegExp = (pattern: string): RegExp =>
  new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');

/** The rules compiled once for a collection of many users. */
export function identityClassifier(rules: IdentityRules = DEFAULT_IDENTITY_RULES): (user: OktaUser) => IdentityKind {
  const serviceTypes = new Set(rules.serviceUserTypes.map((t) => t.toLowerCase()));
  const guestTypes = new Set(rules.guestUserTypes.map((t) => t.toLowerCase()));
  const serviceLogins = new Set(rules.serviceLogins.map((l) => l.toLowerCase()));
  const patterns = rules.serviceLoginPatterns.map(globToRegExp);
  return (user) => {
    const login = (user.profile?.login ?? '').toLowerCase();
    const userType = (user.profile?.userType ?? '').trim().toLowerCase();
    if (serviceLogins.has(login) || serviceTypes.has(userType) || patterns.some((p) => p.test(login))) return 'service';
    if (guestTypes.has(userType)) return 'guest';
    return 'human';
  };
}
