-- okta-shared-device-across-users: one device, phone number or browser device token taken up by several users.
-- Reads: okta_events, the arrival partitions of the last 48 hours (lookback_hours 48) for device and phone
-- enrolments, and the run hour alone for sign-ins behind a proxy. Each uuid counts once, its first delivery.
-- Three parts:
--   device        device.user.add (Identity Engine: Okta Verify adds an account on a device), the device being
--                 target.detailEntry.oktaDeviceId (else the Device target's id): at least :min_users_per_device
--                 distinct users within 48 hours (Okta's "Device Registered to Multiple Users"). HIGH.
--   phone         system.sms.send_phone_verification_message / system.voice.send_phone_verification_call (a phone
--                 factor being enrolled, Classic and Identity Engine; Okta gives one phone number one MobilePhone
--                 target id), not denied: at least :min_users_per_phone distinct users within 48 hours (Okta's "Phone
--                 Number Registered to Multiple Users"). HIGH.
--   device_token  sign-in events (user.session.start, user.authentication.*) behind a proxy
--                 (securityContext.isProxy) with one debugData.dtHash: at least :min_actors_per_dt_hash distinct
--                 users within the run hour (Elastic's "Multiple Okta User Auth Events with Same Device Token Hash
--                 Behind a Proxy"): one browser trying many accounts. MEDIUM.
-- The device and phone parts report when a user new to the device or phone arrived in the run hour and the count
-- is reached, so consecutive runs do not report the same set twice (a further user is reported again). One finding
-- per device, phone or device token and hour; the users are the actors.
-- False positives: shared kiosks, shop-floor or classroom devices, a team or on-call phone on several accounts, a
-- person's admin and regular accounts on one phone; shared computers behind a corporate proxy Okta flags.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target,
    concat(dt, '-', hour) = :scan_to as in_run_hour,
    row_number() over (partition by lower(uuid) order by published, concat(dt, '-', hour)) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('device.user.add', 'system.sms.send_phone_verification_message', 'system.voice.send_phone_verification_call')
),
enrolments as (
  select
    uuid, published, in_run_hour,
    if(eventtype = 'device.user.add', 'device', 'phone') as entity_type,
    case
      when eventtype = 'device.user.add' then coalesce(
        element_at(element_at(filter(target, t -> element_at(t.detailentry, 'oktaDeviceId') is not null), 1).detailentry, 'oktaDeviceId'),
        element_at(filter(target, t -> t.type = 'Device'), 1).id
      )
      else element_at(filter(target, t -> t.type = 'MobilePhone'), 1).id
    end as entity_id,
    case
      when eventtype = 'device.user.add' then coalesce(
        element_at(filter(target, t -> element_at(t.detailentry, 'oktaDeviceId') is not null), 1).displayname,
        element_at(filter(target, t -> t.type = 'Device'), 1).displayname
      )
      else element_at(filter(target, t -> t.type = 'MobilePhone'), 1).alternateid
    end as entity_name,
    coalesce(element_at(filter(target, t -> t.type = 'User'), 1).id, if(actor.type = 'User', actor.id)) as user_id,
    lower(coalesce(
      nullif(element_at(filter(target, t -> t.type = 'User'), 1).alternateid, 'unknown'),
      if(actor.type = 'User', actor.alternateid)
    )) as login,
    nullif(client.ipaddress, 'null') as ip
  from events
  where copy = 1
    and coalesce(outcome.result, 'SUCCESS') not in ('DENY', 'FAILURE')
),
-- Counted with windows rather than a grouped copy joined back: Trino runs a CTE once per reference.
per_user as (
  select
    *,
    bool_or(not in_run_hour) over (partition by entity_type, entity_id, user_id) as user_seen_before
  from enrolments
  where entity_id is not null
    and user_id is not null
),
per_entity as (
  select
    *,
    cardinality(array_distinct(array_agg(user_id) over (partition by entity_type, entity_id))) as users,
    bool_or(not user_seen_before) over (partition by entity_type, entity_id) as has_new_user
  from per_user
),
proxied as (
  select
    uuid, published,
    element_at(debugcontext.debugdata, 'dtHash') as dt_hash,
    actor.id as user_id,
    lower(actor.alternateid) as login,
    nullif(client.ipaddress, 'null') as ip,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and concat(dt, '-', hour) = :scan_to
    and (eventtype = 'user.session.start' or eventtype like 'user.authentication.%')
    and securitycontext.isproxy
    and actor.type = 'User'
),
proxied_once as (
  select * from proxied
  where copy = 1
    and lower(dt_hash) not in ('unknown', 'null', '', '-')
),
per_token as (
  select *, cardinality(array_distinct(array_agg(user_id) over (partition by dt_hash))) as users
  from proxied_once
),
evidence as (
  select entity_type, entity_id, entity_name, uuid, published, login, ip
  from per_entity
  where has_new_user
    and users >= case entity_type when 'device' then :min_users_per_device else :min_users_per_phone end
  union all
  select 'device_token', dt_hash, cast(null as varchar), uuid, published, login, ip
  from per_token
  where users >= :min_actors_per_dt_hash
)
select
  entity_type,
  entity_id,
  if(entity_type = 'device_token', 'MEDIUM') as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array_sort(filter(array_agg(distinct login), v -> v is not null)) as actors,
  array_sort(filter(array_agg(distinct ip), v -> v is not null)) as ips,
  concat(
    case entity_type
      when 'device' then concat('device ', coalesce(max(entity_name), '?'), ' (', entity_id, ') added to ')
      when 'phone' then concat('phone number ', coalesce(max(entity_name), entity_id), ' verified for ')
      else concat('device token ', entity_id, ' signed in behind a proxy as ')
    end,
    cast(count(distinct login) as varchar), ' users ',
    if(entity_type = 'device_token', 'within the hour', 'within 48 hours'), ': ',
    array_join(array_sort(filter(array_agg(distinct login), v -> v is not null)), ', '),
    ' from ', cast(count(distinct ip) as varchar), ' IP(s)'
  ) as summary
from evidence
group by entity_type, entity_id
