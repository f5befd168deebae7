-- activity: one row per user for one day, what that user did, from the day's okta_events.
-- Columns are exactly the data columns of the `activity` table (schema/activity.ts), in order.
--
-- The day is the ARRIVAL day: the partitions dt = :day, all 24 hours, the same cut the hourly runs use. An
-- event published a little before midnight and delivered after it counts on the next day; so no event is left
-- out, none is counted on two days (short of Okta delivering copies of it on two days), and a day's row
-- never changes once its last arrival hour is written. first_seen/last_seen are `published` times, so they
-- may fall a few minutes before the day.
-- Each uuid counts once (Okta delivers at least once). Only people: actor.type = 'User' (no system
-- principals, API clients or jobs).
--
-- Identity context (user_status, identity_kind, admin_roles, mfa_strength) is the day's inventory as the lake holds
-- it when the row is computed: okta_users_current, okta_factors_current and okta_admin_roles_current with dt = :day
-- (the nightly collection, or a refresh of the user written later that day). When no inventory was collected for
-- the day, or it does not list the user, the four columns are null; a part the collection could not read leaves
-- its column null too (factors_collected / roles_collected false), never 'none' or an empty list.
--
-- Parameters:
--   :day          the day, YYYY-MM-DD
--   :user_id      null for every user, else one user: an Okta user id (actor.id) or a login (actor.alternateid,
--                 case-insensitive). Typed with cast() because Athena needs a typed null.
--   :computed_at  when the row is computed, YYYY-MM-DD HH:MM:SS.sss UTC (readers take the latest per user and day)
--
-- Column rules:
--   sign_ins / sign_in_failures  user.session.start with outcome SUCCESS / FAILURE
--   sign_in_failure_ips          client.ipaddress of those FAILURE sign-ins; Okta's 'null' strings dropped; distinct, sorted
--   mfa_used                     successful factor verifications: user.authentication.auth_via_mfa SUCCESS,
--                                user.mfa.okta_verify SUCCESS
--   mfa_failures                 failed or refused verifications: user.authentication.auth_via_mfa FAILURE/DENY,
--                                user.mfa.okta_verify FAILURE/DENY, user.mfa.okta_verify.deny_push*,
--                                user.mfa.attempt_bypass
--                                (factor enrolment and reset events, user.mfa.factor.*, are not verifications)
--   ips, countries, asns         client.ipaddress, client.geographicalcontext.country, securitycontext.asnumber
--                                (as text); Okta's 'null' strings dropped; sorted
--   user_agents, devices         client.useragent.rawuseragent; client.device (Computer, Mobile, ...) and the
--                                top-level device.name (a registered device) when present
--   apps                         display name of the AppInstance target of each successful user.authentication.sso
--   user_status, identity_kind   okta_users_current.status and .identity_kind (human, service, guest)
--   admin_roles                  role_type of the user's admin role assignments (status ACTIVE or absent), distinct,
--                                sorted; an empty list when roles were collected and the user holds none
--   mfa_strength                 strength of the strongest ACTIVE factor, high > medium > low > unknown; 'none' when
--                                factors were collected and none is ACTIVE (pending enrollments do not count)
--   admin_actions                successful changes to the org made by this user: privilege grants, user
--                                lifecycle, admin password resets and unlocks, factor resets, session clearing and
--                                impersonation, group/app/policy/network zone/authenticator/IAM changes, API
--                                tokens, log streams, identity providers, org factors, event and inline hooks
--                                (the event-type pattern below). A user.* event whose target is the actor
--                                (self-service: own password reset, own factor) is not an admin action.
with delivered as (
  select
    uuid, published, eventtype, actor, client, device, outcome, target, securitycontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt = :day
    and actor.type = 'User'
    and actor.id is not null
    and (
      cast(:user_id as varchar) is null
      or actor.id = cast(:user_id as varchar)
      or lower(actor.alternateid) = lower(cast(:user_id as varchar))
    )
),
events as (
  select
    uuid,
    published,
    from_iso8601_timestamp(published) as published_at,
    eventtype,
    actor.id as user_id,
    actor.alternateid as login,
    actor.displayname as display_name,
    outcome.result as result,
    nullif(client.ipaddress, 'null') as ip,
    nullif(client.geographicalcontext.country, 'null') as country,
    cast(securitycontext.asnumber as varchar) as asn,
    nullif(client.useragent.rawuseragent, 'null') as user_agent,
    nullif(client.device, 'null') as client_device,
    nullif(device.name, 'null') as device_name,
    regexp_like(
      eventtype,
      '^(user\.account\.privilege\.|user\.lifecycle\.|user\.account\.(reset_password|unlock_by_admin|expire_password)$|user\.mfa\.factor\.(reset_all|deactivate)$|user\.session\.(clear|impersonation\.)|group\.(lifecycle|privilege|user_membership|application_assignment)\.|application\.(lifecycle|policy)\.|application\.user_membership\.(add|remove|change_username|update)$|policy\.(lifecycle|rule)\.|zone\.|security\.authenticator\.lifecycle\.|iam\.|system\.(api_token|log_stream|idp\.lifecycle|mfa\.factor)\.|event_hook\.|inline_hook\.)'
    )
    and coalesce(outcome.result, 'SUCCESS') = 'SUCCESS'
    and not (eventtype like 'user.%' and coalesce(cardinality(filter(target, t -> t.id = actor.id)), 0) > 0)
      as is_admin_action,
    -- The app of a single sign-on: its AppInstance target (Okta writes one per user.authentication.sso event).
    case
      when eventtype = 'user.authentication.sso' and outcome.result = 'SUCCESS'
        then element_at(filter(target, t -> t.type = 'AppInstance'), 1).displayname
    end as app
  from delivered
  where copy = 1
),
per_user as (
  select
    user_id,
    max_by(login, published_at) as login,
    max_by(display_name, published_at) as display_name,
    count(*) as event_count,
    count_if(eventtype = 'user.session.start' and result = 'SUCCESS') as sign_ins,
    count_if(eventtype = 'user.session.start' and result = 'FAILURE') as sign_in_failures,
    array_sort(filter(
      array_agg(distinct case when eventtype = 'user.session.start' and result = 'FAILURE' then ip end),
      v -> v is not null
    )) as sign_in_failure_ips,
    count_if(eventtype in ('user.authentication.auth_via_mfa', 'user.mfa.okta_verify') and result = 'SUCCESS') as mfa_used,
    count_if(
      (eventtype in ('user.authentication.auth_via_mfa', 'user.mfa.okta_verify') and result in ('FAILURE', 'DENY'))
      or eventtype like 'user.mfa.okta_verify.deny_push%'
      or eventtype = 'user.mfa.attempt_bypass'
    ) as mfa_failures,
    count(distinct ip) as distinct_ips,
    array_sort(filter(array_agg(distinct ip), v -> v is not null)) as ips,
    array_sort(filter(array_agg(distinct country), v -> v is not null)) as countries,
    array_sort(filter(array_agg(distinct asn), v -> v is not null)) as asns,
    array_sort(filter(array_agg(distinct user_agent), v -> v is not null)) as user_agents,
    array_sort(array_distinct(filter(array_agg(client_device) || array_agg(device_name), v -> v is not null))) as devices,
    array_sort(filter(array_agg(distinct app), v -> v is not null)) as apps,
    count_if(is_admin_action) as admin_actions,
    min(published_at) as first_seen,
    max(published_at) as last_seen
  from events
  group by user_id
),
-- The day's inventory (empty when none was collected for :day).
inventory_users as (
  select user_id, status, identity_kind, factors_collected, roles_collected
  from okta_users_current
  where dt = :day
),
inventory_mfa as (
  select
    user_id,
    max(case strength when 'high' then 4 when 'medium' then 3 when 'low' then 2 else 1 end) as strongest
  from okta_factors_current
  where dt = :day
    and status = 'ACTIVE'
  group by user_id
),
inventory_roles as (
  select user_id, array_sort(array_agg(distinct role_type)) as role_types
  from okta_admin_roles_current
  where dt = :day
    and role_type is not null
    and coalesce(status, 'ACTIVE') = 'ACTIVE'
  group by user_id
)
select
  p.user_id,
  p.login,
  p.display_name,
  iu.status as user_status,
  iu.identity_kind,
  case
    when coalesce(iu.roles_collected, false) then coalesce(r.role_types, cast(array[] as array(varchar)))
  end as admin_roles,
  case
    when not coalesce(iu.factors_collected, false) then cast(null as varchar)
    when m.strongest is null then 'none'
    when m.strongest = 4 then 'high'
    when m.strongest = 3 then 'medium'
    when m.strongest = 2 then 'low'
    else 'unknown'
  end as mfa_strength,
  p.event_count,
  p.sign_ins,
  p.sign_in_failures,
  p.sign_in_failure_ips,
  p.mfa_used,
  p.mfa_failures,
  p.distinct_ips,
  p.ips,
  p.countries,
  p.asns,
  p.user_agents,
  p.devices,
  p.apps,
  p.admin_actions,
  cast(p.first_seen at time zone 'UTC' as timestamp) as first_seen,
  cast(p.last_seen at time zone 'UTC' as timestamp) as last_seen,
  cast(:computed_at as timestamp) as computed_at
from per_user as p
left join inventory_users as iu on iu.user_id = p.user_id
left join inventory_mfa as m on m.user_id = p.user_id
left join inventory_roles as r on r.user_id = p.user_id
