-- okta-org-mfa-factor-deactivated: an MFA factor type was deactivated for the whole org.
-- Reads: okta_events (arrival hour partitions of the run), system.mfa.factor.deactivate events. Each uuid
--   counts once (Okta delivers at least once). One finding per admin per hour; MEDIUM when every attempt failed.
-- False positives: planned retirement of a weak factor (SMS, voice, security question) after users moved on.
with events as (
  select
    uuid, published, actor, client, outcome, target, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'system.mfa.factor.deactivate'
),
deactivations as (
  select
    uuid, published, outcome,
    coalesce(actor.alternateid, actor.id) as login,
    nullif(client.ipaddress, 'null') as ip,
    coalesce(element_at(target, 1).displayname, element_at(target, 1).alternateid,
             element_at(debugcontext.debugdata, 'factor')) as factor
  from events
  where copy = 1
)
select
  'user' as entity_type,
  login as entity_id,
  case when count_if(coalesce(outcome.result, 'SUCCESS') <> 'FAILURE') = 0 then 'MEDIUM' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  array_agg(distinct login) as actors,
  filter(array_agg(distinct ip), x -> x is not null) as ips,
  concat(login, ' deactivated ', cast(count(*) as varchar), ' org-wide MFA factor(s)',
         case when count(factor) > 0 then concat(': ', array_join(array_agg(distinct factor), ', ')) else '' end,
         case when count(ip) > 0 then concat(' from ', array_join(array_agg(distinct ip), ', ')) else '' end,
         case when count_if(outcome.result = 'FAILURE') > 0 then concat(' (', cast(count_if(outcome.result = 'FAILURE') as varchar), ' failed)') else '' end) as summary
from deactivations
where login is not null
group by login
