/**
 * The Okta API client: a layer below core/ that the CLI and the Lambdas share. It depends on node built-ins and
 * `jose` only. Start with `parseOrgUrl`, `credentialsFromEnv` (or `credentialsFromSecretJson`) and `new OktaClient`.
 */
export { parseOrgUrl } from './org-url.ts';
export { OktaApiError, OktaConfigError, OktaNetworkError, type OktaApiErrorKind } from './errors.ts';
export { Secret, redact } from './secret.ts';
export {
  DEFAULT_SCOPES,
  apiTokenCredentials,
  credentialsFromEnv,
  credentialsFromSecretJson,
  serviceAppCredentials,
  type ApiTokenCredentials,
  type OktaCredentials,
  type ServiceAppCredentials,
  type ServiceAppSettings,
} from './credentials.ts';
export { parseSigningKey, type SigningAlgorithm, type SigningKey } from './signing-key.ts';
export {
  OktaClient,
  type OktaClientOptions,
  type OktaClientStats,
  type OktaPage,
  type OktaPagesOptions,
  type OktaRequestOptions,
  type OktaResponse,
  type Query,
} from './client.ts';
export type { DpopMode } from './authorizer.ts';
export type { TransportEvent, TransportOptions } from './transport.ts';
export { scopeForPath } from './api-errors.ts';
export {
  SYSTEM_LOG_MAX_LIMIT,
  SYSTEM_LOG_MAX_SINCE_DAYS,
  SYSTEM_LOG_PATH,
  SYSTEM_LOG_RETENTION_DAYS,
  isPollingQuery,
  systemLogPages,
  systemLogQueryParams,
  type OktaLogEvent,
  type SystemLogPage,
  type SystemLogQuery,
  type SystemLogStart,
} from './system-log.ts';
export { listLogStreams, type ListLogStreamsOptions, type OktaLogStream } from './log-streams.ts';
export {
  DEPROVISIONED_SEARCH,
  DEVICES_MAX_LIMIT,
  USERS_MAX_LIMIT,
  getUser,
  listDevicePages,
  listDevices,
  listRoleAssignees,
  listUserDevices,
  listUserFactors,
  listUserPages,
  listUserRoles,
  listUsers,
  type IdentityRequestOptions,
  type ListDevicesOptions,
  type ListRoleAssigneesOptions,
  type ListUsersOptions,
} from './identities.ts';
export type { OktaDevice, OktaDeviceUser, OktaFactor, OktaRoleAssignee, OktaRoleAssignment, OktaUser, OktaUserDevice } from './identity-objects.ts';
