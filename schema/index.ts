/** Every table of the lake. The Glue catalog, the local DuckDB views and the tests iterate this list. */
import { activity } from './activity.ts';
import { findings } from './findings.ts';
import { inventoryTables, okta_admin_roles, okta_devices, okta_factors, okta_users } from './inventory.ts';
import { okta_events } from './logevent.ts';
import { notified } from './notified.ts';
import type { TableDef } from './types.ts';

export { activity, findings, inventoryTables, notified, okta_admin_roles, okta_devices, okta_events, okta_factors, okta_users };
export const lakeTables: readonly TableDef[] = [okta_events, activity, findings, notified, ...inventoryTables];
