-- Which of the uuids listed below okta_events holds already (lower-cased), in the days :from_dt to :to_dt: what a
-- refresh leaves out before it writes the events it fetched from Okta. The runner puts one parameter per uuid in
-- the list.
select distinct lower(uuid) as uuid
from okta_events
where dt between :from_dt and :to_dt
  and lower(uuid) in ({{uuids}})
