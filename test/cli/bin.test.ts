/**
 * The `okta-lake` executable (bin/okta-lake.js): it runs the build `npm ci` makes (bin/build-cli.mjs, dist/cli/) while
 * that build is newer than every source it was built from, and the TypeScript sources through tsx otherwise. Both
 * must give the same answers; a build older than a source must never run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (...args: string[]) => spawnSync(process.execPath, args, { encoding: 'utf8' });
const manifest = join('dist', 'cli', 'inputs.json');

describe('bin/okta-lake.js', () => {
  it('answers the same from the build and from the sources, and never runs a build older than a source', () => {
    const build = run('bin/build-cli.mjs');
    expect(build.status, build.stderr).toBe(0);
    const inputs = JSON.parse(readFileSync(manifest, 'utf8')) as { inputs: string[] };
    expect(inputs.inputs).toContain('cli/main.ts');
    expect(inputs.inputs).toContain('engines/duckdb/trino-compat.sql');

    const fromBuild = run('bin/okta-lake.js', 'detections', 'list', '--json');
    // A build that names a source it cannot find (removed or renamed since) is stale: the sources run instead. To tell
    // which ran, the stale build's entry is broken: it would fail if it ran.
    writeFileSync(manifest, JSON.stringify({ ...inputs, inputs: [...inputs.inputs, 'cli/no-such-file.ts'] }));
    writeFileSync(join('dist', 'cli', 'main.mjs'), 'throw new Error("a stale build ran");\n');
    const fromSources = run('bin/okta-lake.js', 'detections', 'list', '--json');
    const rebuilt = run('bin/build-cli.mjs');

    expect(fromBuild.status, fromBuild.stderr).toBe(0);
    expect(fromSources.status, fromSources.stderr).toBe(0);
    expect(JSON.parse(fromSources.stdout)).toEqual(JSON.parse(fromBuild.stdout));
    expect(JSON.parse(fromBuild.stdout).detections.length).toBeGreaterThan(40);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
  });
});
