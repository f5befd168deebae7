-- okta-idp-lifecycle: an identity provider was created, changed, activated, deactivated or deleted.
-- Reads: okta_events (arrival hour partitions of the run), system.idp.lifecycle.* events. Each uuid counts
--   once (Okta delivers at least once). One finding per admin per hour; HIGH when an IdP was created or
--   activated (a new way to sign in as any user it maps to).
--   system.idp.lifecycle.read_client_secret is a read, not a change: it is okta-oauth-app-abuse's (client secret reads).
-- False positives: planned SSO and social-login set-up or certificate rotation.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype like 'system.idp.lifecycle.%'
    and eventtype <> 'system.idp.lifecycle.read_client_secret'
),
changes as (
  select
    uuid, published, outcome,
    replace(eventtype, 'system.idp.lifecycle.', '') as action,
    coalesce(element_at(filter(target, t -> t.type = 'IdentityProvider'), 1).displayname,
             element_at(target, 1).displayname,
             element_at(target, 1).alternateid,
             'unnamed IdP') as idp,
    coalesce(actor.alternateid, actor.id) as login,
    nullif(client.ipaddress, 'null') as ip
  from events
  where copy = 1
)
select
  'user' as entity_type,
  login as entity_id,
  case when count_if(action in ('create', 'activate') and coalesce(outcome.result, 'SUCCESS') <> 'FAILURE') > 0 then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  array_agg(distinct login) as actors,
  filter(array_agg(distinct ip), x -> x is not null) as ips,
  concat(login, ' changed identity providers: ', array_join(array_agg(distinct concat(action, ' ', idp)), ', '),
         ' (outcome: ', coalesce(array_join(array_agg(distinct outcome.result), ', '), 'unknown'), ')') as summary
from changes
where login is not null
group by login
