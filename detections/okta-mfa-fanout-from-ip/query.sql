-- okta-mfa-fanout-from-ip: one client IP triggers MFA prompts that go unanswered, abandoned or rejected for many users within the hour.
-- Reads: okta_events, the arrival hour partitions of the run. Each uuid counts once (Okta delivers at least once).
-- Someone holding several users' passwords (from a spray, a stuffing list or a phishing kit) signs in as each of them
-- and stops at the MFA prompt; the users ignore or reject pushes they did not ask for. Counted per requesting IP:
--   * user.authentication.auth_via_mfa with outcome UNANSWERED or ABANDONED, any factor (Okta's MFA abandonment, as
--     Okta's Suspicious MFA Abandonment reads it), or FAILURE / DENY with factor OKTA_VERIFY_PUSH (a rejected push, as
--     Identity Engine logs it to the browser that asked);
--   * system.push.send_factor_verify_push (Classic and Identity Engine) that got no approval: the user's next push
--     event is another push or a rejection on the phone (user.mfa.okta_verify.deny_push, user.mfa.okta_verify
--     FAILURE / DENY / UNANSWERED), or there is none and the push (valid 5 minutes) expired before the end of the run
--     hour. A push followed by an explicit auth_via_mfa result counts once, as that result. Phone-side events carry
--     the phone's IP, not the requester's, so they only decide the fate of the push.
-- An IP is reported when it has such failed prompts for at least :min_users distinct users (case-insensitive).
-- Severity is raised to HIGH when one of those users then completed MFA (auth_via_mfa SUCCESS, not the password) or
-- signed in (user.session.start SUCCESS) from the same IP in the hour. One user pushed many times is
-- okta-mfa-push-bombing's finding.
-- False positives: a corporate NAT or VPN egress where several users leave MFA prompts unanswered in the same hour.
with events as (
  select
    uuid, published, eventtype, actor, target, client, outcome, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'system.push.send_factor_verify_push', 'user.mfa.okta_verify.deny_push', 'user.mfa.okta_verify',
      'user.authentication.auth_via_mfa', 'user.session.start'
    )
),
prompts as (
  select
    uuid, published, eventtype,
    from_iso8601_timestamp(published) as ts,
    lower(coalesce(
      if(actor.type = 'User', actor.alternateid),
      element_at(filter(target, t -> t.type = 'User'), 1).alternateid
    )) as login,
    nullif(client.ipaddress, 'null') as ip,
    element_at(debugcontext.debugdata, 'factor') as factor,
    case
      when eventtype = 'user.session.start' then case when outcome.result = 'SUCCESS' then 'signed_in' end
      when eventtype = 'system.push.send_factor_verify_push' then 'sent'
      when eventtype = 'user.mfa.okta_verify.deny_push' then 'phone_failed'
      when eventtype = 'user.mfa.okta_verify' then
        case when outcome.result = 'SUCCESS' then 'approved' when outcome.result in ('FAILURE', 'DENY', 'UNANSWERED', 'ABANDONED') then 'phone_failed' end
      when outcome.result = 'SUCCESS' then
        case when coalesce(element_at(debugcontext.debugdata, 'factor'), '') <> 'PASSWORD_AS_FACTOR' then 'approved' end
      when outcome.result in ('UNANSWERED', 'ABANDONED') then 'failed'
      when outcome.result in ('FAILURE', 'DENY') and element_at(debugcontext.debugdata, 'factor') = 'OKTA_VERIFY_PUSH' then 'failed'
    end as kind
  from events
  where copy = 1
),
sequenced as (
  select *, lead(kind) over (partition by login order by ts, uuid) as next_kind
  from prompts
  where login is not null
    and kind is not null
    and kind <> 'signed_in'
),
failed as (
  select uuid, published, ts, login, ip
  from sequenced
  where ip is not null
    and (
      kind = 'failed'
      or (kind = 'sent' and next_kind in ('sent', 'phone_failed'))
      or (kind = 'sent' and next_kind is null and date_diff('second', ts, cast(:window_end as timestamp)) >= 300)
    )
),
fanouts as (
  select ip
  from failed
  group by ip
  having count(distinct login) >= :min_users
),
-- A targeted user completing MFA or signing in from the same IP: the prompt may have been approved at last.
got_in as (
  select p.uuid, p.published, p.ts, p.login, p.ip
  from prompts as p
  join (select distinct ip, login from failed) as f on f.ip = p.ip and f.login = p.login
  join fanouts as o on o.ip = p.ip
  where p.kind in ('approved', 'signed_in')
),
evidence as (
  select f.uuid, f.published, f.ts, f.login, f.ip, 'failed' as kind
  from failed as f
  join fanouts as o on o.ip = f.ip
  union all
  select uuid, published, ts, login, ip, 'got_in' as kind
  from got_in
)
select
  'ip' as entity_type,
  ip as entity_id,
  case when count_if(kind = 'got_in') > 0 then 'HIGH' end as severity,
  min(ts) as first_seen,
  max(ts) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array_sort(array_agg(distinct login)) as actors,
  array[ip] as ips,
  concat(
    'MFA prompts requested from ', ip, ' went unanswered, abandoned or rejected for ',
    cast(count(distinct case when kind = 'failed' then login end) as varchar), ' users (',
    cast(count_if(kind = 'failed') as varchar), ' prompts)',
    case when count_if(kind = 'got_in') > 0
      then concat('; ', cast(count(distinct case when kind = 'got_in' then login end) as varchar),
                  ' of them then completed MFA or signed in from it')
      else '' end
  ) as summary
from evidence
group by ip
