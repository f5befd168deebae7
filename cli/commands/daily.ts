/**
 * `okta-lake snapshot` and `okta-lake refresh-user`: the daily per-user activity and checks, for a whole
 * day or one user now. Both read an existing lake only; a day the lake holds no events for is said, not
 * reported as a quiet day.
 */
import { InvalidUserError } from '../../core/refresh-user.ts';
import { addDays, dayOf, parseDay } from '../../schema/layout.ts';
import { okta_users } from '../../schema/inventory.ts';
import { SYSTEM_LOG_RETENTION_DAYS } from '../../okta-api/index.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { EventCoverage } from '../lake-coverage.ts';
import { detectionSettings, existingLakeDir } from '../lake-options.ts';
import { findingJson, findingLines, table, type Io } from '../output.ts';
import { UsageError } from '../usage-error.ts';
import { oktaClientFromEnv } from '../okta-options.ts';

interface LakeArgs {
  readonly lake: string;
  readonly config?: string;
  readonly json?: boolean;
}

function parsedDay(value: string): string {
  try {
    return parseDay(value, '--day');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function openExisting(args: LakeArgs): Promise<LocalLake> {
  return LocalLake.open(existingLakeDir(args.lake), detectionSettings(args.config));
}

export async function snapshotCommand(io: Io, args: LakeArgs & { day: string }): Promise<void> {
  const day = parsedDay(args.day);
  const lake = await openExisting(args);
  try {
    // Before anything is written: a snapshot of an empty day would replace the day's activity with nothing. A day
    // with an inventory and no events yet still runs: its posture checks have what they read.
    const coverage = EventCoverage.of(lake.engine);
    const inventoried = lake.engine.partitionsWithData(okta_users).some((p) => p.dt === day);
    if (!inventoried) coverage.requireDay(day);
    const result = await lake.snapshotDay(day);
    const posture = new Set(lake.catalog.filter((d) => d.cadence === 'posture' && !lake.disabled.has(d.id)).map((d) => d.id));
    const failing = result.findings.filter((f) => posture.has(f.detection));
    if (args.json) {
      io.out(JSON.stringify({ day, users: result.users, inventory: inventoried, findings: result.findings.map(findingJson) }));
      return;
    }
    const note = coverage.dayNote(day);
    io.out(note ? `${day}: no activity (${note})` : `${day}: activity for ${result.users} user(s) in ${lake.root}/activity/dt=${day}/`);
    io.out(
      inventoried
        ? `${day}: ${posture.size} posture check(s) on the day's inventory: ${failing.length} failing (${new Set(failing.map((f) => f.entity.id)).size} identities)`
        : `${day}: no inventory for this day, so no posture check ran (okta-lake inventory --lake ${args.lake} --day ${day} --org URL or --from FOLDER)`,
    );
    for (const line of findingLines(result.findings, io.columns)) io.out(line);
  } finally {
    lake.close();
  }
}

export async function refreshUserCommand(io: Io, args: LakeArgs & { user: string; day?: string; org?: string }): Promise<void> {
  const day = args.day === undefined ? undefined : parsedDay(args.day);
  // Credentials and the org URL are checked before the lake is touched.
  const okta = args.org === undefined ? undefined : oktaClientFromEnv(args.org);
  if (okta && day !== undefined) {
    // Okta keeps 90 days of System Log (older `since` it answers with nothing, past 180 days it refuses): a fetch
    // for an older day would look like a clean result with no new events.
    const oldest = addDays(dayOf(new Date()), -SYSTEM_LOG_RETENTION_DAYS);
    if (addDays(day, 1) <= oldest)
      throw new UsageError(
        `--day ${day} is more than ${SYSTEM_LOG_RETENTION_DAYS} days ago: Okta keeps only ${SYSTEM_LOG_RETENTION_DAYS} days of System Log, so --org cannot fetch it; drop --org to rebuild the day from the lake`,
      );
  }
  const lake = await openExisting(args);
  try {
    const coverage = EventCoverage.of(lake.engine);
    let result;
    try {
      result = await lake.refreshUser(args.user, day, { okta });
    } catch (e) {
      if (e instanceof InvalidUserError) throw new UsageError(`--user: ${e.message}`);
      throw e;
    }
    // Said, not fatal: today (the default) holds no events yet just after midnight, and the user's
    // history still answers who they are.
    const note = result.fetched ? undefined : coverage.dayNote(result.day);
    if (note) io.err(note);
    io.err(
      result.fetched
        ? `fetched ${result.fetched.events} event(s) of the user from Okta since ${result.fetched.since} (${result.fetched.written} new to the lake)`
        : okta
          ? `Okta has no user ${args.user}; used the lake only`
          : 'used the lake only (pass --org to fetch the user\'s newest events from Okta first)',
    );
    if (args.json) {
      io.out(JSON.stringify({ ...result, findings: result.findings.map(findingJson), newFindings: undefined }));
      return;
    }
    if (!result.found) {
      if (okta && result.fetched === null) io.out(`Okta does not know the user ${args.user} (${okta.orgUrl.origin}), and neither does this lake`);
      else io.out(`no user ${args.user} in this lake (no event today, no activity in the last 90 days)`);
      return;
    }
    const a = result.activity;
    io.out(`${result.login} (${result.user_id}), ${result.day} so far:`);
    if (a) {
      for (const line of table([
        {
          events: a.event_count,
          sign_ins: a.sign_ins,
          failures: a.sign_in_failures,
          mfa: a.mfa_used,
          mfa_failed: a.mfa_failures,
          ips: a.ips.join(' '),
          countries: a.countries.join(', '),
          admin_actions: a.admin_actions,
        },
      ], { width: io.columns }))
        io.out(line);
    } else io.out('no activity today');
    for (const line of findingLines(result.findings, io.columns)) io.out(line);
  } finally {
    lake.close();
  }
}
