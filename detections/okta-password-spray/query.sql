-- okta-password-spray: one source IP fails sign-in for many distinct users within the hour, or a slower spray of a few users.
-- Reads: okta_events, the arrival hour partitions of the run. Each uuid counts once (Okta delivers at least once).
-- A failed sign-in is user.session.start with outcome FAILURE (Classic and Identity Engine) or, in Identity Engine, a
-- failed password verification: user.authentication.auth_via_mfa FAILURE with debugData.factor PASSWORD_AS_FACTOR.
-- Identity Engine may log one wrong password as both, in the same transaction: the auth_via_mfa one is then dropped.
-- Failures of other factors (push, OTP, WebAuthn) are not password guesses and are left out. Users count
-- case-insensitively, unknown logins included: spraying a list of guessed logins is still spraying.
-- Two bands, one finding per IP:
--   * default (MEDIUM): failures for at least :min_users distinct users from the IP within the hour;
--   * low-and-slow (LOW): fewer users, each tried a few times, paced to stay under the lockout: at least
--     :low_min_users users with 2 or more failures, at least :low_min_failures failures in all, no user with more
--     than :low_max_per_user (more is brute force against that user), first to last failure at least
--     :low_min_span_minutes apart (a burst of seconds is a script retrying, not a paced spray).
-- Severity is raised to HIGH in either band when a sprayed user also signed in successfully (user.session.start
-- SUCCESS) from that IP.
-- False positives: a corporate NAT or VPN egress shared by many users on a morning of expired passwords; an SSO proxy
-- or integration replaying stale credentials for many accounts.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, debugcontext, transaction,
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
    from_iso8601_timestamp(published) as ts,
    outcome.result as result,
    lower(actor.alternateid) as login,
    nullif(client.ipaddress, 'null') as ip,
    nullif(client.geographicalcontext.country, 'null') as country,
    coalesce(nullif(transaction.id, 'unknown'), lower(uuid)) as tx
  from events
  where copy = 1
    and actor.alternateid is not null
    and nullif(client.ipaddress, 'null') is not null
    and (
      eventtype = 'user.session.start'
      or (outcome.result = 'FAILURE' and element_at(debugcontext.debugdata, 'factor') = 'PASSWORD_AS_FACTOR')
    )
),
-- Identity Engine may log one wrong password twice, as user.session.start and as auth_via_mfa PASSWORD_AS_FACTOR,
-- in the same transaction: such an auth_via_mfa failure is dropped. (transaction.id is not always a request id, so
-- only the pair of the two kinds within a minute is taken for one attempt.)
doubles as (
  select distinct m.uuid
  from attempts as m
  join attempts as s on s.login = m.login and s.tx = m.tx
  where m.eventtype = 'user.authentication.auth_via_mfa' and m.result = 'FAILURE'
    and s.eventtype = 'user.session.start' and s.result = 'FAILURE'
    and abs(date_diff('second', s.ts, m.ts)) <= 60
),
failures as (
  select a.uuid, a.published, a.eventtype, a.ts, a.result, a.login, a.ip, a.country
  from attempts as a
  left join doubles as d on d.uuid = a.uuid
  where a.result = 'FAILURE'
    and d.uuid is null
),
per_user as (
  select ip, login, count(*) as failures
  from failures
  group by ip, login
),
per_ip as (
  select
    f.ip,
    count(distinct f.login) as users,
    count(*) as failures,
    date_diff('second', min(f.ts), max(f.ts)) as span_seconds
  from failures as f
  group by f.ip
),
spread as (
  select ip, max(failures) as max_per_user, count_if(failures >= 2) as repeated_users
  from per_user
  group by ip
),
sprays as (
  select p.ip, case when p.users >= :min_users then 'default' else 'low' end as band
  from per_ip as p
  join spread as s on s.ip = p.ip
  where p.users >= :min_users
    or (
      s.repeated_users >= :low_min_users
      and p.failures >= :low_min_failures
      and s.max_per_user <= :low_max_per_user
      and p.span_seconds >= :low_min_span_minutes * 60
    )
),
sprayed as (
  select distinct f.ip, f.login
  from failures as f
  join sprays as s on s.ip = f.ip
),
-- A sprayed user signing in from the spraying IP: the spray may have found a password.
successes as (
  select a.uuid, a.published, a.eventtype, a.ts, a.result, a.login, a.ip, a.country
  from attempts as a
  join sprayed as s on s.ip = a.ip and s.login = a.login
  where a.eventtype = 'user.session.start'
    and a.result = 'SUCCESS'
),
evidence as (
  select f.*, s.band from failures as f join sprays as s on s.ip = f.ip
  union all
  select c.*, s.band from successes as c join sprays as s on s.ip = c.ip
)
select
  'ip' as entity_type,
  ip as entity_id,
  case
    when count_if(result = 'SUCCESS') > 0 then 'HIGH'
    when max(band) = 'low' then 'LOW'
  end as severity,
  min(ts) as first_seen,
  max(ts) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array_sort(array_agg(distinct login)) as actors,
  array[ip] as ips,
  concat(
    ip, coalesce(concat(' (', max(country), ')'), ''), ' failed sign-in for ',
    cast(count(distinct case when result = 'FAILURE' then login end) as varchar), ' distinct users (',
    cast(count_if(result = 'FAILURE') as varchar), ' failures',
    case
      when max(band) = 'low' then concat(
        ', a slow spray over ', cast(date_diff('minute', min(case when result = 'FAILURE' then ts end),
                                                max(case when result = 'FAILURE' then ts end)) as varchar),
        ' minutes, at most ', cast(max(per_user_failures) as varchar), ' per user')
      else ''
    end,
    ')',
    case
      when count_if(result = 'SUCCESS') > 0 then concat(
        '; ', cast(count(distinct case when result = 'SUCCESS' then login end) as varchar),
        ' of them then signed in successfully from it')
      else ''
    end
  ) as summary
from (
  select e.*, u.failures as per_user_failures
  from evidence as e
  left join per_user as u on u.ip = e.ip and u.login = e.login
) as x
group by ip
