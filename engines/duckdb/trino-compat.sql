-- Trino (Athena engine v3) functions that DuckDB lacks, or has under another name or meaning, after
-- polyglot's translation. Each macro keeps Trino's semantics for the arguments our queries pass.
create or replace macro to_utf8(s) as s;
create or replace macro from_utf8(s) as s;
-- Trino slice(array, start, length); DuckDB list_slice takes an end index.
create or replace macro slice(l, s, n) as list_slice(l, s, s + n - 1);
-- Trino great_circle_distance(lat1, lon1, lat2, lon2) in kilometres (sphere of radius 6371.01 km).
create or replace macro great_circle_distance(lat1, lon1, lat2, lon2) as
  6371.01 * acos(least(1.0, greatest(-1.0,
    sin(radians(lat1)) * sin(radians(lat2)) + cos(radians(lat1)) * cos(radians(lat2)) * cos(radians(lon2 - lon1)))));
create or replace macro from_iso8601_timestamp(s) as cast(s as timestamptz);
-- Trino element_at(array, index) and element_at(map, key): null when the index is out of range or the key is
-- missing (a Trino subscript `a[i]` / `m[k]` fails instead). DuckDB's element_at takes maps only and returns a
-- list; its subscript has Trino's element_at semantics for both lists and maps.
create or replace macro element_at(c, k) as c[k];
-- Trino array_join(array, delimiter): the elements joined as text, nulls skipped (DuckDB: array_to_string).
create or replace macro array_join(l, sep) as array_to_string(l, sep);
