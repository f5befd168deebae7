/**
 * The process entry, run as a user runs it (`node bin/okta-lake.js ...`): a reader that closes the pipe
 * early (`okta-lake detections list | head -1`) ends the command quietly, exit code 0, no stack trace.
 *
 * The pipe is a FIFO whose only reader is closed before the command starts, so the command's first write
 * to stdout fails with EPIPE every time: no race with how fast a `head` reads.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okta-lake-pipe-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the command with stdout on a pipe nobody reads any more; resolves with its exit code and stderr. */
async function runIntoClosedPipe(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const fifo = join(dir, 'stdout');
  execFileSync('mkfifo', [fifo]);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(fifo, constants.O_WRONLY);
  closeSync(reader);
  const child = spawn(process.execPath, ['bin/okta-lake.js', ...args], { cwd: repoRoot, stdio: ['ignore', writer, 'pipe'] });
  closeSync(writer);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  return { code, stderr };
}

describe.skipIf(process.platform === 'win32')('okta-lake writing into a closed pipe', () => {
  it('ends quietly with exit code 0 when the reader has gone (detections list | head -1)', async () => {
    const r = await runIntoClosedPipe('detections', 'list');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('ends quietly with --json too', async () => {
    const r = await runIntoClosedPipe('detections', 'list', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
