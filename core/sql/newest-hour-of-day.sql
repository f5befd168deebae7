-- The newest arrival hour of :day that holds events, as its partition label `YYYY-MM-DD-HH`; null when the day
-- holds none. Reads the partition columns of one day only.
select max(concat(dt, '-', hour)) as newest
from okta_events
where dt = :day
