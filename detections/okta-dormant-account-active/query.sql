-- okta-dormant-account-active: a user active on the day after at least dormant_days days without any activity.
-- Reads: activity, the current row of each user and day (latest computed_at) from :history_from_dt (the day
-- minus history_days, computed by the runner) to :day; and okta_events of the day (dt = :day) for the uuids of
-- the user's events, each uuid once.
-- Fires only for a user with earlier activity in the lake: the quiet days lie between that activity and the day,
-- so the lake holds at least dormant_days of history before the day whenever it fires, and an empty or young lake
-- never calls anyone dormant. A user the lake has never seen (a new hire, or a user last active before
-- :history_from_dt) raises nothing.
-- :user_id (null, or one user id or login) restricts the check to one user (refresh-user).
-- False positives: return from long leave, seasonal staff, break-glass accounts used as designed.
with activity_versions as (
  select
    user_id, login, dt,
    row_number() over (
      partition by user_id, dt
      order by computed_at desc, case when batch = 'daily' then 0 else 1 end
    ) as version
  from activity
  where dt between :history_from_dt and :day
    -- the same bound in days (the partition bound above is what prunes)
    and date_diff('day', date(dt), date(:day)) <= :history_days
),
current_activity as (
  select * from activity_versions where version = 1
),
users_of_day as (
  select user_id, login
  from current_activity
  where dt = :day
    and (
      cast(:user_id as varchar) is null
      or user_id = cast(:user_id as varchar)
      or lower(login) = lower(cast(:user_id as varchar))
    )
),
previous_activity as (
  select user_id, max(dt) as last_active_dt
  from current_activity
  where dt < :day
  group by user_id
),
dormant as (
  select
    u.user_id, u.login, p.last_active_dt,
    date_diff('day', date(p.last_active_dt), date(:day)) - 1 as quiet_days
  from users_of_day as u
  join previous_activity as p on p.user_id = u.user_id
  where date_diff('day', date(p.last_active_dt), date(:day)) - 1 >= :dormant_days
),
day_events as (
  select
    uuid, published,
    actor.id as user_id,
    nullif(client.ipaddress, 'null') as ip,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt = :day
    and actor.type = 'User'
    and actor.id in (select user_id from dormant)
)
select
  'user' as entity_type,
  d.login as entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(e.published)) as first_seen,
  max(from_iso8601_timestamp(e.published)) as last_seen,
  count(*) as event_count,
  array_agg(e.uuid order by e.published) as event_uuids,
  array_agg(distinct d.login) as actors,
  filter(array_agg(distinct e.ip), ip -> ip is not null) as ips,
  concat(
    d.login, ' active again (', cast(count(*) as varchar), ' event(s)) after ', cast(d.quiet_days as varchar),
    ' days without activity; last active on ', d.last_active_dt
  ) as summary
from dormant as d
join day_events as e on e.user_id = d.user_id and e.copy = 1
group by d.user_id, d.login, d.last_active_dt, d.quiet_days
