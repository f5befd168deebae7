/** Every table of the lake. The Glue catalog, the local DuckDB views and the tests iterate this list. */
import { activity } from './activity.ts';
import { findings } from './findings.ts';
import { okta_events } from './logevent.ts';
import { notified } from './notified.ts';
import type { TableDef } from './types.ts';

export { activity, findings, notified, okta_events };
export const lakeTables: readonly TableDef[] = [okta_events, activity, findings, notified];
