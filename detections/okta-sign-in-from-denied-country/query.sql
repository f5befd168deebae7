-- okta-sign-in-from-denied-country: a successful Okta sign-in from a country on the configured deny list.
-- Reads: okta_events, successful user.session.start events, in the arrival hour partitions of the run. Each uuid counts once.
-- The country is client.geographicalcontext.country, which Okta writes as an English country NAME ("Russia",
-- "North Korea"); :denied_countries is a comma-separated list matched case-insensitively against it, so the
-- list holds names as Okta writes them (ISO-3166 alpha-2 codes may be added but Okta's events carry names).
-- Sign-ins without a client IP or without a country are skipped: there is nothing to judge them by.
-- One finding per user and hour.
-- False positives: employees travelling or working from a listed country; a VPN or proxy egress located there.
with events as (
  select
    uuid, published, actor, client,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.session.start'
    and outcome.result = 'SUCCESS'
),
sign_ins as (
  select
    uuid, published,
    case when actor.alternateid not in ('unknown', 'null', '') then actor.alternateid end as actor_login,
    nullif(client.ipaddress, 'null') as ip,
    nullif(trim(client.geographicalcontext.country), 'null') as country,
    nullif(client.geographicalcontext.city, 'null') as city
  from events
  where copy = 1
),
denied as (
  select *
  from sign_ins
  where ip is not null
    and country is not null
    and contains(split(lower(replace(:denied_countries, ', ', ',')), ','), lower(country))
),
entities as (
  select
    *,
    coalesce(actor_login, 'unknown') as entity_id,
    case when city is not null then concat(country, ' (', city, ')') else country end as place
  from denied
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
    entity_id, ' signed in ', cast(count(*) as varchar), ' time(s) from denied country ',
    min(place), case when count(distinct country) > 1 then ' and others' else '' end,
    ' via ', cast(count(distinct ip) as varchar), ' IP(s)'
  ) as summary
from entities
group by entity_id
