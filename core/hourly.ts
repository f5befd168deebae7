/**
 * The hourly run: every hourly detection over one arrival hour of `okta_events`.
 *
 * A detection reads the arrival partitions from `lookback_hours - 1` hours before the run hour up to it, and
 * reports what it finds for the run hour's window; re-running an hour replaces that hour's findings
 * partition with the same finding ids.
 */
import { addHours, hourStart, type Hour } from '../schema/layout.ts';
import type { Detection, ThresholdValue } from './catalog.ts';
import { runDetections, type DetectionRunResult, type RunContext } from './detection-run.ts';
import { SqlLiteral } from '../engines/sql-values.ts';
import { sqlTimestamp, thresholdLiterals } from './sql-params.ts';

export interface HourlyRunInput extends RunContext {
  readonly hour: Hour;
}

export const hourlyRunName = (hour: Hour): string => `hourly-${hour.hour}`;

/** The partition bounds a detection with this lookback reads, as query parameters (literals: generated here). */
export function scanParams(hour: Hour, lookbackHours: number): Record<string, SqlLiteral> {
  const from = addHours(hour, -(lookbackHours - 1));
  return {
    scan_from_dt: SqlLiteral.date(from.dt),
    scan_to_dt: SqlLiteral.date(hour.dt),
    scan_from: SqlLiteral.token(`${from.dt}-${from.hour}`),
    scan_to: SqlLiteral.token(`${hour.dt}-${hour.hour}`),
  };
}

/** The parameters of one hourly detection's query for `hour`: its thresholds, the partitions it reads, the window. */
export function hourlyParams(detection: Detection, thresholds: Readonly<Record<string, ThresholdValue>> | undefined, hour: Hour): Record<string, SqlLiteral> {
  const start = hourStart(hour);
  return {
    ...thresholdLiterals(thresholds),
    ...scanParams(hour, detection.lookback_hours),
    window_start: SqlLiteral.timestamp(sqlTimestamp(start)),
    window_end: SqlLiteral.timestamp(sqlTimestamp(new Date(start.getTime() + 3_600_000))),
  };
}

export async function runHourly(input: HourlyRunInput): Promise<DetectionRunResult & { hour: Hour }> {
  const { hour } = input;
  const start = hourStart(hour);
  const window = {
    start: sqlTimestamp(start),
    end: sqlTimestamp(new Date(start.getTime() + 3_600_000)),
    partition: { dt: hour.dt, run: hourlyRunName(hour) },
  };
  const detections = input.catalog.filter((d) => d.cadence === 'hourly' && !input.disabled?.has(d.id));
  const result = await runDetections({
    engine: input.engine,
    detections,
    window,
    paramsFor: (d) => hourlyParams(d, input.thresholds.get(d.id), hour),
    exclusions: input.exclusions,
    now: input.now,
  });
  return { ...result, hour };
}
