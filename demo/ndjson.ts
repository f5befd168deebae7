/**
 * Writing generated lines to an NDJSON file. Lines go out in chunks of 2,000 and the writer waits for
 * `drain` when the stream's buffer is full, so a history of many days streams through a bounded amount of
 * memory; `closeStream` resolves only once the file is closed, so callers can read it right away.
 */
import { once } from 'node:events';

/** Writes `lines`, each ended by a newline; returns the bytes written. */
export async function writeLines(stream: NodeJS.WritableStream, lines: readonly string[]): Promise<number> {
  let bytes = 0;
  const chunk: string[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const text = `${chunk.join('\n')}\n`;
    bytes += Buffer.byteLength(text);
    chunk.length = 0;
    if (!stream.write(text)) await once(stream, 'drain');
  };
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length >= 2000) await flush();
  }
  await flush();
  return bytes;
}

export async function closeStream(stream: NodeJS.WritableStream & { close?: unknown }): Promise<void> {
  const done = once(stream, 'close');
  stream.end();
  await done;
}
