-- session-events: every event of one Okta session, in time order, with where each one came from.
-- Parameters:
--   :session_id  the session: authenticationContext.externalSessionId (e.g. 102Tq7rVh2KxW9mLp4sNc8dEw),
--                authenticationContext.rootSessionId, or the device token hash debugContext.debugData.dtHash
--                (the entity id of an okta-session-roaming finding is one of these)
--   :from_dt     first arrival day to read, YYYY-MM-DD
--   :to_dt       last arrival day to read, YYYY-MM-DD
-- Reads okta_events (only the dt partitions asked for); each uuid once. `matched_by` names the field that matched.
with events as (
  select
    *,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :from_dt and :to_dt
),
-- One branch per field rather than a CASE on :session_id in the select list: Athena takes ? only in WHERE clauses.
-- Each event is in one branch: the first field that matches names it.
matched as (
  select *, 'externalsessionid' as matched_by
  from events
  where copy = 1
    and authenticationcontext.externalsessionid = :session_id
  union all
  select *, 'rootsessionid' as matched_by
  from events
  where copy = 1
    and coalesce(authenticationcontext.externalsessionid <> :session_id, true)
    and authenticationcontext.rootsessionid = :session_id
  union all
  select *, 'dthash' as matched_by
  from events
  where copy = 1
    and coalesce(authenticationcontext.externalsessionid <> :session_id, true)
    and coalesce(authenticationcontext.rootsessionid <> :session_id, true)
    and element_at(debugcontext.debugdata, 'dtHash') = :session_id
)
select
  from_iso8601_timestamp(published) as published,
  eventtype,
  outcome.result as result,
  outcome.reason as reason,
  actor.alternateid as actor,
  element_at(filter(target, t -> t.type = 'User'), 1).alternateid as target_user,
  nullif(client.ipaddress, 'null') as ip,
  client.geographicalcontext.country as country,
  client.geographicalcontext.city as city,
  securitycontext.asnumber as as_number,
  securitycontext.asorg as as_org,
  client.useragent.os as os,
  client.useragent.browser as browser,
  matched_by,
  displaymessage,
  uuid
from matched
order by published, uuid
