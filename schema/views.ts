/**
 * Views over the lake's tables, defined once in Athena (Trino) SQL: the local DuckDB engine creates them
 * beside its table views (translating the SQL as it does every query), and the stack declares the same views
 * in Glue, where Athena reads them (modules/glue-catalog.ts).
 *
 * A view's column list is built from its table's definition in `schema/`, so a column added to the table
 * appears in the view with no edit here.
 */
import { okta_admin_roles, okta_devices, okta_factors, okta_users } from './inventory.ts';
import { okta_events } from './logevent.ts';
import { quoteIdent, type TableDef } from './types.ts';

export interface ViewDef {
  readonly name: string;
  /** The table whose every column (data columns, then partition keys) the view returns, in the table's order. */
  readonly source: TableDef;
  /** One paragraph for people: what a row is and when to read this view rather than the table. */
  readonly description: string;
  /** The view's `select`, Athena engine v3 (Trino) SQL without parameters. */
  readonly sql: string;
}

/** Every column of a table, data columns then partition keys, quoted, in table order. */
const allColumns = (table: TableDef): string[] => [...Object.keys(table.columns), ...table.partitionKeys].map(quoteIdent);

/**
 * `okta_events` with each event once. Okta delivers at least once and a re-ingested file adds its rows
 * again, so the table can hold several rows per `uuid`; detections already count each uuid once, an
 * analyst's `count(*)` does not. This view keeps, per arrival day, the first copy of each uuid (the
 * earliest arrival hour, then the earliest `published`). uuids are compared lower-cased: the same event
 * has been seen with an upper-case uuid.
 *
 * Why the window is partitioned by `dt` as well as by uuid: Athena (Trino) pushes a predicate through a
 * window function only when it is on the window's partition columns. With `partition by dt, lower(uuid)`,
 * `select ... from okta_events_unique where dt = '2026-11-25'` still prunes to that day's partitions
 * (partition projection reads one day's prefixes). A window partitioned by uuid alone must see every copy
 * of a uuid in the whole history before it can pick the first, so every query on the view would scan all
 * of `okta_events`, whatever its `dt` filter. The price: a copy that arrives on a later day than the
 * first is kept as a second row (rare; Okta's redeliveries arrive within minutes). A filter on `hour`
 * alone is applied after the window, so it reads the whole day: filter on `dt` too.
 */
export const okta_events_unique: ViewDef = {
  name: 'okta_events_unique',
  source: okta_events,
  description:
    'Okta System Log events with each event once per arrival day: re-ingested or redelivered copies of a uuid removed ' +
    '(the first arrival kept). Filter on dt to read only the days you need.',
  sql: [
    `select ${allColumns(okta_events).join(', ')}`,
    'from (',
    `  select *, row_number() over (partition by dt, lower(uuid) order by hour, published) as copy_number`,
    `  from ${quoteIdent(okta_events.name)}`,
    ')',
    'where copy_number = 1',
  ].join('\n'),
};

/**
 * `okta_users` with each user's latest row of each day: the nightly batch, or a refresh of the user from the
 * API written after it (the near-time cascade). Partitioned by `dt` like the table, so `where dt = ...` prunes.
 */
export const okta_users_current: ViewDef = {
  name: 'okta_users_current',
  source: okta_users,
  description:
    "Okta users as the lake knows them on each day: one row per user and dt, the day's latest collection of that user " +
    '(the nightly inventory, or a refresh of the user during the day). Filter on dt.',
  sql: [
    `select ${allColumns(okta_users).join(', ')}`,
    'from (',
    // On a tie, the refresh: the nightly collection deletes the day's refresh batches, so one that exists beside the
    // nightly batch was written after it.
    `  select *, row_number() over (partition by dt, user_id order by collected_at desc, case when batch = 'daily' then 1 else 0 end, batch) as version`,
    `  from ${quoteIdent(okta_users.name)}`,
    ')',
    'where version = 1',
  ].join('\n'),
};

/**
 * The rows of a per-user inventory table (factors, devices, roles) that belong to the user's current row of the
 * day: the same batch. A refresh that found a user with no factor left must hide the factors of the nightly
 * batch, so the match is on the batch the user's current row came from, not on the latest rows per user.
 */
function currentOf(table: TableDef, what: string): ViewDef {
  const columns = allColumns(table).map((c) => `t.${c}`);
  return {
    name: `${table.name}_current`,
    source: table,
    description: `${what} as the lake knows them on each day: the rows of each user's latest collection of the day (see okta_users_current). Filter on dt.`,
    sql: [
      `select ${columns.join(', ')}`,
      `from ${quoteIdent(table.name)} as t`,
      `join ${quoteIdent(okta_users_current.name)} as u on u.dt = t.dt and u.batch = t.batch and u.user_id = t.user_id`,
    ].join('\n'),
  };
}

export const okta_factors_current = currentOf(okta_factors, "Users' authenticator enrollments");
export const okta_devices_current = currentOf(okta_devices, "Users' devices");
export const okta_admin_roles_current = currentOf(okta_admin_roles, "Users' admin role assignments");

/** Every view of the lake, each after the views it reads. The local engine and the stack iterate this list. */
export const lakeViews: readonly ViewDef[] = [okta_events_unique, okta_users_current, okta_factors_current, okta_devices_current, okta_admin_roles_current];
