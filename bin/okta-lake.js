#!/usr/bin/env node
// The `okta-lake` command. `npm ci` builds it into dist/cli/ (bin/build-cli.mjs); that build runs while it is newer
// than every source file it was built from. Otherwise (no build, or a source edited since) the TypeScript sources run
// through tsx, a second or so slower to start, never stale.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The bundled code cannot find the SQL and YAML beside its own files: they stay in the repository.
process.env.OKTA_LAKE_ASSET_ROOT ??= root;

function freshBuild() {
  const manifest = join(root, 'dist', 'cli', 'inputs.json');
  if (!existsSync(manifest)) return false;
  try {
    const builtAt = statSync(manifest).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(manifest, 'utf8'));
    return inputs.every((file) => statSync(join(root, file)).mtimeMs <= builtAt);
  } catch {
    return false; // a source removed or renamed since the build
  }
}

if (freshBuild()) {
  await import(join(root, 'dist', 'cli', 'main.mjs'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
