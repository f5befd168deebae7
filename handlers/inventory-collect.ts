/**
 * Lambda entry: the daily identity inventory from the Okta API (handlers/inventory.ts). Invoked by EventBridge
 * Scheduler with `{"scheduled_time": ...}` a few minutes before the nightly run, or by hand with `{"day": "YYYY-MM-DD"}`.
 */
import { createInventoryRuntime, inventoryInvocation, readInventoryConfig } from './inventory.ts';
import { logger } from './log.ts';
import { once } from './runtime.ts';

const runtime = once(() => createInventoryRuntime(readInventoryConfig(process.env), logger));

/**
 * What the collection keeps of the function's time for writing the four tables (S3 puts, an Athena ALTER TABLE each)
 * after it stops reading factors.
 */
const WRITE_RESERVE_MS = 180_000;

export const handler = async (event: unknown, context: { getRemainingTimeInMillis(): number }) =>
  inventoryInvocation(runtime(), event, () => new Date(), new Date(Date.now() + context.getRemainingTimeInMillis() - WRITE_RESERVE_MS));
