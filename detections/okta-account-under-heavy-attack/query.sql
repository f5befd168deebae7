-- okta-account-under-heavy-attack: an account whose failed sign-ins over the last history_days days (the day
-- included) came from at least min_ips distinct IPs, with failed sign-ins on the day itself.
-- Reads: okta_users_current of the day (dt = :day); activity, the current row of each user and day (latest
-- computed_at, the nightly batch first) from :history_from_dt (the day minus history_days, computed by the runner)
-- to :day, and of those rows the last history_days days; the IPs are sign_in_failure_ips (the client IPs of the
-- day's failed user.session.start events), flattened with cross join unnest. Rows written before that column
-- existed hold null and add no IP.
-- Statuses: ACTIVE, and LOCKED_OUT and PASSWORD_EXPIRED too: the attack itself locks accounts, and a check that
-- went silent the moment it succeeded in locking one would miss the attacks that matter most.
-- Only while the attack goes on: the day itself must have a failed sign-in, so an attack that stopped is not
-- reported again for the rest of the window.
-- Evidence: the ISO week of the day ('week of' its Monday). One campaign lasting several days is one finding and
-- one notification a week, not one a day (the IPs and counts are in the summary, not in the evidence, so they
-- may grow without a new id); a new week, or an attack resuming after a quiet day, notifies again.
-- :user_id (null, or one user id or login) restricts the check to one user (the near-time cascade).
-- False positives: mobile or CGNAT users with a stale saved password; clients retrying an old password.
with users as (
  select user_id, login, status
  from okta_users_current
  where dt = :day
    and status in ('ACTIVE', 'LOCKED_OUT', 'PASSWORD_EXPIRED')
    and (
      cast(:user_id as varchar) is null
      or user_id = cast(:user_id as varchar)
      or lower(login) = lower(cast(:user_id as varchar))
    )
),
activity_versions as (
  select
    user_id, dt, sign_in_failures, sign_in_failure_ips, first_seen, last_seen,
    row_number() over (
      partition by user_id, dt
      order by computed_at desc, case when batch = 'daily' then 0 else 1 end
    ) as version
  from activity
  where dt between :history_from_dt and :day
    -- the window in days (the partition bound above is what prunes): the day and the history_days - 1 before it
    and date_diff('day', date(dt), date(:day)) < :history_days
    and user_id in (select user_id from users)
),
failures as (
  select user_id, dt, sign_in_failures, coalesce(sign_in_failure_ips, cast(array[] as array(varchar))) as failure_ips, first_seen, last_seen
  from activity_versions
  where version = 1
    and sign_in_failures > 0
),
attacked as (
  select
    user_id,
    sum(sign_in_failures) as failures,
    sum(case when dt = cast(:day as varchar) then sign_in_failures else 0 end) as failures_today,
    count(*) as days,
    min(first_seen) as first_seen,
    max(last_seen) as last_seen
  from failures
  group by user_id
),
failure_ips as (
  select f.user_id, array_sort(array_agg(distinct ip)) as ips, count(distinct ip) as distinct_ips
  from failures as f
  cross join unnest(f.failure_ips) as t(ip)
  where ip is not null
  group by f.user_id
)
select
  'user' as entity_type,
  u.login as entity_id,
  cast(null as varchar) as severity,
  a.first_seen,
  a.last_seen,
  cast(0 as bigint) as event_count,
  cast(array[] as array(varchar)) as event_uuids,
  array[u.login] as actors,
  i.ips,
  concat(
    u.login, ' (', u.status, ') had ', cast(a.failures as varchar), ' failed sign-in(s) from ',
    cast(i.distinct_ips as varchar), ' distinct IPs in the ', cast(cast(:history_days as bigint) as varchar), ' days to ',
    cast(:day as varchar), ' (failures on ', cast(a.days as varchar), ' of them, ', cast(a.failures_today as varchar),
    ' on the day): ', array_join(slice(i.ips, 1, 5), ', '),
    case when i.distinct_ips > 5 then concat(' and ', cast(i.distinct_ips - 5 as varchar), ' more') else '' end
  ) as summary,
  concat('week of ', cast(cast(date_trunc('week', date(:day)) as date) as varchar)) as evidence
from users as u
join attacked as a on a.user_id = u.user_id
join failure_ips as i on i.user_id = u.user_id
where a.failures_today > 0
  and i.distinct_ips >= :min_ips
