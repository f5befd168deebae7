/**
 * The local lake as an `EventSink`: events from the Okta API go through `ingest` exactly as a file would (the
 * normalizer, the raw archive, the quarantine, each uuid once), partitioned by their `published` hour (a bare
 * LogEvent's arrival is its `published`: these events were never delivered, they did not arrive late).
 */
import type { EventSink, SinkWrite } from '../ingest/event-sink.ts';
import type { IngestSummary } from '../ingest/ingest.ts';
import { hourLabel } from '../schema/layout.ts';

/** What the sink needs of the local lake (`LocalLake.ingestEvents`). */
export interface EventIngest {
  ingestEvents(events: readonly object[], source: string): Promise<IngestSummary>;
}

export class LocalEventSink implements EventSink {
  constructor(
    private readonly lake: EventIngest,
    /** Recorded with every quarantined event, e.g. `okta-api https://acme.okta.com`. */
    private readonly source: string,
  ) {}

  async write(events: readonly object[]): Promise<SinkWrite> {
    if (events.length === 0) return { written: 0, duplicates: 0, quarantined: 0, hours: [] };
    const summary = await this.lake.ingestEvents(events, this.source);
    return { written: summary.ingested, duplicates: summary.duplicates, quarantined: summary.quarantined, hours: summary.hours.map(hourLabel) };
  }
}
