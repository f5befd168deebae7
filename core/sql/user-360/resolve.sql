-- user-360 resolve: the Okta user id and login of :user (an Okta user id, or a login, case-insensitive) as the lake
-- knows them from :from_dt to :day: from the inventory (okta_users_current) and the activity rows. The newest
-- sighting wins (a login that moved between accounts). No row when neither knows the user.
with candidates as (
  select user_id, login, dt, 1 as source_order
  from okta_users_current
  where dt between :from_dt and :day
    and (user_id = :user or lower(login) = lower(:user))
  union all
  select user_id, login, dt, 2 as source_order
  from activity
  where dt between :from_dt and :day
    and (user_id = :user or lower(login) = lower(:user))
)
select user_id, login
from (select *, row_number() over (order by dt desc, source_order) as n from candidates)
where n = 1
