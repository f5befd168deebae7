/** Okta's error bodies, as the stand-in sends them: `{errorCode, errorSummary, errorLink, errorId, errorCauses}`. */
import { randomUUID } from 'node:crypto';

export interface OktaErrorBody {
  readonly errorCode: string;
  readonly errorSummary: string;
  readonly errorLink: string;
  readonly errorId: string;
  readonly errorCauses: ReadonlyArray<{ readonly errorSummary: string }>;
}

export function oktaError(errorCode: string, errorSummary: string, causes: readonly string[] = []): OktaErrorBody {
  return { errorCode, errorSummary, errorLink: errorCode, errorId: `oae${randomUUID().replaceAll('-', '').slice(0, 19)}`, errorCauses: causes.map((c) => ({ errorSummary: c })) };
}

export const INVALID_TOKEN = () => oktaError('E0000011', 'Invalid token provided');
export const NO_PERMISSION = () => oktaError('E0000006', 'You do not have permission to perform the requested action');
export const RATE_LIMITED = () => oktaError('E0000047', 'API call exceeded rate limit due to too many requests.');
export const SERVER_ERROR = () =>
  oktaError('E0000009', 'Internal Server Error');
export const NOT_FOUND = (path: string) => oktaError('E0000007', `Not found: Resource not found: ${path} (GenericResource)`);
