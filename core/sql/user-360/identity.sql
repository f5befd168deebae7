-- user-360 identity: the user's row of the newest inventory from :from_dt to :day (okta_users_current), with
-- inventory_dt, the day it describes. No row when no inventory of those days holds the user.
select
  user_id, login, email, status, identity_kind, user_type, display_name, department, title, manager,
  created, activated, status_changed, last_login, password_changed, factors_collected, roles_collected,
  collected_at, dt as inventory_dt
from (
  select *, row_number() over (order by dt desc, collected_at desc) as newest
  from okta_users_current
  where dt between :from_dt and :day
    and user_id = :user_id
)
where newest = 1
