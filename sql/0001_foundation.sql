-- 0001_foundation: org structure, staff and roles, sessions, configurable
-- lists and the customer-type tree, the audit log.

create table roles (
	code		text primary key,
	name_zh		text not null,
	name_en		text not null,
	rights		jsonb not null default '[]'
);
comment on table roles is 'The four roles of PLT-AUTH; rights are menu and action keys.';

insert into roles (code, name_zh, name_en) values
	('salesperson', '业务人员', 'Salesperson'),
	('manager', '销售经理', 'Sales manager'),
	('director', '销售总监', 'Sales director'),
	('admin', '系统管理员', 'Administrator');

create table departments (
	id		bigint generated always as identity primary key,
	parent_id	bigint references departments (id),
	name		text not null check (length(name) between 1 and 100),
	manager_id	bigint,
	sort		int not null default 0,
	created_at	timestamptz not null default now(),
	unique (parent_id, name)
);
comment on table departments is 'The department tree (ORG-STAFF); parent_id null is the root.';
comment on column departments.manager_id is 'Head of the department: approver for its members, sees its subtree.';

create table staff (
	id		bigint generated always as identity primary key,
	login		text not null unique check (login ~ '^[a-z0-9_.-]{2,32}$'),
	password_hash	text not null,
	name		text not null check (length(name) between 1 and 100),
	department_id	bigint references departments (id),
	role		text not null references roles (code),
	position	text,
	mobile		text,
	gender		text check (gender in ('m', 'f')),
	max_customers	int check (max_customers >= 0),
	lang		text not null default 'zh-CN' check (lang in ('zh-CN', 'en')),
	active		boolean not null default true,
	failed_logins	int not null default 0,
	last_failed_at	timestamptz,
	password_changed_at timestamptz not null default now(),
	created_at	timestamptz not null default now(),
	updated_at	timestamptz not null default now()
);
comment on table staff is 'People who log in (ORG-STAFF, PLT-AUTH).';
comment on column staff.password_hash is 'argon2id string from libsodium crypto_pwhash_str.';
comment on column staff.failed_logins is 'Failed logins since the last success; with last_failed_at it locks the account for a while.';
comment on column staff.max_customers is 'Personal cap on owned customers; null = the pool rule decides.';

alter table departments add foreign key (manager_id) references staff (id);
create index staff_department_idx on staff (department_id);

create table sessions (
	token_hash	bytea primary key,
	staff_id	bigint not null references staff (id),
	csrf_token	text not null,
	created_at	timestamptz not null default now(),
	last_seen	timestamptz not null default now(),
	user_agent	text,
	remote_addr	text
);
comment on table sessions is 'Login sessions; Redis caches them. Only the SHA-256 of the cookie token is stored.';
comment on column sessions.last_seen is 'Refreshed at most once a minute; with created_at it enforces the idle and absolute timeouts.';
create index sessions_staff_idx on sessions (staff_id);

create table customer_types (
	code		text primary key,
	parent_code	text references customer_types (code),
	name_zh		text not null,
	name_en		text not null,
	sort		int not null default 0,
	active		boolean not null default true
);
comment on table customer_types is 'The customer-type tree (CUS-TYPES), synchronised from rules/lists.lua by crmctl lists sync.';

create table list_items (
	list		text not null check (list in ('region', 'source', 'stage', 'status')),
	code		text not null,
	name_zh		text not null,
	name_en		text not null,
	sort		int not null default 0,
	active		boolean not null default true,
	primary key (list, code)
);
comment on table list_items is 'Configurable lists (regions, sources, stages, statuses), synchronised from rules/lists.lua; rows are deactivated, never deleted.';

create table audit_log (
	id		bigint generated always as identity primary key,
	at		timestamptz not null default now(),
	staff_id	bigint references staff (id),
	action		text not null,
	object		text,
	object_id	text,
	detail		jsonb,
	remote_addr	text
);
comment on table audit_log is 'Who did what and when: logins, password changes, role and data changes, exports.';
create index audit_log_at_idx on audit_log (at);
create index audit_log_staff_idx on audit_log (staff_id, at);
