/** Runs events through a fresh temporary lake: ingest, then every hourly run over the hours they arrived in. */
import type { Finding } from '../../core/findings.ts';
import { LocalLake, type LocalLakeOptions } from '../../lake/local-lake.ts';
import type { IngestSummary } from '../../ingest/ingest.ts';

export interface LocalRun {
  readonly ingest: IngestSummary;
  readonly findings: Finding[];
}

export async function detectOnEvents(events: readonly (object | string)[], options: LocalLakeOptions = {}): Promise<LocalRun> {
  const lake = await LocalLake.temporary(options);
  try {
    const summary = await lake.ingestEvents(events);
    const findings: Finding[] = [];
    for (const hour of summary.hours) findings.push(...(await lake.detectHour(hour)).findings);
    return { ingest: summary, findings };
  } finally {
    lake.close();
  }
}
