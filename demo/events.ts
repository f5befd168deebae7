/**
 * Okta System Log `LogEvent`s as the System Log API and Log Streaming deliver them (camelCase keys), built
 * from a few facts: when, what, who, from where, with which outcome and targets.
 */
import type { App, Location, User, UserAgent } from './org.ts';
import { ORG_DOMAIN } from './org.ts';
import { hash32, Rng } from './prng.ts';

export interface LogActor {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
  detailEntry: Record<string, string> | null;
}

export interface LogTarget {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
  detailEntry: Record<string, string> | null;
  changeDetails?: { from: Record<string, string>; to: Record<string, string> };
}

export interface LogGeo {
  city: string;
  state: string;
  country: string;
  postalCode: string;
  geolocation: { lat: number; lon: number };
}

export interface LogEvent {
  uuid: string;
  published: string;
  eventType: string;
  version: string;
  severity: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  legacyEventType: string | null;
  displayMessage: string;
  actor: LogActor;
  client: {
    userAgent: { rawUserAgent: string; os: string; browser: string } | null;
    zone: string;
    device: string;
    id: string | null;
    ipAddress: string | null;
    geographicalContext: LogGeo | null;
  };
  device: null;
  authenticationContext: {
    authenticationProvider: string | null;
    credentialProvider: string | null;
    credentialType: string | null;
    issuer: null;
    interface: string | null;
    authenticationStep: number;
    externalSessionId: string | null;
    rootSessionId?: string;
  };
  securityContext: {
    asNumber: number | null;
    asOrg: string | null;
    isp: string | null;
    domain: string | null;
    isProxy: boolean | null;
  };
  debugContext: { debugData: Record<string, string> };
  outcome: { result: string; reason: string | null };
  target: LogTarget[] | null;
  transaction: { type: 'WEB' | 'JOB'; id: string; detail: Record<string, string> };
  request: { ipChain: { ip: string; geographicalContext: LogGeo; version: 'V4' | 'V6'; source: null }[] };
}

export interface EventSpec {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly eventType: string;
  readonly displayMessage: string;
  readonly legacyEventType?: string | null;
  readonly severity?: LogEvent['severity'];
  readonly actor: LogActor;
  readonly from?: Location | null;
  readonly ua?: UserAgent | null;
  readonly session?: string | null;
  readonly outcome?: { readonly result: string; readonly reason?: string | null };
  readonly target?: LogTarget[] | null;
  readonly debugData?: Readonly<Record<string, string>>;
  readonly dtHash?: string;
  readonly requestUri?: string;
  readonly authenticationProvider?: string | null;
  readonly credentialProvider?: string | null;
  readonly credentialType?: string | null;
  readonly transactionType?: 'WEB' | 'JOB';
  readonly transactionDetail?: Readonly<Record<string, string>>;
  readonly clientId?: string | null;
}

/** A version-1-looking uuid, as Okta's are (`dc9fd3c0-598c-11ef-8478-2b7584bf8d5a`). */
export const eventUuid = (rng: Rng): string => `${rng.hex(8)}-${rng.hex(4)}-11ef-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`;

/** Okta request ids: 27 characters of base64url (`ZHYFlX6QY0rHqq1oihP7CwAACSI`). */
const requestId = (rng: Rng): string => `${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 23)}AAA${rng.pick(['A', 'B', 'C', 'D', 'E'])}`;

const geo = (l: Location): LogGeo => ({
  city: l.city,
  state: l.state,
  country: l.country,
  postalCode: l.postalCode,
  geolocation: { lat: l.lat, lon: l.lon },
});

export const userActor = (u: Pick<User, 'id' | 'login' | 'displayName'>): LogActor => ({
  id: u.id,
  type: 'User',
  alternateId: u.login,
  displayName: u.displayName,
  detailEntry: null,
});

/** Someone who typed a login the org does not have: Okta names them `unknown`. */
export const unknownActor = (login: string): LogActor => ({ id: 'unknown', type: 'User', alternateId: login, displayName: 'unknown', detailEntry: null });

export const systemActor: LogActor = { id: '0oa1system0principal', type: 'SystemPrincipal', alternateId: 'system@okta.com', displayName: 'Okta System', detailEntry: null };

export const userTarget = (u: Pick<User, 'id' | 'login' | 'displayName'>): LogTarget => ({
  id: u.id,
  type: 'User',
  alternateId: u.login,
  displayName: u.displayName,
  detailEntry: null,
});

export const appTarget = (a: App): LogTarget => ({
  id: a.id,
  type: 'AppInstance',
  alternateId: a.label,
  displayName: a.label,
  detailEntry: { signOnModeType: a.signOnMode },
});

/** The user's account in an app (AppUser): one stable id per user and app, as in Okta. */
export const appUserTarget = (u: Pick<User, 'id' | 'login' | 'displayName'>, app: App): LogTarget => ({
  id: `0ua${new Rng(hash32(`${u.id}:${app.id}`)).base62(17)}`,
  type: 'AppUser',
  alternateId: u.login,
  displayName: u.displayName,
  detailEntry: null,
});

export const isoMs = (ms: number): string => new Date(ms).toISOString();

export function buildEvent(rng: Rng, spec: EventSpec): LogEvent {
  const from = spec.from ?? null;
  const reqId = requestId(rng);
  const uri = spec.requestUri ?? '/api/v1/authn';
  const debugData: Record<string, string> = { requestId: reqId, requestUri: uri, url: `${uri}?`, ...(spec.debugData ?? {}) };
  if (from) debugData.threatSuspected ??= 'false';
  if (spec.dtHash) debugData.dtHash = spec.dtHash;
  const session = spec.session ?? null;
  return {
    uuid: eventUuid(rng),
    published: isoMs(spec.at),
    eventType: spec.eventType,
    version: '0',
    severity: spec.severity ?? 'INFO',
    legacyEventType: spec.legacyEventType ?? null,
    displayMessage: spec.displayMessage,
    actor: spec.actor,
    client: {
      userAgent: spec.ua ? { rawUserAgent: spec.ua.rawUserAgent, os: spec.ua.os, browser: spec.ua.browser } : null,
      zone: from?.zone ?? 'null',
      device: spec.ua?.device ?? (from ? 'Unknown' : 'null'),
      id: spec.clientId ?? null,
      ipAddress: from?.ip ?? null,
      geographicalContext: from ? geo(from) : null,
    },
    device: null,
    authenticationContext: {
      authenticationProvider: spec.authenticationProvider ?? null,
      credentialProvider: spec.credentialProvider ?? null,
      credentialType: spec.credentialType ?? null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      externalSessionId: session,
      ...(session ? { rootSessionId: session } : {}),
    },
    securityContext: from
      ? { asNumber: from.asn, asOrg: from.asOrg, isp: from.isp, domain: from.domain, isProxy: from.isProxy ?? false }
      : { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    debugContext: { debugData },
    outcome: { result: spec.outcome?.result ?? 'SUCCESS', reason: spec.outcome?.reason ?? null },
    target: spec.target ?? null,
    transaction: { type: spec.transactionType ?? 'WEB', id: reqId, detail: { ...(spec.transactionDetail ?? {}) } },
    request: { ipChain: from ? [{ ip: from.ip, geographicalContext: geo(from), version: from.ip.includes(':') ? 'V6' : 'V4', source: null }] : [] },
  };
}

/** The login a made-up new hire gets. */
export const loginOf = (first: string, last: string): string => `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}@${ORG_DOMAIN}`;
