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
-- Each use under its two keys (one pass over the uses: a union would read the table twice in Trino).
keyed as (
  select
    k.kind,
    if(k.kind = 'session', u.session_id, concat(u.login, ' ', u.dt_hash)) as key,
    if(k.kind = 'session', 'session', 'user') as entity_type,
    if(k.kind = 'session', u.session_id, u.login) as entity_id,
    u.*,
    concat(
      u.ip, '|', coalesce(u.country, ''), '|', coalesce(cast(u.asn as varchar), ''), '|', coalesce(u.os, ''), '|',
      coalesce(u.browser, ''), '|', u.session_id
    ) as origin
  from uses as u
  cross join unnest(array['session', 'device']) as k(kind)
  where (k.kind = 'session' and u.session_id is not null)
    or (k.kind = 'device' and u.device_use and u.login is not null and u.dt_hash is not null)
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
    bool_or(not in_run_hour) as has_before,
    min(ts) as first_ts
  from keyed
  group by kind, key, entity_type, entity_id, origin
),
-- Every origin sees the other origins of its key (a window, not a self-join: one read of the table).
with_peers as (
  select
    *,
    array_agg(cast(row(origin, session_id, ip, country, asn, os, browser, anonymized, has_before, first_ts) as row(
      origin varchar, session_id varchar, ip varchar, country varchar, asn bigint, os varchar, browser varchar,
      anonymized boolean, has_before boolean, first_ts timestamp(3) with time zone
    ))) over (partition by kind, key) as peers
  from origins
),
-- The peers this origin roams with, in pairs not both seen before the run hour (those an earlier run reported).
paired as (
  select
    kind, key, entity_type, entity_id, origin, anonymized, first_ts,
    filter(peers, p ->
      p.origin <> origin
      and not (p.has_before and has_before)
      and (
        (
          kind = 'session'
          and (
            coalesce(p.os <> os, false)
            or coalesce(p.browser <> browser, false)
            or (p.ip <> ip and (coalesce(p.country <> country, false) or coalesce(p.asn <> asn, false)))
          )
        )
        or (
          kind = 'device'
          and p.session_id <> session_id
          and p.ip <> ip
          and (coalesce(p.os <> os, false) or coalesce(p.browser <> browser, false))
        )
      )
    ) as partners
  from with_peers
),
-- Origins in a new roaming pair; to_anonymizer: this origin is the later of a pair, through an anonymizer, and its
-- earlier partner is not.
involved as (
  select
    kind, key, entity_type, entity_id, origin,
    anonymized and cardinality(filter(partners, p ->
      not p.anonymized and (p.first_ts < first_ts or (p.first_ts = first_ts and p.origin < origin))
    )) > 0 as to_anonymizer
  from paired
  where cardinality(partners) > 0
),
evidence as (
  select k.*, i.to_anonymizer
  from keyed as k
  join involved as i on i.kind = k.kind and i.key = k.key and i.origin = k.origin
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
    array_sort(array_agg(distinct concat(coalesce(e.os, '?'), '/', coalesce(e.browser, '?')))) as user_agents,
    bool_or(e.to_anonymizer) as to_anonymizer
  from evidence as e
  group by e.entity_type, e.entity_id
)
select
  p.entity_type,
  p.entity_id,
  case when p.to_anonymizer then 'CRITICAL' end as severity,
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
    case when p.to_anonymizer then '; the new network is an anonymizing proxy or VPN' else '' end
  ) as summary
from per_entity as p
