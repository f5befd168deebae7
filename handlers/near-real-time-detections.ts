/**
 * Lambda entry: near-real-time detections. Invoked by the EventBridge rules of the single-event detections on the
 * partner bus, with `{"detection": "<id>", "event": <the Okta event as EventBridge carries it>}`.
 */
import { logger } from './log.ts';
import { nearRealTimeInvocation } from './near-real-time.ts';
import { createRuntime, once, readHandlerConfig } from './runtime.ts';

const runtime = once(() => createRuntime(readHandlerConfig(process.env), logger));

export const handler = async (event: unknown) => nearRealTimeInvocation(runtime(), event, () => new Date());
