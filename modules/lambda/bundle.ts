/**
 * Lambda bundles, built at synth: esbuild (ESM, node22, minified, AWS SDK v3 bundled so its version is the
 * one in package-lock.json, not whatever the runtime ships) writes `index.mjs`, and the SQL and YAML the
 * handlers read at run time (`core/assets.ts`: detections/, snapshots/, investigations/, core/sql/) are
 * copied beside it, without fixtures. The directory is then wrapped in a `TerraformAsset` (ARCHIVE).
 *
 * Deterministic: the same sources give the same bytes. esbuild output is stable, files are written in sorted
 * order with a fixed mode and modification time (the zip stores both), and the asset hash is computed here
 * from sorted relative paths and contents (cdktf's own hash follows directory order, which differs between
 * file systems).
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';

/** The repository root (where package.json is). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Folders (relative to the repository root) whose SQL and YAML the handlers read at run time. */
export const DEFAULT_ASSET_FOLDERS = ['detections', 'snapshots', 'investigations', 'core/sql'] as const;
/** File types copied from the asset folders. */
export const ASSET_EXTENSIONS = ['.sql', '.yaml', '.yml'] as const;
/** Folders never copied: test inputs, not run-time assets. */
const SKIPPED_FOLDERS = new Set(['fixtures', 'node_modules']);

/** Zip entries carry a modification time; every bundle file gets this one (the zip epoch is 1980). */
const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');

export interface BundleOptions {
  /** Handler entry files (TypeScript, each exporting `handler`) by bundle name, e.g. `{ "refresh-user": "handlers/refresh-user.ts" }`. */
  readonly entries: Readonly<Record<string, string>>;
  /** Directory the bundles are written to, one folder per name; each folder is replaced on every build. */
  readonly outDir: string;
  /** Root the entries and asset folders are relative to. @default REPO_ROOT */
  readonly rootDir?: string;
  /** @default DEFAULT_ASSET_FOLDERS */
  readonly assetFolders?: readonly string[];
}

export interface BundleResult {
  readonly name: string;
  readonly dir: string;
  /** Relative paths (posix), sorted. */
  readonly files: readonly string[];
  /** Size of `index.mjs` in bytes. */
  readonly codeBytes: number;
  /** Size of every file together. */
  readonly totalBytes: number;
  /** sha256 over sorted paths and contents, hex. */
  readonly sha256Hex: string;
  /** The same digest, base64: Lambda's `source_code_hash` form. */
  readonly sha256Base64: string;
}

/**
 * Builds one bundle per entry into `outDir/<name>/` (replacing what was there). One esbuild run builds them
 * all (modules the handlers share are parsed once); each bundle is still self-contained (no code splitting).
 */
export function bundleHandlers(opts: BundleOptions): Record<string, BundleResult> {
  const rootDir = opts.rootDir ?? REPO_ROOT;
  const names = Object.keys(opts.entries).sort();
  if (names.length === 0) throw new Error('Lambda bundle: no entries');
  for (const name of names) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`Lambda bundle: name "${name}" must be lower-case words joined by -`);
    const entry = resolve(rootDir, opts.entries[name]!);
    if (!existsSync(entry)) throw new Error(`Lambda bundle "${name}": handler entry ${entry} does not exist`);
  }
  const outDir = resolve(opts.outDir);
  // Build beside the targets and swap each in, so a concurrent reader never sees half a bundle.
  const staging = join(outDir, `.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });

  try {
    const result = buildSync({
      entryPoints: Object.fromEntries(names.map((n) => [`${n}/index`, resolve(rootDir, opts.entries[n]!)])),
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      absWorkingDir: rootDir,
      bundle: true,
      splitting: false,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      // Prefer the ESM builds (smaller after tree shaking; the AWS SDK ships both).
      mainFields: ['module', 'main'],
      // Bundled CommonJS dependencies call require(); ESM output has none unless one is made.
      banner: { js: "import{createRequire as __oktaLakeCreateRequire}from'node:module';const require=__oktaLakeCreateRequire(import.meta.url);" },
      legalComments: 'none',
      charset: 'utf8',
      sourcemap: false,
      logLevel: 'silent',
      write: true,
    });
    if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('\n'));
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    const detail = (e as { errors?: { text: string }[] }).errors?.map((x) => x.text).join('\n') ?? (e as Error).message;
    throw new Error(`Lambda bundle of ${names.join(', ')} failed:\n${detail}`);
  }

  const results: Record<string, BundleResult> = {};
  for (const name of names) {
    for (const folder of opts.assetFolders ?? DEFAULT_ASSET_FOLDERS) {
      copyAssets(join(rootDir, folder), join(staging, name, folder));
    }
    const dir = join(outDir, name);
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(staging, name), dir);
    results[name] = describe(name, dir);
  }
  rmSync(staging, { recursive: true, force: true });
  return results;
}

function describe(name: string, dir: string): BundleResult {
  const files = listFiles(dir);
  normalize(dir, files);
  const hash = createHash('sha256');
  let totalBytes = 0;
  for (const f of files) {
    const content = readFileSync(join(dir, f));
    totalBytes += content.length;
    hash.update(f).update('\0').update(content).update('\0');
  }
  const digest = hash.digest();
  return {
    name,
    dir,
    files,
    codeBytes: statSync(join(dir, 'index.mjs')).size,
    totalBytes,
    sha256Hex: digest.toString('hex'),
    sha256Base64: digest.toString('base64'),
  };
}

function copyAssets(from: string, to: string): void {
  if (!existsSync(from)) return;
  for (const name of readdirSync(from).sort()) {
    const src = join(from, name);
    const st = statSync(src);
    if (st.isDirectory()) {
      if (SKIPPED_FOLDERS.has(name) || name.startsWith('.')) continue;
      copyAssets(src, join(to, name));
    } else if ((ASSET_EXTENSIONS as readonly string[]).includes(extname(name))) {
      mkdirSync(to, { recursive: true });
      copyFileSync(src, join(to, name));
    }
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, rel)).isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

/** Fixed modes and times on every file and folder: the zip records both. */
function normalize(dir: string, files: readonly string[]): void {
  const dirs = new Set<string>([dir]);
  for (const f of files) {
    const p = join(dir, f);
    chmodSync(p, 0o644);
    utimesSync(p, FIXED_MTIME, FIXED_MTIME);
    for (let d = dirname(p); d.length > dir.length && d.startsWith(dir + sep); d = dirname(d)) dirs.add(d);
  }
  for (const d of [...dirs].sort().reverse()) {
    chmodSync(d, 0o755);
    utimesSync(d, FIXED_MTIME, FIXED_MTIME);
  }
}

export interface LambdaBundleProps {
  /** A bundle built by `bundleHandlers`. */
  readonly bundle: BundleResult;
}

/** A handler bundle as a Terraform asset (zip), with the hash Lambda uses to notice a new version. */
export class LambdaBundle extends Construct {
  readonly asset: TerraformAsset;
  readonly result: BundleResult;

  constructor(scope: Construct, id: string, props: LambdaBundleProps) {
    super(scope, id);
    this.result = props.bundle;
    this.asset = new TerraformAsset(this, 'asset', {
      path: this.result.dir,
      type: AssetType.ARCHIVE,
      assetHash: this.result.sha256Hex.slice(0, 32).toUpperCase(),
    });
  }

  /** Path of the zip, relative to the stack's directory in cdktf.out. */
  get path(): string {
    return this.asset.path;
  }

  get sourceCodeHash(): string {
    return this.result.sha256Base64;
  }
}
