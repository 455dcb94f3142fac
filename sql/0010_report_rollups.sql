-- 0010_report_rollups: month roll-ups of the records the whole-company
-- statistics read (docs/architecture.md "Report cache and speed"), kept
-- exact by row triggers in the transaction that writes the records, and
-- filled here from the rows that exist.  fcgi/report.c reads them instead
-- of the records when a report's period is whole months and no filter
-- needs the records (a customer's type, status, ...).
--
-- Keys: the person the record belongs to (row visibility: a salesperson's
-- own, a manager's department subtree) and, for the customer-based ones,
-- the customer's CURRENT region (what the detail statement groups by: a
-- region change moves the customer's counts).  Months are the session's
-- (the team's) time zone, as activity_daily's days.  Row triggers see the
-- rows of INSERT ... ON CONFLICT (the insert or the update) and of
-- INSERT ... SELECT (the import); a load that bypasses triggers
-- (session_replication_role = replica, scripts/gen-data) calls
-- crm_rollups_rebuild() after.

create table rpt_visits_m (
	staff_id	bigint not null,
	region		text,
	month		date not null,
	n		bigint not null default 0,
	last_day	date
);
create unique index rpt_visits_m_key on rpt_visits_m
	(staff_id, month, coalesce(region, ''));
create index rpt_visits_m_month on rpt_visits_m (month);
comment on table rpt_visits_m is 'Visits per person, customer region and month (RPT-S3 roll-up); last_day = the latest capture day.';

create table rpt_deals_m (
	staff_id	bigint not null,
	region		text,
	month		date not null,
	n		bigint not null default 0,
	amount		numeric(16, 2) not null default 0
);
create unique index rpt_deals_m_key on rpt_deals_m
	(staff_id, month, coalesce(region, ''));
create index rpt_deals_m_month on rpt_deals_m (month);
comment on table rpt_deals_m is 'Deals per person, customer region and month (RPT-S10/S11 roll-up).';

create table rpt_new_m (
	staff_id	bigint not null,
	region		text,
	month		date not null,
	n		bigint not null default 0
);
create unique index rpt_new_m_key on rpt_new_m
	(staff_id, month, coalesce(region, ''));
create index rpt_new_m_month on rpt_new_m (month);
comment on table rpt_new_m is 'Applied customer_new documents per applicant, customer region and month of application (RPT-S4 roll-up).';

create table rpt_activity_m (
	staff_id	bigint not null,
	month		date not null,
	new_customers	bigint not null default 0,
	claims		bigint not null default 0,
	visits		bigint not null default 0,
	deals		bigint not null default 0,
	deal_amount	numeric(16, 2) not null default 0,
	payments	bigint not null default 0,
	payment_amount	numeric(16, 2) not null default 0,
	primary key (staff_id, month)
);
create index rpt_activity_m_month on rpt_activity_m (month);
comment on table rpt_activity_m is 'activity_daily summed per person and month (RPT-S6 to S9 roll-up).';

-- Recompute one person's month of visits / deals from the records (a
-- region change, a record changed or removed).
create function crm_rpt_visits_fix(sid bigint, m date) returns void
language plpgsql as $$
begin
	delete from rpt_visits_m where staff_id = sid and month = m;
	insert into rpt_visits_m (staff_id, region, month, n, last_day)
	select sid, c.region, m, count(*), max(v.captured_at::date)
	from visits v join customers c on c.id = v.customer_id
	where v.staff_id = sid and v.captured_at >= m::timestamptz
	    and v.captured_at < (m + interval '1 month')::date::timestamptz
	group by c.region;
end $$;

create function crm_rpt_deals_fix(sid bigint, m date) returns void
language plpgsql as $$
begin
	delete from rpt_deals_m where staff_id = sid and month = m;
	insert into rpt_deals_m (staff_id, region, month, n, amount)
	select sid, c.region, m, count(*), coalesce(sum(d.amount), 0)
	from deals d join customers c on c.id = d.customer_id
	where d.staff_id = sid and d.deal_date >= m
	    and d.deal_date < (m + interval '1 month')::date
	group by c.region;
end $$;

create function crm_rpt_new_fix(sid bigint, m date) returns void
language plpgsql as $$
begin
	delete from rpt_new_m where staff_id = sid and month = m;
	insert into rpt_new_m (staff_id, region, month, n)
	select sid, c.region, m, count(*)
	from documents x join customers c on c.id = x.customer_id
	where x.kind = 'customer_new' and x.status = 'approved'
	    and x.applicant_id = sid and x.applied_at >= m::timestamptz
	    and x.applied_at < (m + interval '1 month')::date::timestamptz
	group by c.region;
end $$;

create function crm_rpt_visits_trg() returns trigger
language plpgsql as $$
begin
	if tg_op = 'INSERT' then
		insert into rpt_visits_m as r (staff_id, region, month, n,
		    last_day)
		select new.staff_id, c.region,
		    date_trunc('month', new.captured_at)::date, 1,
		    new.captured_at::date
		from customers c where c.id = new.customer_id
		on conflict (staff_id, month, coalesce(region, '')) do update
		set n = r.n + 1, last_day = greatest(r.last_day,
		    excluded.last_day);
		return null;
	end if;
	perform crm_rpt_visits_fix(old.staff_id,
	    date_trunc('month', old.captured_at)::date);
	if tg_op = 'UPDATE' then
		perform crm_rpt_visits_fix(new.staff_id,
		    date_trunc('month', new.captured_at)::date);
	end if;
	return null;
end $$;
create trigger rpt_visits after insert or update or delete on visits
	for each row execute function crm_rpt_visits_trg();

create function crm_rpt_deals_trg() returns trigger
language plpgsql as $$
begin
	if tg_op = 'INSERT' then
		insert into rpt_deals_m as r (staff_id, region, month, n, amount)
		select new.staff_id, c.region,
		    date_trunc('month', new.deal_date)::date, 1, new.amount
		from customers c where c.id = new.customer_id
		on conflict (staff_id, month, coalesce(region, '')) do update
		set n = r.n + 1, amount = r.amount + excluded.amount;
		return null;
	end if;
	perform crm_rpt_deals_fix(old.staff_id,
	    date_trunc('month', old.deal_date)::date);
	if tg_op = 'UPDATE' then
		perform crm_rpt_deals_fix(new.staff_id,
		    date_trunc('month', new.deal_date)::date);
	end if;
	return null;
end $$;
create trigger rpt_deals after insert or update or delete on deals
	for each row execute function crm_rpt_deals_trg();

-- A customer_new document counts once it is approved with its customer.
create function crm_rpt_new_trg() returns trigger
language plpgsql as $$
begin
	if tg_op in ('UPDATE', 'DELETE') and old.kind = 'customer_new' and
	    old.status = 'approved' and old.customer_id is not null and
	    old.applied_at is not null then
		update rpt_new_m r set n = r.n - 1 from customers c
		where c.id = old.customer_id and r.staff_id = old.applicant_id
		    and r.month = date_trunc('month', old.applied_at)::date
		    and coalesce(r.region, '') = coalesce(c.region, '');
		delete from rpt_new_m where staff_id = old.applicant_id and
		    month = date_trunc('month', old.applied_at)::date and n <= 0;
	end if;
	if tg_op in ('UPDATE', 'INSERT') and new.kind = 'customer_new' and
	    new.status = 'approved' and new.customer_id is not null and
	    new.applied_at is not null then
		insert into rpt_new_m as r (staff_id, region, month, n)
		select new.applicant_id, c.region,
		    date_trunc('month', new.applied_at)::date, 1
		from customers c where c.id = new.customer_id
		on conflict (staff_id, month, coalesce(region, '')) do update
		set n = r.n + 1;
	end if;
	return null;
end $$;
create trigger rpt_new after insert or update or delete on documents
	for each row execute function crm_rpt_new_trg();

-- A customer's region changed: its records count under the new region.
create function crm_rpt_region_trg() returns trigger
language plpgsql as $$
declare
	k record;
begin
	for k in select distinct staff_id,
	    date_trunc('month', captured_at)::date as m
	    from visits where customer_id = new.id loop
		perform crm_rpt_visits_fix(k.staff_id, k.m);
	end loop;
	for k in select distinct staff_id,
	    date_trunc('month', deal_date)::date as m
	    from deals where customer_id = new.id loop
		perform crm_rpt_deals_fix(k.staff_id, k.m);
	end loop;
	for k in select distinct applicant_id as staff_id,
	    date_trunc('month', applied_at)::date as m
	    from documents where customer_id = new.id and
	    kind = 'customer_new' and status = 'approved' and
	    applied_at is not null loop
		perform crm_rpt_new_fix(k.staff_id, k.m);
	end loop;
	return null;
end $$;
create trigger rpt_region after update of region on customers
	for each row when (old.region is distinct from new.region)
	execute function crm_rpt_region_trg();

create function crm_rpt_activity_trg() returns trigger
language plpgsql as $$
begin
	if tg_op in ('UPDATE', 'DELETE') then
		insert into rpt_activity_m as r (staff_id, month, new_customers,
		    claims, visits, deals, deal_amount, payments,
		    payment_amount)
		values (old.staff_id, date_trunc('month', old.day)::date,
		    -old.new_customers, -old.claims, -old.visits, -old.deals,
		    -old.deal_amount, -old.payments, -old.payment_amount)
		on conflict (staff_id, month) do update set
		    new_customers = r.new_customers + excluded.new_customers,
		    claims = r.claims + excluded.claims,
		    visits = r.visits + excluded.visits,
		    deals = r.deals + excluded.deals,
		    deal_amount = r.deal_amount + excluded.deal_amount,
		    payments = r.payments + excluded.payments,
		    payment_amount = r.payment_amount + excluded.payment_amount;
	end if;
	if tg_op in ('UPDATE', 'INSERT') then
		insert into rpt_activity_m as r (staff_id, month, new_customers,
		    claims, visits, deals, deal_amount, payments,
		    payment_amount)
		values (new.staff_id, date_trunc('month', new.day)::date,
		    new.new_customers, new.claims, new.visits, new.deals,
		    new.deal_amount, new.payments, new.payment_amount)
		on conflict (staff_id, month) do update set
		    new_customers = r.new_customers + excluded.new_customers,
		    claims = r.claims + excluded.claims,
		    visits = r.visits + excluded.visits,
		    deals = r.deals + excluded.deals,
		    deal_amount = r.deal_amount + excluded.deal_amount,
		    payments = r.payments + excluded.payments,
		    payment_amount = r.payment_amount + excluded.payment_amount;
	end if;
	return null;
end $$;
create trigger rpt_activity after insert or update or delete
	on activity_daily for each row execute function crm_rpt_activity_trg();

-- Fill (or refill) every roll-up from the records.
create function crm_rollups_rebuild() returns void
language plpgsql as $$
begin
	delete from rpt_visits_m;
	insert into rpt_visits_m (staff_id, region, month, n, last_day)
	select v.staff_id, c.region, date_trunc('month', v.captured_at)::date,
	    count(*), max(v.captured_at::date)
	from visits v join customers c on c.id = v.customer_id
	group by 1, 2, 3;
	delete from rpt_deals_m;
	insert into rpt_deals_m (staff_id, region, month, n, amount)
	select d.staff_id, c.region, date_trunc('month', d.deal_date)::date,
	    count(*), coalesce(sum(d.amount), 0)
	from deals d join customers c on c.id = d.customer_id
	group by 1, 2, 3;
	delete from rpt_new_m;
	insert into rpt_new_m (staff_id, region, month, n)
	select x.applicant_id, c.region,
	    date_trunc('month', x.applied_at)::date, count(*)
	from documents x join customers c on c.id = x.customer_id
	where x.kind = 'customer_new' and x.status = 'approved'
	    and x.applied_at is not null
	group by 1, 2, 3;
	delete from rpt_activity_m;
	insert into rpt_activity_m (staff_id, month, new_customers, claims,
	    visits, deals, deal_amount, payments, payment_amount)
	select staff_id, date_trunc('month', day)::date, sum(new_customers),
	    sum(claims), sum(visits), sum(deals), sum(deal_amount),
	    sum(payments), sum(payment_amount)
	from activity_daily group by 1, 2;
end $$;
comment on function crm_rollups_rebuild() is 'Refill the report roll-ups (rpt_*_m) from the records: after a load that bypassed triggers.';

select crm_rollups_rebuild();
