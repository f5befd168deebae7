import { runDemo } from '../../demo/run.ts';
import type { Io } from '../output.ts';
import { UsageError } from '../usage-error.ts';

export async function demoCommand(io: Io, args: { lake: string; seed: string; json?: boolean }): Promise<void> {
  const seed = Number(args.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed "${args.seed}" is not a whole number`);
  await runDemo({ lakeDir: args.lake, seed, out: io.out, err: io.err, json: args.json ?? false });
}
