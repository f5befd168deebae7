-- okta-oauth-redirect-mismatch: OAuth token requests refused because the redirect URI did not match the client's registered ones.
-- Reads: okta_events (arrival hour partitions of the run), app.oauth2.token.grant (org authorization server, as Okta's
-- catalog rule) and app.oauth2.as.token.grant (custom authorization servers) with outcome FAILURE and outcome.reason
-- mismatched_redirect_uri. Each uuid counts once (Okta delivers at least once).
-- A phishing proxy that relays a user's OAuth flow through its own domain ends up presenting an authorization code
-- with a redirect URI the client never registered; so does a stolen code replayed from elsewhere. One finding per
-- OAuth client (the actor of the event) and hour, naming the redirect URIs tried (debugData.redirectUri) and the
-- users concerned (User targets).
-- False positives: a developer testing a new callback URL before registering it; an app deployed to a new domain
-- whose redirect URIs were not updated; an authorised phishing exercise.
with events as (
  select
    uuid, published, eventtype, actor, client, target, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('app.oauth2.token.grant', 'app.oauth2.as.token.grant')
    and outcome.result = 'FAILURE'
    and lower(outcome.reason) = 'mismatched_redirect_uri'
),
failures as (
  select
    uuid, published,
    case when actor.type = 'User' then 'user' else 'app' end as entity_type,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id) as client_key,
    coalesce(nullif(actor.displayname, 'unknown'), actor.alternateid, actor.id) as client_name,
    nullif(client.ipaddress, 'null') as ip,
    nullif(element_at(debugcontext.debugdata, 'redirectUri'), '') as redirect_uri,
    element_at(filter(target, t -> t.type = 'User'), 1).alternateid as user_login
  from events
  where copy = 1
)
select
  entity_type,
  client_key as entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array_sort(filter(array_agg(distinct user_login), x -> x is not null)) as actors,
  array_sort(filter(array_agg(distinct ip), x -> x is not null)) as ips,
  concat(
    cast(count(*) as varchar), ' OAuth token request(s) for ', max(client_name),
    ' refused for a mismatched redirect URI',
    case when count(redirect_uri) > 0
      then concat(' (', array_join(array_sort(filter(array_agg(distinct redirect_uri), x -> x is not null)), ', '), ')') else '' end,
    case when count(user_login) > 0
      then concat(', for ', cast(count(distinct user_login) as varchar), ' user(s)') else '' end,
    case when count(ip) > 0
      then concat(', from ', array_join(array_sort(filter(array_agg(distinct ip), x -> x is not null)), ', ')) else '' end
  ) as summary
from failures
where client_key is not null
group by entity_type, client_key
