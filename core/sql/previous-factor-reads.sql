-- When each user's factors were last read, in the inventory of :dt: a collection that cannot read every user's
-- factors in its time reads the longest-unread first, and carries the others over.
select user_id, factors_read_at
from okta_users_current
where dt = :dt
  and factors_collected
