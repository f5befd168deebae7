/**
 * When events put on a Firehose stream can be read: Firehose writes them to S3 after its buffer fills or its
 * interval passes, so a caller that wants to query what it just wrote (refresh-user rebuilding a day with the events
 * it fetched) waits until an object newer than its first put is under each hour's prefix, or until a bound: the
 * stream's delivery time, past which it goes on with what is there and says so.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { lakePaths, parseHour, partitionPath } from '../schema/layout.ts';

export interface LandingWait {
  readonly s3: S3Client;
  readonly bucket: string;
  /** Hours written, `YYYY-MM-DDTHH`. */
  readonly hours: readonly string[];
  /**
   * How the writer's objects are named: Firehose names each `<stream name>-<version>-<timestamp>-<uuid>`, so only
   * the api-events stream's own objects count, not the partner stream's files of the same hour.
   */
  readonly objectNamePrefix: string;
  /** When the first record was put: an object of the hour modified at or after it holds the batch. */
  readonly since: Date;
  /** How long to wait at most, from now. */
  readonly timeoutMs: number;
  /** Between two looks. @default 5000 */
  readonly pollMs?: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => Date;
}

/** Waits until every hour has landed; returns the hours that had not when the bound passed (empty when all did). */
export async function waitForLanding(wait: LandingWait): Promise<string[]> {
  const deadline = wait.now().getTime() + wait.timeoutMs;
  let pending = [...new Set(wait.hours)];
  for (;;) {
    const landed = await Promise.all(pending.map((h) => hasObjectSince(wait, h)));
    pending = pending.filter((_, i) => !landed[i]);
    if (pending.length === 0 || wait.now().getTime() >= deadline) return pending;
    await wait.sleep(Math.min(wait.pollMs ?? 5000, Math.max(0, deadline - wait.now().getTime())));
  }
}

async function hasObjectSince(wait: LandingWait, hour: string): Promise<boolean> {
  const prefix = `${lakePaths.events}/${partitionPath({ ...parseHour(hour) })}/`;
  let token: string | undefined;
  do {
    const page = await wait.s3.send(new ListObjectsV2Command({ Bucket: wait.bucket, Prefix: prefix, ContinuationToken: token }));
    const ours = (page.Contents ?? []).filter((o) => o.Key?.slice(prefix.length).startsWith(`${wait.objectNamePrefix}-`));
    if (ours.some((o) => o.LastModified !== undefined && o.LastModified.getTime() >= wait.since.getTime() - 1000)) return true;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return false;
}
