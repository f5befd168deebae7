export { OKTA_LOG_STREAM_REGIONS, type OktaLogStreamRegion } from './regions.ts';
export { configSchema, EXAMPLE_CONFIG, LOG_RETENTION_DAYS, type OktaLakeConfig, type OktaLakeConfigInput } from './schema.ts';
export { CONFIG_FILE_NAME, CONTEXT_KEY, ConfigError, ENV_OVERRIDES, resolveConfig, type ConfigSources, type ResolvedConfig } from './load.ts';
