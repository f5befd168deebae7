/**
 * The lake on a laptop: a folder, a DuckDB engine over it, the detection catalog and its thresholds.
 * The CLI, the demo, the benchmark and the tests all drive the local mode through this one object.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { assetRoot } from '../core/assets.ts';
import { detectionSettings, loadCatalog, type Detection, type ThresholdOverrides, type ThresholdValue } from '../core/catalog.ts';
import type { DetectionRunResult } from '../core/detection-run.ts';
import type { Finding } from '../core/findings.ts';
import { recordNotified } from '../core/notification-ledger.ts';
import { runHourly } from '../core/hourly.ts';
import { runDailySnapshot, type DailySnapshotResult } from '../core/daily.ts';
import { refreshUser, type RefreshUserResult } from '../core/refresh-user.ts';
import { DuckDbEngine, type DuckDbEngineOptions } from '../engines/duckdb/engine.ts';
import { ingest, ingestSources, type IngestOptions, type IngestSourcesOptions, type IngestSummary, type InputSource } from '../ingest/ingest.ts';
import type { OktaClient } from '../okta-api/index.ts';
import { collectInventory, type InventoryProgress, type InventorySummary } from '../core/inventory-collect.ts';
import { DEFAULT_IDENTITY_RULES, type IdentityRules } from '../inventory/identity-kind.ts';
import type { InventorySource } from '../inventory/source.ts';
import { ApiInventorySource } from '../inventory/api-source.ts';
import { addHours, dayOf, type Hour } from '../schema/layout.ts';
import { LocalEventSink } from './local-event-sink.ts';
import type { DetectionExclusions, ExclusionConfig } from '../core/exclusions.ts';

export interface LocalLakeOptions extends DuckDbEngineOptions {
  /** Threshold overrides by detection id. @default none: every detection's defaults */
  readonly thresholds?: ThresholdOverrides;
  /** Detection ids to leave out. @default none */
  readonly disabled?: readonly string[];
  /** IPs, IPv4 ranges and users each detection (or `*`, every one) leaves out (core/exclusions.ts). @default none */
  readonly exclusions?: ExclusionConfig;
  /** The clock. @default the system clock */
  readonly now?: () => Date;
  /** The detection catalog. @default every folder under detections/ */
  readonly catalog?: readonly Detection[];
  /** How the inventory tells service accounts and guests from people. @default DEFAULT_IDENTITY_RULES */
  readonly identityRules?: IdentityRules;
}

interface LakeSettings {
  readonly catalog: readonly Detection[];
  readonly thresholds: ReadonlyMap<string, Readonly<Record<string, ThresholdValue>>>;
  readonly disabled: ReadonlySet<string>;
  readonly exclusions: ReadonlyMap<string, DetectionExclusions>;
  readonly now: () => Date;
  readonly identityRules: IdentityRules;
}

/** The catalog and its settings, validated: an unknown threshold or disabled id is an error naming it. */
function lakeSettings(options: LocalLakeOptions): LakeSettings {
  const catalog = options.catalog ?? loadCatalog(join(assetRoot(), 'detections'));
  return {
    catalog,
    ...detectionSettings(catalog, options),
    now: options.now ?? (() => new Date()),
    identityRules: options.identityRules ?? DEFAULT_IDENTITY_RULES,
  };
}

export class LocalLake {
  readonly catalog: readonly Detection[];
  readonly thresholds: ReadonlyMap<string, Readonly<Record<string, ThresholdValue>>>;
  readonly disabled: ReadonlySet<string>;
  readonly exclusions: ReadonlyMap<string, DetectionExclusions>;
  readonly now: () => Date;
  readonly identityRules: IdentityRules;

  private constructor(
    readonly root: string,
    readonly engine: DuckDbEngine,
    settings: LakeSettings,
    private readonly temporary: boolean,
  ) {
    this.catalog = settings.catalog;
    this.thresholds = settings.thresholds;
    this.disabled = settings.disabled;
    this.exclusions = settings.exclusions;
    this.now = settings.now;
    this.identityRules = settings.identityRules;
  }

  /** Opens (creating if needed) the lake folder `root`. */
  static async open(root: string, options: LocalLakeOptions = {}): Promise<LocalLake> {
    const settings = lakeSettings(options);
    const dir = resolve(root);
    mkdirSync(dir, { recursive: true });
    return new LocalLake(dir, await DuckDbEngine.open(dir, options), settings, false);
  }

  /** A lake in a fresh temporary folder, removed by `close()`. */
  static async temporary(options: LocalLakeOptions = {}): Promise<LocalLake> {
    // Settings are checked first, so a bad threshold leaves no folder or engine behind.
    const settings = lakeSettings(options);
    const dir = mkdtempSync(join(tmpdir(), 'okta-lake-'));
    try {
      return new LocalLake(dir, await DuckDbEngine.open(dir, options), settings, true);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  async ingest(input: Readable | AsyncIterable<Buffer>, options: Omit<IngestOptions, 'now'> & { now?: () => Date }): Promise<IngestSummary> {
    return ingest(this.engine, input, { now: this.now, ...options });
  }

  /** Ingests several inputs in one run (a replay): batches, the raw archive and the quarantine file are shared. */
  async ingestSources(sources: Iterable<InputSource> | AsyncIterable<InputSource>, options: IngestSourcesOptions = {}): Promise<IngestSummary> {
    return ingestSources(this.engine, sources, { now: this.now, ...options });
  }

  /** Ingests events given as objects or NDJSON lines (tests, demo). */
  async ingestEvents(events: readonly (object | string)[], source = 'events'): Promise<IngestSummary> {
    const text = events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n');
    return this.ingest(Readable.from([Buffer.from(text)]), { source });
  }

  async detectHour(hour: Hour): Promise<DetectionRunResult & { hour: Hour }> {
    const lookback = Math.max(1, ...this.catalog.filter((d) => d.cadence === 'hourly').map((d) => d.lookback_hours));
    return this.recorded(await this.scoped(addHours(hour, -(lookback - 1)).dt, hour.dt, () => runHourly({
      engine: this.engine,
      catalog: this.catalog,
      thresholds: this.thresholds,
      disabled: this.disabled,
      exclusions: this.exclusions,
      hour,
      now: this.now,
    })));
  }

  /**
   * Locally the terminal is the notification: what a run returns as new is printed by the caller, so it is
   * recorded at once and a re-run of the same window reports it as known.
   */
  private async recorded<T extends { readonly newFindings: readonly Finding[] }>(result: T): Promise<T> {
    await recordNotified(this.engine, result.newFindings, this.now);
    return result;
  }

  /** Runs `fn` with the engine reading only the `okta_events` partitions from `fromDt` to `toDt`. */
  private async scoped<T>(fromDt: string, toDt: string, fn: () => Promise<T>): Promise<T> {
    this.engine.setEventsScope({ fromDt, toDt });
    try {
      return await fn();
    } finally {
      this.engine.setEventsScope(undefined);
    }
  }

  /** The identity inventory of `day` from the live API or a saved folder, as the day's `daily` batch. */
  async collectInventory(source: InventorySource, day: string, onProgress?: (p: InventoryProgress) => void): Promise<InventorySummary> {
    return collectInventory({ engine: this.engine, source, day, rules: this.identityRules, now: this.now, ...(onProgress ? { onProgress } : {}) });
  }

  /** The nightly run of one day (`YYYY-MM-DD`): every user's activity snapshot, then the daily detections. */
  async snapshotDay(day: string): Promise<DailySnapshotResult> {
    // The snapshot and the daily checks read okta_events of the day only (dt = :day).
    return this.recorded(await this.scoped(day, day, () => runDailySnapshot({
      engine: this.engine,
      catalog: this.catalog,
      thresholds: this.thresholds,
      disabled: this.disabled,
      exclusions: this.exclusions,
      day,
      now: this.now,
    })));
  }

  /**
   * One user's activity on `day` (default today) so far and the daily and posture checks for them alone;
   * `userLoginOrId` is validated first. With `okta`, the user's newest events are fetched from Okta into the lake
   * first, and their identity (factors, devices, roles) is re-read from it; `inventory` re-reads the identity from
   * another source (a saved folder, in the demo).
   */
  async refreshUser(
    userLoginOrId: string,
    day?: string,
    sources: { readonly okta?: OktaClient | undefined; readonly inventory?: InventorySource | undefined } = {},
  ): Promise<RefreshUserResult> {
    const refreshed = day ?? dayOf(this.now());
    const { okta } = sources;
    const fetch = okta ? { client: okta, sink: new LocalEventSink(this, `okta-api ${okta.orgUrl.origin}`) } : undefined;
    const identity = sources.inventory ?? (okta ? new ApiInventorySource(okta) : undefined);
    return this.recorded(await this.scoped(refreshed, refreshed, () => refreshUser({
      engine: this.engine,
      catalog: this.catalog,
      thresholds: this.thresholds,
      disabled: this.disabled,
      exclusions: this.exclusions,
      user: userLoginOrId,
      now: this.now,
      day: refreshed,
      ...(fetch ? { fetch } : {}),
      ...(identity ? { inventory: { source: identity, rules: this.identityRules } } : {}),
    })));
  }

  close(): void {
    this.engine.close();
    if (this.temporary) rmSync(this.root, { recursive: true, force: true });
  }
}
