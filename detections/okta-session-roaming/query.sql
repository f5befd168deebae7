-- okta-session-roaming: one Okta session used from two networks or two devices within the hour.
-- Reads: okta_events, the arrival hour partitions of the run. Each uuid counts once (Okta delivers at least once).
-- The session is authenticationContext.externalSessionId, or, when Okta logs none ('unknown', 'null'), the
-- device token hash debugData.dtHash (Identity Engine). Only events with a client IP take part.
-- Roaming: the session's events come from IPs in two countries (client.geographicalContext.country) or two
-- autonomous systems (securityContext.asNumber), or from two operating systems or browsers
-- (client.userAgent.os / browser; 'Unknown' values do not count). A stolen session cookie replayed elsewhere
-- (adversary-in-the-middle phishing, info-stealer malware) looks like this.
-- One finding per session and hour; the users of the session are its actors.
-- False positives: a laptop moving between Wi-Fi and a phone hotspot (two AS numbers), split-tunnel VPNs, IPv4 and
-- IPv6 egress through different providers, a browser upgrade or user-agent switch mid-session.
with events as (
  select
    uuid, published, actor, client, securitycontext, authenticationcontext, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
),
uses as (
  select
    uuid, published,
    coalesce(
      if(lower(authenticationcontext.externalsessionid) not in ('unknown', 'null', ''), authenticationcontext.externalsessionid),
      if(lower(element_at(debugcontext.debugdata, 'dtHash')) not in ('unknown', 'null', ''), element_at(debugcontext.debugdata, 'dtHash'))
    ) as session_id,
    if(actor.type = 'User', lower(actor.alternateid)) as login,
    nullif(client.ipaddress, 'null') as ip,
    if(lower(client.geographicalcontext.country) not in ('unknown', 'null', ''), client.geographicalcontext.country) as country,
    securitycontext.asnumber as asn,
    if(lower(client.useragent.os) not in ('unknown', 'null', ''), client.useragent.os) as os,
    if(lower(client.useragent.browser) not in ('unknown', 'null', ''), client.useragent.browser) as browser
  from events
  where copy = 1
    and nullif(client.ipaddress, 'null') is not null
),
sessions as (
  select
    session_id,
    count(distinct ip) as ips,
    count(distinct country) as countries,
    count(distinct asn) as networks,
    count(distinct os) as systems,
    count(distinct browser) as browsers
  from uses
  where session_id is not null
  group by session_id
  having count(distinct country) > 1
    or count(distinct asn) > 1
    or count(distinct os) > 1
    or count(distinct browser) > 1
)
select
  'session' as entity_type,
  u.session_id as entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(u.published)) as first_seen,
  max(from_iso8601_timestamp(u.published)) as last_seen,
  count(*) as event_count,
  array_agg(u.uuid order by u.published, u.uuid) as event_uuids,
  array_sort(filter(array_agg(distinct u.login), l -> l is not null)) as actors,
  array_sort(array_agg(distinct u.ip)) as ips,
  concat(
    'session ', u.session_id,
    case
      when count(u.login) > 0 then concat(' of ', array_join(array_sort(filter(array_agg(distinct u.login), l -> l is not null)), ', '))
      else ''
    end,
    ' used within the hour from ', cast(max(s.ips) as varchar), ' IP(s); countries: ',
    coalesce(nullif(array_join(array_sort(array_agg(distinct u.country)), ', '), ''), '?'),
    '; AS numbers: ', coalesce(nullif(array_join(array_sort(array_agg(distinct cast(u.asn as varchar))), ', '), ''), '?'),
    '; user agents: ', array_join(array_sort(array_agg(distinct concat(coalesce(u.os, '?'), '/', coalesce(u.browser, '?')))), ', ')
  ) as summary
from uses as u
join sessions as s on s.session_id = u.session_id
group by u.session_id
