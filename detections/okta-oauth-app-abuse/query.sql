-- okta-oauth-app-abuse: an admin gave an app write access to the org, read an app or IdP client secret, or made an API token usable from anywhere.
-- Reads: okta_events (arrival hour partitions of the run). Each uuid counts once (Okta delivers at least once).
-- What counts (all with outcome SUCCESS, or no outcome):
--   * app.oauth2.admin.consent.grant of an Okta management scope, okta.<resource>.manage (okta.users.manage,
--     okta.apps.manage, okta.roles.manage, okta.idps.manage...): HIGH. The client can then change users, apps, roles
--     or IdPs through the API with no user signed in. Read scopes (okta.users.read, okta.logs.read) and the
--     self-service scopes (okta.users.manage.self, okta.myAccount.*.manage) are left out. Okta logs one event per
--     granted scope; the scope is looked for in the first targets (id, alternateId, displayName, detailEntry.scope)
--     and in debugData (grantedScopes, scope), since the catalog names no fixed field for it.
--   * app.oauth2.client.read_client_secret (an OAuth client's secret returned by the API or shown in the Admin
--     Console) and system.idp.lifecycle.read_client_secret (an identity provider's client secret read): MEDIUM.
--   * system.api_token.create or system.api_token.update with debugData.networkConnection ANYWHERE (the token is not
--     restricted to a network zone): MEDIUM.
-- One finding per actor (the admin, or the service app acting) and hour; severity is the highest of its events.
-- The same events also reach okta-api-token-created (every token created) and okta-idp-lifecycle (every
-- system.idp.lifecycle.* event): this detection says why the event matters.
-- False positives: an admin setting up an API service integration (Terraform, Okta Workflows, a SIEM connector) that
-- needs a manage scope or copies a client secret once; Terraform reading OAuth apps on every plan; tokens created by
-- admins who skip the network restriction.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'app.oauth2.admin.consent.grant',
      'app.oauth2.client.read_client_secret', 'system.idp.lifecycle.read_client_secret',
      'system.api_token.create', 'system.api_token.update'
    )
    and coalesce(outcome.result, 'SUCCESS') = 'SUCCESS'
),
described as (
  select
    uuid, published, eventtype,
    case when actor.type in ('User', 'SystemPrincipal') or actor.type is null then 'user' else 'app' end as entity_type,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id) as login,
    nullif(client.ipaddress, 'null') as ip,
    -- Where a granted scope may be written: debugData, and the first targets (a consent names a client and a scope).
    concat_ws(' ',
      element_at(debugcontext.debugdata, 'grantedScopes'), element_at(debugcontext.debugdata, 'scope'),
      element_at(target, 1).id, element_at(target, 1).alternateid, element_at(target, 1).displayname,
      element_at(element_at(target, 1).detailentry, 'scope'),
      element_at(target, 2).id, element_at(target, 2).alternateid, element_at(target, 2).displayname,
      element_at(element_at(target, 2).detailentry, 'scope'),
      element_at(target, 3).id, element_at(target, 3).alternateid, element_at(target, 3).displayname,
      element_at(element_at(target, 3).detailentry, 'scope')
    ) as scope_text,
    -- The app, IdP or token the event is about: the first target that is not a scope.
    coalesce(
      element_at(filter(target, t -> strpos(lower(concat(coalesce(t.alternateid, ''), ' ', coalesce(t.displayname, ''))), 'okta.') <> 1), 1).displayname,
      element_at(filter(target, t -> strpos(lower(concat(coalesce(t.alternateid, ''), ' ', coalesce(t.displayname, ''))), 'okta.') <> 1), 1).alternateid,
      element_at(filter(target, t -> strpos(lower(concat(coalesce(t.alternateid, ''), ' ', coalesce(t.displayname, ''))), 'okta.') <> 1), 1).id,
      'unnamed'
    ) as object,
    upper(coalesce(element_at(debugcontext.debugdata, 'networkConnection'), '')) as network_connection
  from events
  where copy = 1
),
classified as (
  select
    *,
    case
      when eventtype = 'app.oauth2.admin.consent.grant' then concat('granted ', array_join(manage_scopes, ', '), ' to ', object)
      when eventtype = 'app.oauth2.client.read_client_secret' then concat('read the client secret of ', object)
      when eventtype = 'system.idp.lifecycle.read_client_secret' then concat('read the client secret of IdP ', object)
      when eventtype = 'system.api_token.create' then concat('created API token ', object, ' usable from any network')
      else concat('made API token ', object, ' usable from any network')
    end as action,
    case when eventtype = 'app.oauth2.admin.consent.grant' then 3 else 2 end as level
  from (
    select
      *,
      -- okta.<resource>.manage, not the self-service okta.<resource>.manage.self
      array_distinct(filter(regexp_extract_all(scope_text, 'okta\.[A-Za-z]+\.manage(\.[A-Za-z]+)?'), s -> s like '%.manage'))
        as manage_scopes
    from described
  ) as d
  where (eventtype = 'app.oauth2.admin.consent.grant' and cardinality(manage_scopes) > 0)
    or eventtype in ('app.oauth2.client.read_client_secret', 'system.idp.lifecycle.read_client_secret')
    or (eventtype in ('system.api_token.create', 'system.api_token.update') and network_connection = 'ANYWHERE')
)
select
  entity_type,
  login as entity_id,
  case when max(level) = 3 then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[login] as actors,
  array_sort(filter(array_agg(distinct ip), x -> x is not null)) as ips,
  concat(login, ' ', array_join(array_sort(array_agg(distinct action)), '; '),
         case when count(ip) > 0 then concat(' (from ', array_join(array_sort(array_agg(distinct ip)), ', '), ')') else '' end)
    as summary
from classified
where login is not null
group by entity_type, login
