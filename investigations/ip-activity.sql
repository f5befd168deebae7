-- ip-activity: everything that came from one IP address, in time order: which users, which events, which outcomes.
-- Parameters:
--   :ip        the IP address, as Okta logs it (e.g. 198.51.100.23 or 2001:db8::1)
--   :from_dt   first arrival day to read, YYYY-MM-DD
--   :to_dt     last arrival day to read, YYYY-MM-DD
-- Reads okta_events (only the dt partitions asked for); each uuid once. An event matches when the IP is its client
-- IP or anywhere in its request.ipChain (requests relayed by a proxy). `via_proxy` marks the latter.
with events as (
  select
    *,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :from_dt and :to_dt
),
-- Two branches rather than a flag computed from :ip in the select list: Athena takes ? only in WHERE clauses.
matched as (
  select *, true as from_client
  from events
  where copy = 1
    and client.ipaddress = :ip
  union all
  select *, false as from_client
  from events
  where copy = 1
    and coalesce(client.ipaddress <> :ip, true)
    and cardinality(filter(request.ipchain, c -> c.ip = :ip)) > 0
)
select
  from_iso8601_timestamp(published) as published,
  eventtype,
  outcome.result as result,
  outcome.reason as reason,
  actor.alternateid as actor,
  actor.type as actor_type,
  element_at(filter(target, t -> t.type = 'User'), 1).alternateid as target_user,
  not from_client as via_proxy,
  client.ipaddress as client_ip,
  client.geographicalcontext.country as country,
  client.geographicalcontext.city as city,
  securitycontext.asnumber as as_number,
  securitycontext.asorg as as_org,
  securitycontext.isproxy as is_proxy,
  client.useragent.rawuseragent as user_agent,
  authenticationcontext.externalsessionid as session_id,
  element_at(debugcontext.debugdata, 'threatSuspected') as threat_suspected,
  displaymessage,
  uuid
from matched
order by published, uuid
