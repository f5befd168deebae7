-- okta-password-revealed: a user revealed another user's stored app password (SWA / shared credentials).
-- Reads: okta_events (arrival hour partitions of the run), application.user_membership.show_password events
--   where the actor is not the User the password belongs to (compared on login, case-insensitively). Each
--   uuid counts once (Okta delivers at least once). One finding per actor per hour.
-- False positives: admins or help desk helping a user; shared team accounts.
with events as (
  select
    uuid, published, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'application.user_membership.show_password'
),
reveals as (
  select
    uuid, published, outcome,
    coalesce(actor.alternateid, actor.id) as login,
    nullif(client.ipaddress, 'null') as ip,
    element_at(filter(target, t -> t.type = 'User'), 1).alternateid as owner,
    element_at(filter(target, t -> t.type = 'AppInstance'), 1).displayname as app
  from events
  where copy = 1
    and not coalesce(cardinality(filter(target, t -> t.type = 'User' and lower(t.alternateid) = lower(actor.alternateid))) > 0, false)
)
select
  'user' as entity_type,
  login as entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  filter(array_agg(distinct login) || array_agg(distinct owner), x -> x is not null) as actors,
  filter(array_agg(distinct ip), x -> x is not null) as ips,
  concat(login, ' revealed ', cast(count(*) as varchar), ' password(s) of other users: ',
         array_join(array_agg(distinct concat(coalesce(owner, 'unknown user'), ' in ', coalesce(app, 'unknown app'))), ', '),
         ' (outcome: ', coalesce(array_join(array_agg(distinct outcome.result), ', '), 'unknown'), ')') as summary
from reveals
where login is not null
group by login
