-- activity-users: how many users one activity partition holds (the summary of a snapshot run).
select count(*) as users
from activity
where dt = :dt and batch = :batch
