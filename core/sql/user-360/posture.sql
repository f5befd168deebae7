-- user-360 posture: the posture checks the user fails on :day: the day's findings (every run: the nightly one and
-- refreshes of the user) of the detections listed below (those of cadence posture, from the catalog; the runner
-- puts one parameter per id in the list) about the user (entity `user` :login), each once.
select
  finding_id, detection, title, severity, entity_type, entity_id,
  window_start, window_end, first_seen, last_seen, event_count,
  json_format(cast(event_uuids as json)) as event_uuids,
  json_format(cast(actors as json)) as actors,
  json_format(cast(ips as json)) as ips,
  summary, dt, run
from (
  select *, row_number() over (partition by finding_id order by detected_at desc) as copy
  from findings
  where dt = :day
    and detection in ({{detections}})
    and entity_type = 'user'
    and lower(entity_id) = lower(:login)
)
where copy = 1
order by detection, entity_id
