/**
 * Progress bars on stderr (cli-progress), drawn only on a terminal: a byte bar for long ingests, a file bar
 * for replays, an hour bar for detection runs over a range and a time bar for backfills, so a long run says
 * where it is and how long it has left instead of printing nothing until the end.
 */
import { statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Io } from './output.ts';

const MB = 1024 * 1024;
/** Below this size an ingest takes well under a second: no bar. */
const MIN_BYTES_FOR_BAR = 8 * MB;

export interface Progress {
  readonly update: (bytesRead: number) => void;
  readonly stop: () => void;
}

const bar = (io: Io, format: string) =>
  new cliProgress.SingleBar({ stream: io.progressStream ?? process.stderr, format, hideCursor: true }, cliProgress.Presets.shades_classic);

export function fileProgress(io: Io, path: string | undefined): Progress {
  const total = path ? statSync(path).size : 0;
  if (!io.interactive || total < MIN_BYTES_FOR_BAR) return { update: () => {}, stop: () => {} };
  const b = bar(io, 'ingest [{bar}] {percentage}% | {done}/{size} MB | eta {eta_formatted}');
  b.start(total, 0, { done: '0', size: (total / MB).toFixed(0) });
  let last = 0;
  return {
    update: (bytes) => {
      // Redraw at most every megabyte: the callback fires per 64 KiB chunk.
      if (bytes - last < MB && bytes < total) return;
      last = bytes;
      b.update(bytes, { done: (bytes / MB).toFixed(0) });
    },
    stop: () => b.stop(),
  };
}

export interface HourProgress {
  /** True when a bar is drawn: the caller then leaves out its per-hour lines, which would break the bar. */
  readonly shown: boolean;
  /** `done` hours are finished and `hour` (a label, `2026-11-25T04`, or `done` at the end) runs now. */
  readonly running: (done: number, hour: string) => void;
  /** Draws the bar a last time and leaves it on its own line. */
  readonly stop: () => void;
}

/** An hour bar for a run over `total` hours, with the hour running and an ETA; none off a terminal or for one hour. */
export function hourProgress(io: Io, total: number): HourProgress {
  if (!io.interactive || total < 2) return { shown: false, running: () => {}, stop: () => {} };
  const b = bar(io, 'detect [{bar}] {value}/{total} hours | {hour} | eta {eta_formatted}');
  b.start(total, 0, { hour: '' });
  return {
    shown: true,
    running: (done, hour) => b.update(done, { hour }),
    stop: () => b.stop(),
  };
}

/** A bar by files (a replay of a folder listed up front); none off a terminal, for one file, or when the count is unknown. */
export function filesProgress(io: Io, total: number | undefined): { readonly update: (done: number) => void; readonly stop: () => void } {
  if (!io.interactive || total === undefined || total < 2) return { update: () => {}, stop: () => {} };
  const b = bar(io, 'replay [{bar}] {value}/{total} files | eta {eta_formatted}');
  b.start(total, 0);
  return { update: (done) => b.update(done), stop: () => b.stop() };
}

/** What a backfill reports after each page. */
export interface PullProgressView {
  readonly events: number;
  readonly pages: number;
  /** `published` of the newest event read: how far through the time range the pull has come. */
  readonly lastPublished: string | undefined;
}

/**
 * A bar over a backfill's time range `since`..`until`: how far `published` has come, events, pages and rate-limit
 * waits (read from `waits()` at each update), with an ETA.
 */
export function timeRangeProgress(io: Io, since: Date, until: Date, waits: () => number): { readonly update: (p: PullProgressView) => void; readonly stop: () => void } {
  if (!io.interactive) return { update: () => {}, stop: () => {} };
  const span = until.getTime() - since.getTime();
  const b = bar(io, 'backfill [{bar}] {percentage}% | {events} events | {pages} pages | {waits} rate-limit waits | eta {eta_formatted}');
  b.start(span, 0, { events: 0, pages: 0, waits: 0 });
  return {
    update: (p) => {
      const at = p.lastPublished ? Math.min(span, Math.max(0, Date.parse(p.lastPublished) - since.getTime())) : 0;
      b.update(at, { events: p.events, pages: p.pages, waits: waits() });
    },
    stop: () => b.stop(),
  };
}

/** A bar over the users whose factors an inventory reads (one API call each); none off a terminal or for a handful. */
export function inventoryProgress(io: Io): { readonly update: (done: number, total: number | undefined) => void; readonly stop: () => void } {
  if (!io.interactive) return { update: () => {}, stop: () => {} };
  let b: cliProgress.SingleBar | undefined;
  return {
    update: (done, total) => {
      if (total === undefined || total < 50) return;
      if (!b) {
        b = bar(io, 'inventory factors [{bar}] {value}/{total} users | eta {eta_formatted}');
        b.start(total, 0);
      }
      b.update(done);
    },
    stop: () => b?.stop(),
  };
}
