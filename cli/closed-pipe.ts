/**
 * A reader that stops early (`okta-lake detections list | head -1`) closes the pipe, and the next write to
 * stdout fails with EPIPE. Node reports that as an unhandled 'error' event: a stack trace and exit code 1
 * for what is the normal end of a pipeline. Installed by the process entry, this ends the process quietly
 * with exit code 0 instead: the reader has all it wanted. Progress and log lines on a closed stderr are
 * dropped the same way. Any other stream error is still thrown.
 */
type Exit = (code: number) => void;

export function endQuietlyOnClosedPipe(
  stdout: NodeJS.EventEmitter = process.stdout,
  stderr: NodeJS.EventEmitter = process.stderr,
  exit: Exit = (code) => process.exit(code),
): void {
  stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    exit(0);
  });
  stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}
