-- okta-brute-force-user: many failed sign-ins against one user within the hour.
-- Reads: okta_events (arrival hour partitions of the run). Each uuid counts once (Okta delivers at least once).
-- A failed sign-in is user.session.start with outcome FAILURE (Classic and Identity Engine) or, in Identity Engine, a
-- failed password verification: user.authentication.auth_via_mfa FAILURE with debugData.factor PASSWORD_AS_FACTOR
-- (Identity Engine logs the primary factor there). One wrong password logged as both in the same transaction counts
-- once (the auth_via_mfa event is dropped when a user.session.start failure of the same user and transaction.id lies
-- within a minute of it).
-- False positives: scripts and mail clients retrying an expired password.
with events as (
  select
    uuid, published, eventtype, actor, client, debugcontext, transaction,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('user.session.start', 'user.authentication.auth_via_mfa')
    and outcome.result = 'FAILURE'
),
attempts as (
  select
    uuid, published, eventtype, actor, client,
    from_iso8601_timestamp(published) as ts,
    coalesce(nullif(transaction.id, 'unknown'), lower(uuid)) as tx
  from events
  where copy = 1
    and (
      eventtype = 'user.session.start'
      or element_at(debugcontext.debugdata, 'factor') = 'PASSWORD_AS_FACTOR'
    )
),
-- An auth_via_mfa password failure that repeats a user.session.start failure of the same transaction.
doubles as (
  select distinct m.uuid
  from attempts as m
  join attempts as s on lower(s.actor.alternateid) = lower(m.actor.alternateid) and s.tx = m.tx
  where m.eventtype = 'user.authentication.auth_via_mfa'
    and s.eventtype = 'user.session.start'
    and abs(date_diff('second', s.ts, m.ts)) <= 60
),
failures as (
  select a.*
  from attempts as a
  left join doubles as d on d.uuid = a.uuid
  where d.uuid is null
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
