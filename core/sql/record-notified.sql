-- Ledger rows for findings just notified, taken from the findings partition of the run that found them.
-- The runner puts one parameter per finding id in the list below.
select
  finding_id,
  detection,
  event_uuids,
  cast(:notified_at as timestamp) as notified_at
from findings
where dt = :dt and run = :run and finding_id in ({{finding_ids}})
