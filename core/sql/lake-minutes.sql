-- Gap recovery: the minutes of a time range that hold Okta events, oldest first, with the first and last event of
-- each minute by `published` (and the uuid of the last). A silence is a run of minutes with none: the window gap
-- recovery reads back from the System Log API (core/lake-silences.ts).
-- Prerequisites: `published` is Okta's UTC text (2026-11-25T04:02:11.123Z), so text order is time order and its
-- first 16 characters are its minute. An event lands in the arrival partition of its arrival (partner stream) or
-- of its `published` (read back from the API), never before `published`: the partitions from the range's first
-- day to today hold every event of the range.
-- False positives: none; a quiet org has minutes without events too, which is why a silence must last
-- `watchdog.silenceMinutes` before it counts.
select
  substr(published, 1, 16) as minute,
  min(published) as first_published,
  max(published) as last_published,
  max_by(uuid, published) as last_uuid
from okta_events
where dt between :from_dt and :to_dt
  and published >= :from_published
  and published < :to_published
group by substr(published, 1, 16)
order by minute
