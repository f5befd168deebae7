-- okta-non-human-identity-stale-password: an ACTIVE service account whose password is older than max_password_age_days.
-- Reads: okta_users_current of the day (dt = :day), the inventory's latest view of each user.
-- Service accounts are identity_kind = 'service' (inventory/identity-kind.ts). The password's age is counted from
-- Okta's passwordChanged, or from the activation (else creation) when Okta has none.
-- Evidence: the date the password was set, stable until it changes (a rotation that is again too old later is a
-- new finding).
-- :user_id (null, or one user id or login) restricts the check to one user (the near-time cascade).
-- False positives: service accounts with no Okta password (federated, directory-mastered, API-token only: their
-- passwordChanged is empty), passwords rotated in the source directory rather than in Okta.
with users as (
  select
    user_id, login, password_changed, last_login, collected_at,
    coalesce(password_changed, activated, created) as password_set
  from okta_users_current
  where dt = :day
    and status = 'ACTIVE'
    and identity_kind = 'service'
    and date_diff('day', cast(coalesce(password_changed, activated, created) as date), date(:day)) > :max_password_age_days
    and (
      cast(:user_id as varchar) is null
      or user_id = cast(:user_id as varchar)
      or lower(login) = lower(cast(:user_id as varchar))
    )
)
select
  'user' as entity_type,
  u.login as entity_id,
  cast(null as varchar) as severity,
  u.password_set as first_seen,
  u.collected_at as last_seen,
  cast(0 as bigint) as event_count,
  cast(array[] as array(varchar)) as event_uuids,
  array[u.login] as actors,
  cast(array[] as array(varchar)) as ips,
  concat(
    'service account ', u.login,
    case
      when u.password_changed is not null then concat(' last changed its password on ', cast(cast(u.password_changed as date) as varchar))
      else concat(' has no password change recorded since it was set up on ', cast(cast(u.password_set as date) as varchar))
    end,
    ' (', cast(date_diff('day', cast(u.password_set as date), date(:day)) as varchar), ' days ago); last sign-in ',
    coalesce(cast(cast(u.last_login as date) as varchar), 'never')
  ) as summary,
  case
    when u.password_changed is not null then concat('password changed ', cast(cast(u.password_changed as date) as varchar))
    else concat('no password change since ', cast(cast(u.password_set as date) as varchar))
  end as evidence
from users as u
