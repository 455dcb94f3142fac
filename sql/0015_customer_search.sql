-- 0015_customer_search: the search box's text (name, number, contact and
-- phone) in a table of its own, with the trigram index that was on
-- customers (sql/0011).  Why (docs/performance.md "Import speed"):
--  * an import writes it from a second connection while its own inserts the
--    customers, so the two halves of the work run on two cores; the trigram
--    index was more than half of the import's time;
--  * an update of a customer that cannot stay on its page (a visit, a deal,
--    a payment, a claim) no longer writes some 55 trigram entries again.
-- Kept exact by triggers on customers in the writing transaction; the
-- import (fcgi/wf_import.c) runs its inserts in replica mode, where they do
-- not fire, and writes the rows itself.  No foreign key: the import's rows
-- are committed by that second connection just before the customers are.
-- A row whose customer never came (the import's transaction lost after
-- that) matches nothing, as searches join customers; crm_search_rebuild()
-- removes such rows.

-- The searched text of a customer.  Newline-separated, so a match never
-- spans two fields.  Every writer and reader goes through this function.
create function crm_search_doc(name text, number text, contact text,
    phone text) returns text
	language sql immutable parallel safe
	return name || E'\n' || number || E'\n' || coalesce(contact, '') ||
	    E'\n' || coalesce(phone, '');
comment on function crm_search_doc(text, text, text, text) is 'The text the customer search matches (customer_search.doc).';

create table customer_search (
	id	bigint primary key,
	doc	text not null
);
comment on table customer_search is 'What the customer search matches, one row per customer (id = customers.id): crm_search_doc(name, number, contact, phone), trigram-indexed. Kept by triggers; an import writes it itself (sql/0015_customer_search.sql).';

insert into customer_search (id, doc)
select id, crm_search_doc(name, number, contact, phone) from customers;
create index customer_search_trgm_idx on customer_search
	using gin (doc gin_trgm_ops);
drop index customers_search_trgm_idx;

create function crm_search_sync() returns trigger
	language plpgsql as $$
begin
	if tg_op = 'DELETE' then
		delete from customer_search where id = old.id;
	else
		insert into customer_search (id, doc) values (new.id,
		    crm_search_doc(new.name, new.number, new.contact, new.phone))
		on conflict (id) do update set doc = excluded.doc;
	end if;
	return null;
end $$;
comment on function crm_search_sync() is 'Trigger: customer_search follows a customer''s name, number, contact and phone.';

create trigger customers_search_sync after insert or delete on customers
	for each row execute function crm_search_sync();
create trigger customers_search_sync_upd after update of name, number,
    contact, phone on customers for each row
	when (old.name is distinct from new.name or
	    old.number is distinct from new.number or
	    old.contact is distinct from new.contact or
	    old.phone is distinct from new.phone)
	execute function crm_search_sync();

-- Merge the trigram index's pending list into the index.  The import sends
-- its rows to the pending list with a large limit and merges them once, in
-- its transaction: one merge of 100,000 rows costs a fraction of fifty
-- small ones.  gin_clean_pending_list needs the index's owner.
create function crm_search_flush() returns bigint
	language sql security definer set search_path = pg_catalog, public
	return gin_clean_pending_list('customer_search_trgm_idx'::regclass);
comment on function crm_search_flush() is 'Merge customer_search''s trigram pending list (the import, once per import).';

-- Make customer_search match customers again: after a load that bypassed the
-- triggers (scripts/gen-data), or to drop rows of customers that never came.
create function crm_search_rebuild() returns bigint
	language sql as $$
	with gone as (delete from customer_search s where not exists (
		select 1 from customers c where c.id = s.id) returning 1),
	put as (insert into customer_search (id, doc)
		select c.id, crm_search_doc(c.name, c.number, c.contact, c.phone)
		from customers c
		on conflict (id) do update set doc = excluded.doc
		where customer_search.doc is distinct from excluded.doc
		returning 1)
	select (select count(*) from gone) + (select count(*) from put);
$$;
comment on function crm_search_rebuild() is 'Refill customer_search from customers (rows added, changed or removed); returns how many rows it changed.';
