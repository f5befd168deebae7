/** The --org value is checked before anything is sent, with one error that names the value and the expected form. */
import { describe, expect, it } from 'vitest';
import { OktaConfigError, parseOrgUrl } from '../../okta-api/index.ts';

describe('org URL validation', () => {
  it.each([
    ['https://acme.okta.com', 'https://acme.okta.com'],
    ['https://acme.okta.com/', 'https://acme.okta.com'],
    ['  https://acme.oktapreview.com  ', 'https://acme.oktapreview.com'],
    ['https://acme.okta-emea.com', 'https://acme.okta-emea.com'],
    ['https://login.acme.example', 'https://login.acme.example'],
    ['HTTPS://ACME.OKTA.COM', 'https://acme.okta.com'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['http://localhost:4000/', 'http://localhost:4000'],
  ])('accepts %s as %s', (value, origin) => {
    expect(parseOrgUrl(value).origin).toBe(origin);
  });

  it.each([
    ['acme.okta.com', /no scheme \(did you mean https:\/\/acme\.okta\.com\?\)/],
    ['http://acme.okta.com', /uses http; Okta serves https only \(did you mean https:\/\/acme\.okta\.com\?\)/],
    ['https://acme-admin.okta.com', /Admin Console host; drop "-admin": https:\/\/acme\.okta\.com/],
    ['https://acme-admin.oktapreview.com/admin/dashboard', /drop "-admin": https:\/\/acme\.oktapreview\.com/],
    ['https://acme.okta.com/oauth2/default', /has a path \(\/oauth2\/default\); give the host only: https:\/\/acme\.okta\.com/],
    ['https://acme.okta.com/admin', /has a path/],
    ['https://acme.okta.com?x=1', /has a query/],
    ['https://acme.okta.com/#top', /has a fragment/],
    ['https://user:pass@acme.okta.com', /user name or password/],
    ['ftp://acme.okta.com', /scheme is ftp/],
    ['https://acme', /not a full domain name/],
    ['', /it is empty/],
    ['https://', /does not parse/],
  ])('refuses %j naming the value and the expected form', (value, reason) => {
    let error: unknown;
    try {
      parseOrgUrl(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OktaConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(reason);
    const shown = value.replace('user:pass@', '***@').replace('?x=1', '?***');
    expect(message).toContain(`--org ${JSON.stringify(shown)} is not an Okta org URL`);
    expect(message).toContain('expected the org base URL, like https://acme.okta.com');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('never prints a password or query string it was given', () => {
    for (const value of ['https://admin:hunter2@acme.okta.com', 'https://acme.okta.com/?token=hunter2']) {
      expect(() => parseOrgUrl(value)).toThrow(OktaConfigError);
      try {
        parseOrgUrl(value);
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter2');
        expect((error as Error).message).toContain('***');
      }
    }
  });

  it('names the setting it was given', () => {
    expect(() => parseOrgUrl('acme', 'OKTA_ORG_URL')).toThrow(/^OKTA_ORG_URL "acme" is not an Okta org URL/);
  });
});
