-- okta-network-zone-changed: a network zone updated, deactivated or deleted, or taken off the blocklist.
-- Reads: okta_events, the arrival hour partitions of the run. Each uuid counts once (Okta delivers at least once).
-- Event types: zone.update, zone.deactivate, zone.delete, zone.remove_blacklist and security.zone.remove_blacklist
-- (an IP or dynamic zone no longer blocked), and network_zone.rule.disabled. Zones decide which networks are
-- trusted by sign-on policies and which are blocked: widening a trusted zone or dropping a blocklist opens the door
-- for sign-ins from an attacker's network. Creating, activating and blocklisting a zone are not flagged.
-- One finding per actor (the admin or API client) and hour; the zones are named in the summary. Severity is raised
-- to HIGH when a zone was deactivated, deleted or removed from the blocklist.
-- False positives: planned updates of office or VPN IP ranges, automation keeping a zone in sync with a cloud
-- provider's published ranges (name that client in the runbook's allow-list).
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'zone.update', 'zone.deactivate', 'zone.delete', 'zone.remove_blacklist',
      'security.zone.remove_blacklist', 'network_zone.rule.disabled'
    )
),
changes as (
  select
    uuid, published, eventtype,
    outcome.result as result,
    case
      when actor.type = 'User' then 'user'
      when actor.type in ('PublicClientApp', 'AppInstance', 'Client') then 'app'
      else 'org'
    end as actor_kind,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id, 'unknown') as actor_login,
    nullif(client.ipaddress, 'null') as ip,
    coalesce(
      element_at(filter(target, t -> t.type <> 'User'), 1).displayname,
      element_at(target, 1).displayname,
      element_at(target, 1).id
    ) as zone_name,
    case
      when eventtype = 'zone.update' then 'updated'
      when eventtype = 'zone.deactivate' then 'deactivated'
      when eventtype = 'zone.delete' then 'deleted'
      when eventtype = 'network_zone.rule.disabled' then 'rule disabled'
      else 'removed from the blocklist'
    end as change
  from events
  where copy = 1
)
select
  actor_kind as entity_type,
  actor_login as entity_id,
  case when count_if(change <> 'updated') > 0 then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[actor_login] as actors,
  array_sort(filter(array_agg(distinct ip), ip -> ip is not null)) as ips,
  concat(
    actor_login, ': ',
    array_join(array_sort(array_agg(distinct concat('zone "', coalesce(zone_name, '?'), '" ', change))), ', '),
    case
      when count_if(result <> 'SUCCESS') > 0 then concat(' (', cast(count_if(result <> 'SUCCESS') as varchar), ' attempt(s) did not succeed)')
      else ''
    end
  ) as summary
from changes
group by actor_kind, actor_login
