-- okta-org-mfa-factor-deactivated: an MFA factor type (authenticator) was deactivated or changed for the whole org.
-- Reads: okta_events (arrival hour partitions of the run). Each uuid counts once (Okta delivers at least once).
-- Event types: system.mfa.factor.deactivate (Classic Engine) and security.authenticator.lifecycle.deactivate (Identity
--   Engine, tag oie-only), the same act in the two engines; security.authenticator.lifecycle.update (Identity Engine): an
--   authenticator's settings edited, possibly a method of it turned off (a second target with detailEntry methodType /
--   methodAction, e.g. SMS DEACTIVATE on the Phone authenticator).
-- The authenticator is named from the target's displayName (Classic: the factor, OIE: the authenticator), else from
--   debugData.authenticatorKey (OIE: PASSWORD, EMAIL, PHONE, ...) or debugData.factor.
-- One finding per admin per hour. HIGH (the default) when a deactivation succeeded (or has no outcome); MEDIUM when the
--   admin's only events of the hour are deactivations that did not succeed, or authenticator updates.
-- False positives: planned retirement of a weak factor (SMS, voice, security question) after users moved on; migration
--   between authenticator vendors; routine edits of an authenticator's settings.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'system.mfa.factor.deactivate',
      'security.authenticator.lifecycle.deactivate',
      'security.authenticator.lifecycle.update'
    )
),
changes as (
  select
    uuid, published,
    if(eventtype = 'security.authenticator.lifecycle.update', 'update', 'deactivate') as action,
    coalesce(outcome.result, 'SUCCESS') = 'SUCCESS' as succeeded,
    coalesce(actor.alternateid, actor.id) as login,
    nullif(client.ipaddress, 'null') as ip,
    -- the authenticator itself: the first target that is not an authenticator method
    element_at(filter(target, t -> element_at(t.detailentry, 'methodType') is null), 1) as subject,
    element_at(filter(target, t -> element_at(t.detailentry, 'methodType') is not null), 1) as method,
    element_at(debugcontext.debugdata, 'authenticatorKey') as authenticator_key,
    element_at(debugcontext.debugdata, 'factor') as factor_key
  from events
  where copy = 1
),
named as (
  select
    uuid, published, action, succeeded, login, ip,
    coalesce(
      nullif(subject.displayname, ''),
      nullif(nullif(subject.alternateid, 'unknown'), ''),
      authenticator_key,
      factor_key,
      'an unnamed authenticator'
    ) as authenticator,
    case
      when element_at(method.detailentry, 'methodType') is not null
        then concat(' (', element_at(method.detailentry, 'methodType'), ' ',
                    lower(coalesce(element_at(method.detailentry, 'methodAction'), 'changed')), ')')
      else ''
    end as method_change
  from changes
)
select
  'user' as entity_type,
  login as entity_id,
  case when count_if(action = 'deactivate' and succeeded) = 0 then 'MEDIUM' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[login] as actors,
  array_sort(filter(array_agg(distinct ip), x -> x is not null)) as ips,
  concat(
    login, ' changed org-wide MFA authenticators: ',
    array_join(array_sort(array_agg(distinct concat(
      case
        when action = 'deactivate' and succeeded then 'deactivated '
        when action = 'deactivate' then 'tried to deactivate '
        when succeeded then 'updated '
        else 'tried to update '
      end,
      authenticator, method_change
    ))), ', '),
    case when count(ip) > 0 then concat(' from ', array_join(array_sort(array_agg(distinct ip)), ', ')) else '' end
  ) as summary
from named
where login is not null
group by login
