-- 0009_bench: indexes the EXPLAIN checks of issue 9 asked for
-- (tests/api/explain.test.mjs).

-- ST_NOTIFY_LIST: a person's newest 100 notifications, newest id first.
-- With only (staff_id, created_at) the planner walks the whole table
-- backwards by id and filters on staff_id.
create index notifications_staff_id_idx on notifications (staff_id, id desc);
