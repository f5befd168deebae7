-- failed-sign-ins-by-ip: which IPs fail sign-in, for how many users, how often, and whether any of those users then
-- signed in from the same IP; most users first.
-- Parameters:
--   :from_dt   first arrival day to read, YYYY-MM-DD
--   :to_dt     last arrival day to read, YYYY-MM-DD
-- Reads okta_events (only the dt partitions asked for); each uuid once. A failed sign-in is user.session.start
-- FAILURE, or an Identity Engine password check (user.authentication.auth_via_mfa FAILURE, factor
-- PASSWORD_AS_FACTOR), as in the okta-password-spray detection; users count case-insensitively.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, securitycontext, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :from_dt and :to_dt
    and eventtype in ('user.session.start', 'user.authentication.auth_via_mfa')
),
attempts as (
  select
    uuid, published, eventtype,
    outcome.result as result,
    outcome.reason as reason,
    lower(actor.alternateid) as login,
    nullif(client.ipaddress, 'null') as ip,
    client.geographicalcontext.country as country,
    securitycontext.asorg as as_org,
    client.useragent.rawuseragent as user_agent
  from events
  where copy = 1
    and nullif(client.ipaddress, 'null') is not null
    and (
      eventtype = 'user.session.start'
      or (outcome.result = 'FAILURE' and element_at(debugcontext.debugdata, 'factor') = 'PASSWORD_AS_FACTOR')
    )
),
failures as (
  select * from attempts where result = 'FAILURE'
),
-- Users who signed in successfully from the same IP after failing from it.
later_successes as (
  select f.ip, count(distinct f.login) as users
  from failures as f
  join attempts as s
    on s.ip = f.ip
    and s.login = f.login
    and s.eventtype = 'user.session.start'
    and s.result = 'SUCCESS'
    and from_iso8601_timestamp(s.published) > from_iso8601_timestamp(f.published)
  group by f.ip
),
by_ip as (
  select
    ip,
    count(distinct login) as users,
    count(*) as failures,
    min(from_iso8601_timestamp(published)) as first_failure,
    max(from_iso8601_timestamp(published)) as last_failure,
    max(country) as country,
    max(as_org) as as_org,
    array_sort(array_agg(distinct coalesce(reason, 'unknown'))) as reasons,
    count(distinct user_agent) as user_agents
  from failures
  group by ip
)
select
  b.ip, b.users, b.failures, b.first_failure, b.last_failure, b.country, b.as_org, b.reasons, b.user_agents,
  coalesce(s.users, 0) as users_then_signed_in
from by_ip as b
left join later_successes as s on s.ip = b.ip
order by b.users desc, b.failures desc, b.ip
