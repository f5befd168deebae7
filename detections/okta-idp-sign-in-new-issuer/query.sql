-- okta-idp-sign-in-new-issuer: a sign-in through an identity provider created, activated or changed in the last 24 hours.
-- Reads: okta_events, the arrival partitions of the last 24 hours (lookback_hours 24), each uuid once (its first
-- delivery): IdP changes, privilege grants and Admin Console visits, and (read once) federated sign-ins; and
-- activity of the same days (dt between :scan_from_dt and :scan_to_dt) for who is an admin.
-- A new issuer is an identity provider (system.idp.lifecycle.create, .activate or .update, not failed) changed in the
-- window. A sign-in through it is a successful user.authentication.auth_via_IDP, auth_via_inbound_SAML or
-- auth_via_social whose authenticationContext.issuer.id or one of its non-user targets is that IdP, published after the
-- change and arrived in the run hour (so each sign-in is reported once). The 2023 cross-tenant impersonation: a
-- super admin account taken over, a second IdP added, then users impersonated through it.
-- Severity: HIGH when the IdP was created or activated in the window, MEDIUM when it was only updated (certificate
-- rotation is routine, a swapped trust is not); one level up (CRITICAL, HIGH) when a user who signed in through it is
-- an admin: an admin role in the inventory or admin changes on the activity rows of these days, a privilege grant
-- in the window, or a visit to the Okta Admin Console (user.session.access_admin_app) after the sign-in.
-- Also, LOW: at least :min_saml_failures inbound federation failures in the run hour for one IdP with the reasons
-- Okta logs for a forged, replayed or unmapped assertion (Elastic's list), whether or not the IdP is new.
-- One finding per IdP and hour (entity idp: the IdP id); the users who signed in and the admins who changed it are the actors.
-- False positives: planned set-up of a new SSO partner, social login or Org2Org hub, and its first sign-ins;
-- certificate rotation of an existing IdP followed by ordinary sign-ins (MEDIUM); a misconfigured IdP failing (LOW).
with change_events as (
  select
    uuid, published, eventtype, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'system.idp.lifecycle.create', 'system.idp.lifecycle.activate', 'system.idp.lifecycle.update',
      'user.session.access_admin_app', 'user.account.privilege.grant'
    )
),
changes as (
  select * from change_events where copy = 1
),
idp_changes as (
  select
    uuid, published,
    from_iso8601_timestamp(published) as ts,
    replace(eventtype, 'system.idp.lifecycle.', '') as action,
    coalesce(element_at(filter(target, t -> t.type = 'IdentityProvider'), 1), element_at(target, 1)) as idp,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id) as admin,
    nullif(client.ipaddress, 'null') as ip
  from changes
  where eventtype like 'system.idp.lifecycle.%'
    and coalesce(outcome.result, 'SUCCESS') <> 'FAILURE'
),
changed_idps as (
  select
    idp.id as idp_id,
    max_by(coalesce(idp.displayname, idp.alternateid), ts) as idp_name,
    min(ts) as changed_at,
    min(published) as changed_published,
    count_if(action in ('create', 'activate')) > 0 as new_or_activated,
    array_join(array_sort(array_agg(distinct concat(action, ' by ', coalesce(admin, 'unknown')))), ', ') as changes
  from idp_changes
  where idp.id is not null
  group by idp.id
),
-- Who is an admin: the activity rows of these days (an admin role from the inventory, or admin changes made), a
-- privilege grant in the window, or the Okta Admin Console reached after the sign-in through the new IdP.
admin_activity as (
  select distinct lower(login) as login
  from activity
  where dt between :scan_from_dt and :scan_to_dt
    and (cardinality(admin_roles) > 0 or admin_actions > 0)
),
granted as (
  select distinct lower(element_at(filter(target, t -> t.type = 'User'), 1).alternateid) as login
  from changes
  where eventtype = 'user.account.privilege.grant'
    and coalesce(outcome.result, 'SUCCESS') = 'SUCCESS'
),
console as (
  select lower(actor.alternateid) as login, max(from_iso8601_timestamp(published)) as last_visit
  from changes
  where eventtype = 'user.session.access_admin_app'
    and coalesce(outcome.result, 'SUCCESS') = 'SUCCESS'
  group by lower(actor.alternateid)
),
-- Federated sign-ins, read once (Trino runs a CTE once per reference): the window's copies are read so that a
-- sign-in delivered again is not reported again; those first delivered in the run hour are kept.
federated_events as (
  select
    uuid, published, actor, client, outcome, target, authenticationcontext,
    concat(dt, '-', hour) = :scan_to as in_run_hour,
    row_number() over (partition by lower(uuid) order by published, concat(dt, '-', hour)) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in ('user.authentication.auth_via_IDP', 'user.authentication.auth_via_inbound_SAML', 'user.authentication.auth_via_social')
),
federated as (
  select
    uuid, published, outcome,
    from_iso8601_timestamp(published) as ts,
    lower(coalesce(
      nullif(element_at(filter(target, t -> t.type = 'User'), 1).alternateid, 'unknown'),
      if(actor.type = 'User', actor.alternateid)
    )) as login,
    nullif(client.ipaddress, 'null') as ip,
    nullif(authenticationcontext.issuer.id, 'null') as issuer_id,
    coalesce(
      nullif(authenticationcontext.issuer.id, 'null'),
      element_at(filter(target, t -> t.type = 'IdentityProvider'), 1).id,
      element_at(filter(target, t -> t.type <> 'User'), 1).id
    ) as idp_guess,
    coalesce(
      element_at(filter(target, t -> t.type = 'IdentityProvider'), 1).displayname,
      element_at(filter(target, t -> t.type <> 'User'), 1).displayname
    ) as idp_guess_name,
    -- the ids a sign-in may name its IdP by: its issuer, an IdentityProvider target, its first and second non-user targets
    element_at(filter(target, t -> t.type = 'IdentityProvider'), 1).id as idp_target_id,
    element_at(filter(target, t -> t.type <> 'User'), 1).id as other_target_id,
    element_at(filter(target, t -> t.type <> 'User'), 2).id as second_target_id,
    outcome.result = 'FAILURE' and (
      lower(outcome.reason) like 'a saml assert with the same id has already been processed%'
      or lower(outcome.reason) like 'unable to match transformed username%'
      or lower(outcome.reason) like 'unable to resolve idp endpoint%'
      or lower(outcome.reason) like 'unable to validate saml response%'
      or lower(outcome.reason) like 'unable to validate incoming saml assertion%'
    ) as bad_assertion
  from federated_events
  where copy = 1
    and in_run_hour
),
-- A success through a changed IdP (it is the sign-in's issuer or one of its targets, and the change came first), or
-- a failure with a bad-assertion reason, for the IdP the failure names.
federated_rows as (
  select
    if(c.idp_id is not null, 'sign-in', 'failure') as kind,
    coalesce(c.idp_id, f.idp_guess) as idp_id,
    coalesce(c.idp_name, f.idp_guess_name) as idp_name,
    f.uuid, f.ts, f.login, f.ip, f.outcome.reason as reason,
    c.idp_id is not null and (
      f.login in (select login from admin_activity)
      or f.login in (select login from granted)
      or coalesce(v.last_visit >= f.ts, false)
    ) as by_admin
  from federated as f
  left join changed_idps as c
    on f.outcome.result = 'SUCCESS'
    and f.ts >= c.changed_at
    and c.idp_id in (f.issuer_id, f.idp_target_id, f.other_target_id, f.second_target_id)
  left join console as v on v.login = f.login
  where c.idp_id is not null
    or (f.bad_assertion and f.idp_guess is not null)
),
evidence as (
  select idp_id, idp_name, uuid, ts, login, ip, kind, reason, by_admin from federated_rows
  union all
  select c.idp_id, c.idp_name, i.uuid, i.ts, lower(i.admin), i.ip, 'change', cast(null as varchar), false
  from changed_idps as c
  join idp_changes as i on i.idp.id = c.idp_id
)
select
  'idp' as entity_type,
  e.idp_id as entity_id,
  case
    when count_if(e.kind = 'sign-in') = 0 then 'LOW'
    when bool_or(c.new_or_activated) and bool_or(e.by_admin) then 'CRITICAL'
    when bool_or(c.new_or_activated) or bool_or(e.by_admin) then cast(null as varchar)
    else 'MEDIUM'
  end as severity,
  min(e.ts) as first_seen,
  max(e.ts) as last_seen,
  count(*) as event_count,
  array_agg(e.uuid order by e.ts, e.uuid) as event_uuids,
  array_sort(filter(array_agg(distinct e.login), v -> v is not null)) as actors,
  array_sort(filter(array_agg(distinct e.ip), v -> v is not null)) as ips,
  concat(
    'identity provider ', coalesce(max(e.idp_name), e.idp_id), ' (', e.idp_id, ')',
    case
      when count_if(e.kind = 'sign-in') > 0 then concat(
        ' changed (', max(c.changes), ') from ', replace(substr(max(c.changed_published), 1, 16), 'T', ' '), ' UTC, then ',
        cast(count_if(e.kind = 'sign-in') as varchar), ' sign-in(s) through it by ',
        array_join(array_sort(filter(array_agg(distinct if(e.kind = 'sign-in', e.login)), v -> v is not null)), ', '),
        case
          when bool_or(e.by_admin) then concat(
            ' (admin: ', array_join(array_sort(filter(array_agg(distinct if(e.by_admin, e.login)), v -> v is not null)), ', '), ')'
          )
          else ''
        end
      )
      else ''
    end,
    case
      when count_if(e.kind = 'failure') >= :min_saml_failures then concat(
        '; ', cast(count_if(e.kind = 'failure') as varchar), ' failed federated sign-in(s) this hour: ',
        array_join(array_sort(filter(array_agg(distinct if(e.kind = 'failure', e.reason)), v -> v is not null)), ', ')
      )
      else ''
    end
  ) as summary
from evidence as e
left join changed_idps as c on c.idp_id = e.idp_id
group by e.idp_id
having count_if(e.kind = 'sign-in') > 0
  or count_if(e.kind = 'failure') >= :min_saml_failures
