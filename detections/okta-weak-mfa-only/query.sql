-- okta-weak-mfa-only: an ACTIVE user whose active MFA factors are all weak (strength 'low': sms, call, email, question).
-- Reads: okta_users_current and okta_factors_current of the day (dt = :day), the inventory's latest view of each user.
-- Only users whose factors were collected (factors_collected): a part Okta refused is not "weak MFA".
-- Every kind of identity (human, service, guest): a service account or a guest with only SMS is as easy to take over.
-- Only ACTIVE factors count: pending enrollments are not MFA yet. A user with no active factor at all is
-- okta-no-mfa-configured's. A factor of strength 'unknown' (a third-party provider such as Duo or RSA, a type the
-- strength table does not rate) is not weak: the user then has something the lake cannot judge, and stays silent.
-- Evidence: the sorted distinct weak factor types (e.g. 'email,sms'), so adding or dropping a weak type is a new
-- finding and the same set day after day is one.
-- :user_id (null, or one user id or login) restricts the check to one user (the near-time cascade).
-- False positives: users given SMS or voice on purpose (no smartphone, no key); a strong factor being re-enrolled.
with users as (
  select user_id, login, coalesce(activated, created) as since, collected_at
  from okta_users_current
  where dt = :day
    and status = 'ACTIVE'
    and factors_collected
    and (
      cast(:user_id as varchar) is null
      or user_id = cast(:user_id as varchar)
      or lower(login) = lower(cast(:user_id as varchar))
    )
),
active_factors as (
  select
    user_id,
    count(*) as active,
    count_if(strength = 'low') as weak,
    array_sort(filter(array_agg(distinct lower(factor_type)), v -> v is not null)) as types,
    min(created) as first_enrolled
  from okta_factors_current
  where dt = :day
    and status = 'ACTIVE'
  group by user_id
)
select
  'user' as entity_type,
  u.login as entity_id,
  cast(null as varchar) as severity,
  coalesce(f.first_enrolled, u.since) as first_seen,
  u.collected_at as last_seen,
  cast(0 as bigint) as event_count,
  cast(array[] as array(varchar)) as event_uuids,
  array[u.login] as actors,
  cast(array[] as array(varchar)) as ips,
  concat(
    u.login, ' has weak MFA only: ', array_join(f.types, ', '),
    ' (', cast(f.active as varchar), ' active factor(s); no push, OTP app, FastPass or security key)'
  ) as summary,
  array_join(f.types, ',') as evidence
from users as u
join active_factors as f on f.user_id = u.user_id
where f.active > 0
  and f.weak = f.active
