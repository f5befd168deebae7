/**
 * Where events pulled from the Okta API go: into the lake, through the same path whatever the mode. Locally that
 * is `ingest` (normalizer, raw archive, quarantine, each uuid once: `LocalEventSink` in lake/); in AWS it is the
 * api-events Firehose stream, which converts to Parquet through the same Glue schema and partitions by `published`
 * (`FirehoseEventSink`). Callers (backfill, gap recovery, refresh-user) depend on this interface only.
 */

/** What one write did. */
export interface SinkWrite {
  /** Events the sink took (written, or accepted for delivery). */
  readonly written: number;
  /** Events it skipped because the lake already held their uuid (a sink that cannot tell says 0). */
  readonly duplicates: number;
  /** Events it refused and kept aside with their reason. */
  readonly quarantined: number;
  /** The hours (`YYYY-MM-DDTHH`, UTC) the written events land in. */
  readonly hours: readonly string[];
}

export interface EventSink {
  /** Writes a batch of LogEvents (as the System Log API returns them). */
  write(events: readonly object[]): Promise<SinkWrite>;
}
