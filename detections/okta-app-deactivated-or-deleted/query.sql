-- okta-app-deactivated-or-deleted: app integrations deactivated or deleted; MEDIUM when one actor does it to several apps in an hour.
-- Reads: okta_events (arrival hour partitions of the run), application.lifecycle.deactivate and .delete (both engines),
--   every outcome (a refused attempt is as telling). Each uuid counts once (Okta delivers at least once).
-- A deactivated or deleted app stops signing users in (impact: service stop), and removing a security integration
--   (the SIEM's app, an MFA or device-trust connector, an Org2Org hub) also blinds or weakens the org.
-- One finding per actor (the admin, or the app / API client acting) and hour, naming the apps (AppInstance target).
--   LOW (the default) for one or two apps; MEDIUM when the actor deactivated or deleted :min_apps_medium or more
--   distinct apps in the hour (mass removal rather than offboarding one app).
-- False positives: retiring an unused app, cleaning up test or duplicate integrations, Terraform removing apps.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('application.lifecycle.deactivate', 'application.lifecycle.delete')
),
removals as (
  select
    uuid, published,
    regexp_extract(eventtype, '[a-z_]+$') as action,
    coalesce(outcome.result, 'SUCCESS') = 'SUCCESS' as succeeded,
    case
      when actor.type = 'User' then 'user'
      when actor.type in ('PublicClientApp', 'AppInstance', 'Client') then 'app'
      else 'org'
    end as actor_kind,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id, 'unknown') as actor_login,
    nullif(client.ipaddress, 'null') as ip,
    coalesce(element_at(filter(target, t -> t.type = 'AppInstance'), 1), element_at(target, 1)) as app
  from events
  where copy = 1
),
named as (
  select
    *,
    coalesce(app.id, app.displayname, uuid) as app_key,
    coalesce(nullif(app.displayname, ''), nullif(app.alternateid, 'unknown'), app.id, 'an unnamed app') as app_name
  from removals
)
select
  actor_kind as entity_type,
  actor_login as entity_id,
  case when count(distinct app_key) >= :min_apps_medium then 'MEDIUM' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[actor_login] as actors,
  array_sort(filter(array_agg(distinct ip), x -> x is not null)) as ips,
  concat(
    actor_login, ' removed ', cast(count(distinct app_key) as varchar), ' app(s): ',
    array_join(array_sort(array_agg(distinct concat(
      '"', app_name, '" ', if(action = 'delete', 'deleted', 'deactivated'), if(succeeded, '', ' (did not succeed)')
    ))), ', ')
  ) as summary
from named
group by actor_kind, actor_login
