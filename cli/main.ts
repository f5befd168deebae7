/**
 * `okta-lake`: the lake on a laptop. Wires the commands (commander) and turns errors into one clear line
 * and an exit code: 2 for a usage or input error, 1 for anything else.
 *
 * Each command's module is imported when the command runs, not before: `detections list` should not pay for loading
 * DuckDB and the SQL translator, which only the commands that query the lake use.
 */
import { Command, CommanderError, Option } from 'commander';
import { CatalogError } from '../core/catalog.ts';
import { UsageError } from './usage-error.ts';
import { endQuietlyOnClosedPipe } from './closed-pipe.ts';
import { processIo, type Io } from './output.ts';

export function buildProgram(io: Io): Command {
  const program = new Command('okta-lake')
    .description('Okta System Log lake: ingest, detections, daily activity and investigation, locally on DuckDB.')
    .showHelpAfterError('(run okta-lake --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();

  const lake = () => new Option('--lake <dir>', 'lake folder').makeOptionMandatory();
  const json = () => new Option('--json', 'print only JSON on stdout');
  const config = () => new Option('--config <file>', 'okta-lake.config.json with detection thresholds (default: ./okta-lake.config.json if present)');

  program
    .command('ingest')
    .description('ingest Okta events (NDJSON, a JSON array, JSON objects back to back, Firehose error records; gzip or not) into the lake')
    .argument('<file>', 'the file, or - for stdin')
    .addOption(lake())
    .addOption(json())
    .action(async (file: string, opts) => (await import('./commands/ingest.ts')).ingestCommand(io, { file, ...opts }));

  program
    .command('replay')
    .description("replay Firehose's raw backup (okta/raw/) or error records (okta/errors/) into the lake, skipping events it holds")
    .argument('<source>', 'a downloaded folder (read recursively, .gz or plain), or s3://bucket/prefix (your AWS credentials)')
    .addOption(lake())
    .addOption(json())
    .action(async (source: string, opts) => (await import('./commands/replay.ts')).replayCommand(io, { source, ...opts }));

  program
    .command('backfill')
    .description('pull the System Log of an Okta org from its API into the lake (resumable), then build the daily snapshots of those days')
    .addOption(lake())
    .requiredOption('--org <url>', "the org's base URL, e.g. https://acme.okta.com (credentials: OKTA_API_TOKEN, or OKTA_CLIENT_ID with OKTA_PRIVATE_KEY)")
    .requiredOption('--since <when>', 'first instant: 2026-09-01, 2026-09-01T00:00:00Z, or 90d (days back; Okta keeps 90)')
    .addOption(new Option('--until <when>', 'last instant, excluded (default: now)'))
    .addOption(new Option('--restart', 'start over even when an unfinished backfill of another range is checkpointed'))
    .addOption(new Option('--no-snapshots', 'do not build the daily snapshots of the days backfilled'))
    .addOption(new Option('--detect', 'also run the hourly detections over the hours backfilled (findings summarized as history)'))
    .addOption(new Option('--batch <events>', 'events written (and checkpointed) at a time').default('50000'))
    .addOption(config())
    .addOption(json())
    .action(async (opts) => (await import('./commands/backfill.ts')).backfillCommand(io, opts));

  program
    .command('detect')
    .description('run the hourly detections for one arrival hour, a range of hours, or every hour of a file')
    .addOption(new Option('--lake <dir>', 'lake folder (not with --events)'))
    .addOption(new Option('--hour <YYYY-MM-DDTHH>', 'one arrival hour (UTC)'))
    .addOption(new Option('--from <YYYY-MM-DDTHH>', 'first hour of a range (inclusive)'))
    .addOption(new Option('--to <YYYY-MM-DDTHH>', 'last hour of a range (inclusive)'))
    .addOption(new Option('--events <file>', 'ingest this NDJSON file into a temporary lake and run every hour it covers'))
    .addOption(config())
    .addOption(json())
    .action(async (opts) => (await import('./commands/detect.ts')).detectCommand(io, opts));

  program
    .command('inventory')
    .description("collect the org's identities (users, MFA factors, devices, admin roles) for a day, for the posture checks")
    .addOption(lake())
    .addOption(new Option('--org <url>', "read them live from this Okta org, e.g. https://acme.okta.com (credentials as for backfill; scopes okta.users.read, okta.devices.read, okta.roles.read)"))
    .addOption(new Option('--from <folder>', 'read them from saved API responses: users.json, factors/<id>.json, devices.json, role-assignees.json, roles/<id>.json'))
    .addOption(new Option('--day <YYYY-MM-DD>', 'the day the snapshot is filed under (default: today, UTC)'))
    .addOption(new Option('--include-deprovisioned', 'with --org: also list DEPROVISIONED users (one more listing)'))
    .addOption(config())
    .addOption(json())
    .action(async (opts) => (await import('./commands/inventory.ts')).inventoryCommand(io, opts));

  program
    .command('snapshot')
    .description("compute the daily per-user activity for a day and run the daily checks and the posture checks on the day's inventory")
    .addOption(lake())
    .requiredOption('--day <YYYY-MM-DD>', 'the day (UTC)')
    .addOption(config())
    .addOption(json())
    .action(async (opts) => (await import('./commands/daily.ts')).snapshotCommand(io, opts));

  program
    .command('refresh-user')
    .description("recompute one user's activity for today so far and run the daily checks for that user now")
    .addOption(lake())
    .requiredOption('--user <login-or-id>', 'Okta login (e-mail) or user id (00u...)')
    .addOption(new Option('--day <YYYY-MM-DD>', 'the day to refresh (default: today, UTC)'))
    .addOption(new Option('--org <url>', "fetch the user's newest events from this Okta org first, e.g. https://acme.okta.com (credentials as for backfill)"))
    .addOption(config())
    .addOption(json())
    .action(async (opts) => (await import('./commands/daily.ts')).refreshUserCommand(io, opts));

  program
    .command('user-360')
    .description("one user at a glance: identity, MFA factors, devices, admin roles, 30 days of activity and findings, failing posture checks")
    .addOption(lake())
    .requiredOption('--user <login-or-id>', 'Okta login (e-mail) or user id (00u...)')
    .addOption(new Option('--day <YYYY-MM-DD>', 'the day (default: today, UTC): its inventory and posture checks, and the 30 days up to it'))
    .addOption(config())
    .addOption(json())
    .action(async (opts) => (await import('./commands/user-360.ts')).user360Command(io, opts));

  program
    .command('query')
    .description(
      'run Athena-dialect SQL over the local tables okta_events, okta_events_unique (each event once: re-ingested or ' +
        'redelivered copies removed; filter on dt), activity, findings, notified, and the inventory okta_users, okta_factors, ' +
        'okta_devices, okta_admin_roles (each with an *_current view: the latest collection of each user and day)',
    )
    .argument('[sql]', 'the SQL text (or use --file)')
    .addOption(lake())
    .addOption(new Option('--file <path>', 'read the SQL from a file, e.g. investigations/user-timeline.sql'))
    .addOption(new Option('--param <name=value...>', 'a :name parameter of the query (repeatable)'))
    .addOption(json())
    .action(async (sql: string | undefined, opts) => (await import('./commands/query.ts')).queryCommand(io, { sql, ...opts }));

  const detections = program.command('detections').description('the detection catalog');
  detections
    .command('list', { isDefault: true })
    .description('list every detection')
    .addOption(json())
    .action(async (opts) => (await import('./commands/detections.ts')).detectionsListCommand(io, opts));
  detections
    .command('show')
    .description("a detection's metadata and SQL")
    .argument('<id>', 'detection id')
    .addOption(new Option('--athena', 'print the SQL as the runs send it to Athena (values written in), for the Athena console'))
    .addOption(new Option('--hour <YYYY-MM-DDTHH>', 'with --athena, for an hourly detection: the hour (default: the last full hour, UTC)'))
    .addOption(new Option('--day <YYYY-MM-DD>', 'with --athena, for a daily detection: the day (default: yesterday, UTC)'))
    .addOption(json())
    .action(async (id: string, opts) => (await import('./commands/detections.ts')).detectionsShowCommand(io, { id, ...opts }));
  detections
    .command('doc')
    .description('the catalog as Markdown (docs/detections.md)')
    .addOption(new Option('--write <file>', 'write it to this file instead of stdout'))
    .addOption(new Option('--config <file>', 'add a column with the exclusions this config file sets (detections.exclusions)'))
    .action(async (opts) => (await import('./commands/detections.ts')).detectionsDocCommand(io, opts));

  program
    .command('demo')
    .description('generate a realistic day for a made-up org with attacks mixed in, and run everything on it')
    .addOption(new Option('--lake <dir>', 'lake folder (cleared first)').default('.okta-lake/demo'))
    .addOption(new Option('--seed <n>', 'random seed').default('7'))
    .addOption(json())
    .action(async (opts) => (await import('./commands/demo.ts')).demoCommand(io, opts));

  return program;
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError || e instanceof CatalogError) {
      io.err(`okta-lake: ${e.message}`);
      return 2;
    }
    io.err(`okta-lake: ${(e as Error).message}`);
    if (process.env.OKTA_LAKE_DEBUG) io.err((e as Error).stack ?? '');
    return 1;
  }
}

const invokedDirectly = process.argv[1] && /(cli[/\\]main\.ts|okta-lake(\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  endQuietlyOnClosedPipe();
  process.exitCode = await main(process.argv.slice(2));
}
