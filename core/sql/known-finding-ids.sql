-- Finding ids already in the lake around a run's day: a finding among them was notified before.
select distinct finding_id
from findings
where dt between :from_dt and :to_dt
