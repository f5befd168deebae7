-- The factor rows of one earlier inventory day, for the users whose factors a collection carries over from it.
-- Columns are the data columns of okta_factors (schema/inventory.ts), in order; user ids bound in the WHERE clause.
select
  user_id, login, factor_id, factor_type, provider, vendor_name, status, created, last_updated, last_verified,
  strength, bound_kind, bound_hash, bound_hint, collected_at
from okta_factors_current
where dt = :dt
  and user_id in ({{user_ids}})
