-- okta-itp-risk: Okta Identity Threat Protection and session protection verdicts about a user.
-- Reads: okta_events (arrival hour partitions of the run), each uuid once: user.risk.detect, user.risk.change,
-- security.session.detect_client_roaming, user.session.context.change, policy.auth_reevaluate.fail.
-- The user is the event's User target, else the actor when it is a user. Okta writes the ITP verdict in
-- debugData.risk as a Java map text ({previousLevel=LOW, level=HIGH, detectionName=..., reasons=..., issuer=OKTA}),
-- some events also in securityContext.risk.
-- Severity of an event (the finding takes the highest of its user's events in the hour):
--   CRITICAL  user.risk.detect whose reasons say "Associated sessionId is suspected to be hijacked"
--   HIGH      user.risk.detect "MFA brute force" (detection Brute Force Attack) or detection Okta Threat Intelligence;
--             user.risk.detect or user.risk.change whose level is HIGH; security.session.detect_client_roaming (an
--             admin session used from another AS number: session binding denied it); user.session.context.change
--             or policy.auth_reevaluate.fail whose level is HIGH
--   MEDIUM    user.session.context.change (the session's IP or device context changed), policy.auth_reevaluate.fail
--             (the session no longer meets the authentication or global session policy)
-- Other user.risk.detect and user.risk.change events (lower levels, other detections) are not reported.
-- False positives: ITP's own (a VPN or corporate gateway changing a session's IP, a user rejecting pushes);
-- tune the entity risk and session protection policies in Okta.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target, securitycontext, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'user.risk.detect', 'user.risk.change', 'security.session.detect_client_roaming',
      'user.session.context.change', 'policy.auth_reevaluate.fail'
    )
),
verdicts as (
  select
    uuid, published, eventtype,
    coalesce(
      nullif(element_at(filter(target, t -> t.type = 'User'), 1).alternateid, 'unknown'),
      if(actor.type = 'User', actor.alternateid)
    ) as login,
    nullif(client.ipaddress, 'null') as ip,
    coalesce(element_at(debugcontext.debugdata, 'risk'), '') as risk_text,
    upper(coalesce(
      securitycontext.risk.level,
      regexp_extract(coalesce(element_at(debugcontext.debugdata, 'risk'), ''), '(^|[{,]\s*)level=([A-Za-z]+)', 2)
    )) as level,
    coalesce(
      securitycontext.risk.detectionname,
      regexp_extract(coalesce(element_at(debugcontext.debugdata, 'risk'), ''), 'detectionName=([^,}]+)', 1)
    ) as detection_name,
    lower(concat(
      coalesce(element_at(debugcontext.debugdata, 'risk'), ''), ' ',
      coalesce(array_join(securitycontext.risk.reasons, ', '), '')
    )) as reasons_text,
    coalesce(
      array_join(securitycontext.risk.reasons, ', '),
      nullif(regexp_extract(coalesce(element_at(debugcontext.debugdata, 'risk'), ''), 'reasons=([^=]*?)(, [A-Za-z]+=|}|$)', 1), '')
    ) as reasons,
    element_at(debugcontext.debugdata, 'causes') as causes,
    element_at(debugcontext.debugdata, 'previousIpAddress') as previous_ip,
    element_at(debugcontext.debugdata, 'newIpAddress') as new_ip
  from events
  where copy = 1
),
rated as (
  select
    *,
    case
      when eventtype = 'user.risk.detect' and strpos(reasons_text, 'associated sessionid is suspected to be hijacked') > 0 then 4
      when eventtype = 'user.risk.detect'
        and (strpos(reasons_text, 'mfa brute force') > 0 or lower(detection_name) in ('brute force attack', 'okta threat intelligence')) then 3
      when eventtype in ('user.risk.detect', 'user.risk.change') and level = 'HIGH' then 3
      when eventtype = 'security.session.detect_client_roaming' then 3
      when eventtype in ('user.session.context.change', 'policy.auth_reevaluate.fail') and level = 'HIGH' then 3
      when eventtype in ('user.session.context.change', 'policy.auth_reevaluate.fail') then 2
      else 0
    end as rank,
    case eventtype
      when 'user.risk.detect' then concat('ITP detection ', coalesce(nullif(trim(detection_name), ''), 'unnamed'),
        case when reasons is not null then concat(': ', reasons) else '' end)
      when 'user.risk.change' then concat('ITP user risk change',
        case when reasons is not null then concat(': ', reasons) else '' end)
      when 'security.session.detect_client_roaming' then 'admin session roaming denied (session binding)'
      when 'user.session.context.change' then concat(
        'session context change',
        case when causes is not null then concat(' ', causes) else '' end,
        case when new_ip is not null then concat(' ', coalesce(previous_ip, '?'), ' -> ', new_ip) else '' end
      )
      else 'policy re-evaluation failed'
    end
    || case when level is not null and level <> '' then concat(' (level ', level, ')') else '' end as what
  from verdicts
  where login is not null
)
select
  'user' as entity_type,
  lower(login) as entity_id,
  case max(rank) when 4 then 'CRITICAL' when 3 then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[lower(login)] as actors,
  array_sort(filter(array_agg(distinct ip), v -> v is not null)) as ips,
  concat(lower(login), ': ', array_join(array_sort(array_agg(distinct what)), '; ')) as summary
from rated
where rank > 0
group by lower(login)
