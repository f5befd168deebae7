/**
 * The cdktf app: load the configuration, build the stack, synthesize to cdktf.out/ and say what the plan
 * declares. Nothing else.
 *
 * Config: okta-lake.config.json in the working directory (optional), the cdktf context key "oktaLake"
 * (cdktf.json "context", or CDKTF_CONTEXT_JSON), then OKTA_LAKE_* environment overrides. See README.md, "Deploy to AWS".
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { CONFIG_FILE_NAME, ConfigError, CONTEXT_KEY, resolveConfig } from './config/load.ts';
import { planSummary } from './modules/plan-summary.ts';
import { OktaLogLakeStack } from './modules/stack.ts';

const configPath = resolve(process.env.OKTA_LAKE_CONFIG ?? CONFIG_FILE_NAME);
if (process.env.OKTA_LAKE_CONFIG && !existsSync(configPath)) {
  console.error(`OKTA_LAKE_CONFIG names ${configPath}, which does not exist`);
  process.exit(1);
}
// The cdktf CLI passes cdktf.json's context in CDKTF_CONTEXT_JSON; `npm run synth` runs without the CLI.
const cdktfJson = resolve('cdktf.json');
const fileContext = existsSync(cdktfJson) ? ((JSON.parse(readFileSync(cdktfJson, 'utf8')) as { context?: Record<string, unknown> }).context ?? {}) : {};

const app = new App({ context: fileContext, stackTraces: false });
const STACK = 'okta-log-lake';
try {
  const { config, notes } = resolveConfig({
    file: existsSync(configPath) ? { path: configPath, text: readFileSync(configPath, 'utf8') } : undefined,
    context: app.node.tryGetContext(CONTEXT_KEY),
    env: process.env,
  });
  for (const note of notes) console.error(note);
  new OktaLogLakeStack(app, STACK, { config });
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
app.synth();
// What the plan declares, for whoever reviews it in a pipeline.
const planFile = join(app.outdir, 'stacks', STACK, 'cdk.tf.json');
for (const line of planSummary(JSON.parse(readFileSync(planFile, 'utf8')), STACK)) console.log(line);
