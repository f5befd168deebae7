-- okta-security-settings-tampered: protected actions, ThreatInsight, password-attack protection, behavior detection or session protection weakened.
-- Reads: okta_events, the arrival hour partitions of the run. Each uuid counts once (Okta delivers at least once).
-- Event types (org-wide security settings an attacker with admin access turns off before acting):
--   security.protected_action.settings.update   protected actions (re-authentication before sensitive admin actions);
--   security.threat.configuration.update        ThreatInsight action (audit / block / none) or its excluded zones;
--   security.attack_protection.settings.update  password-attack protection (block suspicious password attempts from
--                                               unknown devices, possession factor before password, user enumeration);
--   security.behavior.settings.update / delete  behavior detection (new IP, new device, velocity ...) used by policies;
--   security.session_protection.status.update   session protection (ITP) switched between enforced and monitoring.
-- A setting is "turned off" when the target's changeDetails show a key going to false, none, disabled, audit or
-- monitoring from another value (ProtectedActionSettingChangeDetailsEntry.enabled, AttackProtectionSettingChangeDetailsEntry
-- booleans and enabled flows, ...).
-- One finding per actor (the admin, or the app / API client acting) and hour; the settings changed are named in the
-- summary. HIGH (the default) when protected actions, ThreatInsight or password-attack protection changed successfully
-- and the change either turned something off or was logged without change details (Okta's catalog describes the
-- protected action event as "setting disabled"; ThreatInsight updates carry none). MEDIUM otherwise: behavior
-- detection and session protection changes, changes that only turned settings on, refused attempts.
-- False positives: planned security reviews, a ThreatInsight zone exclusion for a known scanner or partner, turning a
-- feature on (MEDIUM).
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'security.protected_action.settings.update',
      'security.threat.configuration.update',
      'security.attack_protection.settings.update',
      'security.behavior.settings.update', 'security.behavior.settings.delete',
      'security.session_protection.status.update'
    )
),
changes as (
  select
    uuid, published, eventtype,
    coalesce(outcome.result, 'SUCCESS') = 'SUCCESS' as succeeded,
    case
      when actor.type = 'User' then 'user'
      when actor.type in ('PublicClientApp', 'AppInstance', 'Client') then 'app'
      else 'org'
    end as actor_kind,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id, 'unknown') as actor_login,
    nullif(client.ipaddress, 'null') as ip,
    element_at(target, 1) as subject,
    element_at(filter(target, t -> t.changedetails is not null), 1).changedetails as cd
  from events
  where copy = 1
),
judged as (
  select
    *,
    eventtype in (
      'security.protected_action.settings.update',
      'security.threat.configuration.update',
      'security.attack_protection.settings.update'
    ) as protection_setting,
    coalesce(cardinality(map_keys(cd."to")), 0) = 0 as no_details,
    filter(map_keys(cd."to"), k ->
      lower(element_at(cd."to", k)) in ('false', 'none', 'disabled', 'audit', 'monitoring')
      and coalesce(lower(element_at(cd."from", k)), '') <> lower(element_at(cd."to", k))
    ) as turned_off
  from changes
),
described as (
  select
    *,
    protection_setting and succeeded and (no_details or coalesce(cardinality(turned_off), 0) > 0) as weakened,
    concat(
      case eventtype
        when 'security.protected_action.settings.update' then 'protected actions settings updated'
        when 'security.threat.configuration.update' then 'ThreatInsight configuration updated'
        when 'security.attack_protection.settings.update' then 'password attack protection settings updated'
        when 'security.behavior.settings.update' then concat('behavior detection "', coalesce(subject.displayname, subject.id, '?'), '" updated')
        when 'security.behavior.settings.delete' then concat('behavior detection "', coalesce(subject.displayname, subject.id, '?'), '" deleted')
        else concat('session protection set to ', coalesce(element_at(cd."to", 'status'), '?'))
      end,
      case
        when eventtype <> 'security.session_protection.status.update' and coalesce(cardinality(turned_off), 0) > 0
          then concat(' (turned off: ', array_join(array_sort(turned_off), ', '), ')')
        else ''
      end,
      if(succeeded, '', ' (did not succeed)')
    ) as change
  from judged
)
select
  actor_kind as entity_type,
  actor_login as entity_id,
  case when count_if(weakened) = 0 then 'MEDIUM' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[actor_login] as actors,
  array_sort(filter(array_agg(distinct ip), x -> x is not null)) as ips,
  concat(actor_login, ': ', array_join(array_sort(array_agg(distinct change)), '; ')) as summary
from described
group by actor_kind, actor_login
