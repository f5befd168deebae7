/**
 * Files the ingest writes as it reads: gathered into large chunks (one write call per record costs more
 * than parsing it), optionally through gzip, opened on first write, one per partition folder.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';

/** Writes are gathered into chunks of about this size: one write call per line costs more than the parsing. */
const CHUNK_BYTES = 1 << 20;

/** A file written in large chunks, opened on first write (through gzip when asked). */
export class ChunkedFile {
  private stream: Writable | undefined;
  /** Settles when the file is fully written and closed; rejects with the first write error. */
  private finished: Promise<void> | undefined;
  private error: unknown;
  private pending: (Buffer | string)[] = [];
  private pendingBytes = 0;

  constructor(
    readonly path: string,
    private readonly gzip: boolean,
  ) {}

  async write(data: Buffer | string): Promise<void> {
    this.pending.push(data);
    this.pendingBytes += data.length;
    if (this.pendingBytes >= CHUNK_BYTES) await this.drainPending();
  }

  private open(): Writable {
    mkdirSync(dirname(this.path), { recursive: true });
    const file = createWriteStream(this.path);
    // Level 1: the archive is a backup read rarely; the CPU saved is a quarter of the ingest time.
    let stream: Writable = file;
    let done: Promise<void>;
    if (this.gzip) {
      const gz = createGzip({ level: 1 });
      done = pipeline(gz, file);
      stream = gz;
    } else done = finished(file);
    this.finished = done.catch((e: unknown) => {
      this.error ??= e;
    });
    return stream;
  }

  private failIfBroken(): void {
    if (this.error !== undefined) throw new Error(`cannot write ${this.path}: ${(this.error as Error).message}`);
  }

  private async drainPending(): Promise<void> {
    this.failIfBroken();
    if (this.pending.length === 0) return;
    this.stream ??= this.open();
    const chunk = Buffer.concat(this.pending.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.stream.write(chunk)) await Promise.race([once(this.stream, 'drain'), this.finished]);
    this.failIfBroken();
  }

  /** Flushes and closes; true when anything was written. Throws the first write error. */
  async close(): Promise<boolean> {
    await this.drainPending();
    if (!this.stream) return false;
    this.stream.end();
    await this.finished;
    this.stream = undefined;
    this.failIfBroken();
    return true;
  }

  /** Releases the file after a failure. */
  destroy(): void {
    this.stream?.destroy();
  }
}

/** One chunked file per partition folder (`<prefix>/dt=YYYY-MM-DD/<fileName>`), opened on first use. */
export class PartitionedFiles {
  private readonly open = new Map<string, ChunkedFile>();

  constructor(
    private readonly root: string,
    private readonly prefix: string,
    private readonly fileName: string,
    private readonly gzip: boolean,
  ) {}

  write(dt: string, data: Buffer | string): Promise<void> {
    let file = this.open.get(dt);
    if (!file) {
      file = new ChunkedFile(join(this.root, this.prefix, `dt=${dt}`, this.fileName), this.gzip);
      this.open.set(dt, file);
    }
    return file.write(data);
  }

  /** Lake-relative paths of the files written. */
  paths(): string[] {
    return [...this.open.keys()].map((dt) => join(this.prefix, `dt=${dt}`, this.fileName));
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((f) => f.close()));
  }

  destroy(): void {
    for (const f of this.open.values()) f.destroy();
  }
}
