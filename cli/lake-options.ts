/**
 * Detection settings for the local commands, from the same `okta-lake.config.json` the deployment reads
 * (its `detections` section: thresholds, exclusions and disabled detections), so a tuned threshold behaves the same
 * on the laptop and in AWS.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_FILE_NAME, ConfigError, resolveConfig } from '../config/index.ts';
import type { LocalLakeOptions } from '../lake/local-lake.ts';
import { UsageError } from './usage-error.ts';

export function detectionSettings(configPath: string | undefined): Pick<LocalLakeOptions, 'thresholds' | 'disabled' | 'exclusions'> {
  const path = resolve(configPath ?? CONFIG_FILE_NAME);
  if (!existsSync(path)) {
    if (configPath) throw new UsageError(`config file ${configPath} does not exist`);
    return {};
  }
  try {
    const { config } = resolveConfig({ file: { path, text: readFileSync(path, 'utf8') }, env: process.env });
    return { thresholds: config.detections.thresholds, disabled: config.detections.disabledDetections, exclusions: config.detections.exclusions };
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
}

/** Everything a local lake takes from the config file: detection settings and the identity rules of the inventory. */
export function localLakeSettings(configPath: string | undefined): Pick<LocalLakeOptions, 'thresholds' | 'disabled' | 'exclusions' | 'identityRules'> {
  return detectionSettings(configPath);
}

/**
 * The lake folder of a command that reads an existing lake; the error says what to do first. Checked
 * before the lake is opened (opening creates the folder), so a typo in the path fails instead of reading
 * an empty new lake that looks like a clean hour.
 */
export function existingLakeDir(dir: string): string {
  if (!existsSync(dir)) throw new UsageError(`lake folder ${dir} does not exist (ingest something first)`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`lake ${dir} is not a folder`);
  return dir;
}
