-- admin-changes: configuration and privilege changes in the org, newest first: admin roles, policies, network zones,
-- apps, factors and authenticators, API tokens, identity providers, log streams and hooks.
-- Parameters:
--   :from_dt   first arrival day to read, YYYY-MM-DD
--   :to_dt     last arrival day to read, YYYY-MM-DD
-- Reads okta_events (only the dt partitions asked for); each uuid once. Sign-on policy evaluations
-- (policy.evaluate_sign_on) happen on every sign-in and are not changes: left out. `area` groups the event types.
with events as (
  select
    *,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :from_dt and :to_dt
),
changes as (
  select
    *,
    case
      when eventtype like 'user.account.privilege.%' or eventtype like 'group.privilege.%' or eventtype like 'iam.%'
        then 'privilege'
      when eventtype like 'policy.lifecycle.%' or eventtype like 'policy.rule.%' then 'policy'
      when eventtype like 'zone.%' or eventtype like 'security.zone.%' or eventtype like 'network_zone.%' then 'network zone'
      when eventtype like 'application.lifecycle.%' or eventtype like 'app.oauth2.as.%' or eventtype like 'oauth2.%'
        then 'app'
      when eventtype like 'user.mfa.factor.%' or eventtype like 'system.mfa.factor.%'
        or eventtype like 'security.authenticator.%' then 'factor'
      when eventtype like 'system.api_token.%' then 'api token'
      when eventtype like 'system.idp.%' then 'identity provider'
      when eventtype like 'system.log_stream.%' or eventtype like 'event_hook.%' or eventtype like 'inline_hook.%'
        then 'log stream / hook'
      when eventtype like 'user.session.impersonation.%' then 'support access'
    end as area
  from events
  where copy = 1
    and eventtype <> 'policy.evaluate_sign_on'
)
select
  from_iso8601_timestamp(published) as published,
  area,
  eventtype,
  outcome.result as result,
  actor.alternateid as actor,
  actor.type as actor_type,
  element_at(target, 1).type as target_type,
  coalesce(nullif(element_at(target, 1).alternateid, 'unknown'), element_at(target, 1).displayname) as target_name,
  element_at(target, 2).displayname as second_target,
  nullif(client.ipaddress, 'null') as ip,
  client.geographicalcontext.country as country,
  authenticationcontext.externalsessionid as session_id,
  displaymessage,
  target,
  uuid
from changes
where area is not null
order by published desc, uuid
