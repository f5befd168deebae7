-- okta-rate-limit-violation: Okta rejected requests of one caller because an org, operation, client or concurrency rate limit was violated.
-- Reads: okta_events, the rate-limit violation event types, in the arrival hour partitions of the run. Each uuid counts once.
-- The violations: system.client.rate_limit / concurrency_rate_limit, system.operation.rate_limit, system.org.rate_limit,
-- core.concurrency.org.limit.violation, and system.operation.concurrency_limit.violation (too many concurrent operations
-- of one kind, e.g. one API token's web requests; GA 2022.07.0, which Panther's rule misses).
-- Not flagged: rate-limit warnings and notifications (system.org.rate_limit.warning, ...client_id_rate_limit_warning)
-- and application.integration.rate_limit_exceeded (an app integration's own outbound calls being throttled).
-- One finding per caller and hour: the user (actor login), or the client IP when Okta logs the actor as "unknown".
-- False positives: scripts and integrations without back-off, bulk imports, load tests, a misbehaving browser extension.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and (
      eventtype like 'system.client.rate_limit.%'
      or eventtype like 'system.client.concurrency_rate_limit.%'
      or eventtype like 'system.operation.rate_limit.%'
      or eventtype like 'system.org.rate_limit.%'
      or eventtype = 'core.concurrency.org.limit.violation'
      or eventtype = 'system.operation.concurrency_limit.violation'
    )
    and strpos(eventtype, 'violation') > 0
),
violations as (
  select
    uuid, published, eventtype,
    case when actor.alternateid not in ('unknown', 'null', '') then actor.alternateid end as actor_login,
    actor.type as actor_type,
    nullif(client.ipaddress, 'null') as ip,
    coalesce(
      element_at(debugcontext.debugdata, 'requestUri'),
      element_at(debugcontext.debugdata, 'url')
    ) as request_uri
  from events
  where copy = 1
),
entities as (
  select
    *,
    case
      when actor_login is not null and actor_type in ('PublicClientApp', 'AppInstance') then 'app'
      when actor_login is not null then 'user'
      when ip is not null then 'ip'
      else 'org'
    end as entity_type,
    coalesce(actor_login, ip, 'okta-org') as entity_id
  from violations
)
select
  entity_type,
  entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  filter(array_agg(distinct actor_login), v -> v is not null) as actors,
  filter(array_agg(distinct ip), v -> v is not null) as ips,
  concat(
    cast(count(*) as varchar), ' rate-limit violation(s) by ', entity_id,
    ' (', min(eventtype), case when count(distinct eventtype) > 1 then ' and others' else '' end, ')',
    case when min(request_uri) is not null then concat(', e.g. on ', min(request_uri)) else '' end,
    ' from ', cast(count(distinct ip) as varchar), ' IP(s)'
  ) as summary
from entities
group by entity_type, entity_id
