-- 0004_org_targets: targets per person and period (ORG-TARGET), with
-- overlapping periods of one person refused by the database itself.

create extension if not exists btree_gist;

create table targets (
	id		bigint generated always as identity primary key,
	document_id	bigint not null references documents (id),
	staff_id	bigint not null references staff (id),
	period		text not null check (length(period) between 1 and 40),
	start_date	date not null,
	end_date	date not null,
	new_customers	int not null default 0 check (new_customers >= 0),
	visits		int not null default 0 check (visits >= 0),
	deal_amount	numeric(14, 2) not null default 0 check (deal_amount >= 0),
	payment_amount	numeric(14, 2) not null default 0 check (payment_amount >= 0),
	created_at	timestamptz not null default now(),
	check (start_date <= end_date),
	exclude using gist (staff_id with =,
	    daterange(start_date, end_date, '[]') with &&)
);
comment on table targets is 'Targets of one person for one period (指标). Two periods of one person never overlap: the exclusion constraint refuses it even for two requests at the same moment.';
create index targets_staff_idx on targets (staff_id, start_date);

alter table staff add column photo_file bigint references files (id);
comment on column staff.photo_file is 'The person''s photo (ORG-STAFF).';
