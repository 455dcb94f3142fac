-- 0003_fieldwork: files (photos, contracts) in PostgreSQL, QR keys, visits,
-- deals, payments, daily reports, and the per-person-per-day activity figures.

create table files (
	id		bigint generated always as identity primary key,
	token		text not null unique,
	kind		text not null check (kind in ('photo', 'contract', 'logo')),
	content_type	text not null,
	name		text,
	size		int not null,
	data		bytea not null,
	thumb		bytea,
	width		int,
	height		int,
	exif_time	text,
	exif_lat	double precision,
	exif_lng	double precision,
	uploaded_by	bigint not null references staff (id),
	uploaded_at	timestamptz not null default now()
);
comment on table files is 'Uploaded photos and attachments, where every app server reads them. Photos are stored re-encoded without metadata; the EXIF facts read once at upload are kept beside them.';
comment on column files.token is 'The unguessable public id of the file (in URLs and documents).';

create table qr_keys (
	kid		int primary key,
	secret		bytea not null check (length(secret) = 32),
	created_at	timestamptz not null default now(),
	retired_at	timestamptz,
	revoked_at	timestamptz
);
comment on table qr_keys is 'Keys that sign customer QR codes. The newest key neither retired nor revoked signs; every unrevoked key verifies. Rotation retires a key (its codes still scan); revoking one voids every code it signed.';

alter table customers add column qr_version int not null default 0;
alter table customers add column logo_file bigint references files (id);
comment on column customers.qr_version is 'Bumped to void the printed codes of one customer.';

create table visits (
	id		bigint generated always as identity primary key,
	document_id	bigint not null unique references documents (id),
	customer_id	bigint not null references customers (id),
	staff_id	bigint not null references staff (id),
	captured_at	timestamptz not null,
	arrived_at	timestamptz not null default now(),
	place		text,
	met		text,
	stage		text,
	notes		text,
	photo_file	bigint references files (id),
	lat		double precision,
	lng		double precision,
	from_scan	boolean not null default false,
	verified	boolean not null,
	verdict		jsonb not null
);
comment on table visits is 'Visits (WF-VISIT): capture time from the phone, arrival time from the server, position, photo, and the authenticity verdict of rules/visit.lua.';
create index visits_customer_idx on visits (customer_id, captured_at desc);
create index visits_staff_idx on visits (staff_id, captured_at desc);

create table deals (
	id		bigint generated always as identity primary key,
	document_id	bigint not null unique references documents (id),
	customer_id	bigint not null references customers (id),
	staff_id	bigint not null references staff (id),
	deal_date	date not null,
	amount		numeric(14, 2) not null check (amount > 0),
	contract_file	bigint references files (id),
	notes		text
);
create index deals_customer_idx on deals (customer_id, deal_date desc);
create index deals_staff_idx on deals (staff_id, deal_date desc);

create table payments (
	id		bigint generated always as identity primary key,
	document_id	bigint not null unique references documents (id),
	customer_id	bigint not null references customers (id),
	staff_id	bigint not null references staff (id),
	pay_date	date not null,
	amount		numeric(14, 2) not null check (amount > 0),
	notes		text
);
create index payments_customer_idx on payments (customer_id, pay_date desc);
create index payments_staff_idx on payments (staff_id, pay_date desc);

create table daily_reports (
	id		bigint generated always as identity primary key,
	document_id	bigint not null unique references documents (id),
	staff_id	bigint not null references staff (id),
	day		date not null,
	summary		text not null,
	plan		text not null,
	figures		jsonb not null,
	unique (staff_id, day)
);
comment on table daily_reports is 'One daily report per person per day (WF-DAILY); figures are the day''s activity computed when it was filed.';

create table activity_daily (
	staff_id	bigint not null references staff (id),
	day		date not null,
	new_customers	int not null default 0,
	claims		int not null default 0,
	visits		int not null default 0,
	deals		int not null default 0,
	deal_amount	numeric(16, 2) not null default 0,
	payments	int not null default 0,
	payment_amount	numeric(16, 2) not null default 0,
	primary key (staff_id, day)
);
comment on table activity_daily is 'Per person per day activity, maintained in the transaction of each event, so targets and statistics never scan history.';
