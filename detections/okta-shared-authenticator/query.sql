-- okta-shared-authenticator: one phone number or one active device bound to at least min_users distinct users.
-- Reads: okta_users_current, okta_factors_current and okta_devices_current of the day (dt = :day; in a refresh, the
-- day before too, see :user_id below).
-- Phones: factors with bound_kind 'phone' (SMS, voice; the number normalized to digits and hashed at collection,
-- so '+1 617-555-0142' and '+16175550142' are one phone), ACTIVE or PENDING_ACTIVATION, of users whose factors
-- were collected. Devices: okta_devices_current rows of an ACTIVE device, one per device and user.
-- Users counted: those who can still sign in (not SUSPENDED or DEPROVISIONED): an enrollment left on a disabled
-- account shares nothing.
-- One finding per authenticator: entity_type 'phone' with entity_id the last 4 digits and the first 6 hex digits of
-- the number's hash ('…0142 #3fa2c1': readable, and distinct for two numbers ending alike), or 'device' with the
-- Okta device id. actors: the sorted logins sharing it.
-- Evidence: the sorted ids of the users sharing it: someone joining or leaving is a new finding, the same set day
-- after day is one.
-- :user_id (null, or one user id or login) restricts the check to the authenticators that user is one of. The other
-- users sharing one must still be seen: in a refresh (the near-time cascade) the day's nightly inventory is not
-- collected yet (it is collected after the day ends), so each user's newest inventory of the day or the day before
-- counts; the nightly run (:user_id null) reads the day only.
-- False positives: team or help-desk phones, shared kiosks, one person's admin and regular accounts.
with users as (
  select user_id, login, status, factors_collected, dt
  from (
    select user_id, login, status, factors_collected, dt, row_number() over (partition by user_id order by dt desc) as newest
    from okta_users_current
    where dt = :day
      or (cast(:user_id as varchar) is not null and dt = cast(cast(date(:day) - interval '1' day as date) as varchar))
  )
  where newest = 1
    and status not in ('SUSPENDED', 'DEPROVISIONED')
),
phone_bindings as (
  select f.bound_hash as authenticator, f.bound_hint as hint, f.user_id, u.login, f.created, f.collected_at
  from okta_factors_current as f
  join users as u on u.user_id = f.user_id and u.dt = f.dt
  where (f.dt = :day or f.dt = cast(cast(date(:day) - interval '1' day as date) as varchar))
    and f.bound_kind = 'phone'
    and f.bound_hash is not null
    and f.status in ('ACTIVE', 'PENDING_ACTIVATION')
    and u.factors_collected
),
device_bindings as (
  select d.device_id as authenticator, d.display_name as hint, d.platform, d.user_id, u.login, d.created, d.collected_at
  from okta_devices_current as d
  join users as u on u.user_id = d.user_id and u.dt = d.dt
  where (d.dt = :day or d.dt = cast(cast(date(:day) - interval '1' day as date) as varchar))
    and d.status = 'ACTIVE'
    and d.device_id is not null
),
bindings as (
  select 'phone' as kind, authenticator, hint, cast(null as varchar) as platform, user_id, login, created, collected_at
  from phone_bindings
  union all
  select 'device' as kind, authenticator, hint, platform, user_id, login, created, collected_at
  from device_bindings
),
wanted as (
  select distinct kind, authenticator
  from bindings
  where cast(:user_id as varchar) is null
    or user_id = cast(:user_id as varchar)
    or lower(login) = lower(cast(:user_id as varchar))
),
shared as (
  select
    b.kind,
    b.authenticator,
    max(b.hint) as hint,
    max(b.platform) as platform,
    count(distinct b.user_id) as users,
    array_sort(array_agg(distinct b.user_id)) as user_ids,
    array_sort(filter(array_agg(distinct coalesce(b.login, b.user_id)), v -> v is not null)) as logins,
    min(b.created) as first_seen,
    max(b.collected_at) as last_seen
  from bindings as b
  join wanted as w on w.kind = b.kind and w.authenticator = b.authenticator
  group by b.kind, b.authenticator
  having count(distinct b.user_id) >= :min_users
)
select
  s.kind as entity_type,
  case
    when s.kind = 'phone' then concat(coalesce(s.hint, 'phone'), ' #', substr(s.authenticator, 1, 6))
    else s.authenticator
  end as entity_id,
  cast(null as varchar) as severity,
  s.first_seen,
  s.last_seen,
  cast(0 as bigint) as event_count,
  cast(array[] as array(varchar)) as event_uuids,
  s.logins as actors,
  cast(array[] as array(varchar)) as ips,
  case
    when s.kind = 'phone' then concat(
      'Phone number ', coalesce(s.hint, '(no hint)'), ' is the SMS or voice factor of ', cast(s.users as varchar),
      ' users: ', array_join(s.logins, ', ')
    )
    else concat(
      'Device ', coalesce(s.hint, s.authenticator), ' (', coalesce(s.platform, 'unknown platform'), ', ', s.authenticator,
      ') is registered to ', cast(s.users as varchar), ' users: ', array_join(s.logins, ', ')
    )
  end as summary,
  array_join(s.user_ids, ',') as evidence
from shared as s
