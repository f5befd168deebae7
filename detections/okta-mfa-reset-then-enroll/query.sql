-- okta-mfa-reset-then-enroll: a user's MFA or password reset by someone else, then a new factor or device enrolled for them from an origin they never used.
-- Reads: okta_events, the arrival partitions of the last 24 hours (lookback_hours 24), each uuid once (its first
-- delivery); and activity, the user's rows of the :history_days days before the run day (partition pruning on dt:
-- at most :history_days + 1 days are read), for the networks the user is known from.
-- Step 1, a reset of user U by another account (the actor is not U): user.mfa.factor.reset_all,
--   user.mfa.factor.deactivate, user.account.reset_password, user.account.expire_password (temporary password),
--   outcome SUCCESS. The same events on Classic and Identity Engine orgs.
-- Step 2, an enrolment by U within 24 hours after a reset: user.mfa.factor.activate (Classic factor, or Identity
--   Engine authenticator enrolment) with U as actor, device.enrollment.create or device.user.add (Identity Engine:
--   Okta Verify registers a device), outcome SUCCESS, arrived in the run hour (each enrolment is reported once).
-- New origin: the enrolment's AS number (its IP when Okta logs no AS number) is not among those of U's activity rows
--   of the previous :history_days days, nor of U's own successful events in the window before the reset. A user with
--   no history at all is not judged (a new hire's first enrolment after onboarding is not a takeover).
-- Severity: HIGH for a new-origin enrolment after a reset; CRITICAL when that enrolment comes through an anonymizer
--   (securityContext.isProxy or an anonymizing ipServiceCategories entry) or the reset was made by Okta Support
--   (system@okta.com). MEDIUM for Datadog's pair alone: a temporary password (user.account.expire_password) and a
--   reset of all factors for the same user within 24 hours, whichever enrolment follows; reported in the hour the
--   later of the two arrived.
-- One finding per user (the target) and hour; the resetting admins are among the actors.
-- False positives: a help-desk reset for a lost phone, the user then enrolling the new phone from a hotel, a mobile
-- network or a new home ISP; onboarding that expires a temporary password and resets factors by design.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target, securitycontext,
    concat(dt, '-', hour) = :scan_to as in_run_hour,
    row_number() over (partition by lower(uuid) order by published, concat(dt, '-', hour)) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
),
delivered as (
  select
    uuid, published, eventtype, actor, client, outcome, securitycontext, in_run_hour,
    from_iso8601_timestamp(published) as ts,
    element_at(filter(target, t -> t.type = 'User'), 1) as target_user,
    element_at(filter(target, t -> t.type <> 'User'), 1) as target_other,
    nullif(client.ipaddress, 'null') as ip,
    securitycontext.asnumber as asn,
    nullif(client.geographicalcontext.country, 'null') as country
  from events
  where copy = 1
),
resets as (
  select
    uuid, published, ts, in_run_hour, eventtype, ip,
    target_user.id as user_id,
    lower(target_user.alternateid) as login,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id) as reset_by,
    lower(actor.alternateid) = 'system@okta.com' as by_okta_support
  from delivered
  where eventtype in ('user.mfa.factor.reset_all', 'user.mfa.factor.deactivate', 'user.account.reset_password', 'user.account.expire_password')
    and outcome.result = 'SUCCESS'
    and target_user.id is not null
    and coalesce(actor.id, '') <> target_user.id
),
enrolments as (
  select
    uuid, published, ts, in_run_hour, eventtype, ip, asn, country,
    coalesce(target_user.id, actor.id) as user_id,
    coalesce(nullif(target_other.displayname, 'unknown'), replace(eventtype, 'device.', 'device ')) as what,
    coalesce(securitycontext.isproxy, false)
      or coalesce(cardinality(filter(securitycontext.ipdetails.ipservicecategories, c -> coalesce(c.isanonymous, c.type is not null))) > 0, false)
      as anonymized
  from delivered
  where eventtype in ('user.mfa.factor.activate', 'device.enrollment.create', 'device.user.add')
    and outcome.result = 'SUCCESS'
    and actor.type = 'User'
    and coalesce(target_user.id, actor.id) = actor.id
),
-- Enrolments of the run hour that follow a reset of the same user within 24 hours.
after_reset as (
  select
    e.uuid, e.ts, e.user_id, e.ip, e.asn, e.country, e.what, e.anonymized,
    min(r.ts) as first_reset_ts,
    min(r.published) as first_reset_published,
    bool_or(r.by_okta_support) as by_okta_support
  from enrolments as e
  join resets as r on r.user_id = e.user_id
  where e.in_run_hour
    and r.ts <= e.ts
    and date_diff('second', r.ts, e.ts) <= 86400
  group by e.uuid, e.ts, e.user_id, e.ip, e.asn, e.country, e.what, e.anonymized
),
-- Where each of these users is known from: the AS numbers and IPs of their activity rows of the :history_days days
-- before the day of the first reset (that day's row may hold the attacker's own sign-ins after the reset), and of
-- their own successful events in the window before the first reset.
history as (
  select a.user_id, 'asn' as kind, n.value
  from activity as a
  join (select user_id, min(first_reset_published) as first_reset_published from after_reset group by user_id) as e
    on e.user_id = a.user_id
  cross join unnest(a.asns) as n(value)
  where a.dt < :scan_to_dt
    and date_diff('day', date(a.dt), date(:scan_to_dt)) <= :history_days
    and a.dt < substr(e.first_reset_published, 1, 10)
  union all
  select a.user_id, 'ip' as kind, n.value
  from activity as a
  join (select user_id, min(first_reset_published) as first_reset_published from after_reset group by user_id) as e
    on e.user_id = a.user_id
  cross join unnest(a.ips) as n(value)
  where a.dt < :scan_to_dt
    and date_diff('day', date(a.dt), date(:scan_to_dt)) <= :history_days
    and a.dt < substr(e.first_reset_published, 1, 10)
  union all
  select d.actor.id as user_id, 'asn' as kind, cast(d.asn as varchar) as value
  from delivered as d
  join after_reset as e on e.user_id = d.actor.id
  where d.ts < e.first_reset_ts
    and d.outcome.result in ('SUCCESS', 'ALLOW')
    and d.asn is not null
  union all
  select d.actor.id as user_id, 'ip' as kind, d.ip as value
  from delivered as d
  join after_reset as e on e.user_id = d.actor.id
  where d.ts < e.first_reset_ts
    and d.outcome.result in ('SUCCESS', 'ALLOW')
    and d.ip is not null
),
new_origin as (
  select e.*
  from after_reset as e
  where e.user_id in (select user_id from history)
    and (
      (e.asn is not null and not exists (
        select 1 from history as h where h.user_id = e.user_id and h.kind = 'asn' and h.value = cast(e.asn as varchar)))
      or (e.asn is null and e.ip is not null and not exists (
        select 1 from history as h where h.user_id = e.user_id and h.kind = 'ip' and h.value = e.ip))
    )
),
-- Datadog's pair: a temporary password and a reset of all factors for one user within 24 hours, the later of the
-- two arrived in the run hour.
temporary_password_pairs as (
  select x.user_id, x.uuid as expire_uuid, f.uuid as reset_uuid
  from resets as x
  join resets as f on f.user_id = x.user_id
  where x.eventtype = 'user.account.expire_password'
    and f.eventtype = 'user.mfa.factor.reset_all'
    and abs(date_diff('second', x.ts, f.ts)) <= 86400
    and (x.in_run_hour or f.in_run_hour)
),
evidence as (
  -- the new-origin enrolments, and the resets they follow
  select n.user_id, n.uuid, n.ts, cast(null as varchar) as reset_by, n.ip, 'enrolment' as kind
  from new_origin as n
  union all
  select r.user_id, r.uuid, r.ts, r.reset_by, r.ip, 'reset' as kind
  from resets as r
  join new_origin as n on n.user_id = r.user_id
  where r.ts <= n.ts
    and date_diff('second', r.ts, n.ts) <= 86400
  union all
  -- the temporary password pairs
  select r.user_id, r.uuid, r.ts, r.reset_by, r.ip, 'reset' as kind
  from resets as r
  join temporary_password_pairs as p on p.user_id = r.user_id and r.uuid in (p.expire_uuid, p.reset_uuid)
),
evidence_once as (
  select distinct user_id, uuid, ts, reset_by, ip from evidence
),
per_user as (
  select
    e.user_id,
    min(e.ts) as first_seen,
    max(e.ts) as last_seen,
    count(*) as event_count,
    array_agg(e.uuid order by e.ts, e.uuid) as event_uuids,
    array_sort(filter(array_agg(distinct e.reset_by), v -> v is not null)) as reset_by,
    array_sort(filter(array_agg(distinct e.ip), v -> v is not null)) as ips
  from evidence_once as e
  group by e.user_id
),
enrolled as (
  select
    user_id,
    count(*) as enrolments,
    bool_or(anonymized) as anonymized,
    bool_or(by_okta_support) as by_okta_support,
    array_join(array_sort(array_agg(distinct concat(
      what, ' from ', coalesce(ip, '?'), ' (', coalesce(country, '?'), ', AS ', coalesce(cast(asn as varchar), '?'), ')',
      case when anonymized then ' through an anonymizer' else '' end
    ))), '; ') as described
  from new_origin
  group by user_id
),
resets_described as (
  select
    r.user_id,
    array_join(array_sort(array_agg(distinct concat(
      case r.eventtype
        when 'user.mfa.factor.reset_all' then 'all factors reset'
        when 'user.mfa.factor.deactivate' then 'a factor removed'
        when 'user.account.reset_password' then 'password reset'
        else 'temporary password set'
      end,
      ' by ', r.reset_by
    ))), ', ') as described
  from resets as r
  where r.uuid in (select uuid from evidence_once)
  group by r.user_id
),
logins as (
  select user_id, max(login) as login from resets group by user_id
)
select
  'user' as entity_type,
  coalesce(l.login, p.user_id) as entity_id,
  case
    when n.user_id is not null and (n.anonymized or n.by_okta_support) then 'CRITICAL'
    when n.user_id is not null then cast(null as varchar)
    else 'MEDIUM'
  end as severity,
  p.first_seen,
  p.last_seen,
  p.event_count,
  p.event_uuids,
  array_distinct(concat(array[coalesce(l.login, p.user_id)], p.reset_by)) as actors,
  p.ips,
  concat(
    coalesce(l.login, p.user_id), ': ', coalesce(d.described, 'reset'),
    case
      when n.user_id is not null then concat(', then enrolled ', n.described, ', a network not among those of the previous ',
        cast(cast(:history_days as bigint) as varchar), ' days')
      else ', a temporary password and a reset of all factors within 24 hours'
    end
  ) as summary
from per_user as p
left join enrolled as n on n.user_id = p.user_id
left join resets_described as d on d.user_id = p.user_id
left join logins as l on l.user_id = p.user_id
