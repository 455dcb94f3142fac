-- 0002_archive: the customer archive and its one write path (documents),
-- approvals, change history, idempotency keys, notifications, the pool log.

create extension if not exists pg_trgm;

create table customers (
	id		bigint generated always as identity primary key,
	number		text not null unique,
	name		text not null check (length(name) between 1 and 200),
	name_norm	text not null,
	address		text,
	contact		text,
	phone		text,
	region		text,
	type_code	text references customer_types (code),
	source		text,
	stage		text,
	status		text,
	lat		double precision check (lat between -90 and 90),
	lng		double precision check (lng between -180 and 180),
	extra		jsonb not null default '{}',
	owner_id	bigint references staff (id),
	locked		boolean not null default false,
	visit_count	int not null default 0,
	last_visit_at	timestamptz,
	last_deal_at	timestamptz,
	deal_total	numeric(14, 2) not null default 0,
	paid_total	numeric(14, 2) not null default 0,
	owned_since	timestamptz,
	previous_owner_id bigint references staff (id),
	returned_at	timestamptz,
	created_by	bigint references staff (id),
	created_at	timestamptz not null default now(),
	updated_at	timestamptz not null default now()
);
comment on table customers is 'The archive (CUS-*). Changed only by applying documents.';
comment on column customers.name_norm is 'Name folded by rules/customer.lua normalize(): trimmed, spaces removed, full-width to half-width, case-folded, configured suffixes removed. Unique: two people adding the same customer at once cannot both succeed.';
comment on column customers.owner_id is 'null: the customer is in the public pool.';
comment on column customers.extra is 'Values of fields an admin added to the customer form by rule (PLT-FIELDS).';
comment on column customers.locked is 'Locked customers never return to the pool by themselves.';
comment on column customers.previous_owner_id is 'Owner before the last return to the pool: the cooldown rule applies to them.';
create unique index customers_name_norm_idx on customers (name_norm);
create index customers_owner_idx on customers (owner_id);
create index customers_type_idx on customers (type_code);
create index customers_pool_idx on customers (id) where owner_id is null;
create index customers_name_trgm_idx on customers using gin (name gin_trgm_ops);

create table customer_shares (
	customer_id	bigint not null references customers (id),
	staff_id	bigint not null references staff (id),
	created_at	timestamptz not null default now(),
	primary key (customer_id, staff_id)
);
comment on table customer_shares is 'Colleagues a customer is shared with (CUS-SHARED-*): they see it and work on it; the owner stays the owner.';
create index customer_shares_staff_idx on customer_shares (staff_id);

create table number_seq (
	name		text not null,
	day		date not null,
	seq		int not null,
	primary key (name, day)
);
comment on table number_seq is 'Per-day counters behind customer and document numbers (patterns in rules/numbering.lua).';

create table documents (
	id		bigint generated always as identity primary key,
	number		text not null unique,
	kind		text not null,
	applicant_id	bigint not null references staff (id),
	status		text not null check (status in ('draft', 'submitted',
			    'approved', 'rejected', 'withdrawn', 'returned')),
	data		jsonb not null,
	customer_id	bigint references customers (id),
	step		int not null default 0,
	created_at	timestamptz not null default now(),
	decided_at	timestamptz,
	applied_at	timestamptz
);
comment on table documents is 'Every change to the archive is a document (单据): number, applicant, status, data, approval route.';
comment on column documents.step is 'Index of the current approval step (0-based) while submitted.';
create index documents_applicant_idx on documents (applicant_id, created_at desc);
create index documents_customer_idx on documents (customer_id, created_at desc);
create index documents_kind_idx on documents (kind, created_at desc);

create table document_steps (
	document_id	bigint not null references documents (id),
	idx		int not null,
	approver_id	bigint not null references staff (id),
	rule		text not null,
	status		text not null default 'waiting' check (status in (
			    'waiting', 'pending', 'approved', 'rejected',
			    'returned', 'cancelled')),
	comment		text,
	decided_at	timestamptz,
	primary key (document_id, idx)
);
comment on table document_steps is 'The approval route of a document, resolved to people when it was submitted; the trail of decisions.';
comment on column document_steps.rule is 'What the routing rule asked for, e.g. dept_manager, role:director, person:manager1.';
create index document_steps_todo_idx on document_steps (approver_id) where status = 'pending';

create table change_log (
	id		bigint generated always as identity primary key,
	customer_id	bigint not null references customers (id),
	document_id	bigint references documents (id),
	field		text not null,
	before		text,
	after		text,
	staff_id	bigint references staff (id),
	at		timestamptz not null default now()
);
comment on table change_log is 'Before and after of every changed customer field: who, when, through which document (WF-CHANGE).';
create index change_log_customer_idx on change_log (customer_id, at desc);

create table idempotency (
	staff_id	bigint not null references staff (id),
	key		text not null check (length(key) between 8 and 100),
	request_hash	text not null,
	status		int not null,
	response	text not null,
	created_at	timestamptz not null default now(),
	primary key (staff_id, key)
);
comment on table idempotency is 'Idempotency-Key of each state-changing request with its first answer, written in the same transaction as the change.';

create table notifications (
	id		bigint generated always as identity primary key,
	staff_id	bigint not null references staff (id),
	kind		text not null check (kind in ('todo', 'reminder', 'result')),
	document_id	bigint references documents (id),
	customer_id	bigint references customers (id),
	detail		jsonb not null default '{}',
	created_at	timestamptz not null default now(),
	read_at		timestamptz
);
comment on table notifications is 'To-dos, reminders and results pushed to people (PLT-NOTIFY).';
create index notifications_unread_idx on notifications (staff_id) where read_at is null;
create index notifications_staff_idx on notifications (staff_id, created_at desc);

create table pool_log (
	id		bigint generated always as identity primary key,
	customer_id	bigint not null references customers (id),
	event		text not null check (event in ('returned', 'warned', 'claimed')),
	staff_id	bigint references staff (id),
	reason		text,
	at		timestamptz not null default now()
);
comment on table pool_log is 'Every return to the pool (with its reason), warning and claim.';
create index pool_log_customer_idx on pool_log (customer_id, at desc);

-- Departments a manager heads, with everything below them.
create function crm_managed_depts(viewer bigint) returns setof bigint
language sql stable as $$
	with recursive t(id) as (
		select id from departments where manager_id = viewer
		union
		select d.id from departments d join t on d.parent_id = t.id
	)
	select id from t
$$;
comment on function crm_managed_depts(bigint) is 'The department subtree(s) headed by viewer: what a manager sees (PLT-AUTH).';

-- May viewer see a customer owned by owner (null: the pool)?
create function crm_sees(viewer bigint, viewer_role text, customer bigint,
    owner bigint) returns boolean
language sql stable as $$
	select viewer_role in ('director', 'admin')
	    or owner is null
	    or owner = viewer
	    or exists (select 1 from customer_shares s
		where s.customer_id = customer and s.staff_id = viewer)
	    or (viewer_role = 'manager' and exists (select 1 from staff o
		where o.id = owner and o.department_id in
		    (select crm_managed_depts(viewer))))
$$;
comment on function crm_sees(bigint, text, bigint, bigint) is 'Row visibility of the archive: owner, people it is shared with, managers over the owner''s department subtree, directors and admin; the pool is public.';

-- The customer-type subtree under code.
create function crm_type_subtree(root text) returns setof text
language sql stable as $$
	with recursive t(code) as (
		select code from customer_types where code = root
		union
		select c.code from customer_types c join t on c.parent_code = t.code
	)
	select code from t
$$;
