/**
 * Faults a test injects, matched by request number or by path (and which request to that path), each used a set
 * number of times: what Okta and networks do on a bad day.
 */
export type FaultAction =
  /** 429 E0000047 with Remaining 0 and the current window's reset. */
  | { readonly kind: 'rate-limited' }
  /** A 5xx with Okta's error body. @default status 500 */
  | { readonly kind: 'server-error'; readonly status?: number }
  /** 200 with no items; on /api/v1/logs its next link resumes where the request started. */
  | { readonly kind: 'empty-page' }
  /** No answer at all until the client gives up and closes the connection. */
  | { readonly kind: 'hang' }
  /** The connection is destroyed without an answer (the client sees a reset). */
  | { readonly kind: 'connection-reset' }
  /** 401 E0000011 Invalid token provided (an expired or revoked token). */
  | { readonly kind: 'invalid-token' }
  /** 403 E0000006 with `WWW-Authenticate: Bearer ... error="insufficient_scope", scope="<scope>"`. */
  | { readonly kind: 'missing-scope'; readonly scope: string }
  /** 404 with an HTML page, as a host that is not an Okta org answers. */
  | { readonly kind: 'not-an-org' };

export interface FaultMatch {
  /** The Nth request the server receives (1-based, all paths). */
  readonly request?: number;
  /** Requests to this path (no query). */
  readonly path?: string;
  /** With `path`: the Nth request to it (1-based). @default every request to the path */
  readonly nth?: number;
}

export interface Fault {
  readonly on: FaultMatch;
  readonly action: FaultAction;
  /** How many requests it applies to. @default 1 */
  readonly times?: number;
}

export class FaultPlan {
  readonly #faults: Array<{ fault: Fault; left: number }> = [];

  add(fault: Fault): void {
    this.#faults.push({ fault, left: fault.times ?? 1 });
  }

  /** The fault for this request, if any (and uses it up once). */
  take(requestNumber: number, path: string, nthForPath: number): FaultAction | undefined {
    for (const entry of this.#faults) {
      if (entry.left <= 0) continue;
      const { on } = entry.fault;
      if (on.request !== undefined && on.request !== requestNumber) continue;
      if (on.path !== undefined && on.path !== path) continue;
      if (on.nth !== undefined && on.nth > nthForPath) continue; // from the Nth request on, `times` times
      entry.left--;
      return entry.fault.action;
    }
    return undefined;
  }
}
