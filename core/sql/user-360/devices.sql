-- user-360 devices: the user's devices in the inventory of :inventory_dt (okta_devices_current).
select device_id, display_name, status, platform, os_version, model, management_status, disk_encryption_type, screen_lock_type, last_updated
from okta_devices_current
where dt = :inventory_dt
  and user_id = :user_id
order by display_name, device_id
