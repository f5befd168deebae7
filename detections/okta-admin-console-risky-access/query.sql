-- okta-admin-console-risky-access: Admin Console access denied, reached with weak factors only, or admin use through an anonymizer.
-- Reads: okta_events, the arrival partitions of the run hour and the hour before (lookback_hours 2). Each uuid counts
-- once (Okta delivers at least once). The Admin Console is a target named "Okta Admin Console" or "Okta
-- Administration". Three kinds of evidence, one finding per admin and hour, severity the highest:
--   * denied (MEDIUM): user.session.access_admin_app with outcome FAILURE (Okta refused to open the Admin Console);
--     LOW for a failed user.authentication.sso or user.authentication.verify to the Admin Console (a wrong password
--     or factor on the way in).
--   * weak factors only (HIGH): user.authentication.verify SUCCESS to the Admin Console whose authenticator
--     (target detailEntry methodTypeUsed) is a password, email, SMS, voice call or security question, in a session
--     (authenticationContext.externalSessionId, else transaction.id) where no other kind of factor was verified for
--     the Admin Console. Identity Engine logs one verify per factor, so a password followed by Okta Verify or
--     WebAuthn is not reported. A session is judged 5 minutes after its last weak verification: by the run of the
--     hour that verification arrived in when it is more than 5 minutes before the end of that hour, else by the
--     next run, which also sees the 5 minutes after.
--   * through an anonymizer (HIGH): any event of the run hour that is Admin Console use (user.session.access_admin_app,
--     or debugData.requestUri containing /admin) or a call with an API token (transaction.detail.requestApiTokenId),
--     from a client Okta flags as a proxy (securityContext.isProxy) or whose IP intelligence names an anonymizing
--     service (ipDetails.ipServiceCategories of the client or of a hop of request.ipChain).
-- Evidence other than the weak-factor sessions counts only when it arrived in the run hour.
-- False positives: an admin mistyping a password (LOW); break-glass admin accounts allowed to sign in with a password
-- only; admins working through a commercial VPN.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target, debugcontext, securitycontext, request,
    authenticationcontext, transaction, dt, hour,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
),
unique_events as (
  select
    uuid, published, eventtype, outcome, target, debugcontext, securitycontext, request, transaction,
    from_iso8601_timestamp(published) as ts,
    concat(dt, '-', hour) = :scan_to as in_run_hour,
    lower(actor.alternateid) as login,
    nullif(client.ipaddress, 'null') as ip,
    cardinality(filter(target, t ->
      strpos(lower(coalesce(t.displayname, '')), 'okta admin console') > 0
      or strpos(lower(coalesce(t.displayname, '')), 'okta administration') > 0)) > 0 as to_admin_console,
    coalesce(nullif(authenticationcontext.externalsessionid, 'unknown'), transaction.id, lower(uuid)) as session_key
  from events
  where copy = 1
    and actor.type = 'User'
    and actor.alternateid is not null
    and actor.alternateid not in ('unknown', 'null', '')
),
denied as (
  select
    uuid, published, login, ip,
    case when eventtype = 'user.session.access_admin_app' then 3 else 2 end as level,
    case when eventtype = 'user.session.access_admin_app' then 'denied access to the Admin Console'
         else 'failed to sign in to the Admin Console' end as what
  from unique_events
  where in_run_hour
    and outcome.result = 'FAILURE'
    and (
      eventtype = 'user.session.access_admin_app'
      or (eventtype in ('user.authentication.sso', 'user.authentication.verify') and to_admin_console)
    )
),
verifies as (
  select
    uuid, published, ts, in_run_hour, login, ip, session_key,
    lower(coalesce(
      element_at(element_at(filter(target, t -> coalesce(element_at(t.detailentry, 'methodTypeUsed'),
                                                        element_at(t.detailentry, 'MethodTypeUsed')) is not null), 1).detailentry,
                 'methodTypeUsed'),
      element_at(element_at(filter(target, t -> coalesce(element_at(t.detailentry, 'methodTypeUsed'),
                                                        element_at(t.detailentry, 'MethodTypeUsed')) is not null), 1).detailentry,
                 'MethodTypeUsed')
    )) as method
  from unique_events
  where eventtype = 'user.authentication.verify'
    and outcome.result = 'SUCCESS'
    and to_admin_console
),
sessions as (
  select
    login, session_key,
    count_if(method in ('password', 'email', 'sms', 'voice', 'security_question')) as weak,
    count_if(method is not null and method not in ('password', 'email', 'sms', 'voice', 'security_question')) as strong,
    max_by(in_run_hour, case when method in ('password', 'email', 'sms', 'voice', 'security_question') then ts end)
      as last_weak_in_run_hour,
    max(case when method in ('password', 'email', 'sms', 'voice', 'security_question') then ts end) as last_weak_at,
    array_join(array_sort(filter(array_agg(distinct method), m -> m in ('password', 'email', 'sms', 'voice', 'security_question'))), ', ')
      as weak_methods
  from verifies
  group by login, session_key
),
weak_sessions as (
  select login, session_key, weak_methods
  from sessions
  where weak > 0
    and strong = 0
    and (
      (last_weak_in_run_hour and date_diff('second', last_weak_at, cast(:window_end as timestamp)) > 300)
      or (not last_weak_in_run_hour and date_diff('second', last_weak_at, cast(:window_start as timestamp)) <= 300)
    )
),
weak as (
  select v.uuid, v.published, v.login, v.ip, 4 as level,
    concat('reached the Admin Console with weak factors only (', w.weak_methods, ')') as what
  from verifies as v
  join weak_sessions as w on w.login = v.login and w.session_key = v.session_key
  where v.method in ('password', 'email', 'sms', 'voice', 'security_question')
),
anonymized as (
  select
    uuid, published, login, ip, 4 as level,
    concat(
      case when element_at(transaction.detail, 'requestApiTokenId') is not null then 'used an API token'
           else 'used the Admin Console' end,
      ' through ',
      coalesce(
        element_at(filter(securitycontext.ipdetails.ipservicecategories, c -> coalesce(c.isanonymous, c.type is not null)), 1).type,
        'a proxy'),
      coalesce(concat(' (', coalesce(securitycontext.ipdetails.asorg, securitycontext.asorg), ')'), '')
    ) as what
  from unique_events
  where in_run_hour
    and (
      eventtype = 'user.session.access_admin_app'
      or strpos(lower(coalesce(element_at(debugcontext.debugdata, 'requestUri'), '')), '/admin') > 0
      or element_at(transaction.detail, 'requestApiTokenId') is not null
    )
    and (
      coalesce(securitycontext.isproxy, false)
      or element_at(filter(securitycontext.ipdetails.ipservicecategories, c -> coalesce(c.isanonymous, c.type is not null)), 1) is not null
      or cardinality(filter(request.ipchain, h ->
           element_at(filter(h.ipdetails.ipservicecategories, c -> coalesce(c.isanonymous, c.type is not null)), 1) is not null)) > 0
    )
),
evidence as (
  select * from denied
  union all
  select * from weak
  union all
  select * from anonymized
)
select
  'user' as entity_type,
  login as entity_id,
  case max(level) when 4 then 'HIGH' when 3 then 'MEDIUM' else 'LOW' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[login] as actors,
  array_sort(filter(array_agg(distinct ip), x -> x is not null)) as ips,
  concat(
    login, ' ', array_join(array_sort(array_agg(distinct what)), '; '),
    case when count(ip) > 0 then concat(' (from ', array_join(array_sort(filter(array_agg(distinct ip), x -> x is not null)), ', '), ')') else '' end
  ) as summary
from evidence
group by login
