#!/usr/bin/env node
// Builds the `okta-lake` command into dist/cli/ with esbuild (the package's `prepare` script, so `npm ci` runs it):
// the TypeScript sources as a few ES modules, one per command loaded when it runs, with packages left in
// node_modules. bin/okta-lake.js runs this build while it is newer than every source it was built from
// (dist/cli/inputs.json), and the sources through tsx otherwise, so an edited file is never run stale.
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // An install without dev dependencies: the command runs its sources through tsx, as before any build.
  console.error('okta-lake: esbuild is not installed; the command will run its TypeScript sources through tsx');
  process.exit(0);
}

const out = join(root, 'dist', 'cli');
const next = join(root, 'dist', `.cli-${process.pid}`);
rmSync(next, { recursive: true, force: true });
mkdirSync(next, { recursive: true });
const started = Date.now();
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['cli/main.ts'],
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: next,
  outExtension: { '.js': '.mjs' },
  packages: 'external',
  metafile: true,
  logLevel: 'warning',
});
// Files the modules read beside themselves (new URL(..., import.meta.url)) go beside the bundle.
const besideModules = ['engines/duckdb/trino-compat.sql'];
for (const file of besideModules) copyFileSync(join(root, file), join(next, file.split('/').pop()));
// Every source file the build read, relative to the root: what bin/okta-lake.js compares the build's age with.
const inputs = [...Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/')), ...besideModules].sort();
writeFileSync(join(next, 'inputs.json'), `${JSON.stringify({ built: new Date().toISOString(), inputs }, null, 1)}\n`);
rmSync(out, { recursive: true, force: true });
renameSync(next, out);
console.error(`okta-lake: built dist/cli/ from ${inputs.length} source files in ${Date.now() - started} ms`);
