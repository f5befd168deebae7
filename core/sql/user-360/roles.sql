-- user-360 roles: the user's admin role assignments in the inventory of :inventory_dt (okta_admin_roles_current).
select role_type, role_label, assignment_type, status, custom_role_id, resource_set_id, created
from okta_admin_roles_current
where dt = :inventory_dt
  and user_id = :user_id
order by role_type, role_label, assignment_id
