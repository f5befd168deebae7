-- okta-user-mfa-removed-by-other: an MFA factor of a user was deactivated by someone other than that user.
-- Reads: okta_events, user.mfa.factor.deactivate events, in the arrival hour partitions of the run. Each uuid counts once.
-- Panther's Standard.MFADisabled logic for Okta: a factor deactivation is an MFA reset by the user when its
-- outcome.reason starts with "User reset" (okta-user-mfa-self-reset covers that), and MFA being disabled otherwise.
-- On top of that the actor must not be the target user: the same principal means the same Okta id (or, when an
-- id is missing, the same login). Suspensions are okta-user-mfa-factor-suspended; failed deactivations are skipped.
-- One finding per affected user (target) and hour; the acting accounts are in actors.
-- False positives: help-desk or admin resets of a lost factor; deprovisioning scripts.
with events as (
  select
    uuid, published, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.mfa.factor.deactivate'
    and coalesce(outcome.result, 'SUCCESS') = 'SUCCESS'
    and not starts_with(coalesce(outcome.reason, ''), 'User reset')
),
deactivations as (
  select
    uuid, published, actor, client, outcome,
    element_at(filter(target, t -> t.type = 'User'), 1) as target_user
  from events
  where copy = 1
),
by_other as (
  select
    uuid, published,
    case when actor.alternateid not in ('unknown', 'null', '') then actor.alternateid end as actor_login,
    coalesce(nullif(target_user.alternateid, 'null'), target_user.id) as target_login,
    nullif(client.ipaddress, 'null') as ip,
    outcome.reason as reason
  from deactivations
  where not coalesce(
    case
      when actor.id is not null and target_user.id is not null then actor.id = target_user.id
      else lower(actor.alternateid) = lower(target_user.alternateid)
    end,
    false
  )
),
entities as (
  select *, coalesce(target_login, 'unknown') as entity_id
  from by_other
)
select
  'user' as entity_type,
  entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  filter(array_distinct(concat(array_agg(target_login), array_agg(actor_login))), v -> v is not null) as actors,
  filter(array_agg(distinct ip), v -> v is not null) as ips,
  concat(
    cast(count(*) as varchar), ' MFA factor(s) of ', entity_id,
    ' deactivated by ', coalesce(min(actor_login), 'an unknown actor'),
    case when count(distinct actor_login) > 1 then ' and others' else '' end,
    case when min(reason) is not null then concat(': ', min(reason)) else '' end,
    ' from ', cast(count(distinct ip) as varchar), ' IP(s)'
  ) as summary
from entities
group by entity_id
