-- okta-unauthorized-app-access: one user repeatedly tried to open apps they are not assigned to.
-- Reads: okta_events, app.generic.unauth_app_access_attempt events, in the arrival hour partitions of the run.
-- Each uuid counts once. Fires at :min_attempts attempts by one user within the hour, over all apps together
-- (an attacker probing many apps with a stolen session is caught as well as one hammering a single app).
-- False positives: users following old bookmarks or links to apps they lost access to; a pending assignment.
with events as (
  select
    uuid, published, actor, client, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'app.generic.unauth_app_access_attempt'
),
attempts as (
  select
    uuid, published,
    case when actor.alternateid not in ('unknown', 'null', '') then actor.alternateid end as actor_login,
    nullif(client.ipaddress, 'null') as ip,
    coalesce(
      element_at(filter(target, t -> t.type = 'AppInstance'), 1).alternateid,
      element_at(target, 1).alternateid
    ) as app
  from events
  where copy = 1
),
entities as (
  select *, coalesce(actor_login, 'unknown') as entity_id
  from attempts
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
    entity_id, ' made ', cast(count(*) as varchar),
    ' unauthorized app access attempt(s) to ', cast(count(distinct app) as varchar), ' app(s)',
    case when min(app) is not null then concat(' (e.g. ', min(app), ')') else '' end,
    ' from ', cast(count(distinct ip) as varchar), ' IP(s)'
  ) as summary
from entities
group by entity_id
having count(*) >= :min_attempts
