/** The stand-in Okta for tests: start one per test (port 0), point a client at `standIn.url`, close it after. */
export { OktaStandIn, STAND_IN_API_TOKEN, scopeForStandInPath, startOktaStandIn, type OktaStandInOptions, type RecordedRequest } from './server.ts';
export { actorId, eventList, generatedEvents, minimalEvent, sampleEvent, type EventSource, type GeneratedEventsOptions, type StandInLogEvent } from './events.ts';
export type { Fault, FaultAction, FaultMatch } from './faults.ts';
export type { IssuedToken, ServiceAppRegistration } from './authorization-server.ts';
export type { RateLimitConfig } from './rate-limit-windows.ts';
export type { RouteHandler, RouteOptions, StandInReply, StandInRequest } from './routes.ts';
export {
  OKTA_IDENTITY_RATE_LIMITS,
  generatedIdentityOrg,
  oktaRateLimitBucket,
  type GeneratedIdentityOrgOptions,
  type StandInDevice,
  type StandInDeviceUser,
  type StandInIdentityOrg,
} from './identity-api.ts';
