-- 0006_import: batch import of historical customers (CUS-IMPORT).
--
-- An upload is parsed and checked at once (the pre-check); what it found is
-- kept here: the counts, the problems (row, column, message) and every row
-- that passed, ready to be inserted.  Submitting a customer_import document
-- inserts the good rows in one transaction.  Progress is written by a
-- second connection of the applying worker into import_progress, a table
-- the applying transaction never locks, so any app server can answer how
-- far it got while the import runs.

create table imports (
	id		bigint generated always as identity primary key,
	staff_id	bigint not null references staff (id),
	file_name	text,
	file_kind	text not null check (file_kind in ('csv', 'xlsx')),
	size		int not null,
	status		text not null default 'checked' check (status in
			    ('checked', 'done')),
	total		int not null default 0,
	good		int not null default 0,
	bad		int not null default 0,
	problems	jsonb not null default '[]',
	counts		jsonb not null default '{}',
	document_id	bigint references documents (id),
	imported	int not null default 0,
	created_at	timestamptz not null default now(),
	finished_at	timestamptz
);
comment on table imports is 'One uploaded customer file and its pre-check (CUS-IMPORT); applied by a customer_import document.';
comment on column imports.total is 'Data rows in the file (the header row not counted).';
comment on column imports.good is 'Rows that passed every check of the new-customer form, the duplicate checks and the owner check.';
comment on column imports.problems is 'Up to 1000 problems: [{row, column, field, zh, en}]; row as the spreadsheet numbers it.';
comment on column imports.counts is 'Problems by kind, all of them counted: {invalid, duplicate_in_file, duplicate_in_archive, unknown_owner, unknown_column}.';
comment on column imports.status is 'checked: pre-checked, not imported; done: the document that imported it was applied.';

create table import_rows (
	import_id	bigint not null references imports (id),
	rowno		int not null,
	seq		int not null,
	data		jsonb not null,
	extra		jsonb not null default '{}',
	name_norm	text not null,
	owner_id	bigint references staff (id),
	primary key (import_id, rowno),
	unique (import_id, seq)
);
comment on table import_rows is 'The rows of an import that passed the pre-check, as the new-customer form data (codes, not labels), ready for one INSERT ... SELECT per batch.';
comment on column import_rows.seq is 'Position among the good rows (1, 2, 3...): batches are ranges of it, and the n-th good row gets the n-th reserved customer number.';
comment on column import_rows.owner_id is 'The owner named in the file; null: the customer goes to the public pool.';

create table import_progress (
	-- No foreign key: the applying transaction holds the imports row
	-- (for update), and a key check would make this write wait for it.
	import_id	bigint primary key,
	phase		text not null check (phase in ('running', 'done', 'failed')),
	done		int not null default 0,
	total		int not null default 0,
	message		text,
	pid		int,
	xact_start	timestamptz,
	updated_at	timestamptz not null default now()
);
comment on column import_progress.pid is 'Backend pid of the applying transaction: while it is running the import is too; once it is gone without the import being done, the import failed and left nothing behind.';
comment on column import_progress.xact_start is 'Start of the applying transaction (its now()): with pid it tells that transaction from a later one on the same backend.';
comment on table import_progress is 'How far a running import got, written outside its transaction (autocommit, second connection) so every app server can answer the page that polls it.';

alter table customers add column import_id bigint references imports (id);
comment on column customers.import_id is 'The import that created the customer, if any (the result page lists them).';
create index customers_import_idx on customers (import_id) where import_id is not null;
