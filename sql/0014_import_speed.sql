-- 0014_import_speed: the pre-check stores its rows without a key check per
-- row (issue 7).  import_rows is written only by the pre-check
-- (fcgi/h_import.c), in the transaction that creates its imports row, with
-- owners that ST_IMPORT_OWNERS found active in that same transaction; the
-- import checks every owner again, once, before it inserts (ST_IMPORT_KEYS).
-- The two foreign keys checked each of 100,000 rows again, by a query per
-- row: about a third of PostgreSQL's time in a pre-check.
alter table import_rows drop constraint import_rows_import_id_fkey;
alter table import_rows drop constraint import_rows_owner_id_fkey;
comment on column import_rows.import_id is 'The imports row made in the same transaction (no foreign key: see sql/0014_import_speed.sql).';
comment on column import_rows.owner_id is 'The owner named in the file, an active staff id when checked; null: the customer goes to the public pool. Checked again when the import is applied (ST_IMPORT_KEYS).';

-- Once an import is applied its staged rows are never read again (the result
-- page lists customers by import_id); the jobs process deletes them
-- (ST_IMPORT_PURGE) and marks the import, so the sweep finds the next one by
-- this small index instead of looking into import_rows.
alter table imports add column staged_purged boolean not null default false;
comment on column imports.staged_purged is 'The staged rows (import_rows) of this applied import have been deleted by the jobs process or crmctl imports purge.';
create index imports_purge_idx on imports (id) where status = 'done' and not staged_purged;
