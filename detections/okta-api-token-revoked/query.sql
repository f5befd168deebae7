-- okta-api-token-revoked: an Okta API token was revoked.
-- Reads: okta_events (arrival hour partitions of the run), successful system.api_token.revoke events. Each uuid
--   counts once (Okta delivers at least once). One finding per admin who revoked tokens in the hour.
-- False positives: planned token rotation and clean-up of unused integrations.
with events as (
  select
    uuid, published, actor, client, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'system.api_token.revoke'
    and outcome.result = 'SUCCESS'
),
tokens as (
  select
    uuid, published,
    coalesce(actor.alternateid, actor.id) as login,
    nullif(client.ipaddress, 'null') as ip,
    coalesce(element_at(filter(target, t -> t.type = 'Token'), 1).displayname,
             element_at(filter(target, t -> t.type = 'Token'), 1).id, 'unnamed token') as token
  from events
  where copy = 1
)
select
  'user' as entity_type,
  login as entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  array_agg(distinct login) as actors,
  filter(array_agg(distinct ip), x -> x is not null) as ips,
  concat(login, ' revoked ', cast(count(*) as varchar), ' API token(s): ', array_join(array_agg(distinct token), ', '),
         case when count(ip) > 0 then concat(' from ', array_join(array_agg(distinct ip), ', ')) else '' end) as summary
from tokens
where login is not null
group by login
