-- okta-personal-email-login: an ACTIVE account whose login or primary e-mail is at a consumer mail provider.
-- Reads: okta_users_current of the day (dt = :day), the inventory's latest view of each user.
-- The domain is everything after the '@', lower-cased, matched whole against :personal_domains (comma-separated,
-- spaces ignored): outlook.acme.example is not outlook.com. Every identity kind counts. The secondary e-mail
-- (secondEmail) is not in the inventory and not checked.
-- Evidence: which field(s) and the domain, e.g. 'login and email: gmail.com', 'email: yahoo.com'.
-- :user_id (null, or one user id or login) restricts the check to one user (the near-time cascade).
-- False positives: contractors and guests onboarded on purpose with a personal address, test accounts.
with users as (
  select
    user_id, login, identity_kind, coalesce(activated, created) as since, collected_at,
    lower(split_part(login, '@', 2)) as login_domain,
    lower(split_part(email, '@', 2)) as email_domain
  from okta_users_current
  where dt = :day
    and status = 'ACTIVE'
    and (
      cast(:user_id as varchar) is null
      or user_id = cast(:user_id as varchar)
      or lower(login) = lower(cast(:user_id as varchar))
    )
),
matched as (
  select
    user_id, login, identity_kind, since, collected_at, login_domain, email_domain,
    coalesce(login_domain <> '' and contains(split(replace(lower(:personal_domains), ' ', ''), ','), login_domain), false) as login_personal,
    coalesce(email_domain <> '' and contains(split(replace(lower(:personal_domains), ' ', ''), ','), email_domain), false) as email_personal
  from users
),
personal as (
  select
    *,
    case
      when login_personal and email_personal and login_domain = email_domain then concat('login and email: ', login_domain)
      when login_personal and email_personal then concat('login: ', login_domain, ', email: ', email_domain)
      when login_personal then concat('login: ', login_domain)
      else concat('email: ', email_domain)
    end as evidence
  from matched
  where login_personal or email_personal
)
select
  'user' as entity_type,
  p.login as entity_id,
  cast(null as varchar) as severity,
  p.since as first_seen,
  p.collected_at as last_seen,
  cast(0 as bigint) as event_count,
  cast(array[] as array(varchar)) as event_uuids,
  array[p.login] as actors,
  cast(array[] as array(varchar)) as ips,
  concat(
    p.login, ' (',
    case
      when p.identity_kind = 'service' then 'service account'
      when p.identity_kind = 'guest' then 'guest'
      else 'person'
    end,
    ') uses a consumer mail address: ', p.evidence,
    case when p.email_personal then '; password and factor resets go to that mailbox' else '' end
  ) as summary,
  p.evidence
from personal as p
