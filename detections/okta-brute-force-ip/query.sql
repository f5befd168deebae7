-- okta-brute-force-ip: many failed sign-ins from one client IP within the hour.
-- Reads: okta_events (arrival hour partitions of the run), user.session.start events. Each uuid counts once
--   (Okta delivers at least once). Severity rises to HIGH when the same IP also signed in successfully in
--   the hour: the guessing may have worked.
-- False positives: a corporate NAT or proxy egress shared by many users; a misconfigured integration
--   retrying with an old password.
with events as (
  select
    uuid, published, actor, outcome,
    nullif(client.ipaddress, 'null') as ip,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.session.start'
    and outcome.result in ('FAILURE', 'SUCCESS')
),
sign_ins as (
  select * from events where copy = 1 and ip is not null
),
failures as (
  select * from sign_ins where outcome.result = 'FAILURE'
),
successes as (
  select ip, array_agg(distinct actor.alternateid) as users
  from sign_ins
  where outcome.result = 'SUCCESS'
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
