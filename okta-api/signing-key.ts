/**
 * Reads the service app's private key (PEM PKCS#8, PEM PKCS#1 RSA, PEM SEC1 EC, or a private JWK / single-key
 * JWKS) into a key object and picks the JWS algorithm Okta will verify it with. Errors name the setting and
 * what is wrong with the key, never any of its content.
 *
 * Okta accepts RSA (RS256/384/512) and EC (ES256/384/512) keys for `private_key_jwt`; we sign with RS256 for RSA
 * and the curve's own ES algorithm for EC.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-and-sign-the-jwt
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { OktaConfigError } from './errors.ts';

export type SigningAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

export interface SigningKey {
  readonly key: KeyObject;
  readonly alg: SigningAlgorithm;
  /** The `kid` header: which of the app's registered public keys to verify with. */
  readonly kid: string | undefined;
}

const CURVE_ALGORITHMS: Record<string, SigningAlgorithm> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/**
 * @param material the PEM text or JWK JSON. Literal `\n` sequences (a PEM squeezed into one env line) are accepted.
 * @param setting what to call it in errors, e.g. `OKTA_PRIVATE_KEY`.
 * @param keyId the `kid` to send; defaults to the JWK's own `kid`.
 */
export function parseSigningKey(material: string, setting: string, keyId?: string): SigningKey {
  const fail = (reason: string): never => {
    throw new OktaConfigError(setting, `${setting} ${reason}.`);
  };
  let text = material.trim();
  if (!text) fail('is empty');
  if (text.includes('-----BEGIN') && text.includes('\\n')) text = text.replaceAll('\\n', '\n');

  let key: KeyObject;
  let jwkKid: string | undefined;
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Never pass on the parser's message: it quotes the input.
      return fail('starts with "{" but is not valid JSON (expected a private JWK)');
    }
    let jwk = parsed as Record<string, unknown>;
    if (Array.isArray(jwk.keys)) {
      if (jwk.keys.length !== 1) fail(`is a JWKS with ${jwk.keys.length} keys; give the one private key`);
      jwk = jwk.keys[0] as Record<string, unknown>;
    }
    if (typeof jwk !== 'object' || jwk === null || typeof jwk.kty !== 'string') fail('is JSON but not a JWK (no "kty")');
    if (typeof jwk.d !== 'string') fail('is a public JWK; give the private key (with "d"); its public half is what you register on the service app');
    jwkKid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
    try {
      key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    } catch (error) {
      return fail(`is not a usable private JWK (${codeOf(error)})`);
    }
  } else if (text.includes('-----BEGIN')) {
    if (/-----BEGIN (RSA |EC )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(text)) {
      fail('holds a public key or certificate; give the private key (its public half is what you register on the service app)');
    }
    if (text.includes('ENCRYPTED')) fail('is encrypted; give an unencrypted key (e.g. `openssl pkcs8 -topk8 -nocrypt -in key.pem`)');
    try {
      key = createPrivateKey(text);
    } catch (error) {
      return fail(`is not a readable PEM private key (${codeOf(error)}); expected PKCS#8 "BEGIN PRIVATE KEY" or PKCS#1 "BEGIN RSA PRIVATE KEY"`);
    }
  } else {
    return fail('is neither a PEM private key ("-----BEGIN PRIVATE KEY-----") nor a private JWK (JSON)');
  }

  let alg: SigningAlgorithm;
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) fail(`is a ${bits}-bit RSA key; Okta requires at least 2048 bits`);
    alg = 'RS256';
  } else if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
    const curveAlg = CURVE_ALGORITHMS[curve];
    if (!curveAlg) return fail(`is an EC key on curve ${curve || 'unknown'}; Okta accepts P-256, P-384 or P-521`);
    alg = curveAlg;
  } else {
    return fail(`is a ${key.asymmetricKeyType ?? 'unknown'} key; Okta accepts RSA or EC (P-256, P-384, P-521) keys`);
  }
  return { key, alg, kid: keyId || jwkKid };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'unreadable';
}
