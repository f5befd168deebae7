-- okta-password-spray: one source IP fails sign-in for many distinct users within the hour.
-- Reads: okta_events, the arrival hour partitions of the run. Each uuid counts once (Okta delivers at least once).
-- A failed sign-in is user.session.start with outcome FAILURE (Classic and Identity Engine) or, in Identity Engine, a
-- failed password verification: user.authentication.auth_via_mfa FAILURE with debugData.factor PASSWORD_AS_FACTOR.
-- Failures of other factors (push, OTP, WebAuthn) are not password guesses and are left out. Users count
-- case-insensitively, unknown logins included: spraying a list of guessed logins is still spraying.
-- Severity is raised to HIGH when a sprayed user also signed in successfully (user.session.start SUCCESS) from that IP.
-- False positives: a corporate NAT or VPN egress shared by many users on a morning of expired passwords; an SSO proxy
-- or integration replaying stale credentials for many accounts.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('user.session.start', 'user.authentication.auth_via_mfa')
    and outcome.result in ('FAILURE', 'SUCCESS')
),
attempts as (
  select
    uuid, published, eventtype,
    outcome.result as result,
    lower(actor.alternateid) as login,
    nullif(client.ipaddress, 'null') as ip,
    nullif(client.geographicalcontext.country, 'null') as country
  from events
  where copy = 1
    and actor.alternateid is not null
    and nullif(client.ipaddress, 'null') is not null
    and (
      eventtype = 'user.session.start'
      or (outcome.result = 'FAILURE' and element_at(debugcontext.debugdata, 'factor') = 'PASSWORD_AS_FACTOR')
    )
),
failures as (
  select * from attempts where result = 'FAILURE'
),
sprays as (
  select ip
  from failures
  group by ip
  having count(distinct login) >= :min_users
),
sprayed as (
  select distinct f.ip, f.login
  from failures as f
  join sprays as s on s.ip = f.ip
),
-- A sprayed user signing in from the spraying IP: the spray may have found a password.
successes as (
  select a.*
  from attempts as a
  join sprayed as s on s.ip = a.ip and s.login = a.login
  where a.eventtype = 'user.session.start'
    and a.result = 'SUCCESS'
),
evidence as (
  select f.* from failures as f join sprays as s on s.ip = f.ip
  union all
  select * from successes
)
select
  'ip' as entity_type,
  ip as entity_id,
  case when count_if(result = 'SUCCESS') > 0 then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array_sort(array_agg(distinct login)) as actors,
  array[ip] as ips,
  concat(
    ip, coalesce(concat(' (', max(country), ')'), ''), ' failed sign-in for ',
    cast(count(distinct case when result = 'FAILURE' then login end) as varchar), ' distinct users (',
    cast(count_if(result = 'FAILURE') as varchar), ' failures)',
    case
      when count_if(result = 'SUCCESS') > 0 then concat(
        '; ', cast(count(distinct case when result = 'SUCCESS' then login end) as varchar),
        ' of them then signed in successfully from it')
      else ''
    end
  ) as summary
from evidence
group by ip
