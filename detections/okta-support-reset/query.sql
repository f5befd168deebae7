-- okta-support-reset: a user's password or MFA factor was reset by Okta Support rather than by the org's own admins.
-- Reads: okta_events, password-reset and factor change events, in the arrival hour partitions of the run. Each uuid counts once.
-- Okta Support acts as the actor system@okta.com, in a transaction Okta does not expose (transaction.id "unknown"),
-- with no client user agent and no client geolocation: the footprint Okta's own back office leaves. A reset by
-- an org admin, or a scheduled system job run from the org, has a real transaction and client.
-- One finding per affected user and hour.
-- False positives: a reset Okta Support made on an admin's request during a support case (e.g. a locked-out super admin).
with events as (
  select
    uuid, published, eventtype, actor, client, target, transaction,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'user.account.reset_password',
      'user.mfa.factor.update',
      'system.mfa.factor.deactivate',
      'user.mfa.attempt_bypass'
    )
    and actor.alternateid = 'system@okta.com'
),
resets as (
  select
    uuid, published, eventtype, actor.alternateid as actor_login,
    nullif(client.ipaddress, 'null') as ip,
    element_at(filter(target, t -> t.type = 'User'), 1) as target_user
  from events
  where copy = 1
    and transaction.id = 'unknown'
    and nullif(client.useragent.rawuseragent, 'null') is null
    and nullif(client.geographicalcontext.country, 'null') is null
),
affected as (
  select
    *,
    coalesce(nullif(target_user.alternateid, 'null'), target_user.id, 'unknown') as target_login
  from resets
)
select
  'user' as entity_type,
  target_login as entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  filter(array_distinct(concat(array_agg(target_login), array_agg(actor_login))), v -> v is not null and v <> 'unknown') as actors,
  filter(array_agg(distinct ip), v -> v is not null) as ips,
  concat(
    'Okta Support (system@okta.com) made ', cast(count(*) as varchar), ' credential change(s) for ', target_login,
    ': ', min(eventtype), case when count(distinct eventtype) > 1 then ' and others' else '' end
  ) as summary
from affected
group by target_login
