/**
 * How strong an Okta authenticator enrollment is, on the NIST SP 800-63B scale, from one table. The posture checks
 * read the `strength` column this fills (okta_factors), so "weak MFA" means the same thing in every check.
 *
 * | strength | factor types (provider)                                        | why |
 * |----------|----------------------------------------------------------------|-----|
 * | low      | question; email; sms; call                                      | SP 800-63B §5.1.3.3: the PSTN (SMS, voice) is a RESTRICTED authenticator (SIM swap, interception); §5.1.3.1: e-mail is not an out-of-band authenticator; §5.1.1.2 (rev. 3) and 63B-4: knowledge-based questions are not allowed as authenticators at all |
 * | medium   | push (OKTA); token:software:totp (OKTA, GOOGLE); token:hardware (YUBICO); token:hotp (OKTA) | out-of-band device (§5.1.3) and OTP devices (§5.1.4, §5.1.5): AAL2, but a real-time phishing proxy can relay them |
 * | high     | webauthn (FIDO); u2f (FIDO); signed_nonce (OKTA)                | verifier-impersonation (phishing) resistant, §5.2.5: FIDO2/WebAuthn and U2F bind the credential to the origin; Okta FastPass (`signed_nonce`) signs the origin-bound challenge with a device-bound key and Okta documents it as phishing resistant |
 * | unknown  | anything else: third-party providers (DUO, RSA, SYMANTEC, CUSTOM, an IdP factor `claims`/`web`), factor types this table does not list | the lake cannot tell what stands behind them; a check counts them as neither weak nor strong |
 *
 * Sources: NIST SP 800-63B (https://pages.nist.gov/800-63-3/sp800-63b.html, §5.1.3 out-of-band, §5.1.3.3 PSTN,
 * §5.2.5 verifier impersonation resistance); Okta factor types and providers:
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserFactor/ ; Okta FastPass as
 * phishing-resistant: https://help.okta.com/oie/en-us/content/topics/identity-engine/devices/fp/fp-main.htm
 *
 * FastPass is phishing resistant only where the platform supports the origin check (Okta Verify's loopback or
 * custom URL binding); the Factors API does not say which, so every `signed_nonce` counts as high. A smart card
 * (PIV) is an identity provider in Okta, not a factor, and never appears here.
 */
import type { FactorStrength } from '../schema/inventory.ts';

/** Okta's own and well-known providers whose factor types the table below rates; any other provider is third-party. */
const RATED_PROVIDERS = new Set(['OKTA', 'GOOGLE', 'FIDO', 'YUBICO']);

const BY_TYPE: Readonly<Record<string, FactorStrength>> = {
  question: 'low',
  email: 'low',
  sms: 'low',
  call: 'low',
  push: 'medium',
  'token:software:totp': 'medium',
  'token:hardware': 'medium',
  'token:hotp': 'medium',
  webauthn: 'high',
  u2f: 'high',
  signed_nonce: 'high',
};

/**
 * The strength of one enrollment. A type or provider the table does not know is `unknown`, never an error:
 * Okta adds factor types, and third-party ones are the org's to judge.
 */
export function factorStrength(factorType: string | null | undefined, provider: string | null | undefined): FactorStrength {
  const type = (factorType ?? '').toLowerCase();
  const rated = BY_TYPE[type];
  if (rated === undefined) return 'unknown';
  // Low-strength types are low whoever provides them (an SMS is an SMS); the others only from providers we know.
  if (rated === 'low') return rated;
  return RATED_PROVIDERS.has((provider ?? '').toUpperCase()) ? rated : 'unknown';
}
