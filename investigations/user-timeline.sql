-- user-timeline: what one user did, and what was done to them, in time order.
-- Parameters:
--   :user      the user's login (any letter case, e.g. jane.doe@example.com) or Okta user id (00u...)
--   :from_dt   first arrival day to read, YYYY-MM-DD
--   :to_dt     last arrival day to read, YYYY-MM-DD
-- Reads okta_events (only the dt partitions asked for); each uuid once. `role` says whether the user acted
-- (actor) or was acted on (target, e.g. an admin resetting their factors).
with events as (
  select
    *,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :from_dt and :to_dt
),
-- Two branches rather than a flag computed from :user in the select list: Athena takes ? only in WHERE clauses.
matched as (
  select *, true as as_actor
  from events
  where copy = 1
    and (lower(actor.alternateid) = lower(:user) or actor.id = :user)
  union all
  select *, false as as_actor
  from events
  where copy = 1
    and not coalesce(lower(actor.alternateid) = lower(:user) or actor.id = :user, false)
    and cardinality(filter(target, t -> t.type = 'User' and (lower(t.alternateid) = lower(:user) or t.id = :user))) > 0
)
select
  from_iso8601_timestamp(published) as published,
  eventtype,
  if(as_actor, 'actor', 'target') as role,
  outcome.result as result,
  outcome.reason as reason,
  actor.alternateid as actor,
  element_at(filter(target, t -> t.type = 'User'), 1).alternateid as target_user,
  nullif(client.ipaddress, 'null') as ip,
  client.geographicalcontext.country as country,
  client.geographicalcontext.city as city,
  securitycontext.asorg as as_org,
  client.useragent.os as os,
  client.useragent.browser as browser,
  authenticationcontext.externalsessionid as session_id,
  displaymessage,
  target,
  uuid
from matched
order by published, uuid
