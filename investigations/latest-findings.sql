-- latest-findings: the findings of the detections, newest first: what fired, about whom, how severe.
-- Parameters:
--   :from_dt   first findings day to read (the day of the finding's window), YYYY-MM-DD
--   :to_dt     last findings day to read, YYYY-MM-DD
-- Reads findings (only the dt partitions asked for). A finding id is stable across re-runs of its window, and a
-- re-run replaces its run's partition; should two runs still hold the same id, the latest detection is kept.
with findings_once as (
  select
    *,
    row_number() over (partition by finding_id order by detected_at desc) as copy
  from findings
  where dt between :from_dt and :to_dt
)
select
  window_start,
  window_end,
  severity,
  detection,
  entity_type,
  entity_id,
  summary,
  event_count,
  first_seen,
  last_seen,
  actors,
  ips,
  finding_id,
  detected_at,
  run
from findings_once
where copy = 1
order by window_start desc, detected_at desc, case severity when 'CRITICAL' then 0 when 'HIGH' then 1 when 'MEDIUM' then 2 when 'LOW' then 3 else 4 end, detection, entity_id
