-- 0007_reports: user-defined reports (RPT-CUSTOM), the department subtree
-- the report filters use, and the indexes that keep the built-in
-- statistics fast at a million customers and ten million visits.

create table reports (
	name		text primary key check (name ~ '^c_[a-z0-9_]{1,60}$'),
	definition	jsonb not null,
	owner_id	bigint not null references staff (id),
	version		int not null default 1,
	created_at	timestamptz not null default now(),
	updated_at	timestamptz not null default now(),
	updated_by	bigint references staff (id)
);
comment on table reports is 'User-defined reports (RPT-CUSTOM): the same definition shape as rules/reports/*.lua, as JSON, checked by the same compiler before it is stored; every app server reads them here.';
comment on column reports.owner_id is 'Who created it: an admin''s report is for everyone, a manager''s for the manager''s team (the departments they head) and for directors and admins.';
comment on column reports.version is 'Bumped at every change; workers prepare the compiled statement once per version.';

-- A department and everything below it.
create function crm_dept_subtree(root bigint) returns setof bigint
language sql stable as $$
	with recursive t(id) as (
		select id from departments where id = root
		union
		select d.id from departments d join t on d.parent_id = t.id
	)
	select id from t
$$;
comment on function crm_dept_subtree(bigint) is 'A department and its subtree: the department filter of reports.';

-- Period scans of every record source (all staff at once: directors, the
-- portal); per-person scans use the (staff_id, date) indexes of 0003.
create index visits_captured_idx on visits (captured_at);
create index deals_date_idx on deals (deal_date);
create index payments_date_idx on payments (pay_date);
create index activity_daily_day_idx on activity_daily (day, staff_id);
create index documents_applied_idx on documents (kind, applied_at)
	where status = 'approved';
create index change_log_owner_idx on change_log (at)
	where field = 'owner';
create index pool_log_claimed_idx on pool_log (at) where event = 'claimed';
create index daily_reports_day_idx on daily_reports (day);
-- Customer statistics group by one list column; with the owner first a
-- salesperson's or a team's counts are index-only scans.
create index customers_owner_status_idx on customers (owner_id, status);
create index customers_owner_stage_idx on customers (owner_id, stage);
create index customers_owner_type_idx on customers (owner_id, type_code);
create index customers_owner_source_idx on customers (owner_id, source);
create index customers_region_idx on customers (region);
