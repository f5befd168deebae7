-- okta-session-roaming: one Okta session, or one user's device token, used from two networks or two devices within a day.
-- Reads: okta_events, the arrival partitions of the last 24 hours (lookback_hours 24). Each uuid counts once, its
-- first delivery (Okta delivers at least once). Only events with a client IP take part; events of the Okta Admin
-- Console's own client (client.id okta.b58d5b75-07d4-5f25-bf59-368a1261a405) are left out, as Panther leaves them
-- out: Okta's internal calls for an admin show Okta's IPs and the Okta-Integrations user agent.
-- Two keys:
--   session  authenticationContext.rootSessionId when Okta logs one (Identity Engine), else externalSessionId, else
--            (neither logged: 'unknown', 'null') the device token hash debugData.dtHash. Every event of the session.
--            Roaming: two uses from different operating systems or browsers (client.userAgent.os / browser; 'Unknown'
--            values do not count), or from different IPs in two countries or two autonomous systems
--            (client.geographicalContext.country, securityContext.asNumber).
--   device   (user, debugData.dtHash) over policy.evaluate_sign_on ALLOW/SUCCESS and successful sign-ins
--            (user.session.start, user.authentication.sso / verify / auth_via_mfa), the Okta and Splunk
--            "suspicious use of a session cookie" key. Roaming: the device token is used in two different sessions,
--            from two IPs and two operating systems or browsers (a device token belongs to one browser: a new network
--            alone is the laptop travelling, a new browser with it is a copied cookie).
-- An origin is a distinct (IP, country, AS number, OS, browser, session) of a key; a pair of origins that roams is
-- reported by the run of the hour the later of the two first arrived in (both origins seen before the run hour:
-- an earlier run reported it), so consecutive runs do not report a pair twice. One finding per session (entity
-- session) and per user for device tokens reused across sessions (entity user). Evidence: every use of the origins
-- of the new pairs.
-- Severity: the detection's (HIGH); CRITICAL when the later origin of a new pair comes through an anonymizer
-- (securityContext.isProxy or an anonymizing ipServiceCategories entry) and the earlier one does not.
-- False positives: a laptop moving between Wi-Fi and a phone hotspot (two AS numbers), split-tunnel VPNs, IPv4 and
-- IPv6 egress through different providers, a browser upgrade or user-agent switch mid-session.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, securitycontext, authenticationcontext, debugcontext,
    concat(dt, '-', hour) = :scan_to as in_run_hour,
    row_number() over (partition by lower(uuid) order by published, concat(dt, '-', hour)) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
),
uses as (
  select
    uuid, published, in_run_hour,
    from_iso8601_timestamp(published) as ts,
    if(lower(element_at(debugcontext.debugdata, 'dtHash')) not in ('unknown', 'null', ''), element_at(debugcontext.debugdata, 'dtHash')) as dt_hash,
    coalesce(
      if(lower(authenticationcontext.rootsessionid) not in ('unknown', 'null', ''), authenticationcontext.rootsessionid),
      if(lower(authenticationcontext.externalsessionid) not in ('unknown', 'null', ''), authenticationcontext.externalsessionid),
      if(lower(element_at(debugcontext.debugdata, 'dtHash')) not in ('unknown', 'null', ''), element_at(debugcontext.debugdata, 'dtHash'))
    ) as session_id,
    if(actor.type = 'User', lower(actor.alternateid)) as login,
    nullif(client.ipaddress, 'null') as ip,
    if(lower(client.geographicalcontext.country) not in ('unknown', 'null', ''), client.geographicalcontext.country) as country,
    securitycontext.asnumber as asn,
    if(lower(client.useragent.os) not in ('unknown', 'null', ''), client.useragent.os) as os,
    if(lower(client.useragent.browser) not in ('unknown', 'null', ''), client.useragent.browser) as browser,
    coalesce(securitycontext.isproxy, false)
      or coalesce(cardinality(filter(securitycontext.ipdetails.ipservicecategories, c -> coalesce(c.isanonymous, c.type is not null))) > 0, false)
      as anonymized,
    (eventtype = 'policy.evaluate_sign_on' and outcome.result in ('ALLOW', 'SUCCESS'))
      or (eventtype in ('user.session.start', 'user.authentication.sso', 'user.authentication.verify', 'user.authentication.auth_via_mfa')
          and outcome.result = 'SUCCESS')
      as device_use
  from events
  where copy = 1
    and nullif(client.ipaddress, 'null') is not null
    and coalesce(client.id, '') <> 'okta.b58d5b75-07d4-5f25-bf59-368a1261a405'
),
keyed as (
  select 'session' as kind, session_id as key, 'session' as entity_type, session_id as entity_id, *
  from uses
  where session_id is not null
  union all
  select 'device' as kind, concat(login, ' ', dt_hash) as key, 'user' as entity_type, login as entity_id, *
  from uses
  where device_use
    and login is not null
    and dt_hash is not null
),
keyed_origins as (
  select
    *,
    concat(
      ip, '|', coalesce(country, ''), '|', coalesce(cast(asn as varchar), ''), '|', coalesce(os, ''), '|',
      coalesce(browser, ''), '|', session_id
    ) as origin
  from keyed
),
origins as (
  select
    kind, key, entity_type, entity_id, origin,
    arbitrary(session_id) as session_id,
    arbitrary(ip) as ip,
    arbitrary(country) as country,
    arbitrary(asn) as asn,
    arbitrary(os) as os,
    arbitrary(browser) as browser,
    bool_or(anonymized) as anonymized,
    bool_or(in_run_hour) as has_run,
    bool_or(not in_run_hour) as has_before,
    min(ts) as first_ts
  from keyed_origins
  group by kind, key, entity_type, entity_id, origin
),
numbered as (
  select *, row_number() over (partition by kind, key order by first_ts, origin) as origin_no
  from origins
),
new_pairs as (
  select
    b.kind, b.key, b.entity_type, b.entity_id,
    a.origin as earlier_origin,
    b.origin as later_origin,
    b.anonymized and not a.anonymized as to_anonymizer
  from numbered as a
  join numbered as b
    on a.kind = b.kind and a.key = b.key and a.origin_no < b.origin_no
  where not (a.has_before and b.has_before)
    and (
      (
        a.kind = 'session'
        and (
          coalesce(a.os <> b.os, false)
          or coalesce(a.browser <> b.browser, false)
          or (a.ip <> b.ip and (coalesce(a.country <> b.country, false) or coalesce(a.asn <> b.asn, false)))
        )
      )
      or (
        a.kind = 'device'
        and a.session_id <> b.session_id
        and a.ip <> b.ip
        and (coalesce(a.os <> b.os, false) or coalesce(a.browser <> b.browser, false))
      )
    )
),
involved as (
  select kind, key, earlier_origin as origin from new_pairs
  union
  select kind, key, later_origin as origin from new_pairs
),
evidence as (
  select k.*
  from keyed_origins as k
  join involved as i on i.kind = k.kind and i.key = k.key and i.origin = k.origin
),
escalation as (
  select entity_type, entity_id, bool_or(to_anonymizer) as to_anonymizer, count(*) as pairs
  from new_pairs
  group by entity_type, entity_id
),
per_entity as (
  select
    e.entity_type, e.entity_id,
    min(e.ts) as first_seen,
    max(e.ts) as last_seen,
    count(distinct e.uuid) as event_count,
    array_agg(e.uuid order by e.ts, e.uuid) as event_uuids,
    array_sort(filter(array_agg(distinct e.login), l -> l is not null)) as actors,
    array_sort(array_agg(distinct e.ip)) as ips,
    array_sort(array_agg(distinct e.session_id)) as sessions,
    array_sort(array_agg(distinct e.dt_hash)) as dt_hashes,
    array_sort(filter(array_agg(distinct e.country), v -> v is not null)) as countries,
    array_sort(filter(array_agg(distinct cast(e.asn as varchar)), v -> v is not null)) as asns,
    array_sort(array_agg(distinct concat(coalesce(e.os, '?'), '/', coalesce(e.browser, '?')))) as user_agents
  from evidence as e
  group by e.entity_type, e.entity_id
)
select
  p.entity_type,
  p.entity_id,
  case when x.to_anonymizer then 'CRITICAL' end as severity,
  p.first_seen,
  p.last_seen,
  p.event_count,
  p.event_uuids,
  p.actors,
  p.ips,
  concat(
    case
      when p.entity_type = 'session' then concat(
        'session ', p.entity_id,
        case when cardinality(p.actors) > 0 then concat(' of ', array_join(p.actors, ', ')) else '' end,
        ' used'
      )
      else concat(
        'device token(s) ', array_join(p.dt_hashes, ', '), ' of ', p.entity_id, ' used in ',
        cast(cardinality(p.sessions) as varchar), ' sessions'
      )
    end,
    ' within 24 hours from ', cast(cardinality(p.ips) as varchar), ' IP(s); countries: ',
    coalesce(nullif(array_join(p.countries, ', '), ''), '?'),
    '; AS numbers: ', coalesce(nullif(array_join(p.asns, ', '), ''), '?'),
    '; user agents: ', array_join(p.user_agents, ', '),
    case when x.to_anonymizer then '; the new network is an anonymizing proxy or VPN' else '' end
  ) as summary
from per_entity as p
join escalation as x on x.entity_type = p.entity_type and x.entity_id = p.entity_id
