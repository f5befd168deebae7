-- okta-fastpass-phishing: Okta FastPass refused to authenticate a user on a phishing (adversary-in-the-middle) page.
-- Reads: okta_events (arrival hour partitions of the run), failed user.authentication.auth_via_mfa events
--   whose outcome reason is Okta's "FastPass declined phishing attempt". Each uuid counts once (Okta
--   delivers at least once). One finding per targeted user per hour.
-- False positives: rare; a legitimate reverse proxy or browser extension that rewrites the Okta origin.
with events as (
  select
    uuid, published, actor, client, outcome,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.authentication.auth_via_mfa'
    and outcome.result = 'FAILURE'
    and strpos(lower(outcome.reason), 'fastpass declined phishing') > 0
),
blocked as (
  select
    uuid, published,
    coalesce(actor.alternateid, actor.id) as login,
    nullif(client.ipaddress, 'null') as ip,
    client.geographicalcontext.country as country
  from events
  where copy = 1
)
select
  'user' as entity_type,
  login as entity_id,
  cast(null as varchar) as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  array_agg(distinct login) as actors,
  filter(array_agg(distinct ip), x -> x is not null) as ips,
  concat('FastPass blocked ', cast(count(*) as varchar), ' sign-in(s) of ', login, ' through a phishing page',
         case when count(ip) > 0 then concat(' (relay IP(s): ', array_join(array_agg(distinct ip), ', '), ')') else '' end,
         case when count(country) > 0 then concat(' in ', array_join(array_agg(distinct country), ', ')) else '' end) as summary
from blocked
where login is not null
group by login
