/** Lambda entry: the nightly per-user activity snapshot. Invoked by EventBridge Scheduler with `{"scheduled_time": ...}`. */
import { dailyInvocation } from './daily.ts';
import { logger } from './log.ts';
import { createRuntime, once, readHandlerConfig } from './runtime.ts';

const runtime = once(() => createRuntime(readHandlerConfig(process.env), logger));

export const handler = async (event: unknown) => dailyInvocation(runtime(), event, () => new Date());
