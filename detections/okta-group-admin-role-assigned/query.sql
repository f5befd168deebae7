-- okta-group-admin-role-assigned: an administrator role was assigned to a group, making every member an admin.
-- Reads: okta_events (arrival hour partitions of the run), group.privilege.grant events, whatever their
--   outcome (a refused attempt is worth a look too, at a lower severity). Each uuid counts once (Okta
--   delivers at least once). One finding per group per hour.
-- False positives: planned set-up of an admin group (group-based admin assignment is good practice).
with events as (
  select
    uuid, published, actor, client, outcome, target, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'group.privilege.grant'
),
grants as (
  select
    uuid, published, outcome,
    coalesce(element_at(filter(target, t -> t.type = 'UserGroup'), 1).alternateid,
             element_at(filter(target, t -> t.type = 'UserGroup'), 1).displayname,
             element_at(target, 1).alternateid,
             element_at(target, 1).displayname,
             'unknown group') as grp,
    coalesce(actor.alternateid, actor.id) as granted_by,
    nullif(client.ipaddress, 'null') as ip,
    element_at(debugcontext.debugdata, 'privilegeGranted') as privilege
  from events
  where copy = 1
)
select
  'group' as entity_type,
  grp as entity_id,
  case
    when count_if(strpos(lower(privilege), 'super administrator') > 0 and coalesce(outcome.result, 'SUCCESS') <> 'FAILURE') > 0 then 'CRITICAL'
    when count_if(coalesce(outcome.result, 'SUCCESS') <> 'FAILURE') = 0 then 'MEDIUM'
  end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  filter(array_agg(distinct granted_by), x -> x is not null) as actors,
  filter(array_agg(distinct ip), x -> x is not null) as ips,
  concat(coalesce(array_join(array_agg(distinct granted_by), ', '), 'unknown actor'), ' assigned ',
         case when count(privilege) > 0 then concat('[', array_join(array_agg(distinct privilege), '; '), ']') else 'admin privileges' end,
         ' to group ', grp, ' (outcome: ', coalesce(array_join(array_agg(distinct outcome.result), ', '), 'unknown'), ')') as summary
from grants
group by grp
