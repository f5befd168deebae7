-- identity-context: who the users named below are, from the identity inventory, for a finding's notification:
-- status, identity kind, admin role types and the active factors with the strongest one's strength.
--
-- Each user's newest inventory day from :from_dt to :day (okta_users_current, the day's latest collection of the
-- user; a refresh of the user that day counts), with that day's factors (okta_factors_current) and admin roles
-- (okta_admin_roles_current). inventory_dt says which day that was. A login with no inventory in those days has no
-- row. The runner puts one bound parameter per login (lower-cased) in the list.
--
-- Column rules:
--   admin_roles    role_type of the assignments with status ACTIVE (or none), distinct, sorted, JSON text; empty
--                  when the user holds none; meaningless when roles_collected is false
--   factors        factor_type of the ACTIVE enrollments, distinct, sorted, JSON text
--   mfa_strength   the strongest ACTIVE factor's strength, high > medium > low > unknown; 'none' when factors
--                  were collected and none is ACTIVE; null when factors were not collected
with users as (
  select user_id, login, status, identity_kind, factors_collected, roles_collected, inventory_dt
  from (
    select
      user_id, login, status, identity_kind, factors_collected, roles_collected, dt as inventory_dt,
      row_number() over (partition by lower(login) order by dt desc, collected_at desc) as newest
    from okta_users_current
    where dt between :from_dt and :day
      and lower(login) in ({{logins}})
  )
  where newest = 1
),
factors as (
  select
    f.user_id,
    max(case f.strength when 'high' then 4 when 'medium' then 3 when 'low' then 2 else 1 end) as strongest,
    array_sort(array_agg(distinct f.factor_type)) as factor_types
  from okta_factors_current as f
  join users as u on u.user_id = f.user_id and u.inventory_dt = f.dt
  where f.dt between :from_dt and :day
    and f.status = 'ACTIVE'
    and f.factor_type is not null
  group by f.user_id
),
roles as (
  select r.user_id, array_sort(array_agg(distinct r.role_type)) as role_types
  from okta_admin_roles_current as r
  join users as u on u.user_id = r.user_id and u.inventory_dt = r.dt
  where r.dt between :from_dt and :day
    and r.role_type is not null
    and coalesce(r.status, 'ACTIVE') = 'ACTIVE'
  group by r.user_id
)
select
  u.user_id,
  u.login,
  u.status,
  u.identity_kind,
  u.factors_collected,
  u.roles_collected,
  u.inventory_dt,
  json_format(cast(coalesce(r.role_types, cast(array[] as array(varchar))) as json)) as admin_roles,
  json_format(cast(coalesce(f.factor_types, cast(array[] as array(varchar))) as json)) as factors,
  case
    when not coalesce(u.factors_collected, false) then cast(null as varchar)
    when f.strongest is null then 'none'
    when f.strongest = 4 then 'high'
    when f.strongest = 3 then 'medium'
    when f.strongest = 2 then 'low'
    else 'unknown'
  end as mfa_strength
from users as u
left join factors as f on f.user_id = u.user_id
left join roles as r on r.user_id = u.user_id
order by u.login
