/** The shapes shared by the stand-in's routes: a parsed request, a reply, and Okta-style Link headers. */
import type { IncomingHttpHeaders } from 'node:http';

export interface StandInRequest {
  readonly method: string;
  /** Absolute, on the stand-in's own origin. */
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Capture groups of the route's pattern (e.g. a user id). */
  readonly params: readonly string[];
  /** 1-based number of the request since the server started. */
  readonly number: number;
}

export interface StandInReply {
  /** @default 200 */
  readonly status?: number;
  readonly json?: unknown;
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
}

export type RouteHandler = (request: StandInRequest) => StandInReply | Promise<StandInReply>;

export interface RouteOptions {
  /** The scope an OAuth access token needs; undefined for routes that take no credentials (the token endpoint). */
  readonly scope?: string | undefined;
  /** Whether the route checks credentials. @default true */
  readonly authenticated?: boolean;
}

/** Okta's Link headers: always `self`, and `next` when there is one. */
export function linkHeaders(self: URL, next?: URL): string[] {
  const links = [`<${self.href}>; rel="self"`];
  if (next) links.push(`<${next.href}>; rel="next"`);
  return links;
}
