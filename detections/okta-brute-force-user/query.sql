-- okta-brute-force-user: many failed sign-ins against one user within the hour.
-- Reads: okta_events (arrival hour partitions of the run). Each uuid counts once (Okta delivers at least once).
-- False positives: scripts and mail clients retrying an expired password.
with events as (
  select
    uuid, published, actor, client, outcome,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.session.start'
    and outcome.result = 'FAILURE'
),
failures as (
  select * from events where copy = 1
)
select
  'user' as entity_type,
  actor.alternateid as entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  array_agg(distinct actor.alternateid) as actors,
  filter(array_agg(distinct client.ipaddress), ip -> ip is not null) as ips,
  concat(cast(count(*) as varchar), ' failed sign-ins for ', actor.alternateid, ' from ',
         cast(count(distinct client.ipaddress) as varchar), ' IP(s)') as summary
from failures
where actor.alternateid is not null
group by actor.alternateid
having count(*) >= :min_failures
