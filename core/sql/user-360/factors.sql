-- user-360 factors: the user's MFA enrollments in the inventory of :inventory_dt (okta_factors_current), active and
-- strongest first.
select factor_type, provider, status, strength, bound_kind, bound_hint, created, last_verified
from okta_factors_current
where dt = :inventory_dt
  and user_id = :user_id
order by
  case status when 'ACTIVE' then 0 else 1 end,
  case strength when 'high' then 0 when 'medium' then 1 when 'low' then 2 else 3 end,
  factor_type, factor_id
