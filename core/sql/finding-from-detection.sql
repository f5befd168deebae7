-- Wraps one detection's query (inlined below, in the from clause) into rows of the `findings` table.
-- finding_id hashes (detection, entity, a key): for hourly and daily detections the key is the window, so
-- re-running a window yields the same ids; for posture checks it is the query's `evidence` column, so an identity
-- failing the same way day after day keeps one id (notified once), and a change of evidence is a new finding.
-- The last line is filled with a filter that drops findings about an excluded user or IP (core/exclusions.ts), or left empty.
-- Every parameter is cast to its column type: a bare `?` in a select list has no type of its own.
-- Times are taken in UTC before the zone is dropped (Trino's cast would keep the offset's wall clock).
select
  lower(to_hex(sha256(to_utf8(concat(cast(:detection_id as varchar), '|', coalesce(d.entity_type, ''), '|', coalesce(d.entity_id, ''), '|', {{finding_key}}))))) as finding_id,
  cast(:detection_id as varchar) as detection,
  cast(:detection_title as varchar) as title,
  coalesce(d.severity, cast(:detection_severity as varchar)) as severity,
  d.entity_type,
  d.entity_id,
  cast(:finding_window_start as timestamp) as window_start,
  cast(:finding_window_end as timestamp) as window_end,
  cast(d.first_seen at time zone 'UTC' as timestamp) as first_seen,
  cast(d.last_seen at time zone 'UTC' as timestamp) as last_seen,
  cast(d.event_count as bigint) as event_count,
  slice(d.event_uuids, 1, cast(:max_event_uuids as integer)) as event_uuids,
  slice(d.actors, 1, 20) as actors,
  slice(d.ips, 1, 20) as ips,
  d.summary,
  cast(:detected_at as timestamp) as detected_at
from (
{{detection_query}}
) as d
{{exclusion_filter}}
