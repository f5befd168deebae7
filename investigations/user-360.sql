-- user-360: one user at a glance, one row per fact: who they are (the identity inventory), their MFA factors,
-- devices and admin roles, what they did each day (activity), the findings about them, and the checks they fail
-- on the day.
--
-- Parameters:
--   :user      the user's login (any letter case, e.g. jane.doe@example.com) or Okta user id (00u...)
--   :from_dt   first day to read, YYYY-MM-DD: activity and findings from then on (e.g. 30 days before :to_dt)
--   :to_dt     the day, YYYY-MM-DD: the inventory is the user's newest from :from_dt to it, the checks its findings
--
-- Rows: section, item, detail (all text), ordered by section then position. Sections: identity (the user's row
-- of okta_users_current, inventory_dt naming its day), factor, device, role (that day's okta_*_current rows),
-- activity (one row per day), finding (each finding about the user or with them among its actors, once, newest
-- first), check (findings of :to_dt's daily runs about the user: the posture checks and daily detections they
-- fail that day; `okta-lake user-360` shows the posture checks apart, as it knows each detection's cadence).
-- No inventory from :from_dt to :to_dt: no identity, factor, device or role rows. No row at all: the lake does not
-- know the user in those days. Reads only the dt partitions asked for.
with inventory_user as (
  select *
  from (
    select *, row_number() over (order by dt desc, collected_at desc) as newest
    from okta_users_current
    where dt between :from_dt and :to_dt
      and (user_id = :user or lower(login) = lower(:user))
  )
  where newest = 1
),
activity_days as (
  select *
  from (
    select
      *,
      row_number() over (partition by user_id, dt order by computed_at desc, case when batch = 'daily' then 0 else 1 end) as version
    from activity
    where dt between :from_dt and :to_dt
      and (user_id = :user or lower(login) = lower(:user))
  )
  where version = 1
),
-- The user's id and login: the inventory's, else the newest activity row's.
who as (
  select user_id, login
  from inventory_user
  union all
  select user_id, login
  from (select user_id, login, row_number() over (order by dt desc, computed_at desc) as n from activity_days)
  where n = 1
    and not exists (select 1 from inventory_user)
),
-- That inventory day's factors, devices and roles of the user.
factors as (
  select *
  from okta_factors_current
  where dt between :from_dt and :to_dt
    and dt in (select dt from inventory_user)
    and user_id in (select user_id from inventory_user)
),
devices as (
  select *
  from okta_devices_current
  where dt between :from_dt and :to_dt
    and dt in (select dt from inventory_user)
    and user_id in (select user_id from inventory_user)
),
roles as (
  select *
  from okta_admin_roles_current
  where dt between :from_dt and :to_dt
    and dt in (select dt from inventory_user)
    and user_id in (select user_id from inventory_user)
),
-- Findings about the user (entity `user`) or with them among the actors, by the login given or the one resolved.
findings_of_days as (
  select *, row_number() over (partition by finding_id order by detected_at desc) as copy
  from findings
  where dt between :from_dt and :to_dt
),
user_findings as (
  select f.*
  from findings_of_days as f
  left join who as w on true
  where f.copy = 1
    and (
      (f.entity_type = 'user' and (lower(f.entity_id) = lower(:user) or lower(f.entity_id) = lower(w.login)))
      or cardinality(filter(f.actors, a -> lower(a) = lower(:user) or lower(a) = lower(w.login))) > 0
    )
),
facts as (
  select 1 as section_order, 'identity' as section, 1 as position, 'user_id' as item, user_id as detail from inventory_user
  union all select 1, 'identity', 2, 'login', login from inventory_user
  union all select 1, 'identity', 3, 'display_name', display_name from inventory_user
  union all select 1, 'identity', 4, 'status', status from inventory_user
  union all select 1, 'identity', 5, 'identity_kind', identity_kind from inventory_user
  union all select 1, 'identity', 6, 'user_type', user_type from inventory_user
  union all select 1, 'identity', 7, 'department', department from inventory_user
  union all select 1, 'identity', 8, 'title', title from inventory_user
  union all select 1, 'identity', 9, 'manager', manager from inventory_user
  union all select 1, 'identity', 10, 'created', substr(cast(created as varchar), 1, 16) from inventory_user
  union all select 1, 'identity', 11, 'last_login', substr(cast(last_login as varchar), 1, 16) from inventory_user
  union all select 1, 'identity', 12, 'password_changed', substr(cast(password_changed as varchar), 1, 16) from inventory_user
  union all select 1, 'identity', 13, 'factors_collected', cast(factors_collected as varchar) from inventory_user
  union all select 1, 'identity', 14, 'roles_collected', cast(roles_collected as varchar) from inventory_user
  union all select 1, 'identity', 15, 'inventory_dt', dt from inventory_user
  union all
  select
    2, 'factor',
    row_number() over (order by case status when 'ACTIVE' then 0 else 1 end, case strength when 'high' then 0 when 'medium' then 1 when 'low' then 2 else 3 end, factor_type),
    factor_type,
    concat_ws(', ', status, concat('strength ', strength), provider, bound_hint, concat('last verified ', substr(cast(last_verified as varchar), 1, 16)))
  from factors
  union all
  select
    3, 'device', row_number() over (order by display_name, device_id), coalesce(display_name, device_id),
    concat_ws(', ', status, platform, os_version, management_status, concat('disk encryption ', disk_encryption_type), concat('screen lock ', screen_lock_type))
  from devices
  union all
  select 4, 'role', row_number() over (order by role_type, role_label), role_type, concat_ws(', ', role_label, assignment_type, status)
  from roles
  union all
  select
    5, 'activity', row_number() over (order by dt desc), dt,
    concat_ws(
      ', ',
      concat(cast(event_count as varchar), ' events'),
      concat(cast(sign_ins as varchar), ' sign-ins'),
      concat(cast(sign_in_failures as varchar), ' failed'),
      concat(cast(mfa_failures as varchar), ' MFA failures'),
      concat(cast(admin_actions as varchar), ' admin actions'),
      concat('countries ', nullif(array_join(countries, ' '), '')),
      concat('IPs ', nullif(array_join(ips, ' '), ''))
    )
  from activity_days
  union all
  select 6, 'finding', row_number() over (order by window_start desc, detection), detection, concat_ws(' ', dt, severity, summary)
  from user_findings
  union all
  select 7, 'check', row_number() over (order by detection, entity_id), detection, concat_ws(' ', severity, summary)
  from user_findings
  where dt = :to_dt
    and (run = 'daily' or run like 'refresh-%')
)
select section, item, detail
from facts
order by section_order, position
