-- okta-brute-force-ip: many failed sign-ins from one client IP within the hour.
-- Reads: okta_events (arrival hour partitions of the run). Each uuid counts once (Okta delivers at least once).
-- A failed sign-in is user.session.start with outcome FAILURE (Classic and Identity Engine) or, in Identity Engine, a
-- failed password verification: user.authentication.auth_via_mfa FAILURE with debugData.factor PASSWORD_AS_FACTOR
-- (Identity Engine logs the primary factor there). One wrong password logged as both in the same transaction counts
-- once (the auth_via_mfa event is dropped when a user.session.start failure of the same user and transaction.id lies
-- within a minute of it). Severity rises to HIGH when the same IP also signed in successfully (user.session.start
-- SUCCESS) in the hour: the guessing may have worked.
-- False positives: a corporate NAT or proxy egress shared by many users; a misconfigured integration
--   retrying with an old password.
with events as (
  select
    uuid, published, eventtype, actor, outcome, debugcontext, transaction,
    nullif(client.ipaddress, 'null') as ip,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('user.session.start', 'user.authentication.auth_via_mfa')
    and outcome.result in ('FAILURE', 'SUCCESS')
),
sign_ins as (
  select
    uuid, published, eventtype, actor, outcome, ip,
    from_iso8601_timestamp(published) as ts,
    lower(actor.alternateid) as login,
    coalesce(nullif(transaction.id, 'unknown'), lower(uuid)) as tx
  from events
  where copy = 1
    and ip is not null
    and (
      eventtype = 'user.session.start'
      or (outcome.result = 'FAILURE' and element_at(debugcontext.debugdata, 'factor') = 'PASSWORD_AS_FACTOR')
    )
),
-- An auth_via_mfa password failure that repeats a user.session.start failure of the same transaction.
doubles as (
  select distinct m.uuid
  from sign_ins as m
  join sign_ins as s on s.login = m.login and s.tx = m.tx
  where m.eventtype = 'user.authentication.auth_via_mfa' and m.outcome.result = 'FAILURE'
    and s.eventtype = 'user.session.start' and s.outcome.result = 'FAILURE'
    and abs(date_diff('second', s.ts, m.ts)) <= 60
),
failures as (
  select f.*
  from sign_ins as f
  left join doubles as d on d.uuid = f.uuid
  where f.outcome.result = 'FAILURE'
    and d.uuid is null
),
successes as (
  select ip, array_agg(distinct actor.alternateid) as users
  from sign_ins
  where eventtype = 'user.session.start'
    and outcome.result = 'SUCCESS'
  group by ip
),
by_ip as (
  select
    ip,
    min(from_iso8601_timestamp(published)) as first_seen,
    max(from_iso8601_timestamp(published)) as last_seen,
    count(*) as event_count,
    array_agg(uuid order by published) as event_uuids,
    filter(array_agg(distinct actor.alternateid), x -> x is not null) as actors,
    count(distinct actor.alternateid) as user_count
  from failures
  group by ip
  having count(*) >= :min_failures
)
select
  'ip' as entity_type,
  b.ip as entity_id,
  case when s.ip is not null then 'HIGH' end as severity,
  b.first_seen,
  b.last_seen,
  b.event_count,
  b.event_uuids,
  b.actors,
  array[b.ip] as ips,
  concat(cast(b.event_count as varchar), ' failed sign-ins from ', b.ip, ' against ', cast(b.user_count as varchar),
         ' user(s)',
         case when s.ip is not null
              then concat('; the same IP also signed in successfully as ', array_join(s.users, ', '))
              else '' end) as summary
from by_ip as b
left join successes as s on s.ip = b.ip
