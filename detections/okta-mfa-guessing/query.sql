-- okta-mfa-guessing: many failed MFA verifications of a guessable factor (OTP, SMS, email, security question) for one user within minutes.
-- Reads: okta_events, user.authentication.auth_via_mfa in the arrival partitions of the run hour and the hour before
-- (lookback_hours 2), so a burst that straddles the hour boundary is seen whole. Each uuid counts once (Okta
-- delivers at least once). auth_via_mfa is logged for second factors in Classic and for every factor in Identity
-- Engine; the factor is debugData.factor. Factors in :excluded_factors are left out: the password (a primary factor,
-- counted by the brute-force rules), Okta Verify push (okta-mfa-push-bombing) and the factors nobody can guess
-- (FastPass signed nonce, WebAuthn), whose failures are cancelled prompts and device checks.
-- A burst is a chain of one user's failed verifications with gaps of at most :window_minutes. It fires when some
-- failure has :min_failures failures (itself included) in the :window_minutes before it; the first such failure is
-- where the burst crossed the threshold, and the burst is reported by the run of the hour that failure arrived in.
-- Severity is raised to HIGH when the user then verifies a factor of the same kind successfully (auth_via_mfa
-- SUCCESS, factor not excluded) after the crossing and within :success_minutes of the burst's last failure: the
-- guess may have worked. A success arriving in the hour after the burst was reported reports it again, at HIGH, from
-- that hour's run. The user is the actor (a User), else the event's User target.
-- False positives: a user whose authenticator app clock drifted, or who keeps typing an expired SMS code; a broken
-- RADIUS or VPN client retrying one OTP.
with events as (
  select
    uuid, published, actor, target, client, outcome, debugcontext, dt, hour,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.authentication.auth_via_mfa'
    and outcome.result in ('FAILURE', 'SUCCESS')
),
verifications as (
  select
    uuid, published,
    from_iso8601_timestamp(published) as ts,
    concat(dt, '-', hour) = :scan_to as in_run_hour,
    lower(coalesce(
      if(actor.type = 'User', actor.alternateid),
      element_at(filter(target, t -> t.type = 'User'), 1).alternateid
    )) as login,
    nullif(client.ipaddress, 'null') as ip,
    upper(coalesce(nullif(element_at(debugcontext.debugdata, 'factor'), ''), 'UNKNOWN')) as factor,
    outcome.result as result
  from events
  where copy = 1
),
guessable as (
  select *
  from verifications
  where login is not null
    and not contains(split(upper(replace(:excluded_factors, ' ', '')), ','), factor)
),
chained as (
  select
    *,
    sum(case when prev_ts is null or date_diff('millisecond', prev_ts, ts) > :window_minutes * 60000 then 1 else 0 end)
      over (partition by login order by ts, uuid rows between unbounded preceding and current row) as chain
  from (
    select *, lag(ts) over (partition by login order by ts, uuid) as prev_ts
    from guessable
    where result = 'FAILURE'
  ) as f
),
-- For each failure, the failures of its user in the :window_minutes up to it (a self-join: the window length is a
-- parameter, which a window frame cannot take in both engines).
windowed as (
  select a.login, a.chain, a.uuid, a.ts, a.in_run_hour, count(*) as in_window
  from chained as a
  join chained as b
    on b.login = a.login
    and (b.ts < a.ts or (b.ts = a.ts and b.uuid <= a.uuid))
    and date_diff('millisecond', b.ts, a.ts) <= :window_minutes * 60000
  group by a.login, a.chain, a.uuid, a.ts, a.in_run_hour
),
crossings as (
  select login, chain, ts as crossed_at, in_run_hour as crossed_in_run_hour
  from (
    select *, row_number() over (partition by login, chain order by ts, uuid) as nth
    from windowed
    where in_window >= :min_failures
  ) as q
  where nth = 1
),
bursts as (
  select c.login, c.chain, c.crossed_at, c.crossed_in_run_hour, max(f.ts) as last_failed_at
  from crossings as c
  join chained as f on f.login = c.login and f.chain = c.chain
  group by c.login, c.chain, c.crossed_at, c.crossed_in_run_hour
),
successes as (
  select
    b.login, b.chain, s.uuid, s.published, s.ts, s.ip, s.factor, s.in_run_hour,
    row_number() over (partition by b.login, b.chain order by s.ts, s.uuid) as nth
  from bursts as b
  join guessable as s
    on s.login = b.login
    and s.result = 'SUCCESS'
    and s.ts > b.crossed_at
    and date_diff('millisecond', b.last_failed_at, s.ts) <= :success_minutes * 60000
),
reported as (
  select b.*, s.uuid as success_uuid
  from bursts as b
  left join successes as s on s.login = b.login and s.chain = b.chain and s.nth = 1
  where b.crossed_in_run_hour
    or (s.in_run_hour and not b.crossed_in_run_hour)
),
evidence as (
  select f.login, f.uuid, f.ts, f.ip, f.factor, 'failure' as kind
  from reported as r
  join chained as f on f.login = r.login and f.chain = r.chain
  union all
  select s.login, s.uuid, s.ts, s.ip, s.factor, 'success' as kind
  from reported as r
  join successes as s on s.login = r.login and s.chain = r.chain and s.uuid = r.success_uuid
)
select
  'user' as entity_type,
  login as entity_id,
  case when count_if(kind = 'success') > 0 then 'HIGH' end as severity,
  min(ts) as first_seen,
  max(ts) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by ts, uuid) as event_uuids,
  array[login] as actors,
  array_sort(filter(array_agg(distinct ip), x -> x is not null)) as ips,
  concat(
    cast(count_if(kind = 'failure') as varchar), ' failed MFA verifications for ', login, ' (',
    array_join(array_sort(filter(array_agg(distinct case when kind = 'failure' then factor end), x -> x is not null)), ', '),
    '), at least ', cast(:min_failures as varchar), ' within ', cast(:window_minutes as varchar), ' minutes',
    case when count_if(ip is not null) > 0
      then concat(', from ', array_join(array_sort(filter(array_agg(distinct ip), x -> x is not null)), ', ')) else '' end,
    case when count_if(kind = 'success') > 0 then ', then a verification succeeded' else '' end
  ) as summary
from evidence
group by login
