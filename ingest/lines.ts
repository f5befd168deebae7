/**
 * Splits a byte stream into lines without decoding it, so a rejected line can be kept byte for byte
 * (invalid UTF-8 included). A UTF-8 BOM at the start of the stream is dropped; the `\r` of a CRLF ending
 * stays in `bytes` and is ignored by the parser.
 */
import type { Readable } from 'node:stream';

export interface Line {
  /** 1-based line number in the input. */
  readonly number: number;
  /** The line's bytes, without its `\n`. */
  readonly bytes: Buffer;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export async function* readLines(input: Readable | AsyncIterable<Buffer | string>, onBytes?: (n: number) => void): AsyncGenerator<Line> {
  let carry: Buffer | undefined;
  let number = 0;
  let first = true;
  for await (const raw of input as AsyncIterable<Buffer | string>) {
    let chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    onBytes?.(chunk.length);
    if (first) {
      first = false;
      if (chunk.subarray(0, 3).equals(BOM)) chunk = chunk.subarray(3);
    }
    let start = 0;
    let nl = chunk.indexOf(10);
    while (nl !== -1) {
      const piece = chunk.subarray(start, nl);
      const bytes = carry ? Buffer.concat([carry, piece]) : piece;
      carry = undefined;
      yield { number: ++number, bytes };
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
    }
  }
  if (carry && carry.length > 0) yield { number: ++number, bytes: carry };
}

/** True for a line of only spaces, tabs and a trailing `\r`. */
export function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}
