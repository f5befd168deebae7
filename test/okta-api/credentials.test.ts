/**
 * Credentials come from the environment or a Secrets Manager secret's JSON, in every key format Okta hands out,
 * and no credential value ever shows in an error, a log line, JSON or util.inspect output.
 */
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { credentialsFromEnv, credentialsFromSecretJson, DEFAULT_SCOPES, OktaConfigError, redact, Secret } from '../../okta-api/index.ts';
import { ecKeyPair, rsaKeyPair } from './support.ts';

const TOKEN = '00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('credentials from the environment', () => {
  it('reads an API token and remembers the variable it came from', () => {
    const credentials = credentialsFromEnv({ OKTA_API_TOKEN: ` ${TOKEN}\n` });
    expect(credentials.kind).toBe('api-token');
    if (credentials.kind !== 'api-token') return;
    expect(credentials.token.reveal()).toBe(TOKEN);
    expect(credentials.source).toBe('OKTA_API_TOKEN');
  });

  it('reads a service app with a PKCS#8 RSA key, signing RS256, with the default scopes', () => {
    const pem = rsaKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const credentials = credentialsFromEnv({ OKTA_CLIENT_ID: '0oa1b2c3d4E5f6G7h8i9', OKTA_PRIVATE_KEY: pem, OKTA_PRIVATE_KEY_ID: 'key-1' });
    expect(credentials.kind).toBe('service-app');
    if (credentials.kind !== 'service-app') return;
    expect(credentials.signingKey.alg).toBe('RS256');
    expect(credentials.signingKey.kid).toBe('key-1');
    expect(credentials.scopes).toEqual(DEFAULT_SCOPES);
  });

  it('reads a PKCS#1 RSA key squeezed onto one line with literal \\n', () => {
    const pem = rsaKeyPair().privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    const oneLine = pem.trim().replaceAll('\n', '\\n');
    const credentials = credentialsFromEnv({ OKTA_CLIENT_ID: '0oa1b2c3d4E5f6G7h8i9', OKTA_PRIVATE_KEY: oneLine, OKTA_SCOPES: 'okta.logs.read, okta.users.read' });
    if (credentials.kind !== 'service-app') throw new Error('expected a service app');
    expect(credentials.signingKey.alg).toBe('RS256');
    expect(credentials.scopes).toEqual(['okta.logs.read', 'okta.users.read']);
  });

  it('reads an EC P-256 private JWK, signing ES256 with the JWK kid', () => {
    const jwk = { ...ecKeyPair().privateKey.export({ format: 'jwk' }), kid: 'ec-1' };
    const credentials = credentialsFromEnv({ OKTA_CLIENT_ID: '0oa1b2c3d4E5f6G7h8i9', OKTA_PRIVATE_KEY: JSON.stringify(jwk) });
    if (credentials.kind !== 'service-app') throw new Error('expected a service app');
    expect(credentials.signingKey.alg).toBe('ES256');
    expect(credentials.signingKey.kid).toBe('ec-1');
  });

  it.each([
    [{}, /No Okta credentials: set OKTA_CLIENT_ID and OKTA_PRIVATE_KEY .* or OKTA_API_TOKEN/],
    [{ OKTA_API_TOKEN: TOKEN, OKTA_CLIENT_ID: '0oa1b2c3d4' }, /Both OKTA_API_TOKEN and OKTA_CLIENT_ID/],
    [{ OKTA_CLIENT_ID: '0oa1b2c3d4' }, /OKTA_PRIVATE_KEY is not/],
    [{ OKTA_API_TOKEN: `SSWS ${TOKEN}` }, /starts with "SSWS "; give the token only/],
    [{ OKTA_CLIENT_ID: '0oa1b2c3d4', OKTA_PRIVATE_KEY: 'not-a-key' }, /OKTA_PRIVATE_KEY is neither a PEM private key .* nor a private JWK/],
    [{ OKTA_CLIENT_ID: '0oa1b2c3d4', OKTA_PRIVATE_KEY: '{"kty":"EC","crv":"P-256","x":"secretish' }, /OKTA_PRIVATE_KEY starts with "\{" but is not valid JSON/],
    [{ OKTA_CLIENT_ID: 'bad id!', OKTA_PRIVATE_KEY: 'x' }, /OKTA_CLIENT_ID "bad id!" is not an Okta client ID/],
  ])('refuses %j with one clear line', (env, message) => {
    const error = errorOf(() => credentialsFromEnv(env));
    expect(error).toBeInstanceOf(OktaConfigError);
    expect(error.message).toMatch(message);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('refuses a public key, an encrypted key, a small RSA key and an unsupported curve without quoting them', () => {
    const publicPem = rsaKeyPair().publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const encrypted = rsaKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const publicJwk = JSON.stringify(ecKeyPair().publicKey.export({ format: 'jwk' }));
    const cases: Array<[string, RegExp]> = [
      [publicPem, /holds a public key/],
      [encrypted, /is encrypted/],
      [small, /1024-bit RSA key; Okta requires at least 2048 bits/],
      [secp256k1, /curve secp256k1; Okta accepts P-256/],
      [publicJwk, /is a public JWK; give the private key/],
    ];
    for (const [key, message] of cases) {
      const error = errorOf(() => credentialsFromEnv({ OKTA_CLIENT_ID: '0oa1b2c3d4', OKTA_PRIVATE_KEY: key }));
      expect(error.message).toMatch(message);
      const body = key.split('\n').find((line) => line.length > 40 && !line.startsWith('-----'));
      if (body) expect(error.message).not.toContain(body);
    }
  });
});

describe('credentials from the Secrets Manager secret', () => {
  it('reads {"apiToken"} and names the secret as its source', () => {
    const credentials = credentialsFromSecretJson(JSON.stringify({ apiToken: TOKEN }), 'okta-lake/okta');
    if (credentials.kind !== 'api-token') throw new Error('expected an API token');
    expect(credentials.token.reveal()).toBe(TOKEN);
    expect(credentials.source).toBe('Secrets Manager secret okta-lake/okta (apiToken)');
  });

  it('reads {"clientId", "privateKey" as a JWK object, "keyId", "scopes" as a list}', () => {
    const privateKey = ecKeyPair().privateKey.export({ format: 'jwk' });
    const credentials = credentialsFromSecretJson(JSON.stringify({ clientId: '0oa1b2c3d4', privateKey, keyId: 'k2', scopes: ['okta.logs.read'] }), 'arn:aws:secretsmanager:eu-west-1:1:secret:okta');
    if (credentials.kind !== 'service-app') throw new Error('expected a service app');
    expect(credentials.signingKey).toMatchObject({ alg: 'ES256', kid: 'k2' });
    expect(credentials.scopes).toEqual(['okta.logs.read']);
    expect(credentials.source.privateKey).toBe('Secrets Manager secret arn:aws:secretsmanager:eu-west-1:1:secret:okta (privateKey)');
  });

  it.each([
    [`{"apiToken": "${TOKEN}"`, /is not JSON; expected \{"apiToken": "\.\.\."\}/],
    ['[1]', /is not a JSON object/],
    [JSON.stringify({ apiToken: TOKEN, clientId: '0oa1' }), /has both apiToken and clientId\/privateKey; keep one/],
    [JSON.stringify({ clientId: '0oa1b2c3d4' }), /needs apiToken, or both clientId and privateKey \(missing privateKey\)/],
    [JSON.stringify({ api_token: TOKEN }), /unknown field\(s\) api_token; allowed: apiToken, clientId, privateKey, keyId, scopes/],
    [JSON.stringify({ apiToken: 42 }), /field apiToken must be a string/],
  ])('refuses %s without quoting its value', (json, message) => {
    const error = errorOf(() => credentialsFromSecretJson(json, 'okta-lake/okta'));
    expect(error).toBeInstanceOf(OktaConfigError);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('Secrets Manager secret okta-lake/okta');
    expect(error.message).not.toContain(TOKEN);
  });
});

describe('redaction', () => {
  it('never shows a token through JSON, inspect, string interpolation or the credential object', () => {
    const credentials = credentialsFromEnv({ OKTA_API_TOKEN: TOKEN });
    const pem = rsaKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const app = credentialsFromEnv({ OKTA_CLIENT_ID: '0oa1b2c3d4', OKTA_PRIVATE_KEY: pem });
    const pemLine = pem.split('\n')[1]!;
    for (const shown of [JSON.stringify(credentials), inspect(credentials, { depth: 10 }), `${(credentials as { token: Secret }).token}`]) {
      expect(shown).not.toContain(TOKEN);
      expect(shown).toContain('redacted');
    }
    expect(inspect(app, { depth: 10 })).not.toContain(pemLine);
    expect(JSON.stringify(app)).not.toContain(pemLine);
  });

  it('scrubs a secret, and each long line of a multi-line one, out of any text', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----';
    const text = `token ${TOKEN} and line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC quoted`;
    expect(redact(text, [new Secret(TOKEN), new Secret(pem)])).toBe('token [redacted] and line [redacted] quoted');
  });
});
