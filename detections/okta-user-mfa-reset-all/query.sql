-- okta-user-mfa-reset-all: all MFA factors of a user were reset at once.
-- Reads: okta_events, user.mfa.factor.reset_all events, in the arrival hour partitions of the run. Each uuid counts once.
-- After a reset of all factors the user enrols new ones at the next sign-in: whoever signs in first with the
-- password owns the account's MFA. It is the step attackers ask help desks for. One finding per affected user
-- (the target User, else the actor) and hour; the acting account is in actors.
-- False positives: help-desk resets for users with a lost or replaced phone; onboarding of a re-hired user.
with events as (
  select
    uuid, published, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.mfa.factor.reset_all'
),
resets as (
  select
    uuid, published,
    case when actor.alternateid not in ('unknown', 'null', '') then actor.alternateid end as actor_login,
    coalesce(
      nullif(element_at(filter(target, t -> t.type = 'User'), 1).alternateid, 'null'),
      element_at(filter(target, t -> t.type = 'User'), 1).id
    ) as target_login,
    nullif(client.ipaddress, 'null') as ip,
    outcome.result as result
  from events
  where copy = 1
),
affected as (
  select *, coalesce(target_login, actor_login, 'unknown') as user_login
  from resets
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
    'All MFA factors of ', user_login, ' reset ', cast(count(*) as varchar), ' time(s) by ',
    coalesce(min(actor_login), 'an unknown actor'),
    case when count(distinct actor_login) > 1 then ' and others' else '' end,
    case when count_if(result = 'FAILURE') > 0 then concat(' (', cast(count_if(result = 'FAILURE') as varchar), ' failed)') else '' end,
    ' from ', cast(count(distinct ip) as varchar), ' IP(s)'
  ) as summary
from affected
group by user_login
