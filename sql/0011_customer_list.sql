-- 0011_customer_list: indexes for the customer list as one statement per
-- view (fcgi/db.c ST_CUST_LIST_*, issue 9).

-- The search box matches name, number, contact and phone.  One trigram
-- index over the four (newline-separated, so a match never spans two
-- fields a user could not type across) serves it in every view; the
-- expression must stay exactly the one in db.c's CUST_LIST_TAIL and in
-- report.c's search filter.  It replaces the index on the name alone.
create index customers_search_trgm_idx on customers using gin (
	(name || E'\n' || number || E'\n' || coalesce(contact, '') || E'\n' ||
	    coalesce(phone, '')) gin_trgm_ops);
drop index customers_name_trgm_idx;

-- customers_owner_status_idx (owner_id, status) serves every lookup by
-- owner that this index served: one index less to maintain on each insert.
drop index customers_owner_idx;
