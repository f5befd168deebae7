-- The finding ids of one day (every run: the nightly one and the refreshes of single users). A posture finding
-- present the day before with the same id was already failing, with the same evidence: not new.
select distinct finding_id
from findings
where dt = :dt
