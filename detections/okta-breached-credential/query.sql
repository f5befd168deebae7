-- okta-breached-credential: a user signed in with a password found in public breach lists; HIGH when a successful sign-in followed.
-- Reads: okta_events, the arrival partitions of the last lookback_hours (2) hours: security.breached_credential.detected
--   (Okta's breached credentials check, at sign-in; the actor is the user whose credential is breached), successful
--   user.session.start, and successful password changes (user.account.update_password, user.account.reset_password).
--   Each uuid counts once (Okta delivers at least once).
-- A detection arriving in the run hour is reported (MEDIUM). It is HIGH when a successful user.session.start of the same
--   user follows it within :followup_minutes minutes with no successful password change of the user in between: the breached
--   password itself let someone in (a sign-in after a reset used the new password). A pair is reported by the run of the
--   hour its sign-in arrived in, so a detection near the end of an hour is reported MEDIUM in its own hour and again,
--   HIGH, with its sign-in in the next one.
-- One finding per user and hour.
-- False positives: the user's own sign-in with a reused password that appears in a breach (still a password to change);
--   Okta's sample credentials used to test breached credentials protection.
with events as (
  select
    uuid, published, eventtype, actor, client, target, dt, hour,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and (
      eventtype = 'security.breached_credential.detected'
      or (eventtype in ('user.session.start', 'user.account.update_password', 'user.account.reset_password')
          and outcome.result = 'SUCCESS')
    )
),
base as (
  select
    uuid, eventtype,
    from_iso8601_timestamp(published) as ts,
    concat(dt, '-', hour) = :scan_to as in_run_hour,
    -- whose event: a password reset names the user as target (the actor may be an admin), the others as actor
    lower(case
      when eventtype = 'user.account.reset_password'
        then coalesce(element_at(filter(target, t -> t.type = 'User'), 1).alternateid, actor.alternateid)
      else actor.alternateid
    end) as login,
    nullif(client.ipaddress, 'null') as ip
  from events
  where copy = 1
),
breaches as (
  select * from base
  where eventtype = 'security.breached_credential.detected' and login is not null and login <> 'unknown'
),
sign_ins as (
  select * from base where eventtype = 'user.session.start'
),
password_changes as (
  select * from base where eventtype in ('user.account.update_password', 'user.account.reset_password')
),
candidate_pairs as (
  select
    b.login,
    b.uuid as breach_uuid, b.ts as breach_ts, b.ip as breach_ip,
    s.uuid as sign_in_uuid, s.ts as sign_in_ts, s.ip as sign_in_ip,
    date_diff('second', b.ts, s.ts) as after_seconds
  from breaches as b
  join sign_ins as s
    on s.login = b.login
    and s.ts >= b.ts
    and date_diff('second', b.ts, s.ts) <= cast(:followup_minutes as bigint) * 60
  where s.in_run_hour
),
-- a pair stands when no successful password change of the user lies between its detection and its sign-in
-- (a left join counted, rather than a correlated not exists with inequalities, which Trino may refuse)
pairs as (
  select
    c.login, c.breach_uuid, c.breach_ts, c.breach_ip, c.sign_in_uuid, c.sign_in_ts, c.sign_in_ip, c.after_seconds
  from candidate_pairs as c
  left join password_changes as p
    on p.login = c.login
    and p.ts > c.breach_ts
    and p.ts < c.sign_in_ts
  group by c.login, c.breach_uuid, c.breach_ts, c.breach_ip, c.sign_in_uuid, c.sign_in_ts, c.sign_in_ip, c.after_seconds
  having count(p.uuid) = 0
),
evidence as (
  select login, uuid, ts, ip from breaches where in_run_hour
  union
  select login, breach_uuid, breach_ts, breach_ip from pairs
  union
  select login, sign_in_uuid, sign_in_ts, sign_in_ip from pairs
),
followed as (
  select
    login,
    count(*) as pairs,
    min(after_seconds) as first_after_seconds,
    array_sort(array_distinct(filter(array_agg(sign_in_ip), x -> x is not null))) as sign_in_ips
  from pairs
  group by login
)
select
  'user' as entity_type,
  e.login as entity_id,
  case when f.pairs is not null then 'HIGH' end as severity,
  min(e.ts) as first_seen,
  max(e.ts) as last_seen,
  count(*) as event_count,
  array_agg(e.uuid order by e.ts, e.uuid) as event_uuids,
  array[e.login] as actors,
  array_sort(filter(array_agg(distinct e.ip), x -> x is not null)) as ips,
  concat(
    e.login, ' used a password found in a public data breach',
    case
      when f.pairs is not null then concat(
        ', and a successful sign-in followed ',
        case
          when f.first_after_seconds < 60 then 'within a minute'
          else concat(cast(cast(floor(f.first_after_seconds / 60.0) as bigint) as varchar), ' min later')
        end,
        case when cardinality(f.sign_in_ips) > 0 then concat(' from ', array_join(f.sign_in_ips, ', ')) else '' end,
        ' with no password change in between')
      else ', and no sign-in on the breached password has followed yet'
    end
  ) as summary
from evidence as e
left join followed as f on f.login = e.login
group by e.login, f.pairs, f.first_after_seconds, f.sign_in_ips
