-- okta-mfa-reset-then-enroll: a user's MFA or password reset by someone else, then a new factor or device enrolled for them from an origin they never used.
-- Reads: okta_events, the arrival partitions of the last 24 hours (lookback_hours 24), each uuid once (its first
-- delivery): the reset and enrolment events, and, once, the sign-ins of the users concerned; and activity, those
-- users' rows of the :history_days days before the run day (partition pruning on dt), for the networks they are
-- known from.
-- Step 1, a reset of user U by another account (the actor is not U): user.mfa.factor.reset_all,
--   user.mfa.factor.deactivate, user.account.reset_password, user.account.expire_password (temporary password),
--   outcome SUCCESS. The same events on Classic and Identity Engine orgs.
-- Step 2, an enrolment by U within 24 hours after a reset: user.mfa.factor.activate (Classic factor, or Identity
--   Engine authenticator enrolment) with U as actor, device.enrollment.create or device.user.add (Identity Engine:
--   Okta Verify registers a device), outcome SUCCESS, arrived in the run hour (each enrolment is reported once).
-- New origin: the enrolment's AS number (its IP when Okta logs no AS number) is not among those of U's activity rows
--   of the :history_days days before the day of the first reset (that day's row may already hold the attacker's
--   sign-ins after the reset), nor of U's own successful sign-in events (user.session.start, policy.evaluate_sign_on,
--   user.authentication.*) in the window before the first reset. A user with no history at all is not judged (a new
--   hire's first enrolment after onboarding is not a takeover).
-- Severity: HIGH for a new-origin enrolment after a reset; CRITICAL when that enrolment comes through an anonymizer
--   (securityContext.isProxy or an anonymizing ipServiceCategories entry) or the reset was made by Okta Support
--   (system@okta.com). MEDIUM for Datadog's pair alone: a temporary password (user.account.expire_password) and a
--   reset of all factors for the same user within 24 hours, whichever enrolment follows; reported in the hour the
--   later of the two arrived.
-- One finding per user (the target) and hour; the resetting accounts are among the actors. Evidence: each reported
-- enrolment after the resets it follows.
-- Trino runs a CTE once per reference: the day of sign-ins is read in one place (known_networks), and everything
-- that depends on it is used once.
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
    and eventtype in (
      'user.mfa.factor.reset_all', 'user.mfa.factor.deactivate', 'user.account.reset_password', 'user.account.expire_password',
      'user.mfa.factor.activate', 'device.enrollment.create', 'device.user.add'
    )
),
delivered as (
  select
    uuid, published, eventtype, actor, outcome, securitycontext, in_run_hour,
    from_iso8601_timestamp(published) as ts,
    element_at(filter(target, t -> t.type = 'User'), 1) as target_user,
    element_at(filter(target, t -> t.type <> 'User'), 1) as target_other,
    nullif(client.ipaddress, 'null') as ip,
    securitycontext.asnumber as asn,
    nullif(client.geographicalcontext.country, 'null') as country
  from events
  where copy = 1
    and outcome.result = 'SUCCESS'
),
resets as (
  select
    uuid, published, ts, in_run_hour, eventtype, ip,
    target_user.id as user_id,
    lower(target_user.alternateid) as login,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id) as reset_by,
    lower(actor.alternateid) = 'system@okta.com' as by_okta_support,
    concat(
      case eventtype
        when 'user.mfa.factor.reset_all' then 'all factors reset'
        when 'user.mfa.factor.deactivate' then 'a factor removed'
        when 'user.account.reset_password' then 'password reset'
        else 'temporary password set'
      end,
      ' by ', coalesce(nullif(actor.alternateid, 'unknown'), actor.id)
    ) as label
  from delivered
  where eventtype in ('user.mfa.factor.reset_all', 'user.mfa.factor.deactivate', 'user.account.reset_password', 'user.account.expire_password')
    and target_user.id is not null
    and coalesce(actor.id, '') <> target_user.id
),
enrolments as (
  select
    uuid, published, ts, in_run_hour, ip, asn, country,
    actor.id as user_id,
    lower(actor.alternateid) as login,
    coalesce(nullif(target_other.displayname, 'unknown'), replace(eventtype, 'device.', 'device ')) as what,
    coalesce(securitycontext.isproxy, false)
      or coalesce(cardinality(filter(securitycontext.ipdetails.ipservicecategories, c -> coalesce(c.isanonymous, c.type is not null))) > 0, false)
      as anonymized
  from delivered
  where eventtype in ('user.mfa.factor.activate', 'device.enrollment.create', 'device.user.add')
    and actor.type = 'User'
    and coalesce(target_user.id, actor.id) = actor.id
),
-- Enrolments of the run hour that follow a reset of the same user within 24 hours, with those resets.
after_reset as (
  select
    e.uuid, e.published, e.ts, e.user_id, e.login, e.ip, e.asn, e.country, e.what, e.anonymized,
    min(r.ts) as first_reset_ts,
    min(r.published) as first_reset_published,
    bool_or(r.by_okta_support) as by_okta_support,
    array_agg(concat(r.published, '|', r.uuid)) as reset_items,
    array_agg(distinct r.label) as reset_labels,
    array_agg(distinct r.reset_by) as reset_by,
    filter(array_agg(distinct r.ip), v -> v is not null) as reset_ips
  from enrolments as e
  join resets as r on r.user_id = e.user_id
  where e.in_run_hour
    and r.ts <= e.ts
    and date_diff('second', r.ts, e.ts) <= 86400
  group by e.uuid, e.published, e.ts, e.user_id, e.login, e.ip, e.asn, e.country, e.what, e.anonymized
),
first_resets as (
  select user_id, min(first_reset_ts) as first_reset_ts, min(first_reset_published) as first_reset_published
  from after_reset
  group by user_id
),
-- The users' own successful sign-ins in the window: the one read of a day of sign-in events.
sign_ins as (
  select
    actor.id as user_id,
    from_iso8601_timestamp(published) as ts,
    cast(securitycontext.asnumber as varchar) as asn,
    nullif(client.ipaddress, 'null') as ip
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and (eventtype in ('user.session.start', 'policy.evaluate_sign_on') or eventtype like 'user.authentication.%')
    and outcome.result in ('SUCCESS', 'ALLOW')
    and actor.type = 'User'
    and actor.id in (select user_id from after_reset)
),
-- Where each user is known from: AS numbers and IPs of the activity rows of the :history_days days before the day of
-- the first reset, and of the sign-ins in the window before it. Copies of an event change no set: no dedupe needed.
known_networks as (
  select h.user_id, array_agg(distinct h.asn) as asns, array_agg(distinct h.ip) as ips
  from (
    select s.user_id, s.asn, s.ip
    from sign_ins as s
    join first_resets as f on f.user_id = s.user_id
    where s.ts < f.first_reset_ts
    union all
    select a.user_id, n.asn, cast(null as varchar) as ip
    from activity as a
    join first_resets as f on f.user_id = a.user_id
    cross join unnest(a.asns) as n(asn)
    where a.dt < :scan_to_dt
      and date_diff('day', date(a.dt), date(:scan_to_dt)) <= :history_days
      and a.dt < substr(f.first_reset_published, 1, 10)
    union all
    select a.user_id, cast(null as varchar) as asn, n.ip
    from activity as a
    join first_resets as f on f.user_id = a.user_id
    cross join unnest(a.ips) as n(ip)
    where a.dt < :scan_to_dt
      and date_diff('day', date(a.dt), date(:scan_to_dt)) <= :history_days
      and a.dt < substr(f.first_reset_published, 1, 10)
  ) as h
  group by h.user_id
),
new_origin as (
  select
    e.user_id, e.login, e.ts, e.published, e.uuid, e.ip, e.anonymized, e.by_okta_support, e.first_reset_ts,
    e.reset_items, e.reset_labels, e.reset_by, e.reset_ips,
    concat(
      e.what, ' from ', coalesce(e.ip, '?'), ' (', coalesce(e.country, '?'), ', AS ', coalesce(cast(e.asn as varchar), '?'), ')',
      case when e.anonymized then ' through an anonymizer' else '' end
    ) as described
  from after_reset as e
  join known_networks as k on k.user_id = e.user_id
  where (e.asn is not null and not contains(filter(k.asns, v -> v is not null), cast(e.asn as varchar)))
    or (e.asn is null and e.ip is not null and not contains(filter(k.ips, v -> v is not null), e.ip))
),
-- Datadog's pair: a temporary password and a reset of all factors for one user within 24 hours, the later of the
-- two arrived in the run hour.
temporary_password_pairs as (
  select
    x.user_id,
    coalesce(x.login, f.login) as login,
    greatest(x.ts, f.ts) as ts,
    least(x.ts, f.ts) as first_ts,
    array[concat(x.published, '|', x.uuid), concat(f.published, '|', f.uuid)] as reset_items,
    array[x.label, f.label] as reset_labels,
    array[x.reset_by, f.reset_by] as reset_by,
    filter(array[x.ip, f.ip], v -> v is not null) as reset_ips
  from resets as x
  join resets as f on f.user_id = x.user_id
  where x.eventtype = 'user.account.expire_password'
    and f.eventtype = 'user.mfa.factor.reset_all'
    and abs(date_diff('second', x.ts, f.ts)) <= 86400
    and (x.in_run_hour or f.in_run_hour)
),
-- One row per finding part (a reported enrolment with its resets, or a temporary-password pair), its events as
-- 'published|uuid' items so that they sort by time; lists joined as text, since the translation to DuckDB has no
-- reliable flatten.
reported as (
  select
    user_id, login, ts, first_reset_ts as first_ts,
    concat(reset_items, array[concat(published, '|', uuid)]) as items,
    array_join(array_sort(reset_labels), ', ') as labels,
    array_join(reset_by, ',') as resetters,
    array_join(filter(concat(reset_ips, array[ip]), v -> v is not null), ',') as ip_list,
    described, anonymized or by_okta_support as critical, true as enrolled
  from new_origin
  union all
  select
    user_id, login, ts, first_ts, reset_items, array_join(array_sort(reset_labels), ', '), array_join(reset_by, ','),
    array_join(reset_ips, ','), cast(null as varchar), false, false
  from temporary_password_pairs
),
-- Each event once per user (a reset shared by two enrolments is in both parts), kept as the first of its copies.
events_of_findings as (
  select r.*, i.item, row_number() over (partition by r.user_id, i.item order by r.ts) as copy
  from reported as r
  cross join unnest(r.items) as i(item)
)
select
  'user' as entity_type,
  coalesce(max(login), user_id) as entity_id,
  case
    when bool_or(critical) then 'CRITICAL'
    when bool_or(enrolled) then cast(null as varchar)
    else 'MEDIUM'
  end as severity,
  min(first_ts) as first_seen,
  max(ts) as last_seen,
  count(distinct item) as event_count,
  filter(array_agg(if(copy = 1, split_part(item, '|', 2)) order by item), v -> v is not null) as event_uuids,
  array_sort(array_distinct(concat(
    array[coalesce(max(login), user_id)],
    split(array_join(array_agg(distinct resetters), ','), ',')
  ))) as actors,
  array_sort(filter(array_distinct(split(array_join(array_agg(distinct ip_list), ','), ',')), v -> v <> '')) as ips,
  concat(
    coalesce(max(login), user_id), ': ', array_join(array_sort(array_agg(distinct labels)), '; '),
    case
      when bool_or(enrolled) then concat(
        ', then enrolled ', array_join(array_sort(filter(array_agg(distinct described), v -> v is not null)), '; '),
        ', a network not among those of the previous ', cast(cast(:history_days as bigint) as varchar), ' days'
      )
      else ', a temporary password and a reset of all factors within 24 hours'
    end
  ) as summary
from events_of_findings
group by user_id
