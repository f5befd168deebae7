/**
 * `okta-lake user-360`: one user at a glance (core/user-360.ts): identity, factors, devices, admin roles, daily
 * activity and findings of the last 30 days, and the posture checks they fail on the day, as sections for people
 * or one JSON document. A user the lake does not know in those days is an error (exit 1), not an empty answer.
 */
import { identityLine } from '../../core/identity-context.ts';
import { InvalidUserError } from '../../core/refresh-user.ts';
import { USER_360_DAYS, user360, type FactRow } from '../../core/user-360.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { dayOf, parseDay } from '../../schema/layout.ts';
import { detectionSettings, existingLakeDir } from '../lake-options.ts';
import { findingJson, findingLines, table, type Io } from '../output.ts';
import { UsageError } from '../usage-error.ts';

export interface User360Args {
  readonly lake: string;
  readonly user: string;
  readonly day?: string;
  readonly config?: string;
  readonly json?: boolean;
}

const short = (v: unknown): string => (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? `${v.slice(0, 16)}Z` : v === null || v === undefined ? '' : String(v));

function section(io: Io, title: string, rows: readonly FactRow[], columns: readonly string[], empty: string): void {
  io.out('');
  io.out(`${title} (${rows.length})`);
  if (rows.length === 0) {
    io.out(`  ${empty}`);
    return;
  }
  for (const line of table(rows.map((r) => Object.fromEntries(columns.map((c) => [c, short(r[c])]))), { columns, width: io.columns })) io.out(`  ${line}`);
}

export async function user360Command(io: Io, args: User360Args): Promise<void> {
  let day: string | undefined;
  try {
    if (args.day !== undefined) day = parseDay(args.day, '--day');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const lake = await LocalLake.open(existingLakeDir(args.lake), detectionSettings(args.config));
  try {
    const posture = lake.catalog.filter((d) => d.cadence === 'posture' && !lake.disabled.has(d.id)).map((d) => d.id);
    let view;
    try {
      view = await user360({ engine: lake.engine, user: args.user, day: day ?? dayOf(lake.now()), postureDetections: posture });
    } catch (e) {
      if (e instanceof InvalidUserError) throw new UsageError(`--user: ${e.message}`);
      throw e;
    }
    if (!view.found) {
      throw new Error(
        `no user ${args.user} in this lake from ${view.from_dt} to ${view.day}: no inventory, activity or finding names them ` +
          `(check the login or id, pick another --day, or collect the inventory with okta-lake inventory)`,
      );
    }
    if (args.json) {
      io.out(JSON.stringify({ ...view, findings: view.findings.map(findingJson), posture: view.posture.map(findingJson) }));
      return;
    }

    io.out(`${view.login ?? args.user}${view.user_id ? ` (${view.user_id})` : ''} on ${view.day}; activity and findings since ${view.from_dt} (${USER_360_DAYS} days)`);
    io.out('');
    if (view.identity && view.summary) {
      io.out(`identity (inventory of ${view.summary.inventory_dt})`);
      io.out(`  ${identityLine(view.summary)}`);
      const i = view.identity;
      for (const [k, v] of [
        ['display name', i.display_name],
        ['user type', i.user_type],
        ['department', i.department],
        ['title', i.title],
        ['manager', i.manager],
        ['created', i.created],
        ['last login', i.last_login],
        ['password changed', i.password_changed],
      ] as const) {
        if (v !== null && v !== undefined && v !== '') io.out(`  ${`${k}:`.padEnd(18)}${short(v)}`);
      }
    } else {
      io.out('identity');
      io.out(`  no inventory of the user from ${view.from_dt} to ${view.day} (okta-lake inventory --lake ${args.lake} --day ${view.day} --org URL or --from FOLDER)`);
    }
    if (view.identity) {
      const collected = (flag: unknown, what: string) => (flag === true ? `no ${what}` : `${what} not collected`);
      section(io, 'factors', view.factors, ['factor_type', 'provider', 'status', 'strength', 'bound_hint', 'last_verified'], collected(view.identity.factors_collected, 'factor'));
      section(io, 'devices', view.devices, ['display_name', 'platform', 'os_version', 'status', 'management_status', 'disk_encryption_type', 'screen_lock_type'], 'no device');
      section(io, 'admin roles', view.roles, ['role_type', 'role_label', 'assignment_type', 'status'], collected(view.identity.roles_collected, 'admin role'));
    }

    io.out('');
    io.out(`activity (${view.activity.length} day${view.activity.length === 1 ? '' : 's'})`);
    if (view.activity.length === 0) io.out('  no activity');
    else
      for (const line of table(
        view.activity.map((a) => ({
          dt: a.dt,
          events: a.event_count,
          sign_ins: a.sign_ins,
          failures: a.sign_in_failures,
          mfa_failed: a.mfa_failures,
          admin_actions: a.admin_actions,
          countries: a.countries.join(', '),
          ips: a.ips.join(' '),
        })),
        { width: io.columns },
      ))
        io.out(`  ${line}`);

    io.out('');
    io.out(`findings (${view.findings.length})`);
    if (view.findings.length === 0) io.out('  none');
    else for (const line of findingLines(view.findings, io.columns)) io.out(`  ${line}`);

    io.out('');
    io.out(`failing posture checks on ${view.day} (${view.posture.length} of ${view.postureChecks} checks)`);
    if (view.postureChecks === 0) io.out('  the catalog has no posture check enabled');
    else if (view.posture.length === 0) io.out(view.identity ? '  none' : '  none (no inventory, so no posture check could run)');
    else for (const line of findingLines(view.posture, io.columns)) io.out(`  ${line}`);
  } finally {
    lake.close();
  }
}
