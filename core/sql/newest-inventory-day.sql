-- The newest day between :from_dt and :to_dt with a nightly inventory (null when none).
select max(dt) as dt
from okta_users
where dt between :from_dt and :to_dt
  and batch = 'daily'
