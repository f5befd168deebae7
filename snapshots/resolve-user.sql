-- resolve-user: the Okta user id and login of the user named by :user (an Okta user id, or a login,
-- case-insensitive), as the lake knows them: from the events of :day (today) and the activity rows since
-- :from_dt. No row when the lake does not know the user. When a login moved between accounts, the account
-- seen last wins.
with candidates as (
  select actor.id as user_id, actor.alternateid as login, cast(from_iso8601_timestamp(published) at time zone 'UTC' as timestamp) as seen_at
  from okta_events
  where dt = :day
    and actor.type = 'User'
    and actor.id is not null
    and (actor.id = :user or lower(actor.alternateid) = lower(:user))
  union all
  select user_id, login, last_seen as seen_at
  from activity
  where dt between :from_dt and :day
    and (user_id = :user or lower(login) = lower(:user))
)
select user_id, max_by(login, seen_at) as login, max(seen_at) as last_seen
from candidates
group by user_id
order by max(seen_at) desc, user_id
limit 1
