/**
 * Lambda entry: hourly detections. Invoked by EventBridge Scheduler with `{"scheduled_time": ...}`, and by the
 * re-run queue (SQS) with the same body for each hour gap recovery filled.
 */
import { hourlyEntry } from './hourly.ts';
import { logger } from './log.ts';
import { createRuntime, once, readHandlerConfig } from './runtime.ts';

const runtime = once(() => createRuntime(readHandlerConfig(process.env), logger));

export const handler = async (event: unknown) => hourlyEntry(runtime(), event, () => new Date());
