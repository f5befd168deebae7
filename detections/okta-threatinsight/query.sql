-- okta-threatinsight: Okta ThreatInsight flagged requests from a client as malicious (security.threat.detected).
-- Reads: okta_events, security.threat.detected events, in the arrival hour partitions of the run. Each uuid counts once.
-- ThreatInsight scores request sources across all Okta orgs (password spray, credential stuffing, login failures
-- with many unknown users...). Severity follows the threats named in debugData.threatDetections (the highest of
-- CRITICAL, HIGH, MEDIUM, LOW, INFO; MEDIUM when none is named), and is INFO when every request was denied
-- (ThreatInsight in block mode already stopped it). One finding per source IP and hour.
-- False positives: shared egress IPs (carrier NAT, corporate proxies) that also carry attack traffic; security scanners.
with events as (
  select
    uuid, published, actor, client, outcome, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'security.threat.detected'
),
threats as (
  select
    uuid, published,
    case
      when actor.type <> 'IP address' and actor.alternateid not in ('unknown', 'null', '') then actor.alternateid
    end as actor_login,
    coalesce(
      nullif(client.ipaddress, 'null'),
      case when actor.type = 'IP address' then actor.id end
    ) as ip,
    outcome.reason as reason,
    outcome.result as result,
    case
      when outcome.result = 'DENY' then 1
      when strpos(coalesce(element_at(debugcontext.debugdata, 'threatDetections'), ''), 'CRITICAL') > 0 then 5
      when strpos(coalesce(element_at(debugcontext.debugdata, 'threatDetections'), ''), 'HIGH') > 0 then 4
      when strpos(coalesce(element_at(debugcontext.debugdata, 'threatDetections'), ''), 'MEDIUM') > 0 then 3
      when strpos(coalesce(element_at(debugcontext.debugdata, 'threatDetections'), ''), 'LOW') > 0 then 2
      when strpos(coalesce(element_at(debugcontext.debugdata, 'threatDetections'), ''), 'INFO') > 0 then 1
      else 3
    end as level
  from events
  where copy = 1
),
entities as (
  select
    *,
    case when ip is not null then 'ip' when actor_login is not null then 'user' else 'org' end as entity_type,
    coalesce(ip, actor_login, 'unknown') as entity_id
  from threats
)
select
  entity_type,
  entity_id,
  case max(level) when 5 then 'CRITICAL' when 4 then 'HIGH' when 3 then 'MEDIUM' when 2 then 'LOW' else 'INFO' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  filter(array_agg(distinct actor_login), v -> v is not null) as actors,
  filter(array_agg(distinct ip), v -> v is not null) as ips,
  concat(
    'Okta ThreatInsight flagged ', cast(count(*) as varchar), ' request(s) from ', entity_id,
    case when max(reason) is not null then concat(': ', max(reason)) else '' end,
    case when count_if(result = 'DENY') = count(*) then ' (all denied)' else '' end
  ) as summary
from entities
group by entity_type, entity_id
