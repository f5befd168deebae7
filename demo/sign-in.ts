/**
 * End-user authentication as the Identity Engine logs it: the interactive sign-in (wrong passwords, the
 * sign-on policy evaluation, the MFA challenge, the session start), SSO into an app, and sign-out. The
 * event fragments that the attacks reuse live here too (a failed password, a push sent, an MFA verdict, a
 * successful login, the sign-on policy and its targets), so an attack event has exactly the shape of the
 * ordinary event it imitates.
 */
import { appTarget, appUserTarget, userActor, userTarget, type LogTarget } from './events.ts';
import type { App, Factor, Location, Org, User, UserAgent } from './org.ts';
import type { Rng } from './prng.ts';
import { SEC } from './clock.ts';
import type { EventBody, Sink } from './sink.ts';

export const sessionId = (rng: Rng) => `idx${rng.base62(22)}`;

export const enrollmentTarget = (u: User, name = 'Okta Verify'): LogTarget => ({
  id: u.enrollmentId,
  type: 'AuthenticatorEnrollment',
  alternateId: 'unknown',
  displayName: name,
  detailEntry: null,
});

export const behaviors = (newPlace: boolean) =>
  `{New Geo-Location=${newPlace ? 'POSITIVE' : 'NEGATIVE'}, New Device=${newPlace ? 'POSITIVE' : 'NEGATIVE'}, New IP=${newPlace ? 'POSITIVE' : 'NEGATIVE'}, New State=${newPlace ? 'POSITIVE' : 'NEGATIVE'}, New Country=${newPlace ? 'POSITIVE' : 'NEGATIVE'}, Velocity=${newPlace ? 'POSITIVE' : 'NEGATIVE'}, New City=${newPlace ? 'POSITIVE' : 'NEGATIVE'}}`;

/** The workforce sign-on policy and its MFA rule, as the targets of a sign-on evaluation. */
export const signOnPolicyTargets = (org: Org): LogTarget[] => [
  { id: org.ids.signOnPolicy, type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Acme Workforce Sign-On', detailEntry: { policyType: 'OktaSignOn' } },
  { id: org.ids.mfaRule, type: 'PolicyRule', alternateId: org.ids.signOnPolicy, displayName: 'Require MFA', detailEntry: null },
];

/** A sign-on policy evaluation that lets the user through (add the request URI, behaviours and targets). */
export const POLICY_ALLOW = {
  eventType: 'policy.evaluate_sign_on',
  displayMessage: 'Evaluation of sign-on policy',
  outcome: { result: 'ALLOW', reason: 'Sign-on policy evaluation resulted in ALLOW' },
} as const satisfies EventBody;

/** A wrong password (add the outcome reason and the request URI: the IdX form or the classic authn API). */
export const LOGIN_FAILED = {
  eventType: 'user.session.start',
  displayMessage: 'User login to Okta',
  legacyEventType: 'core.user_auth.login_failed',
  severity: 'WARN',
  credentialType: 'PASSWORD',
  authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER',
} as const satisfies EventBody;

/** The Okta session starting after every factor passed (add the credential type and behaviours). */
export const LOGIN_SUCCESS = {
  eventType: 'user.session.start',
  displayMessage: 'User login to Okta',
  legacyEventType: 'core.user_auth.login_success',
  requestUri: '/login/token/redirect',
  authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER',
} as const satisfies EventBody;

/** Okta Verify push sent to the user's phone. */
export const pushSent = (u: User): EventBody => ({
  eventType: 'system.push.send_factor_verify_push',
  displayMessage: 'Push notification sent for verification',
  legacyEventType: 'core.user.factor.push_sent',
  requestUri: '/idp/idx/challenge',
  target: [userTarget(u), enrollmentTarget(u)],
});

/**
 * The verdict on one MFA challenge (add the credential, debug data and targets). Identity Engine logs a
 * rejected push as a failed auth_via_mfa with the Okta Verify response type.
 */
export const mfaVerdict = (result: 'SUCCESS' | 'FAILURE', reason: string | null): EventBody => ({
  eventType: 'user.authentication.auth_via_mfa',
  displayMessage: 'Authentication of user via MFA',
  legacyEventType: result === 'SUCCESS' ? 'core.user.factor.attempt_success' : 'core.user.factor.attempt_fail',
  severity: result === 'SUCCESS' ? 'INFO' : 'WARN',
  outcome: { result, reason },
  requestUri: '/idp/idx/challenge/answer',
  authenticationProvider: 'FACTOR_PROVIDER',
});

export interface SignInOptions {
  readonly at: number;
  readonly from: Location;
  readonly ua: UserAgent;
  readonly dtHash?: string;
  /** Failed password attempts before the right one. */
  readonly failures?: number;
  /** The user rejects the first push by mistake. */
  readonly denyFirstPush?: boolean;
  readonly factor?: Factor;
  /** The sign-in comes from somewhere the user has never been. */
  readonly newPlace?: boolean;
}

/** One interactive sign-in (Identity Engine): failures, policy evaluation, MFA, session start. */
export function signIn(sink: Sink, rng: Rng, u: User, o: SignInOptions): { session: string; at: number } {
  const actor = userActor(u);
  const base = { actor, from: o.from, ua: o.ua, dtHash: o.dtHash };
  let t = o.at;
  for (let i = 0; i < (o.failures ?? 0); i++) {
    sink.emit(rng, { ...base, ...LOGIN_FAILED, at: t, outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' }, requestUri: '/idp/idx/challenge/answer' });
    t += rng.int(6, 40) * SEC;
  }
  const session = sessionId(rng);
  const s = { ...base, session };
  sink.emit(rng, {
    ...s,
    ...POLICY_ALLOW,
    at: t,
    requestUri: '/idp/idx/identify',
    debugData: { behaviors: behaviors(o.newPlace ?? false), deviceFingerprint: (o.dtHash ?? '').slice(0, 32) || rng.hex(32) },
    target: signOnPolicyTargets(sink.org),
  });
  t += rng.int(2, 6) * SEC;
  const factor = o.factor ?? u.factor;
  const mfa = (result: 'SUCCESS' | 'FAILURE', factorName: string, reason: string | null = null) =>
    sink.emit(rng, {
      ...s,
      ...mfaVerdict(result, reason),
      at: t,
      credentialProvider: factorName === 'SMS_FACTOR' ? null : 'OKTA_CREDENTIAL_PROVIDER',
      credentialType: factorName === 'SMS_FACTOR' ? 'SMS' : null,
      debugData: {
        factor: factorName,
        behaviors: behaviors(o.newPlace ?? false),
        ...(factorName === 'OKTA_VERIFY_PUSH' ? { pushOnlyResponseType: result === 'SUCCESS' ? 'OV_RESPONSE_APPROVE' : 'OV_RESPONSE_DENY' } : {}),
      },
      target: [userTarget(u), enrollmentTarget(u, factorName === 'SMS_FACTOR' ? 'Phone' : 'Okta Verify')],
    });
  const push = () => sink.emit(rng, { ...s, ...pushSent(u), at: t });
  if (factor === 'push') {
    if (o.denyFirstPush) {
      push();
      t += rng.int(3, 10) * SEC;
      mfa('FAILURE', 'OKTA_VERIFY_PUSH', 'User rejected Okta push verify');
      t += rng.int(8, 30) * SEC;
    }
    push();
    t += rng.int(4, 15) * SEC;
    mfa('SUCCESS', 'OKTA_VERIFY_PUSH');
  } else if (factor === 'fastpass') {
    mfa('SUCCESS', 'SIGNED_NONCE');
  } else {
    sink.emit(rng, {
      ...s,
      at: t,
      eventType: 'system.sms.send_factor_verify_message',
      displayMessage: 'Send SMS for factor verification',
      legacyEventType: 'core.user.sms.message_sent.verify',
      requestUri: '/idp/idx/challenge',
      target: [userTarget(u)],
    });
    t += rng.int(15, 50) * SEC;
    if (rng.chance(0.04)) {
      mfa('FAILURE', 'SMS_FACTOR', 'INVALID_CREDENTIALS');
      t += rng.int(10, 30) * SEC;
    }
    mfa('SUCCESS', 'SMS_FACTOR');
  }
  t += rng.int(1, 3) * SEC;
  sink.emit(rng, {
    ...s,
    ...LOGIN_SUCCESS,
    at: t,
    credentialType: factor === 'fastpass' ? null : 'PASSWORD',
    debugData: { behaviors: behaviors(o.newPlace ?? false) },
  });
  return { session, at: t };
}

export function sso(sink: Sink, rng: Rng, u: User, app: App, at: number, from: Location, ua: UserAgent, session: string, dtHash?: string): void {
  sink.emit(rng, {
    at,
    actor: userActor(u),
    from,
    ua,
    session,
    dtHash,
    eventType: 'user.authentication.sso',
    displayMessage: 'User single sign on to app',
    legacyEventType: 'app.auth.sso',
    requestUri: `/app/${app.name}/exk${app.id.slice(3, 17)}/sso/${app.signOnMode === 'SAML_2_0' ? 'saml' : 'oidc'}`,
    debugData: { initiationType: rng.chance(0.6) ? 'SP_INITIATED' : 'IDP_INITIATED', signOnMode: app.signOnMode === 'SAML_2_0' ? 'SAML 2.0' : 'OpenID Connect' },
    target: [appTarget(app), appUserTarget(u, app)],
  });
}

export function signOut(sink: Sink, rng: Rng, u: User, at: number, from: Location, ua: UserAgent, session: string, dtHash?: string): void {
  sink.emit(rng, {
    at,
    actor: userActor(u),
    from,
    ua,
    session,
    dtHash,
    eventType: 'user.session.end',
    displayMessage: 'User logout from Okta',
    legacyEventType: 'core.user_auth.logout_success',
    requestUri: '/login/signout',
  });
}
