/**
 * The hourly run: every hourly detection over one arrival hour of `okta_events`.
 *
 * A detection reads the arrival partitions from `lookback_hours - 1` hours before the run hour up to it, and
 * reports what it finds for the run hour's window; re-running an hour replaces that hour's findings
 * partition with the same finding ids.
 */
import { addHours, hourStart, type Hour } from '../schema/layout.ts';
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
    paramsFor: (d) => ({
      ...thresholdLiterals(input.thresholds.get(d.id)),
      ...scanParams(hour, d.lookback_hours),
      window_start: SqlLiteral.timestamp(window.start),
      window_end: SqlLiteral.timestamp(window.end),
    }),
    now: input.now,
  });
  return { ...result, hour };
}
