-- okta-threatinsight: Okta ThreatInsight flagged a malicious source, a sign-in it suspected succeeded, or it reported the org under attack.
-- Reads: okta_events, the arrival partitions of the run hour and the hour before (lookback_hours 2). Each uuid counts
-- once (Okta delivers at least once). Three kinds of finding:
--   * security.threat.detected (requests from a source ThreatInsight rates malicious: password spray, credential
--     stuffing, login failures with many unknown users...), one finding per source IP and hour. Severity follows the
--     threats named in debugData.threatDetections (the highest of CRITICAL, HIGH, MEDIUM, LOW, INFO; MEDIUM when none
--     is named), and is INFO when every request was denied (ThreatInsight in block mode already stopped it).
--   * A successful sign-in ThreatInsight suspected: user.session.start, user.authentication.auth_via_mfa or
--     user.authentication.verify with outcome SUCCESS and debugData.threatSuspected true (ThreatInsight in log mode
--     lets such requests through and only marks them). One finding per user and hour, MEDIUM; HIGH when the user's
--     password or MFA factors change within :follow_minutes after the sign-in (user.account.update_password or
--     reset_password, user.mfa.factor.activate, deactivate, reset_all, update or suspend, device.enrollment.create),
--     the way an attacker who got in keeps the account. A sign-in is reported by the run of the hour it arrived in;
--     a change arriving in the next hour reports the sign-in again, at HIGH, from that hour's run. Failed sign-ins
--     with threatSuspected are left to the spray and brute-force detections.
--   * security.attack.start / security.attack.end (ThreatInsight judged the whole org under attack, or no longer):
--     one org finding, MEDIUM. These events carry no request context.
-- security.threat.detected and the attack events count only when they arrived in the run hour.
-- False positives: shared egress IPs (carrier NAT, corporate proxies) that also carry attack traffic; security
-- scanners; a user who signs in from such an IP and then changes their password as asked.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target, debugcontext, dt, hour,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'security.threat.detected', 'security.attack.start', 'security.attack.end',
      'user.session.start', 'user.authentication.auth_via_mfa', 'user.authentication.verify',
      'user.account.update_password', 'user.account.reset_password',
      'user.mfa.factor.activate', 'user.mfa.factor.deactivate', 'user.mfa.factor.reset_all',
      'user.mfa.factor.update', 'user.mfa.factor.suspend', 'device.enrollment.create'
    )
),
unique_events as (
  select
    *,
    from_iso8601_timestamp(published) as ts,
    concat(dt, '-', hour) = :scan_to as in_run_hour,
    nullif(client.ipaddress, 'null') as client_ip
  from events
  where copy = 1
),
threats as (
  select
    uuid, published,
    case
      when actor.type <> 'IP address' and actor.alternateid not in ('unknown', 'null', '') then actor.alternateid
    end as actor_login,
    coalesce(client_ip, case when actor.type = 'IP address' then actor.id end) as ip,
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
  from unique_events
  where eventtype = 'security.threat.detected'
    and in_run_hour
),
suspected as (
  select uuid, published, ts, in_run_hour, lower(actor.alternateid) as login, client_ip as ip, eventtype
  from unique_events
  where eventtype in ('user.session.start', 'user.authentication.auth_via_mfa', 'user.authentication.verify')
    and outcome.result = 'SUCCESS'
    and lower(element_at(debugcontext.debugdata, 'threatSuspected')) = 'true'
    and actor.type = 'User'
    and actor.alternateid is not null
),
changes as (
  select
    uuid, published, ts, in_run_hour, client_ip as ip,
    lower(coalesce(
      element_at(filter(target, t -> t.type = 'User'), 1).alternateid,
      if(actor.type = 'User', actor.alternateid)
    )) as login,
    case eventtype
      when 'user.account.update_password' then 'password changed'
      when 'user.account.reset_password' then 'password reset'
      when 'user.mfa.factor.activate' then 'MFA factor enrolled'
      when 'user.mfa.factor.deactivate' then 'MFA factor removed'
      when 'user.mfa.factor.reset_all' then 'all MFA factors reset'
      when 'user.mfa.factor.update' then 'MFA factor changed'
      when 'user.mfa.factor.suspend' then 'MFA factor suspended'
      else 'device enrolled'
    end as what
  from unique_events
  where eventtype in (
      'user.account.update_password', 'user.account.reset_password',
      'user.mfa.factor.activate', 'user.mfa.factor.deactivate', 'user.mfa.factor.reset_all',
      'user.mfa.factor.update', 'user.mfa.factor.suspend', 'device.enrollment.create'
    )
    and coalesce(outcome.result, 'SUCCESS') = 'SUCCESS'
),
-- A change of the same user within :follow_minutes after a suspected sign-in.
followed as (
  select s.uuid as sign_in_uuid, s.login, s.in_run_hour as sign_in_in_run_hour,
         c.uuid, c.published, c.ts, c.ip, c.what, c.in_run_hour
  from suspected as s
  join changes as c
    on c.login = s.login
    and c.ts > s.ts
    and date_diff('millisecond', s.ts, c.ts) <= :follow_minutes * 60000
),
-- Sign-ins reported by this run: those that arrived in the run hour, and those of the hour before that a change
-- arriving in the run hour now follows.
reported_sign_ins as (
  select s.*
  from suspected as s
  where s.in_run_hour
    or exists (select 1 from followed as f where f.sign_in_uuid = s.uuid and f.in_run_hour)
),
evidence as (
  select
    case when ip is not null then 'ip' when actor_login is not null then 'user' else 'org' end as entity_type,
    coalesce(ip, actor_login, 'unknown') as entity_id,
    'threat' as kind, uuid, published, actor_login as login, ip, level, reason, result
  from threats
  union all
  select
    'org', 'okta-org', replace(eventtype, 'security.attack.', 'attack '), uuid, published, cast(null as varchar),
    cast(null as varchar), 3, cast(null as varchar), outcome.result
  from unique_events
  where eventtype in ('security.attack.start', 'security.attack.end')
    and in_run_hour
  union all
  select 'user', login, 'suspected', uuid, published, login, ip, 3, cast(null as varchar), 'SUCCESS'
  from reported_sign_ins
  union all
  select distinct 'user', f.login, 'change', f.uuid, f.published, f.login, f.ip, 4, f.what, 'SUCCESS'
  from followed as f
  join reported_sign_ins as r on r.uuid = f.sign_in_uuid
)
select
  entity_type,
  entity_id,
  case max(level) when 5 then 'CRITICAL' when 4 then 'HIGH' when 3 then 'MEDIUM' when 2 then 'LOW' else 'INFO' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array_sort(filter(array_agg(distinct login), v -> v is not null)) as actors,
  array_sort(filter(array_agg(distinct ip), v -> v is not null)) as ips,
  concat_ws('; ',
    case when count_if(kind = 'threat') > 0 then concat(
      'Okta ThreatInsight flagged ', cast(count_if(kind = 'threat') as varchar), ' request(s) from ', entity_id,
      case when max(case when kind = 'threat' then reason end) is not null
        then concat(': ', max(case when kind = 'threat' then reason end)) else '' end,
      case when count_if(kind = 'threat' and result = 'DENY') = count_if(kind = 'threat') then ' (all denied)' else '' end
    ) end,
    case when count_if(kind like 'attack %') > 0 then concat(
      'Okta ThreatInsight reported the org under attack (',
      array_join(array_sort(filter(array_agg(distinct case when kind like 'attack %' then replace(kind, 'attack ', '') end), v -> v is not null)), ', '),
      ')'
    ) end,
    case when count_if(kind = 'suspected') > 0 then concat(
      cast(count_if(kind = 'suspected') as varchar), ' successful sign-in step(s) of ', entity_id,
      ' that ThreatInsight marked threatSuspected',
      case when count_if(kind = 'suspected' and ip is not null) > 0
        then concat(' from ', array_join(array_sort(filter(array_agg(distinct case when kind = 'suspected' then ip end), v -> v is not null)), ', ')) else '' end,
      case when count_if(kind = 'change') > 0
        then concat(', then within ', cast(:follow_minutes as varchar), ' minutes: ',
                    array_join(array_sort(filter(array_agg(distinct case when kind = 'change' then reason end), v -> v is not null)), ', ')) else '' end
    ) end
  ) as summary
from evidence
group by entity_type, entity_id
