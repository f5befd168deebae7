/**
 * Lambda entry: gap recovery (handlers/recovery/). Invoked by the okta-silent alarm's state change (EventBridge),
 * by the hourly check (EventBridge Scheduler), by hand with `{"since", "until"}`, and by its own recovery queue.
 */
import { logger } from './log.ts';
import type { RemainingTime } from './recovery/context.ts';
import { recoverGapEntry } from './recovery/entry.ts';
import { createRecoveryRuntime, readRecoveryConfig } from './recovery/runtime.ts';
import { once } from './runtime.ts';

const runtime = once(() => createRecoveryRuntime(readRecoveryConfig(process.env), logger));

export const handler = async (event: unknown, context: RemainingTime) => recoverGapEntry(runtime(), event, context, () => new Date());
