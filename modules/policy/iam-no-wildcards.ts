/**
 * No `*` in what an Allow statement grants: no action `*` or `service:*` (or any action pattern with `*`),
 * no resource `*` (or an ARN whose resource part is `*`), no NotAction/NotResource, and no Allow to principal
 * `*`. Deny statements may be as broad as they like (the bucket's TLS-only deny is `s3:*` for `*`).
 *
 * Where AWS requires a wildcard, the exception is named here, with the reason:
 */
import { asList, policiesOf, type PlanPolicy, type PolicyRule, type PolicyStatementJson, type Violation } from './plan.ts';

export interface WildcardException {
  readonly id: string;
  readonly reason: string;
  /** Whether the exception covers this statement's `*` (for `field`). */
  readonly applies: (policy: PlanPolicy, statement: PolicyStatementJson, field: 'Action' | 'Resource') => boolean;
}

const isAccountRoot = (principal: unknown): boolean => {
  const aws = typeof principal === 'object' && principal !== null ? (principal as { AWS?: unknown }).AWS : undefined;
  return asList(aws as string | string[] | undefined).length === 1 && /^arn:aws[a-z-]*:iam::[^:]*:root$/.test(String(asList(aws as string)[0]));
};

export const WILDCARD_EXCEPTIONS: readonly WildcardException[] = [
  {
    id: 'kms-key-policy-resource',
    reason: 'In a KMS key policy the Resource is always "*": it means "this key" (AWS KMS key policy documentation).',
    applies: (p, _s, field) => p.kind === 'key' && field === 'Resource',
  },
  {
    id: 'kms-key-policy-account-root',
    reason:
      'The default key policy statement gives the account root "kms:*" so IAM policies can manage and use the key; ' +
      'AWS warns that without it the key can become unmanageable. Only for the account root principal, only in a key policy.',
    applies: (p, s, field) => p.kind === 'key' && field === 'Action' && isAccountRoot(s.Principal) && asList(s.Action).every((a) => a === 'kms:*'),
  },
];

/** `*`, `svc:*`, `svc:Get*`: any pattern. */
const wildAction = (a: string) => a.includes('*');

/** `*`, or an ARN whose resource part (after the fifth colon) is `*`, e.g. `arn:aws:s3:::*`. */
export function wildResource(r: string): boolean {
  if (r === '*') return true;
  const parts = r.split(':');
  return parts[0] === 'arn' && parts.length >= 6 && parts.slice(5).join(':') === '*';
}

const publicPrincipal = (p: unknown) =>
  p === '*' || (typeof p === 'object' && p !== null && asList((p as { AWS?: unknown }).AWS as string | string[] | undefined).includes('*'));

export const iamNoWildcards: PolicyRule = {
  id: 'iam-no-wildcards',
  description: 'No Allow statement grants action * or resource * (named AWS-required exceptions aside), uses NotAction/NotResource, or allows principal *.',
  check(plan) {
    const { policies, unreadable } = policiesOf(plan);
    const out: Violation[] = unreadable.map((v) => ({ ...v, rule: this.id }));
    for (const p of policies) {
      p.statements.forEach((s, i) => {
        if (s.Effect !== 'Allow') return;
        const where = `${p.attribute} statement ${s.Sid ?? i}`;
        const excepted = (field: 'Action' | 'Resource') => WILDCARD_EXCEPTIONS.some((e) => e.applies(p, s, field));
        if (s.NotAction !== undefined || s.NotResource !== undefined) {
          out.push({ rule: this.id, address: p.address, message: `${where}: Allow with NotAction/NotResource grants everything else` });
        }
        const actions = asList(s.Action).filter(wildAction);
        if (actions.length > 0 && !excepted('Action')) {
          out.push({ rule: this.id, address: p.address, message: `${where}: action ${actions.join(', ')} is a wildcard; list the actions` });
        }
        if (p.kind !== 'trust') {
          const resources = asList(s.Resource);
          if (p.kind === 'identity' && resources.length === 0) {
            out.push({ rule: this.id, address: p.address, message: `${where}: no Resource` });
          }
          const wild = resources.filter(wildResource);
          if (wild.length > 0 && !excepted('Resource')) {
            out.push({ rule: this.id, address: p.address, message: `${where}: resource ${wild.join(', ')} is a wildcard; name the resources` });
          }
        }
        if (publicPrincipal(s.Principal)) {
          out.push({ rule: this.id, address: p.address, message: `${where}: allows principal "*" (anyone)` });
        }
      });
    }
    return out;
  },
};
