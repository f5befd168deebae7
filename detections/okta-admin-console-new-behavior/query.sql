-- okta-admin-console-new-behavior: a sign-on to the Okta Admin Console from both a new device and a new IP.
-- Reads: okta_events (arrival hour partitions of the run), event type policy.evaluate_sign_on with the
--   Okta Admin Console among its targets (displayName "Okta Admin Console", or "Okta Administration" as some orgs
--   name the admin app). Each uuid counts once (Okta delivers at least once).
-- Okta's behavior detection verdicts come in several shapes, read in this order (as Panther does):
--   1. debugData.behaviors: text such as `{New Geo-Location=NEGATIVE, New Device=POSITIVE, ...}`, or a list
--      or object of the same pairs (kept as JSON text by the lake);
--   2. debugData.logOnlySecurityData: escaped JSON `{"risk":{...},"behaviors":{"New Device":"POSITIVE",...}}`
--      (read with json_extract), or the same in brace form (read with a pattern);
--   3. securityContext.userBehaviors, the structured list newer orgs log.
-- False positives: an admin on a new laptop or a new home network; admins travelling.
with events as (
  select
    uuid, published, actor, client, outcome, device, debugcontext, securitycontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'policy.evaluate_sign_on'
    and cardinality(filter(target, t ->
      strpos(lower(t.displayname), 'okta admin console') > 0 or strpos(lower(t.displayname), 'okta administration') > 0)) > 0
),
verdicts as (
  select
    uuid, published, actor, client, outcome, device, securitycontext,
    nullif(element_at(debugcontext.debugdata, 'behaviors'), '') as behaviors,
    nullif(element_at(debugcontext.debugdata, 'logOnlySecurityData'), '') as log_only,
    try(cast(json_extract(element_at(debugcontext.debugdata, 'logOnlySecurityData'), '$.behaviors') as map(varchar, varchar)))
      as log_only_behaviors
  from events
  where copy = 1
),
flags as (
  select
    uuid, published, actor, client, outcome, device,
    case
      when behaviors is not null then regexp_like(behaviors, 'New Device"?\s*[=:]\s*"?POSITIVE')
      when log_only_behaviors is not null then element_at(log_only_behaviors, 'New Device') = 'POSITIVE'
      when log_only is not null then regexp_like(log_only, 'New Device"?\s*[=:]\s*"?POSITIVE')
      else cardinality(filter(securitycontext.userbehaviors, b -> b.name = 'New Device' and b.result = 'POSITIVE')) > 0
    end as new_device,
    case
      when behaviors is not null then regexp_like(behaviors, 'New IP"?\s*[=:]\s*"?POSITIVE')
      when log_only_behaviors is not null then element_at(log_only_behaviors, 'New IP') = 'POSITIVE'
      when log_only is not null then regexp_like(log_only, 'New IP"?\s*[=:]\s*"?POSITIVE')
      else cardinality(filter(securitycontext.userbehaviors, b -> b.name = 'New IP' and b.result = 'POSITIVE')) > 0
    end as new_ip
  from verdicts
),
hits as (
  select
    uuid, published, outcome,
    coalesce(actor.alternateid, actor.id) as login,
    nullif(client.ipaddress, 'null') as ip,
    coalesce(device.name, client.useragent.os, client.device) as device_name
  from flags
  where new_device and new_ip
)
select
  'user' as entity_type,
  login as entity_id,
  case when count_if(outcome.result in ('ALLOW', 'SUCCESS')) > 0 then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  array_agg(distinct login) as actors,
  filter(array_agg(distinct ip), x -> x is not null) as ips,
  concat(login, ' reached the Okta Admin Console from a new device (',
         coalesce(array_join(array_agg(distinct device_name), ', '), 'unknown'), ') and a new IP (',
         coalesce(array_join(array_agg(distinct ip), ', '), 'unknown'), ') ', cast(count(*) as varchar), ' time(s); policy outcome: ',
         coalesce(array_join(array_agg(distinct outcome.result), ', '), 'unknown')) as summary
from hits
where login is not null
group by login
