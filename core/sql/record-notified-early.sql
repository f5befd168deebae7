-- The ledger row of a finding notified before its run stored it (the near-real-time path, core/near-real-time.ts):
-- written from the finding itself. Every value is a validated literal (ids, detection, uuids are tokens, the time a
-- timestamp): they stand in the select list, where Athena takes no `?`. The array gets one :event_uuid_N per uuid.
select
  cast(:finding_id as varchar) as finding_id,
  cast(:detection as varchar) as detection,
  cast(array[{{event_uuids}}] as array(varchar)) as event_uuids,
  cast(:notified_at as timestamp) as notified_at
