-- okta-policy-weakened: a sign-on, authentication, MFA enrollment, password, IdP routing or other security policy (or one
-- of its rules), or a Classic app sign-on policy, updated, deactivated or deleted; HIGH when protection is removed.
-- Reads: okta_events, the arrival hour partitions of the run. Each uuid counts once (Okta delivers at least once).
-- Event types: policy.lifecycle.update / deactivate / delete and policy.rule.update / deactivate / delete (both engines),
-- and the Classic Engine app sign-on policy events application.policy.sign_on.update / .rule.delete.
-- The policy is the PolicyEntity target; its type is detailEntry.policyType ('OktaSignOn', 'OktaMfaEnroll',
-- 'IdpDiscovery', 'ACCESS_POLICY', ... in the System Log; the API's 'OKTA_SIGN_ON', 'MFA_ENROLL', ...). A change is kept
-- when the type, compared without case, punctuation or a leading "Okta", is one of :policy_types; a change whose policy
-- type Okta did not log is kept too (the app sign-on events have none), since it may be one of them.
-- MFA downgrade (HIGH, kept whatever the policy type): a policy.rule.update whose rule action goes from requiring two
-- factors to one, i.e. the new factorMode is '1FA' and the old rule action was logged with another factorMode or none.
-- The old and new actions are read from target.changeDetails from/to 'policyRuleActionJson'
-- (appSignOn.verificationMethod.factorMode, as Okta's catalog rule reads it) or from debugData
-- 'oldPolicyRuleRequirementsJson' / 'newPolicyRuleRequirementsJson' (verificationMethod.factorMode). For a Classic app
-- sign-on rule, the rule action going to ALLOW from REQUIRE_FACTOR or DENY, or the rule being disabled, is the same
-- loosening (changeDetails 'ruleAction' / 'ruleDisabledStatus', or debugData old/newRuleAction, old/newRuleDisabledStatus).
-- Other updates are not judged (the runbook compares target.changeDetails): they stay MEDIUM.
-- Entity: the actor (the admin or API client making the change), one finding per actor and hour, so one compromised
-- admin loosening several policies is one notification; the policies and rules are named in the summary.
-- Severity is raised to HIGH when a policy or rule was deactivated or deleted (protection removed outright), or when a
-- rule was loosened as above.
-- False positives: planned policy maintenance, onboarding of a new app or group, Terraform applying policy changes, a
-- deliberate password-only rule for a low-risk app.
with events as (
  select
    uuid, published, eventtype, actor, client, outcome, target, debugcontext,
    row_number() over (partition by lower(uuid) order by published) as copy
  from okta_events
  where dt between :scan_from_dt and :scan_to_dt
    and concat(dt, '-', hour) between :scan_from and :scan_to
    and eventtype in (
      'policy.lifecycle.update', 'policy.lifecycle.deactivate', 'policy.lifecycle.delete',
      'policy.rule.update', 'policy.rule.deactivate', 'policy.rule.delete',
      'application.policy.sign_on.update', 'application.policy.sign_on.rule.delete'
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
    eventtype like 'application.policy.sign_on.%' as app_sign_on,
    element_at(filter(target, t -> t.type = 'PolicyEntity'), 1) as policy,
    element_at(filter(target, t -> t.type = 'PolicyRule'), 1) as rule,
    coalesce(element_at(filter(target, t -> t.type = 'AppInstance'), 1), element_at(target, 1)) as app,
    -- the first target that carries change details (the rule, for a rule update)
    element_at(filter(target, t -> t.changedetails is not null), 1).changedetails as cd,
    debugcontext.debugdata as dd,
    regexp_extract(eventtype, '[a-z_]+$') as action
  from events
  where copy = 1
),
judged as (
  select
    *,
    coalesce(element_at(cd."from", 'policyRuleActionJson'), element_at(dd, 'oldPolicyRuleRequirementsJson')) as old_action_json,
    coalesce(element_at(cd."to", 'policyRuleActionJson'), element_at(dd, 'newPolicyRuleRequirementsJson')) as new_action_json,
    upper(coalesce(element_at(cd."from", 'ruleAction'), element_at(dd, 'oldRuleAction'))) as old_app_rule_action,
    upper(coalesce(element_at(cd."to", 'ruleAction'), element_at(dd, 'newRuleAction'))) as new_app_rule_action,
    lower(coalesce(element_at(cd."from", 'ruleDisabledStatus'), element_at(dd, 'oldRuleDisabledStatus'))) as old_app_rule_disabled,
    lower(coalesce(element_at(cd."to", 'ruleDisabledStatus'), element_at(dd, 'newRuleDisabledStatus'))) as new_app_rule_disabled
  from changes
),
modes as (
  select
    *,
    coalesce(
      try(json_extract_scalar(old_action_json, '$.appSignOn.verificationMethod.factorMode')),
      try(json_extract_scalar(old_action_json, '$.verificationMethod.factorMode'))
    ) as old_factor_mode,
    coalesce(
      try(json_extract_scalar(new_action_json, '$.appSignOn.verificationMethod.factorMode')),
      try(json_extract_scalar(new_action_json, '$.verificationMethod.factorMode'))
    ) as new_factor_mode
  from judged
),
typed as (
  select
    *,
    regexp_replace(lower(regexp_replace(element_at(policy.detailentry, 'policyType'), '[^A-Za-z]', '')), '^okta', '') as policy_type,
    regexp_replace(concat(',', lower(regexp_replace(:policy_types, '[^A-Za-z,]', '')), ','), ',okta', ',') as watched_types,
    case
      when eventtype = 'policy.rule.update' and new_factor_mode = '1FA' and old_action_json is not null
        and coalesce(old_factor_mode, '') <> '1FA'
        then concat('MFA ', coalesce(old_factor_mode, 'required'), ' -> 1FA')
      when app_sign_on and new_app_rule_action = 'ALLOW' and old_app_rule_action in ('REQUIRE_FACTOR', 'DENY')
        then concat('rule action ', old_app_rule_action, ' -> ALLOW')
      when app_sign_on and new_app_rule_disabled = 'true' and coalesce(old_app_rule_disabled, 'false') <> 'true'
        then 'rule disabled'
    end as loosened
  from modes
),
kept as (
  select * from typed
  where policy_type is null
    or strpos(watched_types, concat(',', policy_type, ',')) > 0
    or loosened is not null
)
select
  actor_kind as entity_type,
  actor_login as entity_id,
  case when count_if(action in ('deactivate', 'delete') or loosened is not null) > 0 then 'HIGH' end as severity,
  min(from_iso8601_timestamp(published)) as first_seen,
  max(from_iso8601_timestamp(published)) as last_seen,
  count(*) as event_count,
  array_agg(uuid order by published, uuid) as event_uuids,
  array[actor_login] as actors,
  array_sort(filter(array_agg(distinct ip), ip -> ip is not null)) as ips,
  concat(
    actor_login, ': ',
    array_join(array_sort(array_agg(distinct concat(
      case
        when app_sign_on then concat(
          if(eventtype = 'application.policy.sign_on.rule.delete', 'a rule of ', ''),
          'app sign-on policy of "', coalesce(app.displayname, app.id, '?'), '" ')
        else concat(
          if(rule is not null, concat('rule "', coalesce(rule.displayname, rule.id, '?'), '" of '), ''),
          coalesce(element_at(policy.detailentry, 'policyType'), 'untyped'), ' policy "', coalesce(policy.displayname, policy.id, '?'), '" ')
      end,
      case action when 'update' then 'updated' when 'deactivate' then 'deactivated' when 'delete' then 'deleted' else action end,
      case when loosened is not null then concat(' (', loosened, ')') else '' end
    ))), ', '),
    case
      when count_if(result <> 'SUCCESS') > 0 then concat(' (', cast(count_if(result <> 'SUCCESS') as varchar), ' attempt(s) did not succeed)')
      else ''
    end
  ) as summary
from kept
group by actor_kind, actor_login
