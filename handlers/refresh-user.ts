/** Lambda entry: refresh one user now. Invoked by the finding-event rule, or directly with `{"user": "..."}`. */
import { logger } from './log.ts';
import { refreshInvocation } from './refresh.ts';
import { createRuntime, once, readHandlerConfig } from './runtime.ts';

const runtime = once(() => createRuntime(readHandlerConfig(process.env), logger));

export const handler = async (event: unknown) => refreshInvocation(runtime(), event, () => new Date());
