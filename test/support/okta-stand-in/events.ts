/**
 * System Log events for the stand-in: a list given by a test, or generated on the fly from an index (so 200,000+
 * events cost no memory). Either way a source is ordered by `published` (then `uuid`), which is also the order Okta
 * stored them in; events a test adds later are stored after all of them.
 */
export interface StandInLogEvent {
  readonly uuid: string;
  readonly published: string;
  readonly eventType: string;
  readonly [field: string]: unknown;
}

/** Events by position, ordered by (published, uuid). */
export interface EventSource {
  readonly count: number;
  at(index: number): StandInLogEvent;
}

export interface GeneratedEventsOptions {
  readonly count: number;
  /** The first event's `published`. */
  readonly start: Date | string | number;
  /** Time between consecutive events. @default 1000 */
  readonly stepMs?: number;
  /** How many distinct actors (00u...) the events spread over. @default 50 */
  readonly actors?: number;
  /**
   * `full`: every LogEvent section, about 1.3 KB an event, like Okta's. `minimal`: uuid, published, eventType,
   * actor, outcome and target only (about 0.3 KB), for tests of paging at scale where the payload is not the point.
   * @default 'full'
   */
  readonly detail?: 'full' | 'minimal';
}

const EVENT_TYPES = [
  'user.session.start',
  'user.authentication.sso',
  'user.authentication.auth_via_mfa',
  'policy.evaluate_sign_on',
  'user.session.end',
  'app.oauth2.token.grant.access_token',
] as const;

/** A deterministic, realistic event number `index` published at `publishedMs`. */
export function sampleEvent(index: number, publishedMs: number, actors = 50): StandInLogEvent {
  const actor = index % actors;
  const hex = index.toString(16).padStart(12, '0');
  const eventType = EVENT_TYPES[index % EVENT_TYPES.length]!;
  return {
    uuid: `5a1f0e00-0000-4000-8000-${hex}`,
    published: new Date(publishedMs).toISOString(),
    eventType,
    version: '0',
    severity: 'INFO',
    displayMessage: eventType === 'user.session.start' ? 'User login to Okta' : 'Okta event',
    legacyEventType: eventType === 'user.session.start' ? 'core.user_auth.login_success' : null,
    actor: { id: actorId(actor), type: 'User', alternateId: `user${actor}@example.com`, displayName: `User ${actor}`, detailEntry: null },
    client: {
      userAgent: { rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15', os: 'Mac OS X', browser: 'SAFARI' },
      zone: 'null',
      device: 'Computer',
      ipAddress: `198.51.100.${index % 250}`,
      geographicalContext: { city: 'Amsterdam', state: 'North Holland', country: 'Netherlands', postalCode: '1012', geolocation: { lat: 52.37, lon: 4.89 } },
    },
    outcome: { result: index % 9 === 0 ? 'FAILURE' : 'SUCCESS', reason: index % 9 === 0 ? 'INVALID_CREDENTIALS' : null },
    target: [{ id: `0oa${hex.slice(-8)}app`, type: 'AppInstance', alternateId: 'Salesforce', displayName: 'Salesforce.com' }],
    transaction: { type: 'WEB', id: `tx${hex}`, detail: {} },
    debugContext: { debugData: { requestId: `req${hex}`, requestUri: '/idp/idx/identify', url: '/idp/idx/identify?' } },
    authenticationContext: { authenticationStep: 0, externalSessionId: `idx${hex}` },
    securityContext: { asNumber: 64496, asOrg: 'example', isp: 'example', domain: 'example.net', isProxy: false },
    request: { ipChain: [{ ip: `198.51.100.${index % 250}`, version: 'V4', source: null }] },
  };
}

/** The fields most code reads, without the rest of a LogEvent. */
export function minimalEvent(index: number, publishedMs: number, actors = 50): StandInLogEvent {
  const { uuid, published, eventType, actor, outcome, target } = sampleEvent(index, publishedMs, actors);
  return { uuid, published, eventType, actor, outcome, target };
}

export function actorId(actor: number): string {
  return `00u${actor.toString().padStart(17, '0')}`;
}

/** `count` events, one every `stepMs` from `start`, made when asked for. */
export function generatedEvents(options: GeneratedEventsOptions): EventSource {
  const start = new Date(options.start).getTime();
  const step = options.stepMs ?? 1000;
  if (!(step >= 1)) throw new RangeError('stepMs must be >= 1 so events are ordered');
  const make = options.detail === 'minimal' ? minimalEvent : sampleEvent;
  return { count: options.count, at: (index) => make(index, start + index * step, options.actors) };
}

/** A list of events as a source (a sorted copy). */
export function eventList(events: readonly StandInLogEvent[]): EventSource {
  const sorted = [...events].sort(compareEvents);
  return { count: sorted.length, at: (index) => sorted[index]! };
}

export function compareEvents(a: StandInLogEvent, b: StandInLogEvent): number {
  return Date.parse(a.published) - Date.parse(b.published) || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0);
}
