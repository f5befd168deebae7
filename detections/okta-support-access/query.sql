-- okta-support-access: Okta Support was given (or used, or had extended) access to the org by impersonation.
-- Reads: okta_events, user.session.impersonation.* events, in the arrival hour partitions of the run. Each uuid counts once.
-- grant: an admin enabled Okta Support access; initiate: Okta Support started an impersonation session;
-- extend: the access window was extended. Revocations and session ends are not flagged.
-- One finding per actor and hour.
-- False positives: support cases opened on purpose by an admin (the usual reason for a grant).
with events as (
  select
    uuid, published, eventtype, actor, client,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'user.session.impersonation.grant',
      'user.session.impersonation.initiate',
      'user.session.impersonation.extend'
    )
),
access as (
  select
    uuid, published,
    regexp_extract(eventtype, '[a-z]+$') as action,
    case when actor.alternateid not in ('unknown', 'null', '') then actor.alternateid end as actor_login,
    nullif(client.ipaddress, 'null') as ip
  from events
  where copy = 1
),
entities as (
  select *, coalesce(actor_login, 'unknown') as entity_id
  from access
)
select
  'user' as entity_type,
  entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  filter(array_agg(distinct actor_login), v -> v is not null) as actors,
  filter(array_agg(distinct ip), v -> v is not null) as ips,
  concat(
    'Okta Support access by impersonation: ', cast(count(*) as varchar), ' event(s) (',
    min(action),
    case
      when count(distinct action) = 2 then concat(', ', max(action))
      when count(distinct action) > 2 then ', initiate, extend'
      else ''
    end,
    ') by ', entity_id,
    ' from ', cast(count(distinct ip) as varchar), ' IP(s)'
  ) as summary
from entities
group by entity_id
