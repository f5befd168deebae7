/**
 * Exclusions: per detection (or `*` for all), the IPs, IPv4 ranges and users whose activity is not evidence, such as a
 * VPN egress that trips the spray rule or a scanner account that fails sign-ins by design. They are applied in the
 * SQL, as parameters, the same way on DuckDB and on Athena:
 *
 * - events: every read of `okta_events` in an event-reading query becomes a read of the events left after the
 *   exclusions (client IP, actor login or id), so counts and thresholds are computed without them;
 * - findings: a finding whose entity is an excluded user or IP is dropped (daily detections and posture checks, which
 *   read `activity` and the inventory, are excluded this way).
 *
 * IPv4 ranges are compared as numbers; an IPv6 address is excluded by its exact text (Okta writes it compressed and
 * lower-case), and an IPv6 range is refused at configuration time rather than silently ignored.
 */
import { isIP } from 'node:net';
import type { SqlParam } from './sql-params.ts';

/** What a configuration lists for one detection, or for `*` (every detection). */
export interface ExclusionList {
  /** IP addresses (IPv4 or IPv6) or IPv4 CIDR ranges (`203.0.113.0/24`). */
  readonly ips?: readonly string[];
  /** Okta logins or user ids (`00u...`), of people or service accounts, compared case-insensitively. */
  readonly users?: readonly string[];
}

/** Exclusion lists by detection id; `*` applies to every detection. */
export type ExclusionConfig = Readonly<Record<string, ExclusionList>>;

/** One detection's exclusions, checked and ready for the SQL. */
export interface DetectionExclusions {
  /** Exact addresses, lower-case. */
  readonly ips: readonly string[];
  /** IPv4 ranges as inclusive numeric bounds. */
  readonly ipv4Ranges: readonly (readonly [number, number])[];
  /** Logins or user ids, lower-case. */
  readonly users: readonly string[];
}

export const ALL_DETECTIONS = '*';

export class ExclusionError extends Error {}

/** `a.b.c.d` as a number, or undefined when it is not a dotted IPv4 address. */
export function ipv4Number(ip: string): number | undefined {
  if (isIP(ip) !== 4) return undefined;
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** Checks one configured list; `where` names it in messages (`detections.exclusions.okta-password-spray`). */
export function parseExclusionList(where: string, list: ExclusionList): DetectionExclusions {
  const ips: string[] = [];
  const ipv4Ranges: [number, number][] = [];
  (list.ips ?? []).forEach((raw, i) => {
    const value = raw.trim().toLowerCase();
    const [address = '', bits, ...rest] = value.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) {
      throw new ExclusionError(`${where}.ips[${i}]: "${raw}" is not an IP address or an IPv4 CIDR range (e.g. 203.0.113.7 or 203.0.113.0/24)`);
    }
    if (bits === undefined) {
      ips.push(address);
      return;
    }
    if (family === 6) {
      throw new ExclusionError(`${where}.ips[${i}]: "${raw}": IPv6 ranges are not supported; list the IPv6 addresses one by one`);
    }
    const prefix = Number(bits);
    if (!/^\d{1,2}$/.test(bits) || prefix > 32) throw new ExclusionError(`${where}.ips[${i}]: "${raw}": the prefix length must be 0 to 32`);
    const size = 2 ** (32 - prefix);
    const from = Math.floor(ipv4Number(address)! / size) * size;
    if (from !== ipv4Number(address)) {
      throw new ExclusionError(`${where}.ips[${i}]: "${raw}" has host bits set; the range starting there is ${numberToIpv4(from)}/${prefix}`);
    }
    ipv4Ranges.push([from, from + size - 1]);
  });
  const users = (list.users ?? []).map((raw, i) => {
    const value = raw.trim().toLowerCase();
    if (value === '' || /[\u0000-\u001f]/.test(value)) throw new ExclusionError(`${where}.users[${i}]: "${raw}" is not a login or user id`);
    return value;
  });
  return { ips: [...new Set(ips)], ipv4Ranges, users: [...new Set(users)] };
}

const numberToIpv4 = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/**
 * Each detection's exclusions: its own list joined with the `*` list. An id the catalog does not know is an error
 * naming it, as for thresholds. Detections with nothing excluded are left out of the map.
 */
export function resolveExclusions(knownIds: readonly string[], config: ExclusionConfig = {}): Map<string, DetectionExclusions> {
  const known = new Set(knownIds);
  for (const id of Object.keys(config)) {
    if (id !== ALL_DETECTIONS && !known.has(id)) {
      throw new ExclusionError(`exclusions: no detection "${id}" (use "${ALL_DETECTIONS}" for every detection; known: ${knownIds.join(', ')})`);
    }
  }
  const everywhere = parseExclusionList(`exclusions.${ALL_DETECTIONS}`, config[ALL_DETECTIONS] ?? {});
  const out = new Map<string, DetectionExclusions>();
  for (const id of knownIds) {
    const own = parseExclusionList(`exclusions.${id}`, config[id] ?? {});
    const joined: DetectionExclusions = {
      ips: [...new Set([...everywhere.ips, ...own.ips])],
      ipv4Ranges: [...everywhere.ipv4Ranges, ...own.ipv4Ranges],
      users: [...new Set([...everywhere.users, ...own.users])],
    };
    if (joined.ips.length + joined.ipv4Ranges.length + joined.users.length > 0) out.set(id, joined);
  }
  return out;
}

/** SQL (Trino, and DuckDB after translation) and the `:name` values of one detection's exclusions. */
export interface ExclusionSql {
  /** True when `ip` (a varchar expression) is excluded. */
  readonly ipExcluded: (ip: string) => string;
  /** True when `user` (a varchar expression: login or id) is excluded. */
  readonly userExcluded: (user: string) => string;
  readonly params: Readonly<Record<string, SqlParam>>;
}

/** The IPv4 address in `ip` as a bigint; null for anything else (an IPv6 address, Okta's 'null'). */
const ipv4NumberSql = (ip: string) =>
  [1, 2, 3, 4].map((part, i) => `try_cast(split_part(${ip}, '.', ${part}) as bigint) * ${256 ** (3 - i)}`).join(' + ');

export function exclusionSql(ex: DetectionExclusions): ExclusionSql {
  const params: Record<string, SqlParam> = {};
  const names = (prefix: string, values: readonly SqlParam[]) =>
    values.map((v, i) => {
      params[`${prefix}_${i}`] = v;
      return `:${prefix}_${i}`;
    });
  const ipNames = names('excluded_ip', ex.ips);
  const rangeNames = ex.ipv4Ranges.map(([from, to], i) => [names(`excluded_ipv4_from_${i}`, [from])[0]!, names(`excluded_ipv4_to_${i}`, [to])[0]!] as const);
  const userNames = names('excluded_user', ex.users);
  const anyOf = (terms: string[]) => (terms.length === 0 ? 'false' : `coalesce(${terms.join(' or ')}, false)`);
  return {
    ipExcluded: (ip) =>
      anyOf([
        ...(ipNames.length ? [`lower(${ip}) in (${ipNames.join(', ')})`] : []),
        ...rangeNames.map(([from, to]) => `(${ipv4NumberSql(ip)}) between ${from} and ${to}`),
      ]),
    userExcluded: (user) => anyOf(userNames.length ? [`lower(${user}) in (${userNames.join(', ')})`] : []),
    params,
  };
}

/**
 * The events a detection may count: `okta_events` less the excluded actors and client IPs. Written as a derived
 * table so each engine pushes the detection's own partition predicates into it.
 */
export function eventsInScope(sql: ExclusionSql): string {
  const ip = "nullif(client.ipaddress, 'null')";
  return (
    `(select * from okta_events where not (${sql.ipExcluded(ip)}` +
    ` or ${sql.userExcluded('actor.alternateid')} or ${sql.userExcluded('actor.id')}))`
  );
}

/**
 * The same test as the SQL's, in code, for the near-real-time path (one event, no engine): whether `ip` or one of
 * `users` (logins or ids) is excluded.
 */
export function isExcluded(ex: DetectionExclusions, candidate: { readonly ip?: string | null; readonly users: readonly (string | null | undefined)[] }): boolean {
  const ip = candidate.ip?.toLowerCase();
  if (ip && ip !== 'null') {
    if (ex.ips.includes(ip)) return true;
    const n = ipv4Number(ip);
    if (n !== undefined && ex.ipv4Ranges.some(([from, to]) => n >= from && n <= to)) return true;
  }
  return candidate.users.some((u) => typeof u === 'string' && ex.users.includes(u.toLowerCase()));
}
