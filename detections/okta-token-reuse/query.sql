-- okta-token-reuse: Okta detected the reuse of an already-rotated OAuth 2.0 refresh token.
-- Reads: okta_events, app.oauth2.token.detect_reuse and app.oauth2.as.token.detect_reuse (custom authorization
-- servers), in the arrival hour partitions of the run. Each uuid counts once.
-- With refresh-token rotation, a token is valid once; presenting it again means two parties hold it, the
-- classic sign of a stolen token (Okta then revokes the whole token family). One finding per user and hour:
-- the target User, else debugData.userId; when the event names no user, the OAuth client (app).
-- False positives: a client app with a race between two tabs or threads refreshing at once, or a retry after a timeout.
with events as (
  select
    uuid, published, actor, client, target, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('app.oauth2.token.detect_reuse', 'app.oauth2.as.token.detect_reuse')
),
reuses as (
  select
    uuid, published,
    coalesce(
      nullif(element_at(filter(target, t -> t.type = 'User'), 1).alternateid, 'null'),
      element_at(filter(target, t -> t.type = 'User'), 1).id,
      element_at(debugcontext.debugdata, 'userId')
    ) as user_ref,
    coalesce(nullif(actor.displayname, 'null'), actor.alternateid, client.id) as client_app,
    nullif(client.ipaddress, 'null') as ip
  from events
  where copy = 1
),
entities as (
  select
    *,
    case when user_ref is not null then 'user' else 'app' end as entity_type,
    coalesce(user_ref, client_app, 'unknown') as entity_id
  from reuses
)
select
  entity_type,
  entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  filter(array_agg(distinct user_ref), v -> v is not null) as actors,
  filter(array_agg(distinct ip), v -> v is not null) as ips,
  concat(
    'Refresh token reuse detected ', cast(count(*) as varchar), ' time(s) for ', entity_id,
    case when min(client_app) is not null then concat(' (client ', min(client_app), ')') else '' end,
    ' from ', cast(count(distinct ip) as varchar), ' IP(s)'
  ) as summary
from entities
group by entity_type, entity_id
