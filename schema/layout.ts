/**
 * Where things live in a lake, on disk or under an S3 prefix: the same relative paths in both.
 * Partition directories are Hive style (`dt=YYYY-MM-DD/hour=HH/`), as Firehose writes them.
 */
import { activity, findings, notified, okta_admin_roles, okta_devices, okta_events, okta_factors, okta_users } from './index.ts';

export const lakePaths = {
  events: okta_events.location,
  raw: 'okta/raw',
  errors: 'okta/errors',
  findings: findings.location,
  activity: activity.location,
  notified: notified.location,
  users: okta_users.location,
  factors: okta_factors.location,
  devices: okta_devices.location,
  adminRoles: okta_admin_roles.location,
} as const;

/** One arrival hour, UTC: the unit the hourly run and the events partitions are cut by. */
export interface Hour {
  /** `YYYY-MM-DD` */
  readonly dt: string;
  /** `00`..`23` */
  readonly hour: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

export const dayOf = (d: Date): string => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

export const hourOf = (d: Date): Hour => ({ dt: dayOf(d), hour: pad(d.getUTCHours()) });

export const hourStart = (h: Hour): Date => new Date(`${h.dt}T${h.hour}:00:00.000Z`);

export const addHours = (h: Hour, n: number): Hour => hourOf(new Date(hourStart(h).getTime() + n * 3_600_000));

/** `2026-11-25T04` */
export const hourLabel = (h: Hour): string => `${h.dt}T${h.hour}`;

const HOUR_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2})$/;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses `YYYY-MM-DDTHH` strictly; the error names the value and the expected form. */
export function parseHour(value: string, what = 'hour'): Hour {
  const m = HOUR_RE.exec(value);
  const h = m ? { dt: m[1]!, hour: m[2]! } : undefined;
  if (!h || Number.isNaN(hourStart(h).getTime()) || hourLabel(hourOf(hourStart(h))) !== value) {
    throw new Error(`${what} "${value}" is not a UTC hour of the form YYYY-MM-DDTHH (e.g. 2026-11-25T04)`);
  }
  return h;
}

/** Parses `YYYY-MM-DD` strictly. */
export function parseDay(value: string, what = 'day'): string {
  if (!DAY_RE.test(value) || Number.isNaN(new Date(`${value}T00:00:00Z`).getTime()) || dayOf(new Date(`${value}T00:00:00Z`)) !== value) {
    throw new Error(`${what} "${value}" is not a date of the form YYYY-MM-DD (e.g. 2026-11-25)`);
  }
  return value;
}

export const addDays = (day: string, n: number): string => dayOf(new Date(new Date(`${day}T00:00:00Z`).getTime() + n * 86_400_000));

/** Every hour from `from` to `to`, both included. */
export function hoursBetween(from: Hour, to: Hour): Hour[] {
  const out: Hour[] = [];
  for (let t = hourStart(from).getTime(); t <= hourStart(to).getTime(); t += 3_600_000) out.push(hourOf(new Date(t)));
  return out;
}

export const partitionPath = (values: Record<string, string>): string =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join('/');

/** ISO-8601 with date, time and zone, as Okta writes `published` and EventBridge writes `time`. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses an ISO-8601 instant with a zone, strictly: `Date.parse` rolls an impossible date such as
 * 2024-02-30 over to March, and a query's `from_iso8601_timestamp` then fails on the text, so the calendar
 * fields must be valid as written.
 */
export function parseIsoInstant(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ISO_INSTANT.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const fields = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (fields.getUTCFullYear() !== y || fields.getUTCMonth() !== mo - 1 || fields.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t);
}
