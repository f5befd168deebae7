-- okta-account-locked: a user account was locked out by Okta after too many failed sign-ins.
-- Reads: okta_events (arrival hour partitions of the run), event types user.account.lock and
--   user.account.lock.limit. Each uuid counts once (Okta delivers at least once). One finding per locked
--   user per hour, however many lock events it had.
-- The locked user is the event's User target when there is one, else its actor (Okta logs the lock with the
--   user who was signing in as actor).
-- False positives: a user who forgot a recently changed password; a phone or mail client retrying an old one.
with events as (
  select
    uuid, published, eventtype, displaymessage, actor, client, target, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('user.account.lock', 'user.account.lock.limit')
),
locks as (
  select
    uuid, published, eventtype, displaymessage,
    coalesce(element_at(filter(target, t -> t.type = 'User'), 1).alternateid, actor.alternateid, actor.id) as login,
    nullif(client.ipaddress, 'null') as ip,
    element_at(debugcontext.debugdata, 'threatSuspected') = 'true' as threat_suspected
  from events
  where copy = 1
)
select
  'user' as entity_type,
  login as entity_id,
  case when count_if(threat_suspected) > 0 then 'MEDIUM' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  array_agg(distinct login) as actors,
  filter(array_agg(distinct ip), x -> x is not null) as ips,
  concat(login, ' was locked out ', cast(count(*) as varchar), ' time(s) (',
         array_join(array_agg(distinct coalesce(displaymessage, eventtype)), '; '), ') from ',
         cast(count(distinct ip) as varchar), ' IP(s)',
         case when count_if(threat_suspected) > 0 then '; Okta ThreatInsight suspected a threat' else '' end) as summary
from locks
where login is not null
group by login
