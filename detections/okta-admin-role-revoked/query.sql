-- okta-admin-role-revoked: Super or Organization administrator taken away from users.
-- Reads: okta_events (arrival hour partitions of the run), successful user.account.privilege.revoke events whose
--   debugData.privilegeRevoked names Super administrator or Organization administrator. Each uuid counts once (Okta
--   delivers at least once). The event means the user has no admin role left (all of their roles, direct and through
--   groups, were revoked); privilegeRevoked lists what they held.
-- An attacker who took over one admin removes the others so that nobody can stop them (lock-out before impact).
-- One finding per acting admin per hour (several admins demoted at once are one notification, named in the summary);
--   HIGH when it demoted at least :min_admins_high distinct users in the hour.
-- False positives: offboarding or a role review that removes standing super admins; moving admins to custom roles.
with events as (
  select
    uuid, published, actor, client, target, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.account.privilege.revoke'
    and outcome.result = 'SUCCESS'
),
revocations as (
  select
    uuid, published,
    coalesce(element_at(filter(target, t -> t.type = 'User'), 1).alternateid,
             element_at(filter(target, t -> t.type = 'User'), 1).id) as demoted,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id, 'unknown') as actor_login,
    case
      when actor.type = 'User' then 'user'
      when actor.type in ('PublicClientApp', 'AppInstance', 'Client') then 'app'
      else 'org'
    end as actor_kind,
    nullif(client.ipaddress, 'null') as ip,
    element_at(debugcontext.debugdata, 'privilegeRevoked') as privilege
  from events
  where copy = 1
    and regexp_like(element_at(debugcontext.debugdata, 'privilegeRevoked'), '(?i)(super|organization) administrator')
)
select
  actor_kind as entity_type,
  actor_login as entity_id,
  case when count(distinct coalesce(demoted, uuid)) >= :min_admins_high then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[actor_login] as actors,
  array_sort(filter(array_agg(distinct ip), x -> x is not null)) as ips,
  concat(
    actor_login, ' revoked the admin roles of ', cast(count(distinct coalesce(demoted, uuid)) as varchar), ' user(s): ',
    array_join(array_sort(array_agg(distinct concat(coalesce(demoted, 'an unknown user'), ' [', privilege, ']'))), ', ')
  ) as summary
from revocations
group by actor_kind, actor_login
