/**
 * Progress bars on stderr (cli-progress), drawn only on a terminal: a byte bar for long ingests and an
 * hour bar for detection runs over a range, so a run of hundreds of hours says where it is and how long
 * it has left instead of printing nothing until the end.
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
