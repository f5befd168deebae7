/**
 * `okta-lake replay <folder|s3://bucket/prefix> --lake DIR`: puts back into the lake what reached AWS but
 * not the Parquet table: Firehose's raw backup (`okta/raw/`) or its error records (`okta/errors/`), from a
 * downloaded folder or straight from S3 with the user's AWS credentials. Events the lake holds already are
 * skipped, so replaying more than needed is safe; the summary names the hours that received events, and the
 * `detect` command that re-runs them.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { hourLabel } from '../../schema/layout.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import type { IngestSummary, InputSource } from '../../ingest/ingest.ts';
import { folderSources, parseReplayLocation, ReplayLocationError, S3ReadError, type ReplayLocation } from '../../ingest/replay.ts';
import type { Io } from '../output.ts';
import { filesProgress } from '../progress.ts';
import { UsageError } from '../usage-error.ts';
import { errorFileLines, firehoseErrorLines, rejectionLines } from './ingest.ts';

export interface ReplayArgs {
  /** A folder (or one file), or `s3://bucket/prefix`. */
  readonly source: string;
  readonly lake: string;
  readonly json?: boolean;
}

export interface ReplayDeps {
  /** The S3 client for an `s3://` source. @default a client with the default credential chain (profile, SSO, environment, role) */
  readonly s3?: S3Client;
}

function location(source: string): ReplayLocation {
  try {
    return parseReplayLocation(source);
  } catch (e) {
    if (e instanceof ReplayLocationError) throw new UsageError(e.message);
    throw e;
  }
}

/** The inputs, and how many when known (a folder is listed up front; an S3 prefix page by page). */
async function inputs(where: ReplayLocation, deps: ReplayDeps): Promise<{ sources: Iterable<InputSource> | AsyncIterable<InputSource>; total?: number }> {
  if (where.kind === 's3') {
    // Loaded here only: the AWS SDK takes a while to load, and no other command needs it.
    const [{ S3Client }, { s3Sources }] = await Promise.all([import('@aws-sdk/client-s3'), import('../../ingest/s3-sources.ts')]);
    // followRegionRedirects: the bucket may live in another region than the profile's default.
    return { sources: s3Sources(deps.s3 ?? new S3Client({ followRegionRedirects: true }), where.bucket, where.prefix) };
  }
  let files: InputSource[];
  try {
    files = folderSources(where.path);
  } catch (e) {
    if (e instanceof ReplayLocationError) throw new UsageError(e.message);
    throw e;
  }
  if (files.length === 0) throw new UsageError(`folder ${where.path} holds no files to replay`);
  return { sources: files, total: files.length };
}

/** An S3 failure that is about the user's setup, said as what to do. */
function s3Hint(e: Error): string | undefined {
  const text = `${e.message} ${(e.cause as Error | undefined)?.name ?? ''}`;
  if (/region is missing/i.test(text)) return 'set AWS_REGION (or a region in your AWS profile) to the bucket\'s region';
  if (/CredentialsProviderError|Could not load credentials/i.test(text)) return 'no AWS credentials found: set AWS_PROFILE, run `aws sso login`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';
  if (/AccessDenied/i.test(text)) return 'your AWS identity needs s3:ListBucket on the bucket and s3:GetObject on the prefix (and kms:Decrypt on the lake key)';
  return undefined;
}

export function replayReport(summary: IngestSummary, source: string, lakeRoot: string): string[] {
  const lines = [
    `replayed ${summary.files} file(s) from ${source}: ${summary.records} record(s)`,
    `  ${summary.ingested} new event(s) into ${summary.hours.length} arrival hour(s)`,
    `  ${summary.duplicates} duplicate(s) skipped: already in the lake, or earlier in the replay`,
    `  ${summary.quarantined} quarantined`,
    ...rejectionLines(summary).map((l) => `  ${l}`),
    ...errorFileLines(summary, lakeRoot).map((l) => `  ${l}`),
    ...firehoseErrorLines(summary),
  ];
  if (summary.hours.length === 0) {
    lines.push('no hour received new events: nothing to re-run');
  } else {
    const [first, last] = [hourLabel(summary.hours[0]!), hourLabel(summary.hours[summary.hours.length - 1]!)];
    lines.push(`hours touched: ${summary.hours.map(hourLabel).join(', ')}`);
    lines.push(`re-run the detections over them: okta-lake detect --lake ${lakeRoot} --from ${first} --to ${last}`);
  }
  return lines;
}

export async function replayCommand(io: Io, args: ReplayArgs, deps: ReplayDeps = {}): Promise<void> {
  const where = location(args.source);
  const { sources, total } = await inputs(where, deps);
  const lake = await LocalLake.open(args.lake);
  const progress = filesProgress(io, total);
  let summary: IngestSummary;
  try {
    summary = await lake.ingestSources(sources, { onSource: (_name, index) => progress.update(index) });
  } catch (e) {
    if (e instanceof S3ReadError) {
      const hint = s3Hint(e);
      throw hint ? new UsageError(`${e.message} (${hint})`) : e;
    }
    throw e;
  } finally {
    progress.stop();
    lake.close();
  }

  if (args.json) {
    io.out(
      JSON.stringify({
        files: summary.files,
        records: summary.records,
        ingested: summary.ingested,
        duplicates: summary.duplicates,
        quarantined: summary.quarantined,
        hours: summary.hours.map(hourLabel),
        firehose_errors: summary.firehoseErrors.map((e) => ({ error_code: e.errorCode, error_message: e.errorMessage, count: e.count })),
      }),
    );
  } else {
    for (const line of replayReport(summary, args.source, lake.root)) io.out(line);
  }
  if (summary.files === 0) throw new UsageError(`nothing to replay: no objects under ${args.source}`);
  if (summary.records === 0) throw new UsageError(`nothing replayed from ${args.source}: its ${summary.files} file(s) hold no records`);
  if (summary.ingested === 0 && summary.duplicates === 0) {
    const reasons = summary.firstRejections.slice(0, 3).map((r) => `${r.source}: ${r.position}: ${r.reason}`);
    throw new UsageError(`nothing replayed from ${args.source}: every record was rejected (${summary.quarantined}); first reasons: ${reasons.join('; ')}`);
  }
}
