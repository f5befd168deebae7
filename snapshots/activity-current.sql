-- activity-current: the current activity row of each user and day from :from_dt to :to_dt (YYYY-MM-DD), of every
-- user (:user_id null) or of one (an Okta user id or a login, case-insensitive).
-- A day can hold the nightly snapshot's row (batch 'daily') and rows of on-demand refreshes (batch
-- 'refresh-<user hash>'); the current row is the one computed last (the nightly snapshot also deletes the refresh
-- batches of its day, so this matters only between a refresh and the next snapshot). Arrays come back as JSON
-- text, so every engine returns them alike.
with versions as (
  select
    *,
    row_number() over (
      partition by user_id, dt
      order by computed_at desc, case when batch = 'daily' then 0 else 1 end
    ) as version
  from activity
  where dt between :from_dt and :to_dt
    and (
      cast(:user_id as varchar) is null
      or user_id = cast(:user_id as varchar)
      or lower(login) = lower(cast(:user_id as varchar))
    )
)
select
  user_id, login, display_name, user_status, identity_kind,
  json_format(cast(admin_roles as json)) as admin_roles,
  mfa_strength, event_count, sign_ins, sign_in_failures,
  json_format(cast(sign_in_failure_ips as json)) as sign_in_failure_ips,
  mfa_used, mfa_failures, distinct_ips,
  json_format(cast(ips as json)) as ips,
  json_format(cast(countries as json)) as countries,
  json_format(cast(asns as json)) as asns,
  json_format(cast(user_agents as json)) as user_agents,
  json_format(cast(devices as json)) as devices,
  json_format(cast(apps as json)) as apps,
  admin_actions, first_seen, last_seen, computed_at, dt, batch
from versions
where version = 1
order by dt, login, user_id
