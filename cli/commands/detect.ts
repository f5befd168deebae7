/**
 * `okta-lake detect`: the hourly detections over one arrival hour, a range, or every hour of a file, with
 * the escalation a new finding about a user triggers. Only an existing lake is read, and only hours it
 * holds events for count as a run: a mistyped path or date fails instead of looking like a clean hour.
 */
import { cascadeLines, cascadeOf, type Cascade } from '../../core/cascade.ts';
import type { Finding } from '../../core/findings.ts';
import { compareFindings } from '../../core/findings.ts';
import { hoursBetween, hourLabel, parseHour as parseLayoutHour, type Hour } from '../../schema/layout.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { EventCoverage, emptyHoursNotice } from '../lake-coverage.ts';
import { detectionSettings, existingLakeDir } from '../lake-options.ts';
import { findingJson, findingLines, type Io } from '../output.ts';
import { hourProgress } from '../progress.ts';
import { UsageError } from '../usage-error.ts';
import { ingestInto, ingestReport } from './ingest.ts';

export interface DetectArgs {
  readonly lake?: string;
  readonly hour?: string;
  readonly from?: string;
  readonly to?: string;
  readonly events?: string;
  readonly config?: string;
  readonly json?: boolean;
}

function parseHour(value: string, option: string): Hour {
  try {
    return parseLayoutHour(value, option);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The hours to run, from exactly one of --hour, --from/--to (or --events, resolved after ingest). */
export function requestedHours(args: DetectArgs): Hour[] | 'from-events' {
  const modes = [args.hour !== undefined, args.from !== undefined || args.to !== undefined, args.events !== undefined].filter(Boolean).length;
  if (modes !== 1) throw new UsageError('detect needs exactly one of --hour, --from/--to, or --events');
  if (args.events !== undefined) {
    if (args.lake !== undefined) throw new UsageError('--events runs on a temporary lake: leave out --lake (or ingest into your lake first)');
    return 'from-events';
  }
  if (args.lake === undefined) throw new UsageError('detect needs --lake <dir> (or --events <file>)');
  if (args.hour !== undefined) return [parseHour(args.hour, '--hour')];
  if (args.from === undefined || args.to === undefined) throw new UsageError('--from and --to go together');
  const from = parseHour(args.from, '--from');
  const to = parseHour(args.to, '--to');
  const hours = hoursBetween(from, to);
  if (hours.length === 0) throw new UsageError(`--from ${args.from} is after --to ${args.to}`);
  if (hours.length > 24 * 366) throw new UsageError(`--from/--to spans ${hours.length} hours; run at most a year at a time`);
  return hours;
}

export async function detectCommand(io: Io, args: DetectArgs): Promise<void> {
  const requested = requestedHours(args);
  const settings = detectionSettings(args.config);
  const lake = requested === 'from-events' ? await LocalLake.temporary(settings) : await LocalLake.open(existingLakeDir(args.lake!), settings);
  try {
    let hours: readonly Hour[];
    let withoutEvents: readonly Hour[] = [];
    if (requested === 'from-events') {
      const summary = await ingestInto(io, lake, args.events!);
      for (const line of ingestReport(summary, args.events!, lake.root)) io.err(line);
      hours = summary.hours;
    } else {
      hours = requested;
      withoutEvents = EventCoverage.of(lake.engine).requireHours(hours);
      if (withoutEvents.length) io.err(emptyHoursNotice(withoutEvents, hours.length));
    }

    const findings: Finding[] = [];
    const escalated = new Set<string>();
    const cascades: Cascade[] = [];
    let newFindings = 0;
    const progress = hourProgress(io, hours.length);
    try {
      for (const [done, hour] of hours.entries()) {
        progress.running(done, hourLabel(hour));
        const run = await lake.detectHour(hour);
        findings.push(...run.findings);
        newFindings += run.newFindings.length;
        // With a bar drawn, the bar is the progress; these lines would break it.
        if (!args.json && !progress.shown) io.err(`${hourLabel(hour)}: ${run.findings.length} finding(s), ${run.newFindings.length} new`);
        // Near-time escalation: a new finding about a user re-runs that user's daily checks at once.
        for (const f of run.newFindings) {
          if (f.entity.type !== 'user' || escalated.has(f.entity.id)) continue;
          escalated.add(f.entity.id);
          const cascade = await escalate(io, lake, f);
          if (cascade) {
            findings.push(...cascade.failing);
            cascades.push(cascade);
          }
        }
      }
      progress.running(hours.length, 'done');
    } finally {
      progress.stop();
    }
    if (!args.json && progress.shown) io.err(`${hours.length} hour(s): ${findings.length} finding(s), ${newFindings} new`);
    findings.sort(compareFindings);
    if (args.json) {
      io.out(
        JSON.stringify({
          hours: hours.map(hourLabel),
          hours_without_events: withoutEvents.map(hourLabel),
          findings: findings.map(findingJson),
          escalated_users: [...escalated],
          cascades: cascades.map((c) => ({
            user: c.user,
            trigger: c.trigger.finding_id,
            failing: c.failing.map((f) => ({ ...findingJson(f), new: c.newIds.has(f.finding_id) })),
          })),
        }),
      );
    } else {
      for (const line of findingLines(findings, io.columns)) io.out(line);
      // The story of each user a finding cascaded to, when other checks fail for them too.
      for (const c of cascades.filter((x) => x.failing.length > 0)) {
        io.out('');
        for (const line of cascadeLines(c, io.columns)) io.out(line);
      }
    }
  } finally {
    lake.close();
  }
}

/**
 * Runs refresh-user for the finding's user and day (their activity, daily and posture checks on the day's inventory)
 * and tells it as one cascade; a user the lake cannot resolve is reported, not fatal.
 */
async function escalate(io: Io, lake: LocalLake, finding: Finding): Promise<Cascade | undefined> {
  try {
    const refreshed = await lake.refreshUser(finding.entity.id, finding.window_start.slice(0, 10));
    return refreshed.found ? cascadeOf(finding, refreshed.findings, refreshed.newFindings) : undefined;
  } catch (e) {
    io.err(`escalation of ${finding.entity.id} (${finding.detection}) skipped: ${(e as Error).message}`);
    return undefined;
  }
}
