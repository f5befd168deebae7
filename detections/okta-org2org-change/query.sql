-- okta-org2org-change: an Org2Org app (a trust between this Okta org and another) was created, activated or updated.
-- Reads: okta_events (arrival hour partitions of the run), application.lifecycle.create / activate / update
--   events whose target app is an Org2Org app (its name or label contains "Org2Org"). Each uuid counts once
--   (Okta delivers at least once). One finding per admin per hour; HIGH when one was created.
-- False positives: planned hub-and-spoke set-up between the organisation's own Okta orgs.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('application.lifecycle.create', 'application.lifecycle.activate', 'application.lifecycle.update')
),
org2org as (
  select
    uuid, published, outcome,
    replace(eventtype, 'application.lifecycle.', '') as action,
    coalesce(element_at(filter(target, t -> strpos(lower(concat(coalesce(t.displayname, ''), ' ', coalesce(t.alternateid, ''))), 'org2org') > 0), 1).alternateid,
             element_at(filter(target, t -> strpos(lower(concat(coalesce(t.displayname, ''), ' ', coalesce(t.alternateid, ''))), 'org2org') > 0), 1).displayname)
      as app,
    coalesce(actor.alternateid, actor.id) as login,
    nullif(client.ipaddress, 'null') as ip
  from events
  where copy = 1
)
select
  'user' as entity_type,
  login as entity_id,
  case when count_if(action = 'create') > 0 then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  array_agg(distinct login) as actors,
  filter(array_agg(distinct ip), x -> x is not null) as ips,
  concat(login, ' changed Org2Org app(s): ', array_join(array_agg(distinct concat(action, ' ', app)), ', '),
         case when count(ip) > 0 then concat(' from ', array_join(array_agg(distinct ip), ', ')) else '' end) as summary
from org2org
where app is not null
  and login is not null
group by login
