/**
 * The stand-in Okta: a real `node:http` server on 127.0.0.1 that tests start, serving Okta's shapes for the
 * System Log, log streams, the identity endpoints (users, factors, roles, devices: `identity-api.ts`), paged
 * collections and the org authorization server, with Okta's rate-limit headers and injectable faults. It records
 * every request, so a test can assert how many reached a path and that no request broke the rate limit.
 *
 * Reuse: `standIn.route(method, path, handler, { scope })` adds an endpoint (credentials, rate limits, faults and
 * recording apply to it too); `collections` serves any list with Okta's `after`/`limit` paging.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthorizationServer, insufficientScope, type IssuedToken, type ServiceAppRegistration } from './authorization-server.ts';
import { EventStore } from './event-store.ts';
import { eventList, type EventSource, type StandInLogEvent } from './events.ts';
import { FaultPlan, type Fault, type FaultAction } from './faults.ts';
import { IdentityApi, oktaRateLimitBucket, type StandInIdentityOrg } from './identity-api.ts';
import { NOT_FOUND, RATE_LIMITED, SERVER_ERROR } from './okta-errors.ts';
import { RateLimitWindows, type RateLimitConfig, type RateLimitDecision } from './rate-limit-windows.ts';
import { linkHeaders, type RouteHandler, type RouteOptions, type StandInReply, type StandInRequest } from './routes.ts';
import { FilterSyntaxError, parseFilter } from './scim-filter.ts';
import { systemLogReply } from './system-log-api.ts';

/** The API token the stand-in accepts unless told otherwise. */
export const STAND_IN_API_TOKEN = '00standInApiToken0000000000000000000000000';

export interface OktaStandInOptions {
  /** System Log events: a list, or a generated source (`generatedEvents`) for very many. @default none */
  readonly events?: readonly StandInLogEvent[] | EventSource;
  /** @default STAND_IN_API_TOKEN */
  readonly apiToken?: string;
  /** A service app the token endpoint knows. @default none (token requests fail with invalid_client) */
  readonly serviceApp?: ServiceAppRegistration;
  /** Per-bucket request limit. @default 100000 a second (headers present, never hit) */
  readonly rateLimit?: RateLimitConfig;
  /** `GET /api/v1/logStreams` items. @default none */
  readonly logStreams?: readonly Record<string, unknown>[];
  /**
   * Users, factors, roles and devices served on Okta's identity endpoints (`identity-api.ts`; `generatedIdentityOrg`
   * makes a large one). A `collections` entry for the same path takes precedence. @default none (those paths 404)
   */
  readonly identities?: StandInIdentityOrg;
  /** Other lists served with Okta paging, by path: `{ '/api/v1/users': [...] }`. Items need an `id`. */
  readonly collections?: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  /** Items a page of a collection when the request has no `limit`. @default 200 */
  readonly defaultPageSize?: number;
  /** The org's clock. @default Date.now */
  readonly now?: () => number;
}

export interface RecordedRequest {
  readonly number: number;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The Authorization scheme used (`SSWS`, `Bearer`, `DPoP`), or `none`. */
  readonly scheme: string;
  status: number | 'no-response';
  /** The client closed the connection before an answer. */
  aborted: boolean;
  /** The fault injected, if any. */
  fault: FaultAction['kind'] | undefined;
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handler: RouteHandler;
  readonly options: RouteOptions;
}

/** The scope Okta requires per API path (the stand-in's own table, independent of the client's). */
const SCOPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/api\/v1\/logs$/, 'okta.logs.read'],
  [/^\/api\/v1\/logStreams/, 'okta.logStreams.read'],
  [/^\/api\/v1\/users\/[^/]+\/roles/, 'okta.roles.read'],
  [/^\/api\/v1\/iam\//, 'okta.roles.read'],
  [/^\/api\/v1\/users/, 'okta.users.read'],
  [/^\/api\/v1\/devices/, 'okta.devices.read'],
  [/^\/api\/v1\/groups/, 'okta.groups.read'],
  [/^\/api\/v1\/apps/, 'okta.apps.read'],
];

export function scopeForStandInPath(path: string): string | undefined {
  return SCOPES.find(([p]) => p.test(path))?.[1];
}

export class OktaStandIn {
  /** The org URL to give the client: `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly requests: RecordedRequest[] = [];
  readonly #server: Server;
  readonly #routes: Route[] = [];
  readonly #faults = new FaultPlan();
  readonly #store: EventStore;
  readonly #rateLimits: RateLimitWindows;
  readonly #auth: AuthorizationServer;
  readonly #perPath = new Map<string, number>();
  readonly #hanging = new Set<ServerResponse>();
  readonly #now: () => number;

  private constructor(server: Server, options: OktaStandInOptions) {
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.#now = options.now ?? Date.now;
    const events = options.events;
    this.#store = new EventStore(Array.isArray(events) ? eventList(events as readonly StandInLogEvent[]) : ((events as EventSource | undefined) ?? eventList([])));
    this.#rateLimits = new RateLimitWindows(options.rateLimit ?? { limit: 100_000, windowSeconds: 1 });
    this.#auth = new AuthorizationServer({ apiToken: options.apiToken ?? STAND_IN_API_TOKEN, serviceApp: options.serviceApp, now: this.#now });

    this.route('POST', '/oauth2/v1/token', (request) => this.#auth.token(request), { authenticated: false });
    this.route('GET', '/api/v1/logs', (request) => systemLogReply(request, { store: this.#store, now: this.#now }));
    this.route('GET', '/api/v1/logStreams', (request) => this.#collectionPage(request, options.logStreams ?? [], options.defaultPageSize ?? 20));
    if (options.identities) {
      const identities = new IdentityApi(options.identities);
      this.route('GET', '/api/v1/users', (request) => identities.listUsers(request));
      this.route('GET', /^\/api\/v1\/users\/([^/]+)$/, (request) => identities.getUser(request), { scope: 'okta.users.read' });
      this.route('GET', /^\/api\/v1\/users\/([^/]+)\/factors$/, (request) => identities.factors(request), { scope: 'okta.users.read' });
      this.route('GET', /^\/api\/v1\/users\/([^/]+)\/roles$/, (request) => identities.roles(request), { scope: 'okta.roles.read' });
      this.route('GET', /^\/api\/v1\/users\/([^/]+)\/devices$/, (request) => identities.userDevices(request), { scope: 'okta.users.read' });
      this.route('GET', '/api/v1/devices', (request) => identities.listDevices(request));
      this.route('GET', '/api/v1/iam/assignees/users', (request) => identities.roleAssignees(request));
    }
    for (const [path, items] of Object.entries(options.collections ?? {})) {
      this.route('GET', path, (request) => this.#collectionPage(request, items, options.defaultPageSize ?? 200));
    }
  }

  static async start(options: OktaStandInOptions = {}): Promise<OktaStandIn> {
    let standIn: OktaStandIn | undefined;
    const server = createServer((req, res) => {
      void standIn!.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`stand-in bug: ${String(error)}`);
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    standIn = new OktaStandIn(server, options);
    return standIn;
  }

  /** Adds an endpoint. `path` is exact, or a RegExp whose groups become `params`. */
  route(method: string, path: string | RegExp, handler: RouteHandler, options: RouteOptions = {}): void {
    const pattern = typeof path === 'string' ? new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : path;
    const scope = options.scope ?? (typeof path === 'string' ? scopeForStandInPath(path) : undefined);
    this.#routes.unshift({ method, pattern, handler, options: { ...options, scope } });
  }

  /** Stores events now, after everything already there (a test's "new event in Okta"). */
  addEvents(events: readonly StandInLogEvent[]): void {
    this.#store.add(events, this.#now());
  }

  inject(fault: Fault): void {
    this.#faults.add(fault);
  }

  expireAccessTokens(): void {
    this.#auth.expireAccessTokens();
  }

  /** Requests that went over the rate limit (429s the stand-in had to send, faults not counted). */
  get violations(): number {
    return this.#rateLimits.violations;
  }

  /** Access tokens issued so far. */
  get issuedTokens(): readonly IssuedToken[] {
    return this.#auth.issued;
  }

  /** Requests received, all or to one path. */
  requestCount(path?: string): number {
    return path === undefined ? this.requests.length : this.requests.filter((r) => r.path === path).length;
  }

  async close(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const number = this.requests.length + 1;
    const nthForPath = (this.#perPath.get(url.pathname) ?? 0) + 1;
    this.#perPath.set(url.pathname, nthForPath);
    const authorization = req.headers.authorization ?? '';
    const record: RecordedRequest = {
      number,
      method,
      path: url.pathname,
      query: url.searchParams,
      scheme: authorization.split(' ')[0] || 'none',
      status: 'no-response',
      aborted: false,
      fault: undefined,
    };
    this.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
      this.#hanging.delete(res);
    });
    const request: StandInRequest = { method, url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), params: [], number };

    const match = this.#routes.map((route) => ({ route, m: route.method === method ? route.pattern.exec(url.pathname) : null })).find((r) => r.m);
    if (!match) return this.#send(res, record, { status: 404, json: NOT_FOUND(url.pathname) }, undefined);
    const { route } = match;
    // Okta's bucket where the stand-in knows it (a user's factors, roles and devices share one), else one per route.
    const bucket = oktaRateLimitBucket(method, url.pathname) ?? `${method} ${route.pattern.source}`;
    const routed: StandInRequest = { ...request, params: match.m!.slice(1) };

    const fault = this.#faults.take(number, url.pathname, nthForPath);
    if (fault) {
      record.fault = fault.kind;
      return this.#fault(res, record, routed, fault, this.#rateLimits.peek(bucket, this.#now()));
    }
    const window = this.#rateLimits.take(bucket, this.#now());
    const rateHeaders = {
      'x-rate-limit-limit': String(window.limit),
      'x-rate-limit-remaining': String(window.remaining),
      'x-rate-limit-reset': String(window.resetSeconds),
    };
    if (!window.allowed) return this.#send(res, record, { status: 429, json: RATE_LIMITED() }, rateHeaders);
    if (route.options.authenticated !== false) {
      const check = await this.#auth.check(routed, route.options.scope);
      if (!check.ok) return this.#send(res, record, check.reply, rateHeaders);
    }
    this.#send(res, record, await route.handler(routed), rateHeaders);
  }

  /** Answers with an injected fault; it is not counted in the rate-limit window, whose state it reports. */
  #fault(res: ServerResponse, record: RecordedRequest, request: StandInRequest, fault: FaultAction, window: RateLimitDecision): void {
    const limitHeaders = (remaining: number) => ({
      'x-rate-limit-limit': String(window.limit),
      'x-rate-limit-remaining': String(Math.min(remaining, window.remaining)),
      'x-rate-limit-reset': String(window.resetSeconds),
    });
    switch (fault.kind) {
      case 'hang':
        this.#hanging.add(res); // answered never; released when the client closes the socket
        return;
      case 'connection-reset':
        res.socket?.destroy();
        return;
      case 'rate-limited':
        return this.#send(res, record, { status: 429, json: RATE_LIMITED() }, limitHeaders(0));
      case 'server-error':
        return this.#send(res, record, { status: fault.status ?? 500, json: SERVER_ERROR() }, undefined);
      case 'empty-page':
        if (request.url.pathname === '/api/v1/logs') return this.#send(res, record, systemLogReply(request, { store: this.#store, now: this.#now }, true), limitHeaders(window.remaining));
        return this.#send(res, record, { json: [], headers: { link: linkHeaders(request.url) } }, limitHeaders(window.remaining));
      case 'invalid-token':
        return this.#send(res, record, { status: 401, json: { errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorId: 'oaeStandIn', errorCauses: [] } }, limitHeaders(window.remaining));
      case 'missing-scope':
        return this.#send(res, record, insufficientScope(request, fault.scope), limitHeaders(window.remaining));
      case 'not-an-org':
        return this.#send(res, record, { status: 404, text: '<!DOCTYPE html><html><body>Not Found</body></html>', headers: { 'content-type': 'text/html' } }, undefined);
    }
  }

  /** A page of a list with Okta's `after` (the last id) and `limit`, and optional `filter`. */
  #collectionPage(request: StandInRequest, items: readonly Record<string, unknown>[], defaultPageSize: number): StandInReply {
    const q = request.url.searchParams;
    let selected = items;
    const filter = q.get('filter');
    if (filter) {
      try {
        const predicate = parseFilter(filter);
        selected = items.filter(predicate);
      } catch (error) {
        if (error instanceof FilterSyntaxError) return { status: 400, json: { errorCode: 'E0000053', errorSummary: error.message } };
        throw error;
      }
    }
    const limit = Math.min(1000, Math.max(1, Number(q.get('limit') ?? defaultPageSize) || defaultPageSize));
    const after = q.get('after');
    const start = after ? selected.findIndex((item) => item.id === after) + 1 : 0;
    const page = selected.slice(start, start + limit);
    let next: URL | undefined;
    if (start + limit < selected.length && page.length) {
      next = new URL(request.url.href);
      next.searchParams.set('after', String(page[page.length - 1]!.id));
    }
    return { json: page, headers: { link: linkHeaders(request.url, next) } };
  }

  #send(res: ServerResponse, record: RecordedRequest, reply: StandInReply, rateHeaders: Record<string, string> | undefined): void {
    if (res.destroyed) return;
    const status = reply.status ?? 200;
    record.status = status;
    const body = reply.text ?? JSON.stringify(reply.json ?? null);
    const headers: Record<string, string | string[]> = { 'content-type': 'application/json', ...(rateHeaders ?? {}) };
    for (const [name, value] of Object.entries(reply.headers ?? {})) headers[name] = typeof value === 'string' ? value : [...value];
    res.writeHead(status, headers);
    res.end(body);
  }
}

export function startOktaStandIn(options: OktaStandInOptions = {}): Promise<OktaStandIn> {
  return OktaStandIn.start(options);
}
