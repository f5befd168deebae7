-- okta-mfa-push-bombing: many Okta Verify pushes rejected, left unanswered or abandoned by one user within a few minutes.
-- Reads: okta_events, the arrival partitions of the run hour and the hour before (lookback_hours 2), so a burst that
-- straddles the hour boundary is seen whole. Each uuid counts once (Okta delivers at least once).
-- A failed push is one of:
--   * rejected: user.mfa.okta_verify.deny_push (Classic), or user.authentication.auth_via_mfa / user.mfa.okta_verify
--     with outcome FAILURE or DENY and, for auth_via_mfa, debugData.factor OKTA_VERIFY_PUSH (Identity Engine logs a
--     denied push this way, with pushOnlyResponseType OV_RESPONSE_DENY);
--   * unanswered: the same events with outcome UNANSWERED or ABANDONED (the sign-in given up with the push
--     pending, as Okta's MFA abandonment logs it), or a system.push.send_factor_verify_push that got no
--     answer: the user's next push event is another push, or there is none and the push (valid 5 minutes) expired
--     before the end of the run hour. A push answered by a rejection counts once, as the rejection.
-- A burst is a chain of one user's failed pushes with gaps of at most :window_minutes. It fires when some failed push
-- has :min_rejections failed pushes (itself included) in the :window_minutes before it; the first such push is
-- where the burst crossed the threshold. A burst is reported by the run of the hour its crossing push arrived in
-- (arrival partition, so a late event is still reported exactly once), never again by the next run.
-- Severity is raised to CRITICAL when the user approved a push (auth_via_mfa SUCCESS with factor
-- OKTA_VERIFY_PUSH, or user.mfa.okta_verify SUCCESS) after the crossing and within :window_minutes of the burst's
-- last failed push: the attacker probably got in. An approval arriving in the hour after the burst was reported is
-- reported again by that hour's run, at CRITICAL, so the escalation is not lost.
-- The user is the actor (a User), else the event's User target. :window_minutes is at most 30 so that every push
-- of the run hour has its whole window inside the two hours read.
-- False positives: a user repeatedly cancelling pushes from a device they no longer trust, a broken Okta Verify
-- installation failing every push, a script signing in with a shared account that has push MFA.
with events as (
  select
    uuid, published, eventtype, actor, target, client, outcome, debugcontext, dt, hour,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'system.push.send_factor_verify_push', 'user.mfa.okta_verify.deny_push',
      'user.mfa.okta_verify', 'user.authentication.auth_via_mfa'
    )
),
pushes as (
  select
    uuid, published,
    from_iso8601_timestamp(published) as ts,
    concat(dt, '-', hour) = :scan_to as in_run_hour,
    lower(coalesce(
      if(actor.type = 'User', actor.alternateid),
      element_at(filter(target, t -> t.type = 'User'), 1).alternateid
    )) as login,
    nullif(client.ipaddress, 'null') as ip,
    case
      when eventtype = 'system.push.send_factor_verify_push' then 'sent'
      when eventtype = 'user.mfa.okta_verify.deny_push' then 'rejected'
      when outcome.result = 'SUCCESS' then 'approved'
      when outcome.result in ('UNANSWERED', 'ABANDONED') then 'unanswered'
      when outcome.result in ('FAILURE', 'DENY') then 'rejected'
    end as kind
  from events
  where copy = 1
    and (
      eventtype <> 'user.authentication.auth_via_mfa'
      or element_at(debugcontext.debugdata, 'factor') = 'OKTA_VERIFY_PUSH'
    )
),
sequenced as (
  select
    *,
    lead(kind) over (partition by login order by ts, uuid) as next_kind
  from pushes
  where login is not null and kind is not null
),
failed as (
  select
    uuid, published, ts, in_run_hour, login, ip,
    case when kind = 'sent' then 'unanswered' else kind end as kind
  from sequenced
  where kind in ('rejected', 'unanswered')
    or (kind = 'sent' and next_kind = 'sent')
    -- A last push with no answer yet is unanswered once it has expired (5 minutes) before the end of the run hour.
    or (kind = 'sent' and next_kind is null and date_diff('second', ts, cast(:window_end as timestamp)) >= 300)
),
chained as (
  select
    *,
    sum(case when prev_ts is null or date_diff('millisecond', prev_ts, ts) > :window_minutes * 60000 then 1 else 0 end)
      over (partition by login order by ts, uuid rows between unbounded preceding and current row) as chain
  from (
    select *, lag(ts) over (partition by login order by ts, uuid) as prev_ts
    from failed
  ) as f
),
-- For each failed push, the failed pushes of its user in the :window_minutes up to it (a self-join: the window
-- length is a parameter, which a window frame cannot take in both engines).
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
    where in_window >= :min_rejections
  ) as q
  where nth = 1
),
bursts as (
  select
    c.login, c.chain, c.crossed_at, c.crossed_in_run_hour,
    max(f.ts) as last_failed_at
  from crossings as c
  join chained as f on f.login = c.login and f.chain = c.chain
  group by c.login, c.chain, c.crossed_at, c.crossed_in_run_hour
),
approvals as (
  select
    b.login, b.chain, p.uuid, p.published, p.ts, p.ip, p.in_run_hour,
    row_number() over (partition by b.login, b.chain order by p.ts, p.uuid) as nth
  from bursts as b
  join sequenced as p
    on p.login = b.login
    and p.kind = 'approved'
    and p.ts > b.crossed_at
    and date_diff('millisecond', b.last_failed_at, p.ts) <= :window_minutes * 60000
),
reported as (
  select b.*, a.uuid as approval_uuid, a.in_run_hour as approved_in_run_hour
  from bursts as b
  left join approvals as a on a.login = b.login and a.chain = b.chain and a.nth = 1
  where b.crossed_in_run_hour
    or (a.in_run_hour and not b.crossed_in_run_hour)
),
evidence as (
  select f.login, f.uuid, f.published, f.ts, f.ip, f.kind
  from reported as r
  join chained as f on f.login = r.login and f.chain = r.chain
  union all
  select a.login, a.uuid, a.published, a.ts, a.ip, 'approved' as kind
  from reported as r
  join approvals as a on a.login = r.login and a.chain = r.chain and a.uuid = r.approval_uuid
)
select
  'user' as entity_type,
  login as entity_id,
  case when count_if(kind = 'approved') > 0 then 'CRITICAL' end as severity,
  min(ts) as first_seen,
  max(ts) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by ts, uuid) as event_uuids,
  array[login] as actors,
  array_sort(filter(array_agg(distinct ip), ip -> ip is not null)) as ips,
  concat(
    cast(count_if(kind <> 'approved') as varchar), ' Okta Verify pushes to ', login, ' failed (',
    cast(count_if(kind = 'rejected') as varchar), ' rejected, ', cast(count_if(kind = 'unanswered') as varchar),
    ' unanswered or abandoned), at least ', cast(:min_rejections as varchar), ' within ', cast(:window_minutes as varchar), ' minutes',
    case when count_if(kind = 'approved') > 0 then ', then a push was approved' else '' end
  ) as summary
from evidence
group by login
