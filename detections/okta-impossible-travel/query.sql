-- okta-impossible-travel: two consecutive successful sign-ins of one user too far apart for the time between them.
-- Reads: okta_events, user.session.start SUCCESS in the arrival partitions of the last 24 hours (lookback_hours 24),
-- so the previous sign-in of a user may be up to a day old. Each uuid counts once (Okta delivers at least once).
-- Each sign-in with a geolocation (client.geographicalContext.geolocation; 0,0 is taken as unknown) is paired with the
-- user's previous one (lag over published). The pair is impossible travel when the great-circle distance is at least
-- :min_distance_km (geolocation of IPs is coarse) and the implied speed exceeds :max_kmh. Two sign-ins in the same
-- millisecond from far apart are impossible travel too: the speed test multiplies instead of dividing, so a zero
-- elapsed time never divides by zero.
-- A pair is reported by the run of the hour its second sign-in arrived in (arrival partition), so each pair is
-- reported once; one finding per user and hour, its summary naming the fastest pair.
-- False positives: VPNs and cloud proxies exiting in another country, mobile carriers geolocating far from the user,
-- a shared account used by people in two places.
with events as (
  select
    uuid, published, actor, client, dt, hour,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.session.start'
    and outcome.result = 'SUCCESS'
),
sign_ins as (
  select
    uuid,
    from_iso8601_timestamp(published) as ts,
    concat(dt, '-', hour) = :scan_to as in_run_hour,
    lower(actor.alternateid) as login,
    nullif(client.ipaddress, 'null') as ip,
    client.geographicalcontext.geolocation.lat as lat,
    client.geographicalcontext.geolocation.lon as lon,
    concat(
      coalesce(nullif(client.geographicalcontext.city, 'null'), '?'), ', ',
      coalesce(nullif(client.geographicalcontext.country, 'null'), '?')
    ) as place
  from events
  where copy = 1
    and actor.alternateid is not null
    and client.geographicalcontext.geolocation.lat is not null
    and client.geographicalcontext.geolocation.lon is not null
    and not (client.geographicalcontext.geolocation.lat = 0 and client.geographicalcontext.geolocation.lon = 0)
),
pairs as (
  select
    *,
    lag(uuid) over (partition by login order by ts, uuid) as prev_uuid,
    lag(ts) over (partition by login order by ts, uuid) as prev_ts,
    lag(ip) over (partition by login order by ts, uuid) as prev_ip,
    lag(lat) over (partition by login order by ts, uuid) as prev_lat,
    lag(lon) over (partition by login order by ts, uuid) as prev_lon,
    lag(place) over (partition by login order by ts, uuid) as prev_place
  from sign_ins
),
travel as (
  select
    *,
    great_circle_distance(prev_lat, prev_lon, lat, lon) as km,
    date_diff('millisecond', prev_ts, ts) as elapsed_ms
  from pairs
  where prev_uuid is not null
    and in_run_hour
),
impossible as (
  select
    *,
    -- km/h, with a zero elapsed time counted as one millisecond (the sort key of the fastest pair only).
    km * 3600000 / greatest(elapsed_ms, 1) as kmh
  from travel
  where km >= :min_distance_km
    and km * 3600000 > :max_kmh * elapsed_ms
),
evidence as (
  select login, prev_uuid as uuid, prev_ts as ts, prev_ip as ip from impossible
  union
  select login, uuid, ts, ip from impossible
),
fastest as (
  select
    login,
    max_by(
      concat(
        login, ' signed in from ', prev_place, ' then from ', place, ', ',
        cast(cast(round(km) as bigint) as varchar), ' km apart, ',
        case
          when elapsed_ms < 1000 then 'at the same moment'
          when elapsed_ms < 60000 then concat(cast(cast(floor(elapsed_ms / 1000.0) as bigint) as varchar), ' s later (',
            cast(cast(round(kmh) as bigint) as varchar), ' km/h)')
          else concat(cast(cast(floor(elapsed_ms / 60000.0) as bigint) as varchar), ' min later (',
            cast(cast(round(kmh) as bigint) as varchar), ' km/h)')
        end
      ),
      kmh
    ) as summary,
    count(*) as pairs
  from impossible
  group by login
)
select
  'user' as entity_type,
  e.login as entity_id,
  cast(null as varchar) as severity,
  min(e.ts) as first_seen,
  max(e.ts) as last_seen,
  count(*) as event_count,
  array_agg(e.uuid order by e.ts, e.uuid) as event_uuids,
  array[e.login] as actors,
  array_sort(filter(array_agg(distinct e.ip), ip -> ip is not null)) as ips,
  concat(max(f.summary), case when max(f.pairs) > 1 then concat(' (', cast(max(f.pairs) as varchar), ' impossible pairs)') else '' end) as summary
from evidence as e
join fastest as f on f.login = e.login
group by e.login
