/**
 * Where the project's non-code assets (detections/, snapshots/, investigations/) are read from:
 * the repository root locally, the unpacked bundle on Lambda (the bundler copies them beside index.mjs).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function assetRoot(): string {
  const fromEnv = process.env.OKTA_LAKE_ASSET_ROOT ?? process.env.LAMBDA_TASK_ROOT;
  if (fromEnv) return fromEnv;
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}
