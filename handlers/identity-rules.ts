/**
 * The identity rules of a function's environment (`OKTA_LAKE_IDENTITY_RULES`, JSON of `IdentityRules`), as the stack
 * writes them from the config's `inventory.identities`: which users are service accounts and which are guests. The
 * inventory function needs them; refresh-user has them when the inventory is enabled, and then re-reads the user's
 * inventory before their posture checks. One reader for both, so they agree on names, rules and messages.
 */
import * as z from 'zod/mini';
import '../core/zod-mini.ts';
import { DEFAULT_IDENTITY_RULES, type IdentityRules } from '../inventory/identity-kind.ts';
import { INVENTORY_ENV } from './env.ts';
import { HandlerConfigError, jsonVariable } from './runtime.ts';

type Env = Readonly<Record<string, string | undefined>>;

const VALUE_RULE = 'each value must be 1-100 characters without control characters';
const values = z.array(z.string().check(z.refine((v) => /^[^\p{Cc}]{1,100}$/u.test(v), { error: VALUE_RULE })), { error: 'must be a list of strings' });

/** Fields left out take their default (DEFAULT_IDENTITY_RULES); a field this reader does not know is an error. */
const rulesSchema = z.strictObject(
  {
    serviceUserTypes: z._default(values, [...DEFAULT_IDENTITY_RULES.serviceUserTypes]),
    serviceLoginPatterns: z._default(values, [...DEFAULT_IDENTITY_RULES.serviceLoginPatterns]),
    serviceLogins: z._default(values, [...DEFAULT_IDENTITY_RULES.serviceLogins]),
    guestUserTypes: z._default(values, [...DEFAULT_IDENTITY_RULES.guestUserTypes]),
  },
  { error: 'must be a JSON object with serviceUserTypes, serviceLoginPatterns, serviceLogins and guestUserTypes' },
);

const EXAMPLE = '{"serviceUserTypes": ["Service"], "serviceLoginPatterns": ["svc-*"], "serviceLogins": [], "guestUserTypes": ["Guest"]}';

/**
 * The rules in `OKTA_LAKE_IDENTITY_RULES`, or undefined when the variable is not set (refresh-user of a stack whose
 * inventory is switched off). The error names the variable, the field at fault and what it must hold; it quotes the
 * value, which holds no credential (user types and login patterns).
 */
export function identityRulesVariable(env: Env): IdentityRules | undefined {
  return jsonVariable(env, INVENTORY_ENV.identityRules, rulesSchema, EXAMPLE);
}

/** The rules, which this function cannot work without (the inventory function). */
export function requiredIdentityRules(env: Env): IdentityRules {
  const rules = identityRulesVariable(env);
  if (!rules) {
    throw new HandlerConfigError(
      `environment variable ${INVENTORY_ENV.identityRules} is not set; it must hold the identity rules as JSON, e.g. ${EXAMPLE} (the infrastructure sets it from inventory.identities)`,
    );
  }
  return rules;
}

/** `true` or `false` in `OKTA_LAKE_INVENTORY_INCLUDE_DEPROVISIONED`; unset is false. */
export function includeDeprovisionedVariable(env: Env): boolean {
  const name = INVENTORY_ENV.includeDeprovisioned;
  const text = env[name]?.trim();
  if (!text || text === 'false') return false;
  if (text === 'true') return true;
  throw new HandlerConfigError(`environment variable ${name} is ${JSON.stringify(text)}; it must be true or false (config inventory.includeDeprovisioned)`);
}
