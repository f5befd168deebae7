-- okta-scim-password-push: an app integration was set to push user passwords to its provisioning (SCIM) target.
-- Reads: okta_events, application.lifecycle.update events, in the arrival hour partitions of the run. Each uuid counts once.
-- Okta logs the password push as an application.lifecycle.update whose outcome.reason says "Pushing user passwords":
-- from then on Okta sends cleartext passwords to whoever runs the app's SCIM endpoint. An attacker with app-admin
-- rights can create such an app under their control and harvest every assigned user's password.
-- One finding per acting admin and hour.
-- False positives: a sanctioned provisioning integration that needs password sync (legacy directory, some SaaS).
with events as (
  select
    uuid, published, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'application.lifecycle.update'
    and strpos(outcome.reason, 'Pushing user passwords') > 0
),
pushes as (
  select
    uuid, published,
    case when actor.alternateid not in ('unknown', 'null', '') then actor.alternateid end as actor_login,
    nullif(client.ipaddress, 'null') as ip,
    element_at(filter(target, t -> t.type = 'AppInstance'), 1).displayname as app_name
  from events
  where copy = 1
),
entities as (
  select *, coalesce(actor_login, 'unknown') as entity_id
  from pushes
)
select
  'user' as entity_type,
  entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  filter(array_agg(distinct actor_login), v -> v is not null) as actors,
  filter(array_agg(distinct ip), v -> v is not null) as ips,
  concat(
    entity_id, ' set ', cast(count(*) as varchar),
    ' app integration update(s) to push user passwords via provisioning',
    case when min(app_name) is not null then concat(' (app ', min(app_name), ')') else '' end,
    ' from ', cast(count(distinct ip) as varchar), ' IP(s)'
  ) as summary
from entities
group by entity_id
