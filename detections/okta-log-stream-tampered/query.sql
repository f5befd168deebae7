-- okta-log-stream-tampered: a log stream or event hook deactivated, deleted or changed (HIGH), or created or activated (MEDIUM).
-- Reads: okta_events, the arrival hour partitions of the run. Each uuid counts once (Okta delivers at least once).
-- Event types: system.log_stream.lifecycle.deactivate / .delete / .update (the log streams that feed this lake and
-- other SIEMs) and event_hook.deactivated / .deleted / .updated (webhooks that push events to outside systems).
-- system.log_stream.lifecycle.create / .activate and event_hook.created / .activated (a new destination for the org's
-- events: copying them to an attacker's endpoint, or a stream re-enabled after a gap) are reported at MEDIUM when they
-- are all the actor did in the hour. Every outcome counts: a failed attempt by an admin who may not touch the stream is
-- as telling as a successful one (the summary says how many failed).
-- One finding per actor (the admin, or the app / API client acting) and hour; the streams and hooks are named in
-- the summary. HIGH (the default) when a stream or hook was deactivated, deleted or updated, MEDIUM when only created
-- or activated. Note: a deactivated stream sends nothing afterwards, so this may be the last event the lake sees.
-- False positives: planned SIEM migrations, rotating the AWS account or region of a stream, fixing a hook endpoint.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'system.log_stream.lifecycle.deactivate', 'system.log_stream.lifecycle.delete', 'system.log_stream.lifecycle.update',
      'event_hook.deactivated', 'event_hook.deleted', 'event_hook.updated',
      'system.log_stream.lifecycle.create', 'system.log_stream.lifecycle.activate',
      'event_hook.created', 'event_hook.activated'
    )
),
changes as (
  select
    uuid, published, eventtype,
    outcome.result as result,
    case
      when actor.type = 'User' then 'user'
      when actor.type in ('PublicClientApp', 'AppInstance', 'Client') then 'app'
      else 'org'
    end as actor_kind,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id, 'unknown') as actor_login,
    nullif(client.ipaddress, 'null') as ip,
    coalesce(
      element_at(filter(target, t -> t.type <> 'User'), 1).displayname,
      element_at(target, 1).displayname,
      element_at(target, 1).id
    ) as object_name,
    if(eventtype like 'event_hook.%', 'event hook', 'log stream') as object_kind,
    regexp_extract(eventtype, '[a-z_]+$') as action
  from events
  where copy = 1
)
select
  actor_kind as entity_type,
  actor_login as entity_id,
  case when count_if(action not in ('create', 'created', 'activate', 'activated')) = 0 then 'MEDIUM' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[actor_login] as actors,
  array_sort(filter(array_agg(distinct ip), ip -> ip is not null)) as ips,
  concat(
    actor_login, ': ',
    array_join(array_sort(array_agg(distinct concat(
      object_kind, ' "', coalesce(object_name, '?'), '" ',
      case action
        when 'update' then 'updated' when 'deactivate' then 'deactivated' when 'delete' then 'deleted'
        when 'create' then 'created' when 'activate' then 'activated' else action
      end
    ))), ', '),
    case
      when count_if(result <> 'SUCCESS') > 0 then concat(' (', cast(count_if(result <> 'SUCCESS') as varchar), ' attempt(s) did not succeed)')
      else ''
    end
  ) as summary
from changes
group by actor_kind, actor_login
