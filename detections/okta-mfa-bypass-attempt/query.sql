-- okta-mfa-bypass-attempt: an attempt to bypass a user's MFA factor (user.mfa.attempt_bypass), by anyone.
-- Reads: okta_events (arrival hour partitions of the run), user.mfa.attempt_bypass events, every outcome (a refused
--   attempt is as telling as one that went through). Each uuid counts once (Okta delivers at least once).
-- Entity: the user whose factor was to be bypassed (the User target), or the actor when the event names no user target;
--   one finding per such user per hour, naming who attempted it, from where, and the outcomes.
-- Okta Support's own bypasses (actor system@okta.com) are also reported by okta-support-reset.
-- False positives: an admin or Okta Support helping a locked-out user through a sanctioned MFA bypass.
with events as (
  select
    uuid, published, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.mfa.attempt_bypass'
),
attempts as (
  select
    uuid, published,
    coalesce(outcome.result, 'UNKNOWN') as result,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id, 'unknown') as actor_login,
    coalesce(
      element_at(filter(target, t -> t.type = 'User'), 1).alternateid,
      element_at(filter(target, t -> t.type = 'User'), 1).id
    ) as target_login,
    nullif(client.ipaddress, 'null') as ip
  from events
  where copy = 1
)
select
  'user' as entity_type,
  coalesce(target_login, actor_login) as entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array_sort(array_distinct(concat(array_agg(actor_login), filter(array_agg(target_login), x -> x is not null)))) as actors,
  array_sort(filter(array_agg(distinct ip), x -> x is not null)) as ips,
  concat(
    array_join(array_sort(array_agg(distinct actor_login)), ', '), ' attempted to bypass MFA',
    case when count(target_login) > 0 then concat(' for ', coalesce(target_login, actor_login)) else '' end,
    ' ', cast(count(*) as varchar), ' time(s)',
    case when count(ip) > 0 then concat(' from ', array_join(array_sort(array_agg(distinct ip)), ', ')) else '' end,
    ' (outcome: ', array_join(array_sort(array_agg(distinct result)), ', '), ')'
  ) as summary
from attempts
group by coalesce(target_login, actor_login)
