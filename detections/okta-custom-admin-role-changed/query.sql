-- okta-custom-admin-role-changed: an admin role assigned through a resource set, or a custom admin role created or given permissions.
-- Reads: okta_events, the arrival hour partitions of the run. Each uuid counts once (Okta delivers at least once).
-- Event types: iam.resourceset.bindings.add (an admin role assignment created: a role, standard or custom, bound on a
-- resource set to users or groups), iam.role.create (a custom admin role created) and iam.role.permissions.add
-- (permissions added to a custom role, which every user already holding the role gains). This is the custom-role path
-- to admin rights, which user.account.privilege.grant (okta-admin-role-assigned) and group.privilege.grant
-- (okta-group-admin-role-assigned) do not show in full.
-- Every outcome counts: a refused attempt is as telling as a successful one (the summary says which did not succeed).
-- One finding per actor (the admin, or the app / API client acting) and hour. The targets name the change: users and
-- groups (User, UserGroup) are who was bound, the others the role, resource set or permissions.
-- HIGH when a binding succeeded (someone holds new admin rights now); MEDIUM (the default) for role creation and
-- permission changes, which grant nothing until the role is bound (or widen a role already bound), and refused bindings.
-- False positives: planned delegation of admin duties (help desk, app owners), Terraform or the API managing roles.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('iam.resourceset.bindings.add', 'iam.role.create', 'iam.role.permissions.add')
),
changes as (
  select
    uuid, published, eventtype, target,
    coalesce(outcome.result, 'SUCCESS') = 'SUCCESS' as succeeded,
    case
      when actor.type = 'User' then 'user'
      when actor.type in ('PublicClientApp', 'AppInstance', 'Client') then 'app'
      else 'org'
    end as actor_kind,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id, 'unknown') as actor_login,
    nullif(client.ipaddress, 'null') as ip
  from events
  where copy = 1
),
picked as (
  select
    *,
    -- up to three of each, named (no transform() on DuckDB; cross join unnest of an array of rows differs by engine)
    element_at(objects, 1) as o1, element_at(objects, 2) as o2, element_at(objects, 3) as o3,
    element_at(members, 1) as m1, element_at(members, 2) as m2, element_at(members, 3) as m3,
    coalesce(cardinality(objects), 0) as n_objects,
    coalesce(cardinality(members), 0) as n_members
  from (
    select
      *,
      filter(target, t -> t.type not in ('User', 'UserGroup')) as objects,
      filter(target, t -> t.type in ('User', 'UserGroup')) as members
    from changes
  )
),
named as (
  select
    *,
    filter(array[
      coalesce(nullif(o1.displayname, ''), nullif(o1.alternateid, 'unknown'), o1.id),
      coalesce(nullif(o2.displayname, ''), nullif(o2.alternateid, 'unknown'), o2.id),
      coalesce(nullif(o3.displayname, ''), nullif(o3.alternateid, 'unknown'), o3.id)
    ], x -> x is not null) as object_names,
    filter(array[
      if(m1.type = 'UserGroup', concat('group ', coalesce(m1.displayname, m1.id)), coalesce(nullif(m1.alternateid, 'unknown'), m1.displayname, m1.id)),
      if(m2.type = 'UserGroup', concat('group ', coalesce(m2.displayname, m2.id)), coalesce(nullif(m2.alternateid, 'unknown'), m2.displayname, m2.id)),
      if(m3.type = 'UserGroup', concat('group ', coalesce(m3.displayname, m3.id)), coalesce(nullif(m3.alternateid, 'unknown'), m3.displayname, m3.id))
    ], x -> x is not null) as member_names
  from picked
),
described as (
  select
    uuid, published, eventtype, succeeded, actor_kind, actor_login, ip,
    concat(
      case eventtype
        when 'iam.resourceset.bindings.add' then 'bound '
        when 'iam.role.create' then 'created role '
        else 'added permissions to '
      end,
      case when cardinality(object_names) > 0 then concat('"', array_join(object_names, '", "'), '"') else '?' end,
      case when n_objects > 3 then concat(' and ', cast(n_objects - 3 as varchar), ' more') else '' end,
      case when cardinality(member_names) > 0 then concat(' to ', array_join(member_names, ', ')) else '' end,
      case when n_members > 3 then concat(' and ', cast(n_members - 3 as varchar), ' more') else '' end,
      if(succeeded, '', ' (did not succeed)')
    ) as change
  from named
)
select
  actor_kind as entity_type,
  actor_login as entity_id,
  case when count_if(eventtype = 'iam.resourceset.bindings.add' and succeeded) > 0 then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[actor_login] as actors,
  array_sort(filter(array_agg(distinct ip), x -> x is not null)) as ips,
  concat(actor_login, ': ', array_join(array_sort(array_agg(distinct change)), '; ')) as summary
from described
group by actor_kind, actor_login
