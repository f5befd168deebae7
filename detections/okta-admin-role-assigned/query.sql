-- okta-admin-role-assigned: an administrator role was granted to a user.
-- Reads: okta_events (arrival hour partitions of the run), successful user.account.privilege.grant events
--   whose debugData.privilegeGranted names an administrator role: "admin" in any case, so "Read only admin" counts
--   as well as "... administrator". Each uuid counts once (Okta delivers at least once). One finding per user who
--   received a role in the hour; HIGH when a role is Super administrator. privilegeGranted lists all the roles the
--   user holds after the grant (direct and through groups), so the HIGH can also come from a super admin being
--   granted another role.
--   Custom roles bound through resource sets (iam.resourceset.bindings.add) are okta-custom-admin-role-changed.
-- False positives: planned admin onboarding and role changes; break-glass accounts being prepared.
with events as (
  select
    uuid, published, actor, client, target, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.account.privilege.grant'
    and outcome.result = 'SUCCESS'
),
grants as (
  select
    uuid, published,
    coalesce(element_at(filter(target, t -> t.type = 'User'), 1).alternateid,
             element_at(filter(target, t -> t.type = 'User'), 1).id) as grantee,
    coalesce(actor.alternateid, actor.id) as granted_by,
    nullif(client.ipaddress, 'null') as ip,
    element_at(debugcontext.debugdata, 'privilegeGranted') as privilege
  from events
  where copy = 1
    and regexp_like(element_at(debugcontext.debugdata, 'privilegeGranted'), '(?i)admin')
)
select
  'user' as entity_type,
  coalesce(grantee, 'unknown user') as entity_id,
  case when count_if(strpos(lower(privilege), 'super administrator') > 0) > 0 then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  filter(array_agg(distinct granted_by), x -> x is not null) as actors,
  filter(array_agg(distinct ip), x -> x is not null) as ips,
  concat(coalesce(array_join(array_agg(distinct granted_by), ', '), 'unknown actor'), ' granted [',
         array_join(array_agg(distinct privilege), '; '), '] to ', coalesce(grantee, 'an unknown user')) as summary
from grants
group by grantee
