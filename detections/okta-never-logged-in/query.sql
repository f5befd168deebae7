-- okta-never-logged-in: an ACTIVE account, activated more than min_age_days days ago, that never signed in.
-- Reads: okta_users_current of the day (dt = :day), the inventory's latest view of each user.
-- Never signed in is Okta's lastLogin being null. Every identity kind counts; the summary says which one it is.
-- The age is counted from the activation (the day the user could first sign in), or from creation when Okta has no
-- activation date: an account staged long ago and activated yesterday has had one day, not months.
-- Accounts not yet active (STAGED, PROVISIONED: activation pending) are not reported.
-- :user_id (null, or one user id or login) restricts the check to one user (the near-time cascade).
-- False positives: start dates still to come, API-token-only service accounts, users who only reach apps through
-- a federation that does not record an Okta sign-in.
with users as (
  select user_id, login, identity_kind, user_type, created, coalesce(activated, created) as since, collected_at
  from okta_users_current
  where dt = :day
    and status = 'ACTIVE'
    and last_login is null
    and date_diff('day', cast(coalesce(activated, created) as date), date(:day)) > :min_age_days
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
  u.since as first_seen,
  u.collected_at as last_seen,
  cast(0 as bigint) as event_count,
  cast(array[] as array(varchar)) as event_uuids,
  array[u.login] as actors,
  cast(array[] as array(varchar)) as ips,
  concat(
    u.login, ' (',
    case
      when u.identity_kind = 'service' then 'service account'
      when u.identity_kind = 'guest' then 'guest'
      else 'person'
    end,
    case when u.user_type is not null then concat(', user type ', u.user_type) else '' end,
    ') has been active since ', cast(cast(u.since as date) as varchar),
    ' (created ', cast(cast(u.created as date) as varchar), ') and has never signed in'
  ) as summary,
  'never signed in' as evidence
from users as u
