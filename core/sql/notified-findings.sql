-- Findings already notified around a run's day (the `notified` ledger): what must not be notified again.
-- Event uuids come as JSON text so every engine returns them alike.
select detection, finding_id, json_format(cast(event_uuids as json)) as event_uuids
from notified
where dt between :from_dt and :to_dt
