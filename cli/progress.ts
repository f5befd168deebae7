/** A byte progress bar on stderr for long ingests (cli-progress), drawn only on a terminal. */
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

export function fileProgress(io: Io, path: string | undefined): Progress {
  const total = path ? statSync(path).size : 0;
  if (!io.interactive || total < MIN_BYTES_FOR_BAR) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'ingest [{bar}] {percentage}% | {done}/{size} MB | eta {eta_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { done: '0', size: (total / MB).toFixed(0) });
  let last = 0;
  return {
    update: (bytes) => {
      // Redraw at most every megabyte: the callback fires per 64 KiB chunk.
      if (bytes - last < MB && bytes < total) return;
      last = bytes;
      bar.update(bytes, { done: (bytes / MB).toFixed(0) });
    },
    stop: () => bar.stop(),
  };
}
