/**
 * Runs a posture check on one of its fixture folders: a fresh temporary lake, the folder's events (if any) ingested
 * and snapshotted day by day for history, then the folder's saved API responses collected as the inventory of
 * POSTURE_FIXTURE_DAY and the daily snapshot of that day, which runs the posture checks.
 *
 * A posture fixture folder (`detections/<id>/fixtures/positive/`, `.../negative/`) holds the inventory layout of
 * inventory/folder-source.ts (`users.json`, `factors/<id>.json`, ...), optionally `events.ndjson` (System Log events
 * of the days up to the fixture day, for checks that read activity), and for a positive fixture `expected.json`:
 * `{"entities": [...]}`, the entity ids the check must report, no more and no fewer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Detection } from '../../core/catalog.ts';
import type { Finding } from '../../core/findings.ts';
import type { InventorySummary } from '../../core/inventory-collect.ts';
import { FolderInventorySource } from '../../inventory/folder-source.ts';
import { LocalLake } from '../../lake/local-lake.ts';
import { okta_events } from '../../schema/index.ts';

/** The day every posture fixture is checked as: its inventory's `dt`. */
export const POSTURE_FIXTURE_DAY = '2026-06-15';

export interface PostureRun {
  readonly findings: Finding[];
  readonly newFindings: Finding[];
  readonly inventory: InventorySummary;
}

export async function postureOnFolder(detection: Detection, folder: string, day = POSTURE_FIXTURE_DAY): Promise<PostureRun> {
  const lake = await LocalLake.temporary({ catalog: [detection], now: () => new Date(`${day}T23:59:00.000Z`) });
  try {
    const eventsFile = join(folder, 'events.ndjson');
    if (existsSync(eventsFile)) {
      const lines = readFileSync(eventsFile, 'utf8').split('\n').filter((l) => l.trim() !== '');
      const ingest = await lake.ingestEvents(lines, eventsFile);
      if (ingest.quarantined > 0) throw new Error(`${eventsFile}: ${ingest.quarantined} event(s) quarantined`);
      const days = [...new Set(lake.engine.partitionsWithData(okta_events).map((p) => p.dt!))].filter((d) => d < day).sort();
      for (const d of days) await lake.snapshotDay(d);
    }
    const inventory = await lake.collectInventory(new FolderInventorySource(folder), day);
    const run = await lake.snapshotDay(day);
    return { findings: run.findings.filter((f) => f.detection === detection.id), newFindings: [...run.newFindings], inventory };
  } finally {
    lake.close();
  }
}

export function expectedEntities(folder: string): string[] {
  const file = join(folder, 'expected.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: a positive posture fixture names the entities it must report`);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { entities?: unknown };
  if (!Array.isArray(parsed.entities) || parsed.entities.length === 0) throw new Error(`${file}: "entities" must be a non-empty list`);
  return (parsed.entities as string[]).slice().sort();
}
