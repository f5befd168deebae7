/**
 * The `--org` value: an Okta org's base URL. Checked strictly and early, because a wrong one otherwise shows up
 * later as a confusing 404, a redirect to a sign-in page, or credentials sent to the wrong host.
 *
 * Accepted: `https://<host>` with no path, query or fragment (`https://acme.okta.com`, `https://acme.oktapreview.com`,
 * `https://login.acme.com` for a custom domain), and `http://127.0.0.1:PORT` / `http://localhost:PORT` for a
 * local stand-in. Refused with a hint: no scheme, plain http elsewhere, a path (`/admin`, `/oauth2/default`),
 * the Admin Console host (`acme-admin.okta.com`).
 */
import { OktaConfigError } from './errors.ts';

const EXPECTED =
  'expected the org base URL, like https://acme.okta.com (or .oktapreview.com, .okta-emea.com, or your custom domain): https, the host only, no path or query';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * Validates and normalises an org URL; returns its origin as a URL (`https://acme.okta.com`).
 * @param setting what to call the value in the error, e.g. `--org` or `OKTA_ORG_URL`.
 */
export function parseOrgUrl(value: string, setting = '--org'): URL {
  // Quoted in errors without what may be a credential: a user name and password before the host, a query string.
  const shown = value.replace(/\/\/[^/@?#]*@/, '//***@').replace(/\?.*$/, '?***');
  const fail = (reason: string): never => {
    throw new OktaConfigError(setting, `${setting} ${JSON.stringify(shown)} is not an Okta org URL: ${reason}; ${EXPECTED}.`);
  };
  const text = value.trim();
  if (!text) fail('it is empty');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    fail(/^[\w.-]+\.[a-z]{2,}(\/.*)?$/i.test(text) ? `it has no scheme (did you mean https://${text.replace(/\/.*$/, '')}?)` : 'it has no https:// scheme');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('it does not parse as a URL');
  }
  const local = url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
  if (url.protocol === 'http:' && !local) fail(`it uses http; Okta serves https only (did you mean https://${url.host}?)`);
  if (url.protocol !== 'https:' && !local) fail(`its scheme is ${url.protocol.replace(/:$/, '')}`);
  if (url.username || url.password) fail('it contains a user name or password');
  const adminHost = /^([^.]+)-admin(\..+)$/.exec(url.hostname);
  if (adminHost) fail(`it is the Admin Console host; drop "-admin": https://${adminHost[1]}${adminHost[2]}`);
  if (url.pathname !== '/') fail(`it has a path (${url.pathname}); give the host only: ${url.origin}`);
  if (url.search) fail(`it has a query; give the host only: ${url.origin}`);
  if (url.hash) fail(`it has a fragment (${url.hash})`);
  if (!local && !url.hostname.includes('.')) fail(`the host "${url.hostname}" is not a full domain name`);
  return new URL(url.origin);
}
