/**
 * One record cut from an input, before anything is parsed: its exact bytes and where it was, so a record
 * that is rejected can be quarantined byte for byte with a position a person can find in the file.
 */

export interface InputRecord {
  /** The record's bytes exactly as they were in the (decompressed) input; a line's `\n` is not included. */
  readonly bytes: Buffer;
  /** 1-based line of the record's first byte. */
  readonly line: number;
  /** Byte offset of the record's first byte in the decompressed input (a BOM counts). */
  readonly offset: number;
  /** 1-based index among the input's records; set for JSON values (concatenated objects, arrays), not for NDJSON, where the line says it. */
  readonly record?: number;
  /**
   * Set when the record grew past the most one record may hold and was cut: each piece is kept in order
   * (`part` 1, 2, ...; `last` on the final one), so the pieces together are the record's bytes.
   */
  readonly cut?: { readonly part: number; readonly last: boolean; readonly maxBytes: number };
  /** Set on a pseudo-record that stands for input that could not be read (a damaged gzip stream); `bytes` is empty. */
  readonly damage?: string;
}

/** Where a record was, as a person reads it: `line 12` for NDJSON, `record 3 (line 1, byte 2210)` otherwise. */
export function positionLabel(r: Pick<InputRecord, 'line' | 'offset' | 'record' | 'cut' | 'damage'>): string {
  if (r.damage !== undefined) return `byte ${r.offset}`;
  const where = r.record === undefined ? `line ${r.line}` : `record ${r.record} (line ${r.line}, byte ${r.offset})`;
  return r.cut ? `${where}, part ${r.cut.part}` : where;
}

/** Gathers the pieces of a record that spans input chunks, without copying until it is complete. */
export class RecordPieces {
  private pieces: Buffer[] = [];
  bytes = 0;

  add(piece: Buffer): void {
    if (piece.length === 0) return;
    this.pieces.push(piece);
    this.bytes += piece.length;
  }

  /** The gathered bytes followed by `tail`, and a fresh start. */
  take(tail?: Buffer): Buffer {
    const pieces = this.pieces;
    this.pieces = [];
    this.bytes = 0;
    if (pieces.length === 0) return tail ?? Buffer.alloc(0);
    if (tail && tail.length > 0) pieces.push(tail);
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  }

  get empty(): boolean {
    return this.pieces.length === 0;
  }
}
