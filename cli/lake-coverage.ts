/**
 * Which of the hours or days a command is asked about the lake holds events for. A mistyped date must not
 * look like a clean hour ("no findings", exit 0): a single requested hour or day without any event is an
 * input error that says what the lake does hold; in a range, the hours without events are named and the
 * others run.
 *
 * Read from the partition folders (an arrival hour with events has Parquet files under
 * `okta/events/dt=.../hour=.../`), so the check opens no file and costs the same on a year of history.
 */
import type { DuckDbEngine } from '../engines/duckdb/engine.ts';
import { hourLabel, hourStart, type Hour } from '../schema/layout.ts';
import { okta_events } from '../schema/index.ts';
import { UsageError } from './usage-error.ts';

/** At most this many runs of empty hours are named in a notice; the rest are counted. */
const MAX_RUNS_NAMED = 6;

export class EventCoverage {
  private readonly labels: ReadonlySet<string>;
  private readonly days: ReadonlySet<string>;

  /** `hours`: labels (`2026-11-25T04`) of the hours with events, sorted. */
  private constructor(private readonly hours: readonly string[]) {
    this.labels = new Set(hours);
    this.days = new Set(hours.map((h) => h.slice(0, 10)));
  }

  /** The arrival hours of `okta_events` that hold events, as the engine's lake folder has them now. */
  static of(engine: Pick<DuckDbEngine, 'partitionsWithData'>): EventCoverage {
    const hours = engine.partitionsWithData(okta_events).map((p) => `${p.dt}T${p.hour}`);
    return new EventCoverage([...new Set(hours)].sort());
  }

  hasHour(hour: Hour): boolean {
    return this.labels.has(hourLabel(hour));
  }

  hasDay(day: string): boolean {
    return this.days.has(day);
  }

  /**
   * The requested hours without events, in order. Throws a UsageError when none of them has any: a single
   * empty hour, or a range that is empty throughout, is a wrong date rather than a quiet hour.
   */
  requireHours(requested: readonly Hour[]): Hour[] {
    const empty = requested.filter((h) => !this.hasHour(h));
    if (requested.length > 0 && empty.length === requested.length) {
      const what = requested.length === 1 ? hourLabel(requested[0]!) : `${hourLabel(requested[0]!)} .. ${hourLabel(requested[requested.length - 1]!)}`;
      throw new UsageError(`the lake holds no events for ${what} (${this.held('hour')})`);
    }
    return empty;
  }

  /** Throws a UsageError when the lake holds no event that arrived on `day`. */
  requireDay(day: string): void {
    const note = this.dayNote(day);
    if (note) throw new UsageError(note);
  }

  /** The sentence saying the lake holds nothing for `day`, or undefined when it holds events of that day. */
  dayNote(day: string): string | undefined {
    return this.hasDay(day) ? undefined : `the lake holds no events for ${day} (${this.held('day')})`;
  }

  /** What the lake does hold, in the unit the user asked in. */
  private held(unit: 'hour' | 'day'): string {
    const first = this.hours[0];
    const last = this.hours[this.hours.length - 1];
    if (first === undefined || last === undefined) return 'it holds no events at all: ingest some first';
    const cut = (label: string) => (unit === 'day' ? label.slice(0, 10) : label);
    return cut(first) === cut(last) ? `its events are all in ${cut(first)}` : `its events are between ${cut(first)} and ${cut(last)}`;
  }
}

/** `3 of 24 hour(s) have no events in the lake: 2026-03-02T00 .. 2026-03-02T02, 2026-03-02T07`. */
export function emptyHoursNotice(empty: readonly Hour[], requested: number): string {
  const runs: string[] = [];
  for (let i = 0; i < empty.length; ) {
    let j = i;
    while (j + 1 < empty.length && hourStart(empty[j + 1]!).getTime() - hourStart(empty[j]!).getTime() === 3_600_000) j++;
    runs.push(i === j ? hourLabel(empty[i]!) : `${hourLabel(empty[i]!)} .. ${hourLabel(empty[j]!)}`);
    i = j + 1;
  }
  const named = runs.slice(0, MAX_RUNS_NAMED).join(', ') + (runs.length > MAX_RUNS_NAMED ? `, and ${runs.length - MAX_RUNS_NAMED} more stretch(es)` : '');
  return `${empty.length} of ${requested} hour(s) have no events in the lake: ${named}`;
}
