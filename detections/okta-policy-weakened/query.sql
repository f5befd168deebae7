-- okta-policy-weakened: a sign-on, authentication, MFA enrollment or password policy, or one of its rules, updated,
-- deactivated or deleted.
-- Reads: okta_events, the arrival hour partitions of the run. Each uuid counts once (Okta delivers at least once).
-- Event types: policy.lifecycle.update / deactivate / delete and policy.rule.update / deactivate / delete.
-- The policy is the PolicyEntity target; its type is detailEntry.policyType ('OktaSignOn', 'AccessPolicy', ... in
-- the System Log, or the API's 'OKTA_SIGN_ON', 'ACCESS_POLICY', ...). A change is kept when the type, compared
-- without case or punctuation, is one of :policy_types; a change whose policy type Okta did not log is kept too,
-- since it may be one of them. Whether an update loosens or tightens the policy is not decided here: the runbook
-- compares target.changeDetails.
-- Entity: the actor (the admin or API client making the change), one finding per actor and hour, so one compromised
-- admin loosening several policies is one notification; the policies and rules are named in the summary.
-- Severity is raised to HIGH when a policy or rule was deactivated or deleted (protection removed outright).
-- False positives: planned policy maintenance, onboarding of a new app or group, Terraform applying policy changes.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'policy.lifecycle.update', 'policy.lifecycle.deactivate', 'policy.lifecycle.delete',
      'policy.rule.update', 'policy.rule.deactivate', 'policy.rule.delete'
    )
),
changes as (
  select
    uuid, published, eventtype,
    outcome.result as result,
    case
      when actor.type = 'User' then 'user'
      when actor.type in ('PublicClientApp', 'AppInstance', 'Client') then 'app'
      else 'org'
    end as actor_kind,
    coalesce(nullif(actor.alternateid, 'unknown'), actor.id, 'unknown') as actor_login,
    nullif(client.ipaddress, 'null') as ip,
    element_at(filter(target, t -> t.type = 'PolicyEntity'), 1) as policy,
    element_at(filter(target, t -> t.type = 'PolicyRule'), 1) as rule,
    regexp_extract(eventtype, '[a-z_]+$') as action
  from events
  where copy = 1
),
typed as (
  select
    *,
    lower(regexp_replace(element_at(policy.detailentry, 'policyType'), '[^A-Za-z]', '')) as policy_type,
    concat(',', lower(regexp_replace(:policy_types, '[^A-Za-z,]', '')), ',') as watched_types
  from changes
),
kept as (
  select * from typed
  where policy_type is null
    or strpos(watched_types, concat(',', policy_type, ',')) > 0
)
select
  actor_kind as entity_type,
  actor_login as entity_id,
  case when count_if(action in ('deactivate', 'delete')) > 0 then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[actor_login] as actors,
  array_sort(filter(array_agg(distinct ip), ip -> ip is not null)) as ips,
  concat(
    actor_login, ': ',
    array_join(array_sort(array_agg(distinct concat(
      if(rule is not null, concat('rule "', coalesce(rule.displayname, rule.id, '?'), '" of '), ''),
      coalesce(element_at(policy.detailentry, 'policyType'), 'untyped'), ' policy "', coalesce(policy.displayname, policy.id, '?'), '" ',
      case action when 'update' then 'updated' when 'deactivate' then 'deactivated' when 'delete' then 'deleted' else action end
    ))), ', '),
    case
      when count_if(result <> 'SUCCESS') > 0 then concat(' (', cast(count_if(result <> 'SUCCESS') as varchar), ' attempt(s) did not succeed)')
      else ''
    end
  ) as summary
from kept
group by actor_kind, actor_login
