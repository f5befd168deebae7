-- okta-user-mfa-factor-suspended: an MFA factor of a user was suspended.
-- Reads: okta_events, successful user.mfa.factor.suspend events, in the arrival hour partitions of the run. Each uuid counts once.
-- A suspended factor cannot be used until it is unsuspended: an attacker may suspend the victim's factor so that
-- only a factor they enrolled remains, or to lock the owner out. One finding per affected user (the target User,
-- else the actor) and hour; the acting account is in actors.
-- False positives: admins suspending a lost or compromised factor on purpose; Okta suspending a factor itself.
with events as (
  select
    uuid, published, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.mfa.factor.suspend'
    and outcome.result = 'SUCCESS'
),
suspensions as (
  select
    uuid, published,
    case when actor.alternateid not in ('unknown', 'null', '') then actor.alternateid end as actor_login,
    coalesce(
      nullif(element_at(filter(target, t -> t.type = 'User'), 1).alternateid, 'null'),
      element_at(filter(target, t -> t.type = 'User'), 1).id
    ) as target_login,
    nullif(client.ipaddress, 'null') as ip,
    outcome.reason as reason
  from events
  where copy = 1
),
affected as (
  select *, coalesce(target_login, actor_login, 'unknown') as user_login
  from suspensions
)
select
  'user' as entity_type,
  user_login as entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  filter(array_distinct(concat(array_agg(target_login), array_agg(actor_login))), v -> v is not null) as actors,
  filter(array_agg(distinct ip), v -> v is not null) as ips,
  concat(
    cast(count(*) as varchar), ' MFA factor suspension(s) for ', user_login,
    ' by ', coalesce(min(actor_login), 'an unknown actor'),
    case when count(distinct actor_login) > 1 then ' and others' else '' end,
    case when min(reason) is not null then concat(': ', min(reason)) else '' end
  ) as summary
from affected
group by user_login
