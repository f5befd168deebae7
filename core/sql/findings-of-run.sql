-- The findings one run wrote, with array columns as JSON text so every engine returns them alike.
select
  finding_id, detection, title, severity, entity_type, entity_id,
  window_start, window_end, first_seen, last_seen, event_count,
  json_format(cast(event_uuids as json)) as event_uuids,
  json_format(cast(actors as json)) as actors,
  json_format(cast(ips as json)) as ips,
  summary, dt, run
from findings
where dt = :dt and run = :run
order by severity, detection, entity_id
