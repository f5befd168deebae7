-- okta-proxy-sign-in: a sign-in attempt through an anonymizing proxy, VPN service or Tor.
-- Reads: okta_events (arrival hour partitions of the run), user.session.start events (any outcome) where
--   Okta flags the client IP as a proxy (securityContext.isProxy), or its IP intelligence lists an
--   anonymizing service (ipDetails.ipServiceCategories of the client or of any hop of request.ipChain), or
--   the IP's AS organisation, ISP or domain names a known anonymizer (the anonymizer_as_orgs list).
--   Each uuid counts once (Okta delivers at least once). One finding per user per hour; HIGH when a sign-in
--   through the anonymizer succeeded.
-- False positives: privacy-minded users on a commercial VPN or iCloud Private Relay.
with events as (
  select
    uuid, published, actor, client, outcome, securitycontext, request,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.session.start'
),
classified as (
  select
    uuid, published, outcome,
    coalesce(actor.alternateid, actor.id) as login,
    nullif(client.ipaddress, 'null') as ip,
    coalesce(securitycontext.isproxy, false) as is_proxy,
    -- an anonymizing service category: isAnonymous, or a category type when Okta leaves isAnonymous out
    element_at(filter(securitycontext.ipdetails.ipservicecategories, c -> coalesce(c.isanonymous, c.type is not null)), 1)
      as client_category,
    cardinality(filter(request.ipchain, h ->
      element_at(filter(h.ipdetails.ipservicecategories, c -> coalesce(c.isanonymous, c.type is not null)), 1) is not null)) > 0
      as chain_anonymous,
    element_at(filter(split(lower(:anonymizer_as_orgs), ','), o ->
      trim(o) <> ''
      and strpos(lower(concat(coalesce(securitycontext.asorg, ''), ' | ', coalesce(securitycontext.isp, ''), ' | ',
                              coalesce(securitycontext.domain, ''), ' | ', coalesce(securitycontext.ipdetails.asorg, ''))),
                 trim(o)) > 0), 1) as anonymizer_org,
    coalesce(securitycontext.ipdetails.asorg, securitycontext.asorg, securitycontext.isp) as network
  from events
  where copy = 1
),
anonymized as (
  select
    *,
    case
      when client_category is not null
        then concat(coalesce(client_category.type, 'anonymizer'), coalesce(concat(' ', client_category.operator), ''))
      when anonymizer_org is not null then concat('anonymizer network ', trim(anonymizer_org))
      when chain_anonymous then 'anonymizer in the IP chain'
      else concat('a proxy flagged by Okta', coalesce(concat(' on ', network), ''))
    end as how
  from classified
  where is_proxy
     or client_category is not null
     or chain_anonymous
     or anonymizer_org is not null
)
select
  'user' as entity_type,
  login as entity_id,
  case when count_if(outcome.result = 'SUCCESS') > 0 then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published) as event_uuids,
  array_agg(distinct login) as actors,
  filter(array_agg(distinct ip), x -> x is not null) as ips,
  concat(login, ' tried to sign in ', cast(count(*) as varchar), ' time(s) through ', array_join(array_agg(distinct how), ', '),
         case when count(ip) > 0 then concat(' from ', array_join(array_agg(distinct ip), ', ')) else '' end,
         '; ', cast(count_if(outcome.result = 'SUCCESS') as varchar), ' succeeded') as summary
from anonymized
where login is not null
group by login
