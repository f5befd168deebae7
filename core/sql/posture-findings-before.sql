-- The finding ids of the days before a run (every run: the nightly ones and the refreshes of single users). A posture
-- finding with an id found here was already failing, with the same evidence: not new.
select distinct finding_id
from findings
where dt between :from_dt and :to_dt
