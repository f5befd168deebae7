-- okta-unusually-high-activity: a user with more than max_sign_ins successful sign-ins in the day.
-- Reads: activity of the day (dt = :day), the current row of each user (latest computed_at, the nightly batch
-- first), whose sign_ins counts user.session.start SUCCESS events, each uuid once; and okta_users_current of the day
-- (dt = :day) for the user's status and identity kind. A user absent from the inventory (not collected yet, or
-- deleted) is still reported: the activity is the finding, the inventory only describes the user.
-- Every user, whatever the kind: the summary names service accounts so the analyst can tell them apart.
-- Evidence: the day. The activity of a day is a new fact (as for a daily detection), so each day over the
-- threshold is its own finding and notification; the count is left out, so a re-run of the day keeps the id.
-- :user_id (null, or one user id or login) restricts the check to one user (the near-time cascade).
-- False positives: service accounts and integrations signing in per call, load tests, sign-in loops.
with activity_versions as (
  select
    user_id, login, sign_ins, sign_in_failures, distinct_ips, ips, first_seen, last_seen,
    row_number() over (
      partition by user_id, dt
      order by computed_at desc, case when batch = 'daily' then 0 else 1 end
    ) as version
  from activity
  where dt = :day
    and (
      cast(:user_id as varchar) is null
      or user_id = cast(:user_id as varchar)
      or lower(login) = lower(cast(:user_id as varchar))
    )
),
busy as (
  select *
  from activity_versions
  where version = 1
    and sign_ins > :max_sign_ins
),
inventory as (
  select user_id, login, status, identity_kind
  from okta_users_current
  where dt = :day
)
select
  'user' as entity_type,
  coalesce(i.login, b.login) as entity_id,
  cast(null as varchar) as severity,
  b.first_seen,
  b.last_seen,
  cast(0 as bigint) as event_count,
  cast(array[] as array(varchar)) as event_uuids,
  array[coalesce(i.login, b.login)] as actors,
  coalesce(b.ips, cast(array[] as array(varchar))) as ips,
  concat(
    coalesce(i.login, b.login),
    case
      when i.user_id is null then ' (not in the inventory)'
      else concat(' (', coalesce(i.identity_kind, 'unknown kind'), ', ', coalesce(i.status, 'unknown status'), ')')
    end,
    ' signed in successfully ', cast(b.sign_ins as varchar), ' times on ', cast(:day as varchar),
    ' (over ', cast(cast(:max_sign_ins as bigint) as varchar), ') from ', cast(b.distinct_ips as varchar), ' IP(s)',
    case when b.sign_in_failures > 0 then concat(', with ', cast(b.sign_in_failures as varchar), ' failed sign-in(s)') else '' end
  ) as summary,
  cast(:day as varchar) as evidence
from busy as b
left join inventory as i on i.user_id = b.user_id
