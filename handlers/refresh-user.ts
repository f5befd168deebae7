/** Lambda entry: refresh one user now. Invoked by the escalation queue (SQS), or directly with `{"user": "..."}`. */
import { logger } from './log.ts';
import { refreshEntry } from './refresh.ts';
import { readRefreshOktaConfig, refreshOkta } from './refresh-okta.ts';
import { createRuntime, once, readHandlerConfig } from './runtime.ts';

const runtime = once(() => createRuntime(readHandlerConfig(process.env), logger));
const okta = once(() => refreshOkta(readRefreshOktaConfig(process.env), logger));

export const handler = async (event: unknown) => refreshEntry(runtime(), event, () => new Date(), okta());
