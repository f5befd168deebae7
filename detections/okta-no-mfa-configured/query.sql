-- okta-no-mfa-configured: an ACTIVE person (not a service account) with no ACTIVE factor, past the grace period.
-- Reads: okta_users_current and okta_factors_current of the day (dt = :day), the inventory's latest view of each user.
-- Only users whose factors were collected (factors_collected): a part Okta refused is not "no MFA".
-- Pending enrollments (PENDING_ACTIVATION, NOT_SETUP) do not count as MFA; the summary says how many there are.
-- Service accounts are okta-non-human-identity-no-mfa's; guests count here.
-- :user_id (null, or one user id or login) restricts the check to one user (the near-time cascade).
-- False positives: users who only sign in through an IdP that does its own MFA.
with users as (
  select user_id, login, coalesce(activated, created) as since, collected_at
  from okta_users_current
  where dt = :day
    and status = 'ACTIVE'
    and identity_kind <> 'service'
    and factors_collected
    and date_diff('day', cast(coalesce(activated, created) as date), date(:day)) >= :grace_days
    -- empty: nothing ignored (split('', ',') is [''], which would leave out every login without a domain)
    and (:ignore_domains = '' or not contains(split(lower(:ignore_domains), ','), lower(split_part(login, '@', 2))))
    and (:include_domains = '' or contains(split(lower(:include_domains), ','), lower(split_part(login, '@', 2))))
    and (
      cast(:user_id as varchar) is null
      or user_id = cast(:user_id as varchar)
      or lower(login) = lower(cast(:user_id as varchar))
    )
),
factors as (
  select
    user_id,
    count_if(status = 'ACTIVE') as active,
    count_if(status <> 'ACTIVE') as pending
  from okta_factors_current
  where dt = :day
  group by user_id
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
    u.login, ' is active with no active MFA factor',
    case when coalesce(f.pending, 0) > 0 then concat(' (', cast(f.pending as varchar), ' enrollment(s) not activated)') else '' end,
    '; account active since ', cast(cast(u.since as date) as varchar)
  ) as summary,
  'no active factor' as evidence
from users as u
left join factors as f on f.user_id = u.user_id
where coalesce(f.active, 0) = 0
