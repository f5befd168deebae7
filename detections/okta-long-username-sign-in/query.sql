-- okta-long-username-sign-in: a successful sign-in with a username of 52 characters or more.
-- Reads: okta_events (arrival hour partitions of the run), user.session.start with outcome SUCCESS and a User actor.
-- Each uuid counts once (Okta delivers at least once).
-- Okta's security advisory of 2024-10-30 (AD/LDAP delegated authentication): the cache key of a delegated
-- authentication was a bcrypt hash of user id + username + password, and bcrypt reads only the first 72 bytes, so
-- with a username of 52 characters or more a later sign-in could succeed with any password once the cache held a
-- successful one (when MFA was not required and the AD/LDAP agent was unreachable or busy). Okta fixed it, but a
-- username this long is rare, and one authenticated by AD or LDAP is where the flaw lived. Severity is LOW, MEDIUM
-- when the sign-in was authenticated by Active Directory or LDAP (authenticationContext.authenticationProvider). One
-- finding per user and hour.
-- False positives: users whose login really is that long (long names on long subsidiary domains), service accounts
-- named after their purpose.
with events as (
  select
    uuid, published, actor, client, authenticationcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype = 'user.session.start'
    and outcome.result = 'SUCCESS'
    and actor.type = 'User'
    and length(actor.alternateid) >= :min_login_length
),
sign_ins as (
  select
    uuid, published,
    lower(actor.alternateid) as login,
    nullif(client.ipaddress, 'null') as ip,
    upper(coalesce(authenticationcontext.authenticationprovider, '')) in ('ACTIVE_DIRECTORY', 'LDAP') as delegated,
    authenticationcontext.authenticationprovider as provider
  from events
  where copy = 1
)
select
  'user' as entity_type,
  login as entity_id,
  case when count_if(delegated) > 0 then 'MEDIUM' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[login] as actors,
  array_sort(filter(array_agg(distinct ip), x -> x is not null)) as ips,
  concat(
    login, ' (', cast(length(login) as varchar), ' characters) signed in ', cast(count(*) as varchar), ' time(s)',
    case when count_if(delegated) > 0
      then concat(' through ', array_join(array_sort(filter(array_agg(distinct case when delegated then provider end), x -> x is not null)), ', '),
                  ' delegated authentication')
      else '' end,
    case when count(ip) > 0 then concat(' from ', array_join(array_sort(filter(array_agg(distinct ip), x -> x is not null)), ', ')) else '' end
  ) as summary
from sign_ins
group by login
