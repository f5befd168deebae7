-- okta-ad-agent-created: a new Active Directory agent was registered with the org (system.agent.ad.create).
-- Reads: okta_events (arrival hour partitions of the run). Each uuid counts once (Okta delivers at least once).
-- An AD agent delegates authentication and imports users: an attacker who registers one on a host they control can
--   import accounts and answer sign-ins for the users it serves (hybrid identity, T1556.007). The event is rare (an
--   agent install or reinstall), so every one is reported; refused attempts too (MEDIUM when none succeeded).
-- One finding per actor (the admin who installed the agent, or system@okta.com / the agent's own client, as Okta may
--   log it) and hour; the agents (target displayName, usually the host) and IPs are in the summary.
-- False positives: installing, reinstalling or upgrading to a new agent on a domain controller or member server.
with events as (
  select
    uuid, published, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'system.agent.ad.create'
),
agents as (
  select
    uuid, published,
    coalesce(outcome.result, 'SUCCESS') = 'SUCCESS' as succeeded,
    case
      when actor.type = 'User' then 'user'
      when actor.type in ('PublicClientApp', 'AppInstance', 'Client') then 'app'
      else 'org'
    end as actor_kind,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id, 'unknown') as actor_login,
    nullif(client.ipaddress, 'null') as ip,
    nullif(client.useragent.rawuseragent, '') as user_agent,
    coalesce(
      nullif(element_at(target, 1).displayname, ''),
      nullif(element_at(target, 1).alternateid, 'unknown'),
      element_at(target, 1).id,
      'an unnamed agent'
    ) as agent
  from events
  where copy = 1
)
select
  actor_kind as entity_type,
  actor_login as entity_id,
  case when count_if(succeeded) = 0 then 'MEDIUM' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[actor_login] as actors,
  array_sort(filter(array_agg(distinct ip), x -> x is not null)) as ips,
  concat(
    actor_login, ' registered ', cast(count(*) as varchar), ' AD agent(s): ',
    array_join(array_sort(array_agg(distinct concat(agent, if(succeeded, '', ' (did not succeed)')))), ', '),
    case when count(ip) > 0 then concat(' from ', array_join(array_sort(array_agg(distinct ip)), ', ')) else '' end,
    case when count(user_agent) > 0 then concat(' (', array_join(array_sort(array_agg(distinct user_agent)), '; '), ')') else '' end
  ) as summary
from agents
group by actor_kind, actor_login
