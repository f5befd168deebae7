/**
 * JSON values one after another, as Firehose writes its raw backup (objects back to back, no newline
 * between them) and as `GET /api/v1/logs` returns a page (one JSON array): cuts the byte stream into one
 * record per object, or per element of a top-level array, without parsing it.
 *
 * Why a byte-level splitter and not a streaming JSON parser: a parser hands on values, and the bytes of a
 * record that turns out bad are gone; here every record is its exact bytes, so a rejected one is
 * quarantined as it was. The splitter tracks only strings, escapes and nesting depth, so memory holds one
 * record at a time, whatever the size of the array around it.
 *
 * Forgiving on purpose, so nothing is dropped silently: anything between records that is not whitespace
 * (or a `,` between array elements) becomes a record of its own and is rejected by the classifier with
 * its position; a record still open at the end of the input is handed on as it is (it fails to parse).
 */
import { RecordPieces, type InputRecord } from './record.ts';

export interface SplitJsonValuesOptions {
  /**
   * A record that grows past this without ending is handed on in pieces of about this size, so a broken
   * record (an unbalanced quote) cannot pull the rest of the input into memory.
   */
  readonly maxRecordBytes: number;
  /** Offset of the first byte of `input` in the whole input (after a BOM that was taken off). @default 0 */
  readonly offset?: number;
}

const enum Mode {
  /** Between records. */
  Between,
  /** In an object or array record. */
  Nested,
  /** In a record that is a string. */
  Text,
  /** In a record that is a bare word or number, or garbage: it ends at a newline, `{`, `[`, or `,`/`]` in an array. */
  Word,
}

const NL = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const QUOTE_CLASS = 1;
const BACKSLASH_CLASS = 2;
const OPEN_CLASS = 3;
const CLOSE_CLASS = 4;
const NEWLINE_CLASS = 5;
/** What each byte value means to the splitter; 0 for the bytes that mean nothing to it. */
const BYTE_CLASS = new Uint8Array(256);
BYTE_CLASS[QUOTE] = QUOTE_CLASS;
BYTE_CLASS[BACKSLASH] = BACKSLASH_CLASS;
BYTE_CLASS[OPEN_BRACE] = OPEN_CLASS;
BYTE_CLASS[OPEN_BRACKET] = OPEN_CLASS;
BYTE_CLASS[CLOSE_BRACE] = CLOSE_CLASS;
BYTE_CLASS[CLOSE_BRACKET] = CLOSE_CLASS;
BYTE_CLASS[NL] = NEWLINE_CLASS;

export async function* splitJsonValues(input: AsyncIterable<Buffer>, options: SplitJsonValuesOptions): AsyncGenerator<InputRecord> {
  const max = options.maxRecordBytes;
  const pieces = new RecordPieces();
  let offset = options.offset ?? 0;
  let line = 1;
  let mode = Mode.Between;
  /** Inside the top-level array whose elements are the records. */
  let inArray = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let records = 0;
  let start = { line: 1, offset: 0 };
  let part = 0;

  const record = (bytes: Buffer, last: boolean): InputRecord => {
    const r = { bytes, line: start.line, offset: start.offset, record: records };
    if (part === 0 && last) return r;
    return { ...r, cut: { part: ++part, last, maxBytes: max } };
  };

  for await (const chunk of input) {
    const n = chunk.length;
    let i = 0;
    // Where the current record's bytes begin in this chunk.
    let from = 0;
    while (i < n) {
      if (mode === Mode.Between) {
        const b = chunk[i]!;
        if (b === NL) line++;
        else if (b === SPACE || b === TAB || b === CR || (inArray && b === COMMA)) {
          // whitespace, or the separator of array elements
        } else if (b === OPEN_BRACKET && !inArray) inArray = true;
        else if (b === CLOSE_BRACKET && inArray) inArray = false;
        else {
          records++;
          part = 0;
          start = { line, offset: offset + i };
          from = i;
          if (b === OPEN_BRACE || b === OPEN_BRACKET) {
            mode = Mode.Nested;
            depth = 1;
          } else if (b === QUOTE) {
            mode = Mode.Text;
            escaped = false;
          } else mode = Mode.Word;
        }
        i++;
        continue;
      }

      let end = -1;
      if (mode === Mode.Nested) {
        for (; i < n; i++) {
          // One table lookup lets the bytes that matter to neither strings nor nesting (most of them) pass.
          const c = BYTE_CLASS[chunk[i]!]!;
          if (c === 0) {
            escaped = false;
            continue;
          }
          if (c === NEWLINE_CLASS) {
            line++;
            escaped = false;
          } else if (inString) {
            if (escaped) escaped = false;
            else if (c === BACKSLASH_CLASS) escaped = true;
            else if (c === QUOTE_CLASS) inString = false;
          } else if (c === QUOTE_CLASS) inString = true;
          else if (c === OPEN_CLASS) depth++;
          else if (c === CLOSE_CLASS && --depth === 0) {
            end = ++i;
            break;
          }
        }
      } else if (mode === Mode.Text) {
        for (; i < n; i++) {
          const b = chunk[i]!;
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            end = ++i;
            break;
          } else if (b === NL) line++;
        }
      } else {
        for (; i < n; i++) {
          const b = chunk[i]!;
          if (b === NL || b === OPEN_BRACE || b === OPEN_BRACKET || (inArray && (b === COMMA || b === CLOSE_BRACKET))) {
            end = i;
            break;
          }
        }
      }

      if (end !== -1) {
        mode = Mode.Between;
        inString = false;
        yield record(pieces.take(chunk.subarray(from, end)), true);
      }
    }
    if (mode !== Mode.Between) {
      pieces.add(chunk.subarray(from));
      if (pieces.bytes >= max) yield record(pieces.take(), false);
    }
    offset += n;
  }
  if (mode !== Mode.Between) yield record(pieces.take(), true);
}
