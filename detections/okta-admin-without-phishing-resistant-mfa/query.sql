-- okta-admin-without-phishing-resistant-mfa: an ACTIVE person or guest holding an admin role with no ACTIVE factor of strength 'high'.
-- Reads: okta_users_current, okta_admin_roles_current and okta_factors_current of the day (dt = :day).
-- Only users whose roles AND factors were collected (roles_collected, factors_collected): a part Okta refused is
-- neither "no role" nor "no strong factor".
-- Phishing-resistant = strength 'high' (webauthn, u2f, signed_nonce / FastPass; inventory/factor-strength.ts).
-- Roles: every assignment of the user, direct (USER) or through a group (GROUP), custom roles included; an
-- assignment whose status is not ACTIVE is left out. People and guests only: a service account holding an admin
-- role is okta-admin-role-on-non-human-identity's, whatever its factors (reported once, there).
-- Evidence: the sorted distinct role types, '|', the sorted distinct active factor types (e.g.
-- 'SUPER_ADMIN|push,sms'): a new role or a change of factors is a new finding, the same gap day after day is one.
-- :user_id (null, or one user id or login) restricts the check to one user (the near-time cascade).
-- False positives: admins behind an external IdP that does phishing-resistant MFA itself; break-glass accounts.
with users as (
  select user_id, login, collected_at
  from okta_users_current
  where dt = :day
    and status = 'ACTIVE'
    and identity_kind <> 'service'
    and roles_collected
    and factors_collected
    and (
      cast(:user_id as varchar) is null
      or user_id = cast(:user_id as varchar)
      or lower(login) = lower(cast(:user_id as varchar))
    )
),
roles as (
  select
    user_id,
    array_sort(array_agg(distinct role_type)) as role_types,
    array_sort(array_agg(distinct coalesce(role_label, role_type))) as role_labels,
    min(created) as admin_since
  from okta_admin_roles_current
  where dt = :day
    and role_type is not null
    and coalesce(status, 'ACTIVE') = 'ACTIVE'
  group by user_id
),
factors as (
  select
    user_id,
    count_if(strength = 'high') as strong,
    array_sort(filter(array_agg(distinct lower(factor_type)), v -> v is not null)) as types,
    -- for people: a factor the lake cannot rate names its provider
    array_sort(filter(
      array_agg(distinct case when strength = 'unknown' then concat(lower(factor_type), ' (', coalesce(provider, 'unknown provider'), ')') else lower(factor_type) end),
      v -> v is not null
    )) as described
  from okta_factors_current
  where dt = :day
    and status = 'ACTIVE'
  group by user_id
)
select
  'user' as entity_type,
  u.login as entity_id,
  cast(null as varchar) as severity,
  coalesce(r.admin_since, u.collected_at) as first_seen,
  u.collected_at as last_seen,
  cast(0 as bigint) as event_count,
  cast(array[] as array(varchar)) as event_uuids,
  array[u.login] as actors,
  cast(array[] as array(varchar)) as ips,
  concat(
    u.login, ' holds ', array_join(r.role_labels, ', '), ' with no phishing-resistant factor; ',
    case
      when cardinality(coalesce(f.types, cast(array[] as array(varchar)))) = 0 then 'no active factor at all'
      else concat('active factors: ', array_join(f.described, ', '))
    end
  ) as summary,
  concat(array_join(r.role_types, ','), '|', array_join(coalesce(f.types, cast(array[] as array(varchar))), ',')) as evidence
from users as u
join roles as r on r.user_id = u.user_id
left join factors as f on f.user_id = u.user_id
where coalesce(f.strong, 0) = 0
