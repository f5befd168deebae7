/** Lambda entry: hourly detections. Invoked by EventBridge Scheduler with `{"scheduled_time": ...}`. */
import { hourlyInvocation } from './hourly.ts';
import { logger } from './log.ts';
import { createRuntime, once, readHandlerConfig } from './runtime.ts';

const runtime = once(() => createRuntime(readHandlerConfig(process.env), logger));

export const handler = async (event: unknown) => hourlyInvocation(runtime(), event, () => new Date());
