/**
 * Lambda entry: the daily identity inventory from the Okta API (handlers/inventory.ts). Invoked by EventBridge
 * Scheduler with `{"scheduled_time": ...}` a few minutes before the nightly run, or by hand with `{"day": "YYYY-MM-DD"}`.
 */
import { createInventoryRuntime, inventoryInvocation, readInventoryConfig } from './inventory.ts';
import { logger } from './log.ts';
import { once } from './runtime.ts';

const runtime = once(() => createInventoryRuntime(readInventoryConfig(process.env), logger));

export const handler = async (event: unknown) => inventoryInvocation(runtime(), event, () => new Date());
