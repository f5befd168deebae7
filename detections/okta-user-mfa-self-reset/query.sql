-- okta-user-mfa-self-reset: a user reset (removed) one of their own MFA factors.
-- Reads: okta_events, user.mfa.factor.deactivate and user.mfa.factor.suspend events, in the arrival hour
-- partitions of the run. Each uuid counts once.
-- Panther's Okta data model calls a factor deactivation or suspension an MFA reset when outcome.reason starts with
-- "User reset" (e.g. "User reset FIDO_WEBAUTHN factor"): the self-service removal from the end-user settings.
-- Informational on its own; with a new enrolment from an unfamiliar origin it is the trail of a takeover.
-- One finding per user and hour.
-- False positives: users replacing a phone or security key (the common case).
with events as (
  select
    uuid, published, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('user.mfa.factor.deactivate', 'user.mfa.factor.suspend')
    and starts_with(outcome.reason, 'User reset')
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
    -- "User reset FIDO_WEBAUTHN factor" -> FIDO_WEBAUTHN
    nullif(split_part(outcome.reason, ' ', 3), '') as factor
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
    user_login, ' reset ', cast(count(*) as varchar), ' of their own MFA factor(s)',
    case when min(factor) is not null then concat(' (', min(factor), case when count(distinct factor) > 1 then ' and others' else '' end, ')') else '' end,
    ' from ', cast(count(distinct ip) as varchar), ' IP(s)'
  ) as summary
from affected
group by user_login
