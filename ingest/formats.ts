/**
 * What an input is, from its bytes and never from its name: gzip or not (magic bytes; Firehose's backups
 * are gzip, and a downloaded object keeps no useful extension), then NDJSON or JSON values one after
 * another (Firehose's raw backup: objects back to back with no newline; `GET /api/v1/logs`: one array).
 * Hands the records on with their exact bytes and positions, streaming.
 *
 * NDJSON is chosen whenever the first value ends on its own line, so a file that is mostly NDJSON stays
 * line-based and one broken line cannot swallow the next; JSON values are chosen when the input starts
 * with `[`, or the first object is followed by another on the same line, or spans several lines.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { splitJsonValues } from './json-values.ts';
import { readLines } from './lines.ts';
import type { InputRecord } from './record.ts';

export type InputFormat = 'ndjson' | 'json-values';

/** What an input turned out to be. */
export interface InputShape {
  readonly gzip: boolean;
  readonly format: InputFormat;
  /** The first bytes of the (decompressed) content, after a BOM: enough to say what a wrong file looks like. */
  readonly head: Buffer;
}

export interface ReadRecordsOptions {
  /** The most one record (or NDJSON line) may hold before it is handed on in pieces. @default 64 MiB */
  readonly maxRecordBytes?: number;
  /** Called with the number of input bytes (compressed, as read) of each chunk. */
  readonly onBytes?: (n: number) => void;
  /** Called once, before the first record, with what the input is. */
  readonly onShape?: (shape: InputShape) => void;
}

export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;
/** The first value of a `{` input is looked at for at most this many lines before NDJSON is assumed. */
const DETECT_MAX_LINES = 1_000;
const HEAD_BYTES = 64;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export async function* readRecords(
  input: Readable | AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>,
  options: ReadRecordsOptions = {},
): AsyncGenerator<InputRecord> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const raw = new Peeker(asBuffers(input, options.onBytes));
  await raw.fill(2);
  const gzip = raw.startsWith(Buffer.from([0x1f, 0x8b]));
  let damage: string | undefined;
  let decodedBytes = 0;
  const decoded = new Peeker(
    counted(gzip ? gunzip(raw.rest(), (message) => (damage = message)) : raw.rest(), (n) => (decodedBytes += n)),
  );
  await decoded.fill(HEAD_BYTES + BOM.length);
  const bom = decoded.startsWith(BOM) ? BOM.length : 0;
  const format = await detect(decoded, bom, maxRecordBytes);
  options.onShape?.({ gzip, format, head: decoded.head(bom, HEAD_BYTES) });

  const content = decoded.rest(bom);
  const split = { offset: bom, maxRecordBytes, maxLineBytes: maxRecordBytes };
  yield* format === 'ndjson' ? readLines(content, split) : splitJsonValues(content, split);
  if (damage !== undefined) {
    yield { bytes: Buffer.alloc(0), line: 0, offset: decodedBytes, damage: `the gzip data is damaged after ${decodedBytes} decompressed byte(s) (${damage}); the rest of the file could not be read` };
  }
}

/** `it looks like CSV` and the like, for an input nothing could be read from; undefined when it looks like JSON. */
export function looksLike(head: Buffer): string | undefined {
  const startsWith = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) return 'a ZIP archive (unzip it first)';
  if (startsWith(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd-compressed data (decompress it first; gzip is read as it is)';
  if (startsWith(0x42, 0x5a, 0x68)) return 'bzip2-compressed data (decompress it first; gzip is read as it is)';
  if (startsWith(0x50, 0x41, 0x52, 0x31)) return 'a Parquet file (query it with `okta-lake query`; ingest reads JSON)';
  if (startsWith(0x25, 0x50, 0x44, 0x46)) return 'a PDF';
  const text = head.toString('latin1').trimStart();
  if (head.includes(0)) return 'binary data';
  let control = 0;
  for (const b of head) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) control++;
  if (control > 0) return 'binary data';
  if (/^<(!doctype html|html|head|body)\b/i.test(text)) return 'HTML (a web page, not an export: was a sign-in or error page saved?)';
  if (text.startsWith('<')) return 'XML';
  if (text.startsWith('{') || text.startsWith('[')) return undefined;
  const firstLine = text.split('\n', 1)[0] ?? '';
  if (firstLine.includes('\t')) return 'TSV (tab-separated values)';
  if (firstLine.includes(',')) return 'CSV';
  return 'text that is not JSON';
}

/** A few first bytes, printable: `"uuid,published,eventType\n00u..."`. */
export function quoteHead(head: Buffer, max = 40): string {
  let out = '';
  for (const b of head.subarray(0, max)) {
    if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `"${out}${head.length > max ? '...' : ''}"`;
}

async function* asBuffers(input: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    onBytes?.(b.length);
    if (b.length > 0) yield b;
  }
}

async function* counted(input: AsyncIterable<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    onBytes(chunk.length);
    yield chunk;
  }
}

/**
 * Decompresses gzip (every member of a multi-member file, as zlib does). Damaged data ends the stream
 * early and is reported through `onDamage`, so the records before the damage are still read; an error of
 * the input itself (a failed read) is thrown.
 */
async function* gunzip(input: AsyncIterable<Buffer>, onDamage: (message: string) => void): AsyncGenerator<Buffer> {
  const gz = createGunzip();
  // Errors of either stream surface in the iteration below; the promise is only awaited for its cleanup.
  const piping = pipeline(Readable.from(input), gz).catch(() => {});
  try {
    for await (const chunk of gz as AsyncIterable<Buffer>) yield chunk;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('Z_')) throw e;
    onDamage((e as Error).message);
  } finally {
    gz.destroy();
    await piping;
  }
}

/** Looks ahead in a chunk stream, then hands on the whole stream, the looked-at chunks included. */
class Peeker {
  readonly chunks: Buffer[] = [];
  private buffered = 0;
  private done = false;
  private readonly it: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** Reads one more chunk; false at the end of the input. */
  async more(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return false;
    }
    this.chunks.push(r.value);
    this.buffered += r.value.length;
    return true;
  }

  async fill(bytes: number): Promise<void> {
    while (this.buffered < bytes && (await this.more()));
  }

  /** `length` bytes from `from`, of what was read so far. */
  head(from: number, length: number): Buffer {
    const needed: Buffer[] = [];
    let have = 0;
    for (const c of this.chunks) {
      if (have >= from + length) break;
      needed.push(c);
      have += c.length;
    }
    return Buffer.concat(needed).subarray(from, from + length);
  }

  startsWith(prefix: Buffer): boolean {
    return this.head(0, prefix.length).equals(prefix);
  }

  /** The whole stream, without its first `skip` bytes. */
  async *rest(skip = 0): AsyncGenerator<Buffer> {
    for (let chunk = this.chunks.shift(); chunk; chunk = this.chunks.shift()) {
      const drop = Math.min(skip, chunk.length);
      skip -= drop;
      if (drop < chunk.length) yield chunk.subarray(drop);
    }
    for (;;) {
      const r = await this.it.next();
      if (r.done) return;
      yield r.value;
    }
  }
}

/**
 * NDJSON or JSON values, from the first value: an array is values; an object that ends on its own line is
 * NDJSON; an object followed by another on the same line, or spanning lines, is values. Reads ahead (kept
 * for the splitter) at most to the end of the first value, bounded by `maxBytes` and DETECT_MAX_LINES.
 */
async function detect(p: Peeker, from: number, maxBytes: number): Promise<InputFormat> {
  const scan = new FirstValueScan(maxBytes);
  let skip = from;
  for (let i = 0; ; i++) {
    while (i >= p.chunks.length) if (!(await p.more())) return scan.atEnd();
    const chunk = p.chunks[i]!;
    const drop = Math.min(skip, chunk.length);
    skip -= drop;
    const verdict = scan.feed(drop ? chunk.subarray(drop) : chunk);
    if (verdict) return verdict;
  }
}

class FirstValueScan {
  private phase: 'lead' | 'value' | 'after' = 'lead';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private newlines = 0;
  private scanned = 0;

  constructor(private readonly maxBytes: number) {}

  feed(chunk: Buffer): InputFormat | undefined {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.phase === 'lead') {
        if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
        if (b === 0x5b) return 'json-values';
        if (b !== 0x7b) return 'ndjson';
        this.phase = 'value';
        this.depth = 1;
      } else if (this.phase === 'value') {
        // A JSON string holds no raw newline: one inside a string means a cut-off line, i.e. NDJSON whose first
        // line is broken (read line by line, so it cannot swallow the next one).
        if (b === 0x0a && this.inString) return 'ndjson';
        if (b === 0x0a && ++this.newlines > DETECT_MAX_LINES) return 'ndjson';
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (b === 0x5c) this.escaped = true;
          else if (b === 0x22) this.inString = false;
        } else if (b === 0x22) this.inString = true;
        else if (b === 0x7b || b === 0x5b) this.depth++;
        else if ((b === 0x7d || b === 0x5d) && --this.depth === 0) {
          if (this.newlines > 0) return 'json-values';
          this.phase = 'after';
        }
      } else {
        if (b === 0x20 || b === 0x09 || b === 0x0d) continue;
        return b === 0x0a ? 'ndjson' : 'json-values';
      }
    }
    this.scanned += chunk.length;
    return this.scanned > this.maxBytes ? 'ndjson' : undefined;
  }

  atEnd(): InputFormat {
    return 'ndjson';
  }
}
