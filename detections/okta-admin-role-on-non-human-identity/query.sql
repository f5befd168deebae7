-- okta-admin-role-on-non-human-identity: a service account holding an Okta admin role.
-- Reads: okta_users_current and okta_admin_roles_current of the day (dt = :day), the inventory's latest view of
-- each user and the roles of that same collection.
-- Service accounts are identity_kind = 'service' (inventory/identity-kind.ts). Only users whose roles were
-- collected (roles_collected): a part Okta refused is not "no role". Role assignments count when ACTIVE or with no
-- status; a SUSPENDED or DEPROVISIONED account is left out (it cannot sign in until an admin restores it), but a
-- LOCKED_OUT, PASSWORD_EXPIRED or RECOVERY one counts: whoever holds its password can still get in.
-- Evidence: the account's distinct role types, sorted, joined by ',' (a new role is a new finding).
-- :user_id (null, or one user id or login) restricts the check to one user (the near-time cascade).
-- False positives: integrations deliberately given a scoped custom role; accounts the identity rules mark as
-- service that are really a person's admin account.
with users as (
  select user_id, login, status, collected_at
  from okta_users_current
  where dt = :day
    and identity_kind = 'service'
    and roles_collected
    and status not in ('SUSPENDED', 'DEPROVISIONED')
    and (
      cast(:user_id as varchar) is null
      or user_id = cast(:user_id as varchar)
      or lower(login) = lower(cast(:user_id as varchar))
    )
),
roles as (
  select
    user_id,
    coalesce(role_type, 'UNKNOWN') as role_type,
    concat(
      coalesce(role_label, role_type, 'unknown role'), ' (', coalesce(role_type, 'UNKNOWN'), ', ',
      coalesce(assignment_type, 'unknown'), ' assigned)'
    ) as role_text,
    created
  from okta_admin_roles_current
  where dt = :day
    and (status = 'ACTIVE' or status is null)
)
select
  'user' as entity_type,
  u.login as entity_id,
  cast(null as varchar) as severity,
  coalesce(min(r.created), u.collected_at) as first_seen,
  u.collected_at as last_seen,
  cast(0 as bigint) as event_count,
  cast(array[] as array(varchar)) as event_uuids,
  array[u.login] as actors,
  cast(array[] as array(varchar)) as ips,
  concat(
    'service account ', u.login,
    case when u.status <> 'ACTIVE' then concat(' (', u.status, ')') else '' end,
    ' holds admin role(s): ', array_join(array_sort(array_agg(distinct r.role_text)), '; ')
  ) as summary,
  array_join(array_sort(array_agg(distinct r.role_type)), ',') as evidence
from users as u
join roles as r on r.user_id = u.user_id
group by u.user_id, u.login, u.status, u.collected_at
