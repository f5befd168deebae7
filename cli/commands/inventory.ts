/**
 * `okta-lake inventory`: the identity inventory of a day (users, factors, devices, admin roles) into the lake, from
 * the live Okta API (`--org`) or a folder of saved API responses (`--from`), for the posture checks that
 * `okta-lake snapshot` runs.
 */
import { ApiInventorySource } from '../../inventory/api-source.ts';
import type { InventoryProgress, InventorySummary } from '../../core/inventory-collect.ts';
import { FolderInventorySource, InventoryFolderError } from '../../inventory/folder-source.ts';
import type { InventorySource } from '../../inventory/source.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { addDays, dayOf, parseDay } from '../../schema/layout.ts';
import { localLakeSettings } from '../lake-options.ts';
import type { Io } from '../output.ts';
import { inventoryProgress } from '../progress.ts';
import { oktaClientFromEnv } from '../okta-options.ts';
import { UsageError } from '../usage-error.ts';

export interface InventoryArgs {
  readonly lake: string;
  readonly org?: string;
  readonly from?: string;
  readonly day?: string;
  readonly includeDeprovisioned?: boolean;
  readonly config?: string;
  readonly json?: boolean;
}

/** The day the snapshot is filed under; from the live API, only today or yesterday (what the API says is now). */
function snapshotDay(args: InventoryArgs, today: string): string {
  if (args.day === undefined) return today;
  let day: string;
  try {
    day = parseDay(args.day, '--day');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (args.org !== undefined && day !== today && day !== addDays(today, -1)) {
    throw new UsageError(
      `--day ${day}: the Okta API gives the identities as they are now, which can be filed under today (${today}) or, just after midnight, yesterday; ` +
        'for another day use --from with responses saved on that day',
    );
  }
  return day;
}

function sourceOf(args: InventoryArgs): InventorySource {
  if ((args.org === undefined) === (args.from === undefined)) {
    throw new UsageError('give exactly one of --org <url> (the live Okta API) or --from <folder> (saved API responses)');
  }
  if (args.includeDeprovisioned && args.from !== undefined) throw new UsageError('--include-deprovisioned applies to --org only (a saved users.json holds what was saved)');
  if (args.org !== undefined) return new ApiInventorySource(oktaClientFromEnv(args.org), { includeDeprovisioned: args.includeDeprovisioned ?? false });
  try {
    return new FolderInventorySource(args.from!);
  } catch (e) {
    if (e instanceof InventoryFolderError) throw new UsageError(`--from: ${e.message}`);
    throw e;
  }
}

/** One line per part, for people. */
export function inventoryLines(s: InventorySummary, seconds: number): string[] {
  const lines = [
    `inventory of ${s.day} from ${s.source}: ${s.users} user(s), ${s.factors} factor enrollment(s), ${s.devices} device row(s), ` +
      `${s.roles} admin role assignment(s)${s.apiCalls === undefined ? '' : `, ${s.apiCalls} API call(s)`} in ${seconds.toFixed(1)} s`,
  ];
  for (const skip of s.skipped) lines.push(`  ${skip.part} not collected: ${skip.reason}`);
  if (s.skipped.length > 0) lines.push('  the checks that need those parts leave those users alone until a collection includes them');
  return lines;
}

export async function inventoryCommand(io: Io, args: InventoryArgs): Promise<void> {
  // Arguments, credentials and the folder are checked before the lake is opened (opening creates it).
  const source = sourceOf(args);
  const settings = localLakeSettings(args.config);
  const lake = await LocalLake.open(args.lake, settings);
  try {
    const day = snapshotDay(args, dayOf(lake.now()));
    const started = Date.now();
    const bar = inventoryProgress(io);
    const onProgress = (p: InventoryProgress) => {
      if (p.part === 'factors') bar.update(p.done, p.total);
    };
    let summary: InventorySummary;
    try {
      summary = await lake.collectInventory(source, day, onProgress);
    } catch (e) {
      if (e instanceof InventoryFolderError) throw new UsageError(`--from: ${e.message}`);
      throw e;
    } finally {
      bar.stop();
    }
    const seconds = (Date.now() - started) / 1000;
    if (args.json) {
      io.out(JSON.stringify({ ...summary, seconds: Number(seconds.toFixed(3)) }));
      for (const skip of summary.skipped) io.err(`${skip.part} not collected: ${skip.reason}`);
      return;
    }
    const [first, ...rest] = inventoryLines(summary, seconds);
    io.out(first!);
    for (const line of rest) io.err(line);
    io.out(`next: okta-lake snapshot --lake ${args.lake} --day ${day}   (runs the posture checks on it)`);
  } finally {
    lake.close();
  }
}
