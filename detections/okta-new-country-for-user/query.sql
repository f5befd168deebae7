-- okta-new-country-for-user: a successful sign-in from a country not seen in the user's previous history_days days.
-- Reads: activity, the current row of each user and day (latest computed_at) from :history_from_dt (the day
-- minus history_days, computed by the runner) to :day; and okta_events of the day (dt = :day, the arrival day
-- the activity row was computed from) for the sign-ins, each uuid once.
-- Only users WITH history: at least one earlier activity row with a known country. A user the lake has not seen
-- before has no usual countries, and every new user would fire.
-- :user_id (null, or one user id or login) restricts the check to one user (refresh-user).
-- False positives: travel, a VPN or proxy that changed its exit country, mobile carriers geolocated abroad.
with activity_versions as (
  select
    user_id, login, dt, countries,
    row_number() over (
      partition by user_id, dt
      order by computed_at desc, case when batch = 'daily' then 0 else 1 end
    ) as version
  from activity
  where dt between :history_from_dt and :day
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
known_countries as (
  select distinct a.user_id, c.country
  from current_activity as a
  cross join unnest(a.countries) as c(country)
  where a.dt < :day
    and a.user_id in (select user_id from users_of_day)
),
sign_ins as (
  select
    uuid, published,
    actor.id as user_id,
    nullif(client.ipaddress, 'null') as ip,
    nullif(client.geographicalcontext.country, 'null') as country,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt = :day
    and eventtype = 'user.session.start'
    and outcome.result = 'SUCCESS'
    and actor.type = 'User'
),
new_country_sign_ins as (
  select s.uuid, s.published, s.ip, s.country, u.user_id, u.login
  from sign_ins as s
  join users_of_day as u on u.user_id = s.user_id
  where s.copy = 1
    and s.country is not null
    and s.user_id in (select user_id from known_countries)
    and not exists (
      select 1 from known_countries as k where k.user_id = s.user_id and k.country = s.country
    )
),
usual as (
  select user_id, array_join(array_sort(array_agg(country)), ', ') as countries
  from known_countries
  group by user_id
)
select
  'user' as entity_type,
  n.login as entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(n.published)) as first_seen,
  max(from_iso8601_timestamp(n.published)) as last_seen,
  count(*) as event_count,
  array_agg(n.uuid order by n.published) as event_uuids,
  array_agg(distinct n.login) as actors,
  filter(array_agg(distinct n.ip), ip -> ip is not null) as ips,
  concat(
    n.login, ' signed in from ', array_join(array_sort(array_agg(distinct n.country)), ', '),
    ' (', cast(count(*) as varchar), ' sign-in(s)), a country not among those of the previous ',
    cast(cast(:history_days as bigint) as varchar), ' days: ', u.countries
  ) as summary
from new_country_sign_ins as n
join usual as u on u.user_id = n.user_id
group by n.user_id, n.login, u.countries
