-- okta-password-spray-distributed: failed sign-ins for many users from many IPs in the same 15 minutes, tenant-wide.
-- Reads: okta_events, the arrival hour partitions of the run. Each uuid counts once (Okta delivers at least once).
-- A failed sign-in is what okta-password-spray counts: user.session.start FAILURE, or (Identity Engine)
-- user.authentication.auth_via_mfa FAILURE with debugData.factor PASSWORD_AS_FACTOR, one wrong password logged as
-- both in the same transaction counted once.
-- Failures are put in 15-minute buckets from the start of the run hour. A bucket is a distributed spray when it holds
-- failures from at least :min_ips source IPs, for at least :min_users distinct users (case-insensitive), at least
-- :min_failures in all, at most :max_per_user per user on average (a spray tries each account a few times) and at
-- least as many users as IPs (each IP of a rotating proxy pool tries one or more accounts). This catches sprays that
-- rotate through proxy pools and stay under the per-IP threshold of okta-password-spray.
-- One org finding per run hour with every such bucket. Severity is raised to HIGH when a sprayed user also signed in
-- successfully (user.session.start SUCCESS) from one of the IPs that failed in a spray bucket.
-- False positives: a large tenant on a morning of expired passwords (many users, many home IPs, a few failures each);
-- an SSO integration replaying stale credentials from several hosts.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, debugcontext, transaction,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('user.session.start', 'user.authentication.auth_via_mfa')
    and outcome.result in ('FAILURE', 'SUCCESS')
),
attempts as (
  select
    uuid, published, eventtype,
    from_iso8601_timestamp(published) as ts,
    outcome.result as result,
    lower(actor.alternateid) as login,
    nullif(client.ipaddress, 'null') as ip,
    nullif(client.geographicalcontext.country, 'null') as country,
    coalesce(nullif(transaction.id, 'unknown'), lower(uuid)) as tx
  from events
  where copy = 1
    and actor.alternateid is not null
    and nullif(client.ipaddress, 'null') is not null
    and (
      eventtype = 'user.session.start'
      or (outcome.result = 'FAILURE' and element_at(debugcontext.debugdata, 'factor') = 'PASSWORD_AS_FACTOR')
    )
),
-- Identity Engine may log one wrong password twice, as user.session.start and as auth_via_mfa PASSWORD_AS_FACTOR,
-- in the same transaction: such an auth_via_mfa failure is dropped (only the pair within a minute: transaction.id
-- is not always a request id).
doubles as (
  select distinct m.uuid
  from attempts as m
  join attempts as s on s.login = m.login and s.tx = m.tx
  where m.eventtype = 'user.authentication.auth_via_mfa' and m.result = 'FAILURE'
    and s.eventtype = 'user.session.start' and s.result = 'FAILURE'
    and abs(date_diff('second', s.ts, m.ts)) <= 60
),
-- Each failure in its 15-minute bucket from the start of the run hour.
failures as (
  select
    a.uuid, a.published, a.ts, a.result, a.login, a.ip, a.country,
    cast(floor(date_diff('second', cast(:window_start as timestamp), a.ts) / 900.0) as bigint) as bucket
  from attempts as a
  left join doubles as d on d.uuid = a.uuid
  where a.result = 'FAILURE'
    and d.uuid is null
),
buckets as (
  select bucket
  from failures
  group by bucket
  having count(distinct ip) >= :min_ips
    and count(distinct login) >= :min_users
    and count(*) >= :min_failures
    and count(*) <= :max_per_user * count(distinct login)
    and count(distinct login) >= count(distinct ip)
),
sprayed as (
  select f.*
  from failures as f
  join buckets as b on b.bucket = f.bucket
),
-- A sprayed user signing in from one of the spraying IPs: the spray may have found a password.
successes as (
  select a.uuid, a.published, a.ts, a.result, a.login, a.ip, a.country, cast(null as bigint) as bucket
  from attempts as a
  where a.eventtype = 'user.session.start'
    and a.result = 'SUCCESS'
    and a.login in (select login from sprayed)
    and a.ip in (select ip from sprayed)
),
evidence as (
  select * from sprayed
  union all
  select * from successes
)
select
  'org' as entity_type,
  'okta-org' as entity_id,
  case when count_if(result = 'SUCCESS') > 0 then 'HIGH' end as severity,
  min(ts) as first_seen,
  max(ts) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array_sort(array_agg(distinct login)) as actors,
  array_sort(filter(array_agg(distinct case when result = 'FAILURE' then ip end), x -> x is not null)) as ips,
  concat(
    'Distributed password spray: ', cast(count_if(result = 'FAILURE') as varchar), ' failed sign-ins for ',
    cast(count(distinct case when result = 'FAILURE' then login end) as varchar), ' users from ',
    cast(count(distinct case when result = 'FAILURE' then ip end) as varchar), ' IPs in ',
    cast(count(distinct bucket) as varchar), ' 15-minute window(s)',
    case when count(country) > 0
      then concat(' (countries: ', array_join(array_sort(filter(array_agg(distinct country), x -> x is not null)), ', '), ')')
      else '' end,
    case
      when count_if(result = 'SUCCESS') > 0 then concat(
        '; ', cast(count(distinct case when result = 'SUCCESS' then login end) as varchar),
        ' of the users then signed in successfully from one of those IPs')
      else ''
    end
  ) as summary
from evidence
having count(*) > 0
