/**
 * NDJSON: splits a byte stream into lines without decoding it, so a rejected line can be kept byte for
 * byte (invalid UTF-8 included). Strictly line-based: a broken line is one bad record and can never
 * swallow the next. The `\r` of a CRLF ending stays in `bytes` and is ignored by the parser.
 */
import { RecordPieces, type InputRecord } from './record.ts';

export interface ReadLinesOptions {
  /** A line longer than this is handed on in pieces of about this size, so memory stays bounded. */
  readonly maxLineBytes: number;
  /** Offset of the first byte of `input` in the whole input (after a BOM that was taken off). @default 0 */
  readonly offset?: number;
}

export async function* readLines(input: AsyncIterable<Buffer>, options: ReadLinesOptions): AsyncGenerator<InputRecord> {
  const carry = new RecordPieces();
  let number = 0;
  let offset = options.offset ?? 0;
  let lineStart = offset;
  // Pieces of the current line already handed on (0 unless the line is longer than maxLineBytes).
  let part = 0;
  const record = (bytes: Buffer, last: boolean): InputRecord => {
    if (part === 0 && last) return { bytes, line: number, offset: lineStart };
    return { bytes, line: number, offset: lineStart, cut: { part: ++part, last, maxBytes: options.maxLineBytes } };
  };
  for await (const chunk of input) {
    let start = 0;
    let nl = chunk.indexOf(10);
    while (nl !== -1) {
      if (part === 0) number++;
      yield record(carry.take(chunk.subarray(start, nl)), true);
      part = 0;
      start = nl + 1;
      lineStart = offset + start;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      carry.add(chunk.subarray(start));
      if (carry.bytes >= options.maxLineBytes) {
        if (part === 0) number++;
        yield record(carry.take(), false);
      }
    }
    offset += chunk.length;
  }
  if (!carry.empty || part > 0) {
    if (part === 0) number++;
    yield record(carry.take(), true);
  }
}

/** True for a line of only spaces, tabs and a trailing `\r`. */
export function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}
