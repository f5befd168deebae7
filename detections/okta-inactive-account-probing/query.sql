-- okta-inactive-account-probing: an account with no successful sign-in for more than inactive_days days that had at
-- least min_failures failed sign-ins on the day.
-- Reads: okta_users_current of the day (dt = :day); activity, the current row of each user and day (latest
-- computed_at, the nightly batch first) from :history_from_dt (the day minus history_days, computed by the runner)
-- to :day.
-- Inactive: Okta's lastLogin more than inactive_days days before the day, or no lastLogin and created more than
-- inactive_days days before; and no successful sign-in (sign_ins > 0) in the lake's activity over the last
-- inactive_days days, the day included (lastLogin can lag behind federated sign-ins).
-- Statuses: ACTIVE, LOCKED_OUT (the probing itself may have locked the account by the time the inventory is
-- collected) and PASSWORD_EXPIRED (a correct old password still opens the password change); SUSPENDED,
-- DEPROVISIONED, STAGED and PROVISIONED accounts cannot sign in with a password and RECOVERY ones are mid-reset.
-- Every kind of identity: a service account that never signs in interactively is an even clearer sign.
-- A probe that succeeded on the day moves lastLogin to the day and leaves this check: okta-dormant-account-active
-- reports that use.
-- Evidence: the day. Unlike a standing posture gap, each day of probing is new information (who is trying, from
-- where), so every day with failures is its own finding and notification, and a re-run of the day keeps its id.
-- :user_id (null, or one user id or login) restricts the check to one user (the near-time cascade).
-- False positives: the owner back from a long absence mistyping an old password; a device still holding it.
with users as (
  select user_id, login, status, identity_kind, last_login, created
  from okta_users_current
  where dt = :day
    and status in ('ACTIVE', 'LOCKED_OUT', 'PASSWORD_EXPIRED')
    and (
      (last_login is not null and date_diff('day', cast(last_login as date), date(:day)) > :inactive_days)
      or (last_login is null and date_diff('day', cast(created as date), date(:day)) > :inactive_days)
    )
    and (
      cast(:user_id as varchar) is null
      or user_id = cast(:user_id as varchar)
      or lower(login) = lower(cast(:user_id as varchar))
    )
),
activity_versions as (
  select
    user_id, dt, sign_ins, sign_in_failures, sign_in_failure_ips, ips, first_seen, last_seen,
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
current_activity as (
  select * from activity_versions where version = 1
),
signed_in as (
  select distinct user_id
  from current_activity
  where sign_ins > 0
),
probed as (
  select *
  from current_activity
  where dt = :day
    and sign_in_failures >= :min_failures
)
select
  'user' as entity_type,
  u.login as entity_id,
  cast(null as varchar) as severity,
  p.first_seen,
  p.last_seen,
  cast(0 as bigint) as event_count,
  cast(array[] as array(varchar)) as event_uuids,
  array[u.login] as actors,
  coalesce(p.sign_in_failure_ips, p.ips, cast(array[] as array(varchar))) as ips,
  concat(
    u.login, ' (', coalesce(u.identity_kind, 'unknown kind'), ', ', u.status, ') had ', cast(p.sign_in_failures as varchar),
    ' failed sign-in(s) on ', cast(:day as varchar),
    case
      when cardinality(coalesce(p.sign_in_failure_ips, cast(array[] as array(varchar)))) > 0
        then concat(' from ', array_join(slice(p.sign_in_failure_ips, 1, 5), ', '),
          case when cardinality(p.sign_in_failure_ips) > 5 then concat(' and ', cast(cardinality(p.sign_in_failure_ips) - 5 as varchar), ' more IP(s)') else '' end)
      else ''
    end,
    case
      when u.last_login is not null
        then concat('; no successful sign-in since ', cast(cast(u.last_login as date) as varchar))
      else concat('; never signed in (created ', cast(cast(u.created as date) as varchar), ')')
    end
  ) as summary,
  cast(:day as varchar) as evidence
from users as u
join probed as p on p.user_id = u.user_id
left join signed_in as s on s.user_id = u.user_id
where s.user_id is null
