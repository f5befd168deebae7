-- okta-inactive-user: an ACTIVE person with no successful sign-in for more than inactive_days days.
-- Reads: okta_users_current of the day (dt = :day); activity, the current row of each user and day (latest
-- computed_at) from :history_from_dt (the day minus history_days, computed by the runner) to :day.
-- Inactive: Okta's lastLogin more than inactive_days days before the day, and no day of the lake's activity in the
-- last inactive_days days with a successful sign-in (sign_ins > 0); lastLogin can lag behind federated sign-ins.
-- A failed sign-in is not a sign-in. A user who never signed in (lastLogin null) is okta-never-logged-in's;
-- guests are okta-inactive-guest-user's; service accounts are not checked (they need not sign in).
-- :user_id (null, or one user id or login) restricts the check to one user (the near-time cascade).
-- False positives: long leave, seasonal staff, break-glass accounts kept unused by design, people who reach their
-- apps through a federation that does not sign in to Okta.
with users as (
  select user_id, login, last_login, collected_at
  from okta_users_current
  where dt = :day
    and status = 'ACTIVE'
    and identity_kind = 'human'
    and last_login is not null
    and date_diff('day', cast(last_login as date), date(:day)) > :inactive_days
    and (
      cast(:user_id as varchar) is null
      or user_id = cast(:user_id as varchar)
      or lower(login) = lower(cast(:user_id as varchar))
    )
),
activity_versions as (
  select
    user_id, dt, sign_ins,
    row_number() over (
      partition by user_id, dt
      order by computed_at desc, case when batch = 'daily' then 0 else 1 end
    ) as version
  from activity
  where dt between :history_from_dt and :day
    -- the same bound in days (the partition bound above is what prunes), and only the inactivity window counts
    and date_diff('day', date(dt), date(:day)) <= :history_days
    and date_diff('day', date(dt), date(:day)) <= :inactive_days
    and user_id in (select user_id from users)
),
signed_in as (
  select user_id, max(dt) as last_sign_in_dt
  from activity_versions
  where version = 1 and sign_ins > 0
  group by user_id
)
select
  'user' as entity_type,
  u.login as entity_id,
  cast(null as varchar) as severity,
  u.last_login as first_seen,
  u.collected_at as last_seen,
  cast(0 as bigint) as event_count,
  cast(array[] as array(varchar)) as event_uuids,
  array[u.login] as actors,
  cast(array[] as array(varchar)) as ips,
  concat(
    u.login, ' is active but has not signed in since ', cast(cast(u.last_login as date) as varchar),
    ' (', cast(date_diff('day', cast(u.last_login as date), date(:day)) as varchar), ' days; no sign-in in the lake''s activity either)'
  ) as summary,
  'inactive' as evidence
from users as u
left join signed_in as s on s.user_id = u.user_id
where s.user_id is null
