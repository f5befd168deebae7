-- When each user's factors were last read, in the newest inventory before the day (within :from_dt .. :to_dt):
-- a collection that cannot read every user's factors in its time reads the longest-unread first.
select user_id, factors_read_at, dt
from okta_users_current
where dt = (select max(dt) from okta_users where dt between :from_dt and :to_dt)
  and factors_collected
