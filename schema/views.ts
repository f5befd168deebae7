/**
 * Views over the lake's tables, defined once in Athena (Trino) SQL: the local DuckDB engine creates them
 * beside its table views (translating the SQL as it does every query), and the stack declares the same views
 * in Glue, where Athena reads them (modules/glue-catalog.ts).
 *
 * A view's column list is built from its table's definition in `schema/`, so a column added to the table
 * appears in the view with no edit here.
 */
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

/** Every view of the lake. The local engine and the stack iterate this list. */
export const lakeViews: readonly ViewDef[] = [okta_events_unique];
