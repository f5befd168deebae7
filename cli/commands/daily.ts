import { InvalidUserError } from '../../core/refresh-user.ts';
import { parseDay } from '../../lake/layout.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { detectionSettings, existingLakeDir } from '../lake-options.ts';
import { findingJson, findingLines, table, type Io } from '../output.ts';
import { UsageError } from '../usage-error.ts';

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
    const result = await lake.snapshotDay(day);
    if (args.json) {
      io.out(JSON.stringify({ day, users: result.users, findings: result.findings.map(findingJson) }));
      return;
    }
    io.out(`${day}: activity for ${result.users} user(s) in ${lake.root}/activity/dt=${day}/`);
    for (const line of findingLines(result.findings)) io.out(line);
  } finally {
    lake.close();
  }
}

export async function refreshUserCommand(io: Io, args: LakeArgs & { user: string; day?: string }): Promise<void> {
  const day = args.day === undefined ? undefined : parsedDay(args.day);
  const lake = await openExisting(args);
  try {
    let result;
    try {
      result = await lake.refreshUser(args.user, day);
    } catch (e) {
      if (e instanceof InvalidUserError) throw new UsageError(`--user: ${e.message}`);
      throw e;
    }
    if (args.json) {
      io.out(JSON.stringify({ ...result, findings: result.findings.map(findingJson), newFindings: undefined }));
      return;
    }
    if (!result.found) {
      io.out(`no user ${args.user} in this lake (no event today, no activity in the last 90 days)`);
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
      ]))
        io.out(line);
    } else io.out('no activity today');
    for (const line of findingLines(result.findings)) io.out(line);
  } finally {
    lake.close();
  }
}
