-- okta-user-reported-suspicious: a user reported activity on their account as suspicious.
-- Reads: okta_events, user.account.report_suspicious_activity_by_enduser events, in the arrival hour partitions
-- of the run. Each uuid counts once.
-- Okta's end-user notifications (new sign-in, factor enrolled, password changed) carry a "report this" link; the
-- report names the reported event in debugData (suspiciousActivityEventType, ...EventIp, ...EventCountry).
-- One finding per reporting user and hour; ips holds the reporter's and the reported event's IPs.
-- False positives: users who do not recognise their own new device or a VPN location.
with events as (
  select
    uuid, published, actor, client, target, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.account.report_suspicious_activity_by_enduser'
),
reports as (
  select
    uuid, published,
    coalesce(
      case when actor.alternateid not in ('unknown', 'null', '') then actor.alternateid end,
      nullif(element_at(filter(target, t -> t.type = 'User'), 1).alternateid, 'null')
    ) as user_login,
    nullif(client.ipaddress, 'null') as ip,
    element_at(debugcontext.debugdata, 'suspiciousActivityEventType') as reported_type,
    element_at(debugcontext.debugdata, 'suspiciousActivityEventIp') as reported_ip,
    element_at(debugcontext.debugdata, 'suspiciousActivityEventCountry') as reported_country
  from events
  where copy = 1
),
entities as (
  select *, coalesce(user_login, 'unknown') as entity_id
  from reports
)
select
  'user' as entity_type,
  entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  filter(array_agg(distinct user_login), v -> v is not null) as actors,
  filter(array_distinct(concat(array_agg(ip), array_agg(reported_ip))), v -> v is not null) as ips,
  concat(
    entity_id, ' reported ', cast(count(*) as varchar), ' suspicious activity report(s)',
    case when min(reported_type) is not null then concat(' about ', min(reported_type)) else '' end,
    case when min(reported_ip) is not null then concat(' from ', min(reported_ip)) else '' end,
    case when min(reported_country) is not null then concat(' (', min(reported_country), ')') else '' end
  ) as summary
from entities
group by entity_id
