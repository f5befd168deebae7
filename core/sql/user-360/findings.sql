-- user-360 findings: every finding from :from_dt to :day about the user (entity `user` :login) or with them among
-- its actors, each once (a re-run rewrites the same id; the latest is kept), newest first. Array columns as JSON
-- text so every engine returns them alike.
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
  where dt between :from_dt and :day
    and (
      (entity_type = 'user' and lower(entity_id) = lower(:login))
      or cardinality(filter(actors, a -> lower(a) = lower(:login))) > 0
    )
)
where copy = 1
order by window_start desc, detection, entity_id
