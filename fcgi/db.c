/*
 * db.c: the PostgreSQL connection of a worker (or of crmctl) and every SQL
 * statement the programs run, prepared once per connection.
 *
 * No SQL is ever built from input: handlers name a statement and pass
 * parameters as text (libpq testlibpq3.c).  A lost connection is noticed
 * on the failing call, answered as "unavailable", and re-opened (with all
 * statements prepared again) by the next db_ensure, at most twice a second
 * so a dead server does not turn every request into a connect storm.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extern.h"

/*
 * The customer list's shared parts (see ST_CUST_LIST_MINE).  The search
 * ($3, LIKE's wildcards taken literally) matches name, number, contact and
 * phone: customer_search, one row per customer with its trigram index
 * (sql/0015_customer_search.sql).  params: the parameters a view may not
 * use, typed (an unused CTE is not run).  The shared flag (and "shared
 * by me") is a scalar subquery, looked up per customer: as EXISTS, a
 * generic plan may hash or walk the whole of customer_shares instead.
 * base (the view's rows) is inlined into the page and into the count; the
 * page is cut before the owner's name and the shared flag are looked up.
 */
#define CUST_LIST_FROM \
	"with params as (select $1::bigint as me, $3::text as term), " \
	"base as not materialized (select c.* from "
#define CUST_LIST_ORDER \
	" case when $4 = 'name' then c.name end, " \
	" case when $4 = '-name' then c.name end desc, " \
	" case when $4 = 'number' then c.number end, " \
	" case when $4 = '-number' then c.number end desc, " \
	" case when $4 = 'last_visit' then c.last_visit_at end nulls first, " \
	" case when $4 = '-last_visit' then c.last_visit_at end desc nulls last, " \
	" case when $4 = 'visit_count' then c.visit_count end, " \
	" case when $4 = '-visit_count' then c.visit_count end desc, " \
	" c.id desc "
#define CUST_LIST_TYPE \
	"($2::text is null or c.type_code in (select crm_type_subtree($2)))"
/*
 * With a search term: a semi-join PostgreSQL can drive from the trigram
 * index (a rare word) or apply to the view's rows (a common one).  Inside
 * "$3 is null or ...", or naming a column of the outer query, it could
 * only be a filter on the view's rows: the whole pool read for a word
 * three customers have.
 */
#define CUST_LIST_SEARCH \
	" and c.id in (select s.id from customer_search s where s.doc ilike " \
	"'%' || replace(replace(replace($3::text, '\\', '\\\\'), " \
	"'%', '\\%'), '_', '\\_') || '%')"
#define CUST_LIST_PAGE \
	"page as (select c.* from base c order by " CUST_LIST_ORDER \
	" limit $5::int offset $6::int) " \
	"select coalesce((select json_agg(x) from (select c.id, c.number, " \
	"c.name, c.type_code as type, c.status, c.region, c.stage, " \
	"c.visit_count, c.last_visit_at, c.owner_id, (select o.name from " \
	"staff o where o.id = c.owner_id) as owner, c.contact, c.phone, " \
	"c.extra, c.created_at, coalesce((select true from customer_shares " \
	"sh where sh.customer_id = c.id limit 1), false) as shared from page " \
	"c order by " \
	CUST_LIST_ORDER ") x), '[]')::text, " \
	"(select count(*) from (select 1 from base limit $7::int) n)"
#define CUST_LIST_TAIL \
	CUST_LIST_TYPE "), " CUST_LIST_PAGE
#define CUST_LIST_TAIL_Q \
	CUST_LIST_TYPE CUST_LIST_SEARCH "), " CUST_LIST_PAGE
#define CUST_VIEW_MINE \
	CUST_LIST_FROM "(select * from customers where owner_id = $1 union " \
	"all select * from customers where id in (select customer_id from " \
	"customer_shares where staff_id = $1) and owner_id is distinct from " \
	"$1) c where "
#define CUST_VIEW_SHARED_BY_ME \
	CUST_LIST_FROM "customers c where c.owner_id = $1 and (select true " \
	"from customer_shares s where s.customer_id = c.id limit 1) and "
#define CUST_VIEW_SHARED_WITH_ME \
	CUST_LIST_FROM "customers c where c.id in (select s.customer_id from " \
	"customer_shares s where s.staff_id = $1) and "
#define CUST_VIEW_POOL \
	CUST_LIST_FROM "customers c where c.owner_id is null and "
#define CUST_VIEW_ALL \
	CUST_LIST_FROM "customers c where "
#define CUST_VIEW_MANAGED \
	CUST_LIST_FROM "customers c where c.owner_id in (select o.id from " \
	"staff o where o.department_id in (select crm_managed_depts($1))) and "

static const char *const stmts[ST__MAX] = {
	[ST_PING] = "select 1",
	[ST_STAFF_AUTH] =
	    "select id, password_hash, active, "
	    "(failed_logins >= $2::int and "
	    " last_failed_at > now() - make_interval(secs => $3::int)) "
	    "from staff where login = $1",
	[ST_STAFF_LOGIN_FAIL] =
	    "update staff set failed_logins = case when last_failed_at > "
	    "now() - make_interval(secs => $2::int) then failed_logins + 1 "
	    "else 1 end, last_failed_at = now() where id = $1",
	[ST_STAFF_LOGIN_OK] =
	    "update staff set failed_logins = 0, last_failed_at = null "
	    "where id = $1 and failed_logins <> 0",
	[ST_STAFF_SET_HASH] =
	    "update staff set password_hash = $2, password_changed_at = now(), "
	    "updated_at = now() where id = $1",
	[ST_STAFF_USER] =
	    "select s.id, s.login, s.name, s.role, s.lang, s.department_id, "
	    "d.name, s.password_hash from staff s "
	    "left join departments d on d.id = s.department_id "
	    "where s.id = $1 and s.active",
	[ST_STAFF_SET_LANG] =
	    "update staff set lang = $2, updated_at = now() where id = $1",
	[ST_STAFF_SET_ACTIVE] =
	    "update staff set active = $2, updated_at = now() where id = $1",
	[ST_STAFF_BY_LOGIN] = "select id from staff where login = $1",
	[ST_STAFF_INSERT] =
	    "insert into staff (login, password_hash, name, role, "
	    "department_id, position, mobile, gender, max_customers) "
	    "values ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
	    "on conflict (login) do nothing returning id",
	[ST_DEPT_INSERT] =
	    "insert into departments (parent_id, name) values ($1, $2) "
	    "returning id",
	[ST_DEPT_SET_MANAGER] =
	    "update departments set manager_id = $2 where id = $1",
	[ST_DEPT_FIND_NAME] =
	    "select id from departments where name = $1 order by id limit 1",
	[ST_DEPT_BY_NAME] =
	    "select id from departments where name = $1 and "
	    "parent_id is not distinct from $2::bigint",
	[ST_SESSION_INSERT] =
	    "insert into sessions (token_hash, staff_id, csrf_token, "
	    "user_agent, remote_addr) values (decode($1, 'hex'), $2, $3, "
	    "left($4, 200), $5)",
	[ST_SESSION_GET] =
	    "select s.staff_id, s.csrf_token, "
	    "extract(epoch from s.created_at)::bigint from sessions s "
	    "join staff st on st.id = s.staff_id and st.active "
	    "where s.token_hash = decode($1, 'hex') "
	    "and s.last_seen > now() - make_interval(secs => $2::int) "
	    "and s.created_at > now() - make_interval(secs => $3::int)",
	[ST_SESSION_TOUCH] =
	    "update sessions set last_seen = now() "
	    "where token_hash = decode($1, 'hex')",
	[ST_SESSION_DELETE] =
	    "delete from sessions where token_hash = decode($1, 'hex')",
	[ST_SESSION_DELETE_OTHERS] =
	    "delete from sessions where staff_id = $1 and "
	    "token_hash <> decode($2, 'hex') "
	    "returning encode(token_hash, 'hex')",
	[ST_SESSION_DELETE_USER] =
	    "delete from sessions where staff_id = $1 "
	    "returning encode(token_hash, 'hex')",
	[ST_SESSION_PURGE] =
	    "delete from sessions where "
	    "last_seen < now() - make_interval(secs => $1::int) "
	    "or created_at < now() - make_interval(secs => $2::int)",
	[ST_SESSION_HASHES_OF_USER] =
	    "select encode(token_hash, 'hex') from sessions where staff_id = $1",
	[ST_AUDIT] =
	    "insert into audit_log (staff_id, action, object, object_id, "
	    "detail, remote_addr) values ($1, $2, $3, $4, $5::jsonb, $6)",
	/* The chain in seq order, a page after seq $1 (audit.c). */
	[ST_AUDIT_CHAIN_PAGE] =
	    "select id, seq, encode(prev_hash, 'hex'), encode(hash, 'hex'), "
	    "audit_canon(a), action, at from audit_log a where seq > $1 "
	    "order by seq limit 2000",
	[ST_AUDIT_CHAIN_HEAD] =
	    "select seq, encode(hash, 'hex') from audit_chain",
	/* ------------------------------------------- idempotency, numbers */
	[ST_IDEM_LOCK] =
	    "select pg_advisory_xact_lock(hashtextextended($1, 7240002))",
	[ST_IDEM_GET] =
	    "select request_hash, status, response from idempotency "
	    "where staff_id = $1 and key = $2",
	[ST_IDEM_PUT] =
	    "insert into idempotency (staff_id, key, request_hash, status, "
	    "response) values ($1, $2, $3, $4, $5)",
	/* The same with the numbers given at commit ($6 to $9). */
	/*
	 * The same with the numbers given at commit ($6 to $9) and the
	 * activity figures ($10 to $18, ST_ACTIVITY_ADD's; none when $10 is
	 * null): one statement, right before the commit.
	 */
	[ST_IDEM_PUT_NUMBERS] =
	    "with d as (update documents set number = $7 where id = $6::bigint), "
	    "c as (update customers set number = $9 where id = $8::bigint), "
	    "a as (insert into activity_daily (staff_id, day, new_customers, "
	    "claims, visits, deals, deal_amount, payments, payment_amount) "
	    "select $10::bigint, $11::date, $12::int, $13::int, $14::int, "
	    "$15::int, $16::numeric, $17::int, $18::numeric where $10 is not "
	    "null on conflict (staff_id, day) do update set "
	    "new_customers = activity_daily.new_customers + excluded.new_customers, "
	    "claims = activity_daily.claims + excluded.claims, "
	    "visits = activity_daily.visits + excluded.visits, "
	    "deals = activity_daily.deals + excluded.deals, "
	    "deal_amount = activity_daily.deal_amount + excluded.deal_amount, "
	    "payments = activity_daily.payments + excluded.payments, "
	    "payment_amount = activity_daily.payment_amount + "
	    "excluded.payment_amount) "
	    "insert into idempotency (staff_id, key, request_hash, status, "
	    "response) values ($1, $2, $3, $4, $5)",
	[ST_SEQ_NEXT] =
	    "insert into number_seq (name, day, seq) values ($1, current_date, 1) "
	    "on conflict (name, day) do update set seq = number_seq.seq + 1 "
	    "returning seq, to_char(current_date, 'YYYY-MM-DD')",
	/*
	 * The numbers of a document (and of the customer it created), taken
	 * right before the commit (wf_late_numbers): the document's counter
	 * first, as every other writer takes them.
	 */
	[ST_SEQ_NEXT_LATE] =
	    "insert into number_seq (name, day, seq) select n, current_date, 1 "
	    "from unnest(array['document', 'customer']) n where case n when "
	    "'document' then $1::boolean else $2::boolean end order by n desc "
	    "on conflict (name, day) do update set seq = number_seq.seq + 1 "
	    "returning name, seq, to_char(current_date, 'YYYY-MM-DD')",
	/* --------------------------------------------------------- staff */
	/* The nearest head above the person who is not the person. */
	[ST_ROUTE_HEAD] =
	    "with recursive up(id, parent_id, manager_id, depth) as (select "
	    "d.id, d.parent_id, d.manager_id, 0 from departments d join staff s "
	    "on s.department_id = d.id where s.id = $1 union all select p.id, "
	    "p.parent_id, p.manager_id, up.depth + 1 from departments p join up "
	    "on p.id = up.parent_id where up.depth < 64) select manager_id from "
	    "up where manager_id is not null and manager_id <> $1 order by depth "
	    "limit 1",
	[ST_STAFF_FIRST_BY_ROLE] =
	    "select id from staff where role = $1 and active order by id limit 1",
	[ST_STAFF_ACTIVE_BY_LOGIN] =
	    "select id from staff where login = $1 and active",
	/*
	 * No key update: it serialises the limit checks of one person, but
	 * not the foreign-key checks (key share) of rows that name them, which
	 * a document's own earlier inserts hold: "for update" would make two
	 * of one person's documents deadlock upgrading their key share (so
	 * do ST_CUST_LOCK and ST_CUST_OWNED_LOCK for the customers a claim or
	 * transfer document names).
	 */
	[ST_STAFF_LOCK] =
	    "select id, role, max_customers, name, active from staff "
	    "where id = $1 for no key update",
	[ST_STAFF_LIST] =
	    "select coalesce(json_agg(json_build_object('id', s.id, 'login', "
	    "s.login, 'name', s.name, 'role', s.role, 'department_id', "
	    "s.department_id, 'department', d.name) order by d.id, s.id), "
	    "'[]')::text from staff s left join departments d on "
	    "d.id = s.department_id where s.active",
	/* ----------------------------------------------------- documents */
	[ST_DOC_INSERT] =
	    "insert into documents (number, kind, applicant_id, status, data, "
	    "customer_id) values (coalesce($1, '~D' || pg_current_xact_id() || "
	    "'~'), $2, $3, 'submitted', $4::jsonb, $5) returning id, number",
	[ST_DOC_LOCK] =
	    "select d.id, d.number, d.kind, d.applicant_id, d.status, "
	    "d.data::text, d.customer_id, d.step, a.role from documents d "
	    "join staff a on a.id = d.applicant_id where d.id = $1 for update "
	    "of d",
	[ST_DOC_SET_STATUS] =
	    "update documents set status = $2, step = $3::int, "
	    "customer_id = coalesce($4::bigint, customer_id), "
	    "decided_at = case when $2 in ('approved', 'rejected', 'returned', "
	    "'withdrawn') then now() else decided_at end, "
	    "applied_at = case when $2 = 'approved' then now() else applied_at "
	    "end, data = coalesce($5::jsonb, data) where id = $1",
	[ST_DOC_JSON] =
	    "select json_build_object('id', d.id, 'number', d.number, 'kind', "
	    "d.kind, 'status', d.status, 'data', d.data, 'customer', case when "
	    "c.id is null then null else json_build_object('id', c.id, "
	    "'number', c.number, 'name', c.name) end, 'applicant', "
	    "json_build_object('id', a.id, 'name', a.name), 'created_at', "
	    "d.created_at, 'decided_at', d.decided_at, 'applied_at', "
	    "d.applied_at, 'step', d.step, 'steps', coalesce((select "
	    "json_agg(json_build_object('idx', s.idx, 'approver', "
	    "json_build_object('id', p.id, 'name', p.name), 'rule', s.rule, "
	    "'status', s.status, 'comment', s.comment, 'decided_at', "
	    "s.decided_at) order by s.idx) from document_steps s join staff p "
	    "on p.id = s.approver_id where s.document_id = d.id), '[]'))::text "
	    "from documents d join staff a on a.id = d.applicant_id "
	    "left join customers c on c.id = d.customer_id where d.id = $1 "
	    "and (d.applicant_id = $2 or $3 in ('director', 'admin') or exists "
	    "(select 1 from document_steps s where s.document_id = d.id and "
	    "s.approver_id = $2) or ($3 = 'manager' and a.department_id in "
	    "(select crm_managed_depts($2::bigint))))",
	[ST_DOC_LIST] =
	    "select coalesce(json_agg(x order by x.id desc), '[]')::text from "
	    "(select d.id, d.number, d.kind, d.status, d.created_at, "
	    "d.customer_id, c.name as customer_name, a.name as applicant "
	    "from documents d join staff a on a.id = d.applicant_id "
	    "left join customers c on c.id = d.customer_id "
	    "where d.applicant_id = $1 and ($2::text is null or d.kind = $2) "
	    "and ($3::text is null or d.status = $3) order by d.id desc "
	    "limit 200) x",
	[ST_STEP_INSERT] =
	    "insert into document_steps (document_id, idx, approver_id, rule, "
	    "status) values ($1, $2, $3, $4, $5)",
	[ST_STEP_DECIDE] =
	    "update document_steps set status = $3, comment = $4, "
	    "decided_at = now() where document_id = $1 and idx = $2",
	[ST_STEP_ACTIVATE] =
	    "update document_steps set status = 'pending' where "
	    "document_id = $1 and idx = $2 returning approver_id",
	[ST_STEPS_CANCEL] =
	    "update document_steps set status = 'cancelled' where "
	    "document_id = $1 and status in ('waiting', 'pending')",
	[ST_STEP_CURRENT] =
	    "select idx, approver_id, status, (select count(*) from "
	    "document_steps where document_id = $1) from document_steps "
	    "where document_id = $1 and idx = $2",
	[ST_TODOS] =
	    "select coalesce(json_agg(x order by x.created_at), '[]')::text from "
	    "(select d.id, d.number, d.kind, d.created_at, d.data, "
	    "a.name as applicant, c.name as customer_name, s.idx as step "
	    "from document_steps s join documents d on d.id = s.document_id "
	    "join staff a on a.id = d.applicant_id left join customers c on "
	    "c.id = d.customer_id where s.approver_id = $1 and "
	    "s.status = 'pending' and d.status = 'submitted') x",
	[ST_NOTIFY] =
	    "insert into notifications (staff_id, kind, document_id, "
	    "customer_id, detail) values ($1, $2, $3, $4, $5::jsonb)",
	[ST_NOTIFY_LIST] =
	    "select coalesce(json_agg(x order by x.id desc), '[]')::text from "
	    "(select n.id, n.kind, n.document_id, n.customer_id, n.detail, "
	    "n.created_at, n.read_at, d.number as document_number, d.kind as "
	    "document_kind, d.status as document_status, c.name as "
	    "customer_name from notifications n left join documents d on "
	    "d.id = n.document_id left join customers c on c.id = "
	    "n.customer_id where n.staff_id = $1 order by n.id desc limit 100) x",
	[ST_NOTIFY_READ] =
	    "update notifications set read_at = now() where staff_id = $1 and "
	    "read_at is null and ($2::bigint is null or id = $2)",
	[ST_NOTIFY_READ_DOC] =
	    "update notifications set read_at = now() where staff_id = $1 and "
	    "document_id = $2 and kind = 'todo' and read_at is null",
	[ST_NOTIFY_UNREAD] =
	    "select count(*) from notifications where staff_id = $1 and "
	    "read_at is null",
	/* ----------------------------------------------------- customers */
	[ST_CUST_BY_NORM] =
	    "select c.id, c.number, c.owner_id, s.name from customers c "
	    "left join staff s on s.id = c.owner_id where c.name_norm = $1",
	[ST_CUST_INSERT] =
	    "insert into customers (number, name, name_norm, address, contact, "
	    "phone, region, type_code, source, stage, status, lat, lng, extra, "
	    "owner_id, owned_since, created_by) values (coalesce($1, '~C' || "
	    "pg_current_xact_id() || '~'), $2, $3, $4, $5, $6, $7, $8, $9, $10, "
	    "$11, $12::float8, $13::float8, $14::jsonb, $15, now(), $15) "
	    "returning id, number",
	/*
	 * The owner's name by a subquery, not a join: after waiting for the
	 * lock the row is read again as the winner left it, and a joined
	 * staff row would still be the one of before (none, in the pool).
	 */
	[ST_CUST_LOCK] =
	    "select c.id, c.number, c.name, c.owner_id, c.previous_owner_id, "
	    "(c.returned_at > now() - make_interval(days => $2::int)), "
	    "(select o.name from staff o where o.id = c.owner_id), c.locked "
	    "from customers c where c.id = $1 for no key update",
	[ST_CUST_SET_OWNER] =
	    "update customers set owner_id = $2, owned_since = now(), "
	    "updated_at = now() where id = $1",
	[ST_CUST_JSON] =
	    "select row_to_json(c)::text, coalesce((select json_agg(staff_id "
	    "order by staff_id) from customer_shares where customer_id = c.id), "
	    "'[]')::text from customers c where c.id = $1",
	[ST_CUST_UPDATE] =
	    "update customers set "
	    "name = coalesce($2::jsonb->>'name', name), "
	    "name_norm = coalesce($3, name_norm), "
	    "address = case when $2::jsonb ? 'address' then "
	    "$2::jsonb->>'address' else address end, "
	    "contact = case when $2::jsonb ? 'contact' then "
	    "$2::jsonb->>'contact' else contact end, "
	    "phone = case when $2::jsonb ? 'phone' then "
	    "$2::jsonb->>'phone' else phone end, "
	    "region = case when $2::jsonb ? 'region' then "
	    "$2::jsonb->>'region' else region end, "
	    "type_code = case when $2::jsonb ? 'type' then "
	    "$2::jsonb->>'type' else type_code end, "
	    "source = case when $2::jsonb ? 'source' then "
	    "$2::jsonb->>'source' else source end, "
	    "stage = case when $2::jsonb ? 'stage' then "
	    "$2::jsonb->>'stage' else stage end, "
	    "status = case when $2::jsonb ? 'status' then "
	    "$2::jsonb->>'status' else status end, "
	    "lat = case when $2::jsonb ? 'lat' then "
	    "($2::jsonb->>'lat')::float8 else lat end, "
	    "lng = case when $2::jsonb ? 'lng' then "
	    "($2::jsonb->>'lng')::float8 else lng end, "
	    "logo_file = case when $2::jsonb ? 'logo_file' then "
	    "($2::jsonb->>'logo_file')::bigint else logo_file end, "
	    "extra = extra || coalesce($4::jsonb, '{}'), "
	    "updated_at = now() where id = $1",
	/*
	 * The customer list: one statement per view, so that each is driven by
	 * its own index (the owner, the shares, the pool) instead of one CASE no
	 * index can serve.  $1 me, $2 type (subtree), $3 search text, $4 sort,
	 * $5 size, $6 offset, $7 how far to count (h_customers.c: a count of
	 * the whole pool costs a scan).  CUST_VIEW_* (CUST_LIST_FROM, the view's
	 * rows and condition), then CUST_LIST_TAIL or, with a search term,
	 * CUST_LIST_TAIL_Q.
	 */
	[ST_CUST_LIST_MINE] = CUST_VIEW_MINE CUST_LIST_TAIL,
	[ST_CUST_LIST_SHARED_BY_ME] = CUST_VIEW_SHARED_BY_ME CUST_LIST_TAIL,
	[ST_CUST_LIST_SHARED_WITH_ME] = CUST_VIEW_SHARED_WITH_ME CUST_LIST_TAIL,
	[ST_CUST_LIST_POOL] = CUST_VIEW_POOL CUST_LIST_TAIL,
	[ST_CUST_LIST_ALL] = CUST_VIEW_ALL CUST_LIST_TAIL,
	[ST_CUST_LIST_MANAGED] = CUST_VIEW_MANAGED CUST_LIST_TAIL,
	/* The same with a search term ($3 not null). */
	[ST_CUST_LIST_MINE_Q] = CUST_VIEW_MINE CUST_LIST_TAIL_Q,
	[ST_CUST_LIST_SHARED_BY_ME_Q] = CUST_VIEW_SHARED_BY_ME CUST_LIST_TAIL_Q,
	[ST_CUST_LIST_SHARED_WITH_ME_Q] = CUST_VIEW_SHARED_WITH_ME CUST_LIST_TAIL_Q,
	[ST_CUST_LIST_POOL_Q] = CUST_VIEW_POOL CUST_LIST_TAIL_Q,
	[ST_CUST_LIST_ALL_Q] = CUST_VIEW_ALL CUST_LIST_TAIL_Q,
	[ST_CUST_LIST_MANAGED_Q] = CUST_VIEW_MANAGED CUST_LIST_TAIL_Q,
	/*
	 * A customer by primary key, planned once (no reader in it): crmd
	 * decides who may see it from the owner and the shares it returns, and
	 * asks ST_CUST_SEES only for managers and approvers.
	 */
	[ST_CUST_DETAIL] =
	    "select json_build_object('id', c.id, 'number', c.number, 'name', "
	    "c.name, 'address', c.address, 'contact', c.contact, 'phone', "
	    "c.phone, 'region', c.region, 'type', c.type_code, 'source', "
	    "c.source, 'stage', c.stage, 'status', c.status, 'lat', c.lat, "
	    "'lng', c.lng, 'extra', c.extra, 'locked', c.locked, 'logo', "
	    "(select f.token from files f where f.id = c.logo_file), 'owner', case "
	    "when o.id is null then null else json_build_object('id', o.id, "
	    "'name', o.name) end, 'visit_count', c.visit_count, "
	    "'last_visit_at', c.last_visit_at, 'deal_total', "
	    "c.deal_total::text, 'paid_total', c.paid_total::text, 'remaining', "
	    "(c.deal_total - c.paid_total)::text, 'created_at', c.created_at, 'owned_since', "
	    "c.owned_since, 'shared_with', coalesce((select json_agg("
	    "json_build_object('id', s.id, 'name', s.name) order by s.id) from "
	    "customer_shares sh join staff s on s.id = sh.staff_id where "
	    "sh.customer_id = c.id), '[]'))::text, c.owner_id, exists (select 1 "
	    "from customer_shares sh where sh.customer_id = c.id and "
	    "sh.staff_id = $2) from customers c left join staff o on "
	    "o.id = c.owner_id where c.id = $1",
	[ST_CUST_SEES] =
	    "select crm_sees($1, $2, $3, $4) or exists (select 1 from "
	    "documents d join document_steps s on s.document_id = d.id where "
	    "d.customer_id = $3 and s.approver_id = $1)",
	[ST_CUST_TIMELINE] =
	    "select coalesce(json_agg(x order by x.at desc), '[]')::text from ("
	    "select 'document' as type, d.applied_at as at, d.kind, d.number, "
	    "d.id as document_id, a.name as who, d.data as detail, null as "
	    "field, null as before, null as after from documents d join staff a "
	    "on a.id = d.applicant_id where d.customer_id = $1 and "
	    "d.status = 'approved' union all "
	    "select 'change', l.at, null, null, l.document_id, s.name, null, "
	    "l.field, l.before, l.after from change_log l left join staff s on "
	    "s.id = l.staff_id where l.customer_id = $1 union all "
	    "select 'pool', p.at, p.event, null, null, s.name, "
	    "to_jsonb(p.reason), null, null, null from pool_log p left join "
	    "staff s on s.id = p.staff_id where p.customer_id = $1 "
	    "order by 2 desc limit 500) x",
	[ST_CUST_OWNED_LOCK] =
	    "select id from customers where owner_id = $1 and ($2::bigint[] is "
	    "null or id = any($2::bigint[])) order by id for no key update",
	[ST_OWNED_COUNT] =
	    "select count(*) from customers where owner_id = $1",
	[ST_CLAIMS_TODAY] =
	    "select count(*) from pool_log where staff_id = $1 and "
	    "event = 'claimed' and at >= current_date",
	[ST_SHARE_ADD] =
	    "insert into customer_shares (customer_id, staff_id) select $1, "
	    "s.id from staff s where s.id = any($2::bigint[]) and s.active and "
	    "s.id <> (select coalesce(owner_id, 0) from customers where id = $1) "
	    "on conflict do nothing",
	[ST_SHARE_CLEAR] = "delete from customer_shares where customer_id = $1",
	[ST_CUST_EXISTS] = "select 1 from customers where id = $1",
	[ST_SHARES_OF] =
	    "select coalesce(json_agg(staff_id order by staff_id), '[]')::text "
	    "from customer_shares where customer_id = $1",
	[ST_CHANGE_LOG] =
	    "insert into change_log (customer_id, document_id, field, before, "
	    "after, staff_id) values ($1, $2, $3, $4, $5, $6)",
	[ST_POOL_LOG] =
	    "insert into pool_log (customer_id, event, staff_id, reason) "
	    "values ($1, $2, $3, $4)",
	[ST_POOL_TRY_LOCK] = "select pg_try_advisory_xact_lock(7240003)",
	/*
	 * Customers due back in the pool by $1 (and after $5 when given):
	 * each type takes the rule of its nearest ancestor in $2, else the
	 * default days $3 (no visit) and $4 (no deal).  $6: skip customers
	 * already warned during their current ownership.
	 */
	[ST_POOL_DUE] =
	    "with recursive anc(code, anc, depth) as ("
	    " select code, code, 0 from customer_types"
	    " union all"
	    " select a.code, t.parent_code, a.depth + 1 from anc a join"
	    " customer_types t on t.code = a.anc where t.parent_code is not null),"
	    "eff as (select distinct on (code) code, $2::jsonb -> anc as p"
	    " from anc where $2::jsonb ? anc order by code, depth),"
	    "c2 as (select c.id, c.number, c.name, c.owner_id, s.name as owner,"
	    " coalesce(c.last_visit_at, c.owned_since, c.created_at) as lv,"
	    " coalesce(c.last_deal_at, c.owned_since, c.created_at) as ld,"
	    " coalesce((e.p->>'no_visit_days')::int, $3::int) as vd,"
	    " coalesce((e.p->>'no_deal_days')::int, $4::int) as dd,"
	    " c.owned_since, c.created_at"
	    " from customers c join staff s on s.id = c.owner_id"
	    " left join eff e on e.code = c.type_code"
	    " where c.owner_id is not null and not c.locked),"
	    "c3 as (select *, least(lv + make_interval(days => vd),"
	    " ld + make_interval(days => dd)) as due_at from c2)"
	    "select id, number, name, owner_id, owner, case when"
	    " lv + make_interval(days => vd) <= $1::timestamptz then"
	    " 'no_visit:' || vd else 'no_deal:' || dd end, due_at from c3"
	    " where due_at <= $1::timestamptz and ($5::timestamptz is null or"
	    " due_at > $5::timestamptz) and (not $6::boolean or not exists"
	    " (select 1 from pool_log p where p.customer_id = c3.id and"
	    " p.event = 'warned' and p.at >= coalesce(c3.owned_since,"
	    " c3.created_at))) order by id",
	[ST_POOL_RETURN] =
	    "update customers set owner_id = null, previous_owner_id = "
	    "owner_id, returned_at = now(), owned_since = null, updated_at = "
	    "now() where id = $1 and owner_id = $2 and not locked returning id",
	/* ------------------------------------------------------ fieldwork */
	[ST_FILE_INSERT] =
	    "insert into files (token, kind, content_type, name, size, data, "
	    "thumb, width, height, exif_time, exif_lat, exif_lng, uploaded_by) "
	    "values ($1, $2, $3, $4, $5::int, $6::bytea, $7::bytea, $8::int, "
	    "$9::int, $10, $11::float8, $12::float8, $13) returning id",
	[ST_FILE_GET] =
	    "select content_type, case when $2::boolean then coalesce(thumb, "
	    "data) else data end, name from files where token = $1",
	[ST_FILE_META] =
	    "select id, kind, exif_time, exif_lat, exif_lng, uploaded_by, "
	    "extract(epoch from to_timestamp(exif_time, 'YYYY-MM-DD HH24:MI:SS') "
	    "at time zone 'UTC')::bigint from files where token = $1",
	[ST_QR_KEY_CURRENT] =
	    "select kid, secret from qr_keys where revoked_at is null and "
	    "retired_at is null order by kid desc limit 1",
	[ST_QR_KEY_RETIRE] =
	    "update qr_keys set retired_at = now() where kid = $1",
	[ST_QR_KEY_GET] =
	    "select secret, revoked_at is not null from qr_keys where kid = $1",
	[ST_QR_KEY_CREATE] =
	    "insert into qr_keys (kid, secret) select coalesce(max(kid), 0) + 1, "
	    "$1::bytea from qr_keys having count(*) filter (where revoked_at is "
	    "null and retired_at is null) = 0 on conflict do nothing",
	[ST_QR_KEY_REVOKE] =
	    "update qr_keys set revoked_at = now() where kid = $1 and "
	    "revoked_at is null",
	[ST_CUST_QR] =
	    "select c.id, c.number, c.name, c.qr_version, c.lat, c.lng, c.address, "
	    "c.region, c.contact, c.phone, c.owner_id from customers c where "
	    "c.id = $1",
	[ST_CUST_QR_BUMP] =
	    "update customers set qr_version = qr_version + 1 where id = $1",
	[ST_VISIT_INSERT] =
	    "insert into visits (document_id, customer_id, staff_id, "
	    "captured_at, place, met, stage, notes, photo_file, lat, lng, "
	    "from_scan, verified, verdict) values ($1, $2, $3, "
	    "$4::timestamptz, $5, $6, $7, $8, $9, $10::float8, $11::float8, "
	    "$12::boolean, $13::boolean, $14::jsonb) returning id",
	[ST_CUST_VISITED] =
	    "update customers set visit_count = visit_count + 1, last_visit_at = "
	    "greatest(last_visit_at, $2::timestamptz), stage = coalesce($3, "
	    "stage), status = coalesce($4, status), updated_at = now() where "
	    "id = $1",
	[ST_DEAL_INSERT] =
	    "insert into deals (document_id, customer_id, staff_id, deal_date, "
	    "amount, contract_file, notes) values ($1, $2, $3, $4::date, "
	    "$5::numeric, $6, $7) returning id",
	[ST_CUST_DEAL] =
	    "update customers set deal_total = deal_total + $2::numeric, "
	    "last_deal_at = greatest(last_deal_at, $3::date::timestamptz), "
	    "status = coalesce($4, status), updated_at = now() where id = $1",
	[ST_PAY_INSERT] =
	    "insert into payments (document_id, customer_id, staff_id, "
	    "pay_date, amount, notes) values ($1, $2, $3, $4::date, "
	    "$5::numeric, $6) returning id",
	[ST_CUST_PAID] =
	    "update customers set paid_total = paid_total + $2::numeric, "
	    "updated_at = now() where id = $1",
	[ST_DAILY_EXISTS] =
	    "select document_id from daily_reports where staff_id = $1 and "
	    "day = $2::date",
	[ST_DAILY_INSERT] =
	    "insert into daily_reports (document_id, staff_id, day, summary, "
	    "plan, figures) values ($1, $2, $3::date, $4, $5, $6::jsonb)",
	/* The day's figures of one person, with links to each record. */
	[ST_DAILY_FIGURES] =
	    "select json_build_object('day', $2::date, "
	    "'new_customers', coalesce(a.new_customers, 0), 'claims', "
	    "coalesce(a.claims, 0), 'visits', coalesce(a.visits, 0), 'deals', "
	    "coalesce(a.deals, 0), 'deal_amount', coalesce(a.deal_amount, "
	    "0.00)::text, 'payments', coalesce(a.payments, 0), 'payment_amount', "
	    "coalesce(a.payment_amount, 0.00)::text, 'records', coalesce((select "
	    "json_agg(json_build_object('document_id', d.id, 'number', "
	    "d.number, 'kind', d.kind, 'customer_id', d.customer_id, "
	    "'customer_name', c.name) order by d.id) from documents d left join "
	    "customers c on c.id = d.customer_id where d.applicant_id = $1 and "
	    "d.status = 'approved' and d.kind in ('customer_new', "
	    "'customer_claim', 'visit', 'deal', 'payment') and "
	    "crm_record_day(d.id, d.kind, d.applied_at) = $2::date), '[]'), "
	    "'report', (select document_id from daily_reports where staff_id = "
	    "$1 and day = $2::date))::text from (select 1) one left join "
	    "activity_daily a on a.staff_id = $1 and a.day = $2::date",
	[ST_ACTIVITY_ADD] =
	    "insert into activity_daily (staff_id, day, new_customers, claims, "
	    "visits, deals, deal_amount, payments, payment_amount) values ($1, "
	    "$2::date, $3::int, $4::int, $5::int, $6::int, $7::numeric, $8::int, "
	    "$9::numeric) on conflict (staff_id, day) do update set "
	    "new_customers = activity_daily.new_customers + excluded.new_customers, "
	    "claims = activity_daily.claims + excluded.claims, "
	    "visits = activity_daily.visits + excluded.visits, "
	    "deals = activity_daily.deals + excluded.deals, "
	    "deal_amount = activity_daily.deal_amount + excluded.deal_amount, "
	    "payments = activity_daily.payments + excluded.payments, "
	    "payment_amount = activity_daily.payment_amount + "
	    "excluded.payment_amount",
	[ST_CUST_VISITS] =
	    "select coalesce(json_agg(x order by x.captured_at desc), '[]')::text "
	    "from (select v.id, v.document_id, v.captured_at, v.arrived_at, "
	    "v.place, v.met, v.stage, v.notes, f.token as photo, v.lat, v.lng, "
	    "v.from_scan, v.verified, v.verdict, s.name as visitor from visits v "
	    "join staff s on s.id = v.staff_id left join files f on f.id = "
	    "v.photo_file where v.customer_id = $1 order by v.captured_at desc "
	    "limit 100) x",
	[ST_CUST_MONEY] =
	    "select coalesce((select json_agg(x order by x.deal_date desc) from "
	    "(select d.id, d.document_id, d.deal_date, d.amount::text as amount, "
	    "d.notes, "
	    "f.token as contract from deals d left join files f on f.id = "
	    "d.contract_file where d.customer_id = $1) x), '[]')::text, "
	    "coalesce((select json_agg(y order by y.pay_date desc) from (select "
	    "p.id, p.document_id, p.pay_date, p.amount::text as amount, p.notes "
	    "from payments p "
	    "where p.customer_id = $1) y), '[]')::text",
	/* ------------------------------------------------------- targets */
	/* Whom may $1 (role $2) set targets for: 1 when $3 is in scope. */
	[ST_TARGET_SCOPE] =
	    "select s.id, s.name, s.active from staff s where s.id = $3 and "
	    "($2 in ('director', 'admin') or s.id = $1 or ($2 = 'manager' and "
	    "s.department_id in (select crm_managed_depts($1::bigint))))",
	[ST_TARGET_CLASH] =
	    "select period, start_date, end_date from targets where "
	    "staff_id = $1 and daterange(start_date, end_date, '[]') && "
	    "daterange($2::date, $3::date, '[]') limit 1",
	[ST_TARGET_INSERT] =
	    "insert into targets (document_id, staff_id, period, start_date, "
	    "end_date, new_customers, visits, deal_amount, payment_amount) "
	    "values ($1, $2, $3, $4::date, $5::date, $6::int, $7::int, "
	    "$8::numeric, $9::numeric)",
	/*
	 * Progress on day $3 for everyone $1 (role $2) may see, optionally
	 * in department subtree $4: the target covering that day and the
	 * actuals summed from activity_daily over its period (ORG-PROGRESS).
	 */
	[ST_TARGET_PROGRESS] =
	    "with recursive sub(id) as (select $4::bigint where $4 is not null "
	    "union select d.id from departments d join sub on d.parent_id = "
	    "sub.id), people as (select s.* from staff s where s.active and "
	    "($4::bigint is null or s.department_id in (select id from sub)) and "
	    "($2 in ('director', 'admin') or s.id = $1 or ($2 = 'manager' and "
	    "s.department_id in (select crm_managed_depts($1::bigint))))) "
	    "select coalesce(json_agg(x order by x.department_id, x.id), "
	    "'[]')::text from (select p.id, p.name, p.role, p.department_id, "
	    "d.name as department, case when t.id is null then null else "
	    "json_build_object('id', t.id, 'period', t.period, 'start_date', "
	    "t.start_date, 'end_date', t.end_date, 'new_customers', "
	    "t.new_customers, 'visits', t.visits, 'deal_amount', t.deal_amount::text, "
	    "'payment_amount', t.payment_amount::text, 'document_id', "
	    "t.document_id) "
	    "end as target, json_build_object('new_customers', "
	    "coalesce(sum(a.new_customers), 0), 'visits', coalesce(sum(a.visits), "
	    "0), 'deal_amount', coalesce(sum(a.deal_amount), 0.00)::text, "
	    "'payment_amount', coalesce(sum(a.payment_amount), 0.00)::text) as "
	    "actual "
	    "from people p left join departments d on d.id = p.department_id "
	    "left join targets t on t.staff_id = p.id and $3::date between "
	    "t.start_date and t.end_date left join activity_daily a on "
	    "a.staff_id = p.id and a.day between coalesce(t.start_date, "
	    "date_trunc('month', $3::date)::date) and coalesce(t.end_date, "
	    "(date_trunc('month', $3::date) + interval '1 month - 1 day')::date) "
	    "group by p.id, p.name, p.role, p.department_id, d.name, t.id) x",
	[ST_TARGET_LIST] =
	    "select coalesce(json_agg(x order by x.start_date desc), '[]')::text "
	    "from (select t.id, t.period, t.start_date, t.end_date, "
	    "t.new_customers, t.visits, t.deal_amount::text as deal_amount, "
	    "t.payment_amount::text as payment_amount, t.document_id from "
	    "targets t where t.staff_id = $1) x",
	/* The records behind a number: applied documents of one person. */
	[ST_RECORDS] =
	    "select coalesce(json_agg(x order by x.applied_at desc), '[]')::text "
	    "from (select d.id, d.number, d.kind, d.applied_at, d.customer_id, "
	    "c.name as customer_name, d.data from documents d left join "
	    "customers c on c.id = d.customer_id where d.applicant_id = $1 and "
	    "d.status = 'approved' and d.kind = $2 and crm_record_day(d.id, "
	    "d.kind, d.applied_at) between $3::date and $4::date order by "
	    "d.applied_at desc limit 500) x",
	[ST_DEPT_TREE] =
	    "select coalesce(json_agg(x order by x.parent_id nulls first, x.sort, "
	    "x.id), '[]')::text from (select d.id, d.parent_id, d.name, d.sort, "
	    "d.manager_id, m.name as manager, (select count(*) from staff s "
	    "where s.department_id = d.id and s.active) as staff_count from "
	    "departments d left join staff m on m.id = d.manager_id) x",
	/* ------------------------------------------------ org (admin) */
	[ST_DEPT_UPDATE] =
	    "with recursive sub(id) as (select $1::bigint union select d.id "
	    "from departments d join sub on d.parent_id = sub.id) "
	    "update departments set name = coalesce($2, name), parent_id = "
	    "case when $3::boolean then $4::bigint else parent_id end, "
	    "manager_id = case when $5::boolean then $6::bigint else manager_id "
	    "end where id = $1 and not ($3::boolean and ($4::bigint is null or "
	    "$4::bigint in (select id from sub))) returning id",
	[ST_STAFF_UPDATE] =
	    "update staff set "
	    "name = coalesce($2::jsonb->>'name', name), "
	    "department_id = case when $2::jsonb ? 'department_id' then "
	    "($2::jsonb->>'department_id')::bigint else department_id end, "
	    "role = coalesce($2::jsonb->>'role', role), "
	    "position = case when $2::jsonb ? 'position' then "
	    "$2::jsonb->>'position' else position end, "
	    "mobile = case when $2::jsonb ? 'mobile' then "
	    "$2::jsonb->>'mobile' else mobile end, "
	    "gender = case when $2::jsonb ? 'gender' then "
	    "$2::jsonb->>'gender' else gender end, "
	    "max_customers = case when $2::jsonb ? 'max_customers' then "
	    "($2::jsonb->>'max_customers')::int else max_customers end, "
	    "active = coalesce(($2::jsonb->>'active')::boolean, active), "
	    "photo_file = case when $3::bigint is not null then $3::bigint "
	    "else photo_file end, updated_at = now() where id = $1 returning id",
	[ST_ADMIN_COUNT] =
	    "select count(*) from staff where role = 'admin' and active",
	[ST_STAFF_LIST_ALL] =
	    "select coalesce(json_agg(json_build_object('id', s.id, 'login', "
	    "s.login, 'name', s.name, 'role', s.role, 'department_id', "
	    "s.department_id, 'department', d.name, 'position', s.position, "
	    "'mobile', s.mobile, 'gender', s.gender, 'max_customers', "
	    "s.max_customers, 'active', s.active) order by d.id, s.id), "
	    "'[]')::text from staff s left join departments d on "
	    "d.id = s.department_id",
	[ST_STAFF_SET_ROLE_MANY] =
	    "update staff set role = $1, updated_at = now() where id = "
	    "any($2::bigint[]) and active returning id",
	[ST_STAFF_DETAIL] =
	    "select json_build_object('id', s.id, 'login', s.login, 'name', "
	    "s.name, 'department_id', s.department_id, 'department', d.name, "
	    "'role', s.role, 'position', s.position, 'mobile', s.mobile, "
	    "'gender', s.gender, 'max_customers', s.max_customers, 'active', "
	    "s.active, 'photo', f.token, 'customers', (select count(*) from "
	    "customers c where c.owner_id = s.id))::text from staff s left join "
	    "departments d on d.id = s.department_id left join files f on f.id "
	    "= s.photo_file where s.id = $1",
	[ST_FILE_TOKEN_OF] = "select token from files where id = $1",
	[ST_CUST_SET_LOGO] =
	    "update customers set logo_file = $2 where id = $1",
	[ST_FILE_ID] = "select id from files where token = $1 and kind = $2",
	[ST_TYPE_UPSERT] =
	    "insert into customer_types (code, parent_code, name_zh, name_en, "
	    "sort, active) values ($1, $2, $3, $4, $5, true) "
	    "on conflict (code) do update set parent_code = excluded.parent_code, "
	    "name_zh = excluded.name_zh, name_en = excluded.name_en, "
	    "sort = excluded.sort, active = true",
	[ST_TYPE_DEACTIVATE_ALL] = "update customer_types set active = false",
	[ST_LIST_UPSERT] =
	    "insert into list_items (list, code, name_zh, name_en, sort, active) "
	    "values ($1, $2, $3, $4, $5, true) on conflict (list, code) do "
	    "update set name_zh = excluded.name_zh, name_en = excluded.name_en, "
	    "sort = excluded.sort, active = true",
	[ST_LIST_DEACTIVATE_ALL] = "update list_items set active = false",
	/* ------------------------------------------- customer import, export */
	[ST_IMPORT_NEW] =
	    "insert into imports (staff_id, file_name, file_kind, size) values "
	    "($1, $2, $3, $4::int) returning id",
	/* One statement per chunk of checked rows (no per-row round trip). */
	[ST_IMPORT_ROWS_PUT] =
	    "insert into import_rows (import_id, rowno, seq, data, extra, "
	    "name_norm, owner_id) select $1, x.rowno, x.seq, x.data, "
	    "coalesce(x.extra, '{}'), x.norm, x.owner_id from "
	    "jsonb_to_recordset($2::jsonb) as x(rowno int, seq int, data jsonb, "
	    "extra jsonb, norm text, owner_id bigint)",
	/*
	 * "= any(array(...))": an index scan whatever the plan (a generic
	 * plan of "in (select ...)" could hash-join a scan of the archive).
	 */
	[ST_IMPORT_ARCHIVE_DUPS] =
	    "select c.name_norm, c.number from customers c where c.name_norm = "
	    "any(array(select jsonb_array_elements_text($1::jsonb)))",
	[ST_IMPORT_OWNERS] =
	    "select login, id from staff where active and login = any(array("
	    "select jsonb_array_elements_text($1::jsonb)))",
	[ST_IMPORT_CHECKED] =
	    "update imports set total = $2::int, good = $3::int, bad = $4::int, "
	    "problems = $5::jsonb, counts = $6::jsonb where id = $1",
	/*
	 * An import as the page shows it, messages in language $2.  A running
	 * import whose transaction is gone without being done has failed
	 * (and left nothing behind: it was one transaction).
	 */
	[ST_IMPORT_GET] =
	    "select json_build_object('id', i.id, 'file_name', i.file_name, "
	    "'file_kind', i.file_kind, 'size', i.size, 'status', i.status, "
	    "'total', i.total, 'good', i.good, 'bad', i.bad, 'counts', i.counts, "
	    "'imported', i.imported, 'created_at', i.created_at, 'finished_at', "
	    "i.finished_at, 'staff_id', i.staff_id, 'problems', (select "
	    "coalesce(json_agg(json_build_object('row', p->'row', 'column', "
	    "p->'column', 'header', p->'header', 'field', p->'field', 'code', "
	    "p->'code', 'message', case when $2 = 'en' then p->>'en' else "
	    "p->>'zh' end) order by n), '[]') from jsonb_array_elements("
	    "i.problems) with ordinality as x(p, n)), 'progress', (select "
	    "json_build_object('phase', case when i.status = 'done' then 'done' "
	    "when p.phase = 'running' and not exists (select 1 from "
	    "pg_stat_activity a where a.pid = p.pid and a.xact_start = "
	    "p.xact_start) then 'failed' else p.phase end, 'done', case when "
	    "i.status = 'done' then i.imported else p.done end, 'total', "
	    "p.total, 'message', p.message, 'updated_at', p.updated_at) from "
	    "import_progress p where p.import_id = i.id), 'document', (select "
	    "json_build_object('id', d.id, 'number', d.number, 'status', "
	    "d.status) from documents d where d.kind = 'customer_import' and "
	    "d.data->>'import_id' = i.id::text order by d.id desc limit 1))"
	    "::text, i.staff_id from imports i where i.id = $1",
	[ST_IMPORT_LOCK] =
	    "select staff_id, status, good, bad, total, pg_backend_pid(), "
	    "now()::text from imports where id = $1 for update",
	[ST_IMPORT_PENDING] =
	    "select number from documents where kind = 'customer_import' and "
	    "status = 'submitted' and data->>'import_id' = $1 limit 1",
	[ST_IMPORT_DUPS_NOW] =
	    "select r.rowno, c.number from import_rows r join customers c on "
	    "c.name_norm = r.name_norm where r.import_id = $1 order by r.rowno "
	    "limit 5",
	/*
	 * One batch of an import: good rows $2 + 1 .. $2 + $3 of import $1
	 * (by seq, file order), numbered from the JSON array $4, created by
	 * $5.  A range of the unique (import_id, seq) index: no sort.  The
	 * answer: how many rows went in and, when $6, their customer_search
	 * rows (two arrays: ids, texts) for ST_SEARCH_PUT.
	 */
	[ST_IMPORT_INSERT] =
	    "with i as (insert into customers (number, name, name_norm, "
	    "address, contact, phone, region, type_code, source, stage, "
	    "status, lat, lng, extra, "
	    "owner_id, owned_since, created_by, import_id) select $4::jsonb ->> "
	    "(r.seq - $2::int - 1), r.data->>'name', r.name_norm, "
	    "r.data->>'address', r.data->>'contact', r.data->>'phone', "
	    "r.data->>'region', r.data->>'type', r.data->>'source', "
	    "r.data->>'stage', r.data->>'status', (r.data->>'lat')::float8, "
	    "(r.data->>'lng')::float8, r.extra, r.owner_id, case when "
	    "r.owner_id is null then null else now() end, $5::bigint, $1::bigint "
	    "from import_rows r where r.import_id = $1 and r.seq > $2::int and "
	    "r.seq <= $2::int + $3::int order by r.seq returning id, "
	    "crm_search_doc(name, number, contact, phone) as doc) select "
	    "count(*), array_agg(i.id) filter (where $6::boolean), array_agg("
	    "i.doc) filter (where $6::boolean) from i",
	/*
	 * The foreign keys of an import's rows, checked once: every type
	 * code and owner the rows name, and the creator $2, exist; each row
	 * is locked as the per-row check would (for key share).  True when
	 * all do, the role may skip the per-row checks (a superuser, as the
	 * stack's crm is) and no user trigger fires on inserts into
	 * customers (replica mode would skip it too) but customer_search's,
	 * whose rows the import writes itself (ST_SEARCH_PUT or _FILL_IMPORT).
	 */
	[ST_IMPORT_KEYS] =
	    "with k as (select coalesce(array_agg(distinct r.data->>'type') "
	    "filter (where r.data->>'type' is not null), '{}') as types, "
	    "array_agg(distinct r.owner_id) filter (where r.owner_id is not "
	    "null) || $2::bigint as owners from import_rows r where "
	    "r.import_id = $1) select (select count(*) from (select 1 from "
	    "customer_types t where t.code = any(k.types) for key share of t) "
	    "x) = cardinality(k.types) and (select count(*) from (select 1 "
	    "from staff s where s.id = any(k.owners) for key share of s) x) = "
	    "(select count(distinct o) from unnest(k.owners) o) and (select "
	    "rolsuper from pg_roles where rolname = current_user) and not "
	    "exists (select 1 from pg_trigger g where g.tgrelid = "
	    "'customers'::regclass and not g.tgisinternal and g.tgtype & 4 <> "
	    "0 and g.tgname <> 'customers_search_sync') from k",
	/* Per-row foreign-key checks off / back on (ST_IMPORT_KEYS said so). */
	[ST_IMPORT_ROW_CHECKS_OFF] =
	    "select set_config('session_replication_role', 'replica', true)",
	[ST_IMPORT_ROW_CHECKS_ON] =
	    "select set_config('session_replication_role', (select reset_val "
	    "from pg_settings where name = 'session_replication_role'), true)",
	[ST_IMPORT_PROGRESS] =
	    "insert into import_progress (import_id, phase, done, total, "
	    "message, pid, xact_start, updated_at) values ($1, $2, $3::int, "
	    "$4::int, $5, $6::int, $7::timestamptz, now()) on conflict "
	    "(import_id) do update set phase = excluded.phase, done = "
	    "excluded.done, total = excluded.total, message = excluded.message, "
	    "pid = excluded.pid, xact_start = excluded.xact_start, updated_at = "
	    "now()",
	[ST_IMPORT_DONE] =
	    "update imports set status = 'done', document_id = $2, imported = "
	    "$3::int, finished_at = now() where id = $1",
	[ST_IMPORT_CUSTOMERS] =
	    "select coalesce(json_agg(x order by x.id), '[]')::text from (select "
	    "c.id, c.number, c.name, c.region, c.type_code as type, o.name as "
	    "owner from customers c left join staff o on o.id = c.owner_id "
	    "where c.import_id = $1 order by c.id limit $2::int offset $3::int) x",
	/*
	 * For the rest of the transaction, plan every statement for its
	 * parameters and the tables as they are now: a plan cached while the
	 * archive (or import_rows) was small would scan it whole once it has
	 * grown (a pre-check went from 1 ms to 50 ms per chunk that way).
	 */
	[ST_IMPORT_CUSTOM_PLANS] =
	    "select set_config('plan_cache_mode', 'force_custom_plan', true)",
	/*
	 * The staged rows of one import already applied (nothing reads them
	 * again: the result page lists customers by import_id), and the
	 * import marked so: rows deleted, imports marked (0: none was left).
	 */
	[ST_IMPORT_PURGE] =
	    "with i as (select id from imports where status = 'done' and not "
	    "staged_purged order by id limit 1 for update skip locked), d as "
	    "(delete from import_rows r where r.import_id = (select id from i) "
	    "returning 1), u as (update imports m set staged_purged = true "
	    "where m.id = (select id from i) returning 1) select (select "
	    "count(*) from d), (select count(*) from u)",
	/*
	 * The import's customer_search rows, written by a connection of their
	 * own beside the inserting one (fcgi/wf_import.c): the trigram
	 * entries go to the index's pending list, merged once at the end
	 * (crm_search_flush) with memory enough for one pass.
	 */
	[ST_SEARCH_BULK] =
	    "select set_config('gin_pending_list_limit', '256MB', true), "
	    "set_config('work_mem', '64MB', true), "
	    "set_config('maintenance_work_mem', '256MB', true)",
	[ST_SEARCH_PUT] =
	    "insert into customer_search (id, doc) select * from unnest("
	    "$1::bigint[], $2::text[])",
	/* The same after merging the pending list (f is read first). */
	[ST_SEARCH_FLUSH_PUT] =
	    "with f as materialized (select crm_search_flush()) insert into "
	    "customer_search (id, doc) select u.* from f, unnest($1::bigint[], "
	    "$2::text[]) u",
	[ST_SEARCH_FLUSH] = "select crm_search_flush()",
	/* The same in the importing transaction, when that connection failed. */
	[ST_SEARCH_FILL_IMPORT] =
	    "insert into customer_search (id, doc) select id, crm_search_doc("
	    "name, number, contact, phone) from customers where import_id = $1 "
	    "on conflict (id) do update set doc = excluded.doc",
	/* n numbers at once: the answer is the last; first = last - n + 1. */
	[ST_SEQ_RESERVE] =
	    "insert into number_seq (name, day, seq) values ($1, current_date, "
	    "$2::int) on conflict (name, day) do update set seq = number_seq.seq "
	    "+ $2::int returning seq, to_char(current_date, 'YYYY-MM-DD')",
	/* ------------------------------------- user-defined reports */
	/*
	 * An admin's report is for everyone; a manager's for the manager,
	 * the people of the departments they head, directors and admins.
	 */
	[ST_REPORT_GET] =
	    "select r.definition::text, r.version, r.owner_id, "
	    "($3 in ('director', 'admin') or r.owner_id = $2::bigint or "
	    "o.role = 'admin' or (o.role = 'manager' and exists (select 1 "
	    "from staff v where v.id = $2::bigint and v.department_id in "
	    "(select crm_managed_depts(r.owner_id))))), "
	    "($3 = 'admin' or ($3 = 'manager' and r.owner_id = $2::bigint)) "
	    "from reports r join staff o on o.id = r.owner_id where r.name = $1",
	[ST_REPORT_LIST] =
	    "select r.name, r.definition::text, r.version, ($2 = 'admin' or "
	    "($2 = 'manager' and r.owner_id = $1::bigint)) from reports r "
	    "join staff o on o.id = r.owner_id where $2 in ('director', "
	    "'admin') or r.owner_id = $1::bigint or o.role = 'admin' or "
	    "(o.role = 'manager' and exists (select 1 from staff v where "
	    "v.id = $1::bigint and v.department_id in (select "
	    "crm_managed_depts(r.owner_id)))) order by r.name",
	[ST_REPORT_INSERT] =
	    "insert into reports (name, definition, owner_id, updated_by) "
	    "values ($1, $2::jsonb, $3, $3) on conflict (name) do nothing "
	    "returning name",
	[ST_REPORT_UPDATE] =
	    "update reports set definition = $2::jsonb, version = version + 1, "
	    "updated_at = now(), updated_by = $3 where name = $1 returning "
	    "version",
};

/*
 * COPY ... FROM STDIN texts (db_copy_in): not prepared statements, the
 * simple protocol runs them.
 */
static const char *const copies[CP__MAX] = {
	/* Tab-separated: import_id, rowno, seq, data, extra, name_norm, owner_id. */
	[CP_IMPORT_ROWS] =
	    "copy import_rows (import_id, rowno, seq, data, extra, name_norm, "
	    "owner_id) from stdin",
};

struct db {
	char		*conninfo;
	PGconn		*conn;
	int		 up;
	struct timespec	 last_try;
	char		 sqlstate[6];
	uint64_t	 dyn[DB_DYN_MAX];	/* db_exec_dynamic: prepared */
	size_t		 ndyn;		/* on this connection */
	int		 copying;	/* a db_copy_in's answer not read yet */
	int		 sent;		/* a db_exec_send's answer not read yet */
};

static enum crm_err	db_copy_wait(struct db *);

/* A handle; nothing is connected until db_ensure. */
struct db *
db_open(const char *conninfo)
{
	struct db	*db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	if ((db->conninfo = strdup(conninfo)) == NULL) {
		free(db);
		return NULL;
	}
	return db;
}

/* Close the connection and free the handle. */
void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->conninfo);
	free(db);
}

static void
db_drop(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	db->up = 0;
	db->ndyn = 0;
	db->copying = 0;
	db->sent = 0;
}

static int
db_prepare_all(struct db *db)
{
	PGresult	*res;
	char		 name[16];
	int		 i;

	for (i = 0; i < ST__MAX; i++) {
		if (stmts[i] == NULL)
			abort();	/* a statement without SQL: a bug */
		snprintf(name, sizeof(name), "s%d", i);
		res = PQprepare(db->conn, name, stmts[i], 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			log_err("db: prepare %d: %s", i,
			    PQresultErrorMessage(res));
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

/*
 * Make the connection usable: connect (connect_timeout comes with the
 * conninfo) and prepare every statement.  Returns 0 or -1 when the server
 * cannot be reached; tries at most every 500 ms.
 */
int
db_ensure(struct db *db)
{
	struct timespec	 now;
	long		 ms;

	if (db->conn != NULL && db->up && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - db->last_try.tv_sec) * 1000 +
	    (now.tv_nsec - db->last_try.tv_nsec) / 1000000;
	if (db->last_try.tv_sec != 0 && ms < 500 && ms >= 0)
		return -1;
	db->last_try = now;
	db_drop(db);
	db->conn = PQconnectdb(db->conninfo);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		log_warn("db: connect: %s", PQerrorMessage(db->conn));
		db_drop(db);
		return -1;
	}
	if (db_prepare_all(db) == -1) {
		db_drop(db);
		return -1;
	}
	db->up = 1;
	log_info("db: connected");
	return 0;
}

/* Last known state of the connection, without I/O. */
int
db_up(struct db *db)
{
	return db->conn != NULL && db->up;
}

static void
db_clear(void *p)
{
	PQclear(p);
}

/* Classify a failed result; drops the connection when it is gone. */
static enum crm_err
db_fail(struct db *db, PGresult *res, enum stmt st)
{
	const char	*state;

	state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
	if (PQstatus(db->conn) != CONNECTION_OK || state == NULL ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0) {
		log_warn("db: connection lost (stmt %d): %s", (int)st,
		    PQerrorMessage(db->conn));
		db_drop(db);
		return ERR_UNAVAILABLE;
	}
	if (strcmp(state, "23505") == 0 || strcmp(state, "23P01") == 0)
		return ERR_CONFLICT;
	if (strncmp(state, "23", 2) == 0 || strcmp(state, "22P02") == 0 ||
	    strcmp(state, "22007") == 0 || strcmp(state, "22008") == 0 ||
	    strcmp(state, "22001") == 0 || strcmp(state, "22003") == 0)
		return ERR_VALIDATION;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return ERR_CONFLICT;	/* serialization failure, deadlock */
	/* The user gets a short message; the log gets the details. */
	log_err("db: stmt %d failed: SQLSTATE %s: %s", (int)st, state,
	    PQresultErrorMessage(res));
	return ERR_INTERNAL;
}

/* See extern.h. */
PGresult *
db_exec(struct db *db, struct arena *a, enum stmt st, int n,
    const char *const *params, enum crm_err *err)
{
	return db_exec_fmt(db, a, st, n, params, NULL, NULL, 0, err);
}

/*
 * Statements planned on every execution: sent with their text, never by
 * name.  The big customer lists have their sort and filters as parameters;
 * prepared, PostgreSQL switches to one generic plan once the average of
 * its custom plans looks dear (after a few searches), and the generic plan
 * sorts the whole view: 39 ms instead of 1 ms at 21,000 customers, seconds
 * at 1M.  Parsing the text again costs far less than that.
 */
static const unsigned char planned_each_time[ST__MAX] = {
	[ST_CUST_LIST_POOL] = 1,
	[ST_CUST_LIST_ALL] = 1,
	[ST_CUST_LIST_MANAGED] = 1,
	/*
	 * A search: whether the trigram index or the view drives depends on
	 * the word (a 2-character word has no trigram: the index cannot help).
	 */
	[ST_CUST_LIST_MINE_Q] = 1,
	[ST_CUST_LIST_SHARED_BY_ME_Q] = 1,
	[ST_CUST_LIST_SHARED_WITH_ME_Q] = 1,
	[ST_CUST_LIST_POOL_Q] = 1,
	[ST_CUST_LIST_ALL_Q] = 1,
	[ST_CUST_LIST_MANAGED_Q] = 1,
};

static PGresult *
db_send(struct db *db, enum stmt st, const char *name, int n,
    const char *const *params, const int *lengths, const int *formats,
    int binary_result)
{
	if (planned_each_time[st])
		return PQexecParams(db->conn, stmts[st], n, NULL, params,
		    lengths, formats, binary_result);
	return PQexecPrepared(db->conn, name, n, params, lengths, formats,
	    binary_result);
}

/* See extern.h. */
PGresult *
db_exec_fmt(struct db *db, struct arena *a, enum stmt st, int n,
    const char *const *params, const int *lengths, const int *formats,
    int binary_result, enum crm_err *err)
{
	PGresult	*res;
	char		 name[16];
	ExecStatusType	 rs;
	int		 idle;

	if ((unsigned)st >= ST__MAX)
		abort();
	if ((db->copying || db->sent) && (*err = db_copy_wait(db)) != ERR_OK)
		return NULL;
	if (db_ensure(db) == -1) {
		*err = ERR_UNAVAILABLE;
		return NULL;
	}
	snprintf(name, sizeof(name), "s%d", (int)st);
	idle = PQtransactionStatus(db->conn) == PQTRANS_IDLE;
	res = db_send(db, st, name, n, params, lengths, formats,
	    binary_result);
	rs = PQresultStatus(res);
	/*
	 * A connection found dead (the server restarted while we were idle)
	 * is re-opened and a read outside any transaction is tried once more,
	 * so the first request after a restart does not fail for nothing.
	 * Writes are not repeated: their fate on the old connection is unknown.
	 */
	if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK && idle &&
	    PQstatus(db->conn) != CONNECTION_OK &&
	    strncmp(stmts[st], "select", 6) == 0) {
		PQclear(res);
		db_drop(db);
		db->last_try.tv_sec = 0;
		if (db_ensure(db) == -1) {
			*err = ERR_UNAVAILABLE;
			return NULL;
		}
		res = db_send(db, st, name, n, params, lengths, formats,
		    binary_result);
		rs = PQresultStatus(res);
	}
	if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
		if (arena_cleanup_add(a, db_clear, res) == -1) {
			*err = ERR_INTERNAL;
			return NULL;
		}
		*err = ERR_OK;
		return res;
	}
	*err = db_fail(db, res, st);
	PQclear(res);
	return NULL;
}

/*
 * See extern.h.  The one exception to "every statement in stmts[]": report
 * statements compiled from whitelisted fragments (report.c).  Each text is
 * prepared once per connection under a name made of its FNV-1a hash, with
 * every parameter typed text; past DB_DYN_MAX texts they run unprepared.
 */
PGresult *
db_exec_dynamic(struct db *db, struct arena *a, const char *sql, int n,
    const char *const *params, enum crm_err *err)
{
	PGresult	*res;
	Oid		 types[64];
	char		 name[24];
	uint64_t	 h = 1469598103934665603ULL;
	const char	*p;
	size_t		 i;
	int		 found = 0;
	ExecStatusType	 rs;

	if (n < 0 || n > 64)
		abort();
	if ((db->copying || db->sent) && (*err = db_copy_wait(db)) != ERR_OK)
		return NULL;
	if (db_ensure(db) == -1) {
		*err = ERR_UNAVAILABLE;
		return NULL;
	}
	for (p = sql; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (i = 0; i < (size_t)n; i++)
		types[i] = 25;	/* text */
	snprintf(name, sizeof(name), "d%016llx", (unsigned long long)h);
	for (i = 0; i < db->ndyn; i++)
		if (db->dyn[i] == h)
			found = 1;
	if (!found && db->ndyn < DB_DYN_MAX) {
		res = PQprepare(db->conn, name, sql, n, types);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			*err = db_fail(db, res, ST__MAX);
			PQclear(res);
			return NULL;
		}
		PQclear(res);
		db->dyn[db->ndyn++] = h;
		found = 1;
	}
	if (found)
		res = PQexecPrepared(db->conn, name, n, params, NULL, NULL, 0);
	else
		res = PQexecParams(db->conn, sql, n, types, params, NULL, NULL,
		    0);
	rs = PQresultStatus(res);
	if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
		if (arena_cleanup_add(a, db_clear, res) == -1) {
			*err = ERR_INTERNAL;
			return NULL;
		}
		*err = ERR_OK;
		return res;
	}
	*err = db_fail(db, res, ST__MAX);
	PQclear(res);
	return NULL;
}

static enum crm_err
db_simple(struct db *db, const char *sql)
{
	PGresult	*res;
	enum crm_err	 e = ERR_OK;

	if ((db->copying || db->sent) && (e = db_copy_wait(db)) != ERR_OK &&
	    strcmp(sql, "rollback") != 0)
		return e;
	if (db_ensure(db) == -1)
		return ERR_UNAVAILABLE;
	res = PQexec(db->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		e = db_fail(db, res, ST__MAX);
	PQclear(res);
	return e;
}

/*
 * Read the answer of the COPY db_copy_in sent (or of a statement
 * db_exec_send sent and nobody waited for): its failure, if any.
 */
static enum crm_err
db_copy_wait(struct db *db)
{
	PGresult	*res;
	ExecStatusType	 rs;
	enum crm_err	 e = ERR_OK;

	db->copying = db->sent = 0;
	if (db->conn == NULL)
		return ERR_UNAVAILABLE;
	while ((res = PQgetResult(db->conn)) != NULL) {
		rs = PQresultStatus(res);
		if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK &&
		    e == ERR_OK)
			e = db_fail(db, res, ST__MAX);
		PQclear(res);
		if (db->conn == NULL)
			break;
	}
	return e;
}

/* See extern.h. */
enum crm_err
db_exec_send(struct db *db, enum stmt st, int n, const char *const *params)
{
	char		 name[16];
	enum crm_err	 e;

	if ((unsigned)st >= ST__MAX)
		abort();
	if ((db->copying || db->sent) && (e = db_copy_wait(db)) != ERR_OK)
		return e;
	if (db_ensure(db) == -1)
		return ERR_UNAVAILABLE;
	snprintf(name, sizeof(name), "s%d", (int)st);
	if (PQsendQueryPrepared(db->conn, name, n, params, NULL, NULL, 0) !=
	    1) {
		log_warn("db: send (stmt %d): %s", (int)st,
		    PQerrorMessage(db->conn));
		db_drop(db);
		return ERR_UNAVAILABLE;
	}
	db->sent = 1;
	return ERR_OK;
}

/* See extern.h. */
PGresult *
db_exec_wait(struct db *db, struct arena *a, enum stmt st, enum crm_err *err)
{
	PGresult	*res, *more;
	ExecStatusType	 rs;

	if (!db->sent || db->conn == NULL) {
		*err = ERR_UNAVAILABLE;
		return NULL;
	}
	db->sent = 0;
	res = PQgetResult(db->conn);
	while ((more = PQgetResult(db->conn)) != NULL)
		PQclear(more);
	rs = PQresultStatus(res);
	if (res != NULL && (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK)) {
		if (arena_cleanup_add(a, db_clear, res) == -1) {
			*err = ERR_INTERNAL;
			return NULL;
		}
		*err = ERR_OK;
		return res;
	}
	*err = db_fail(db, res, st);
	PQclear(res);
	return NULL;
}

/* See extern.h. */
enum crm_err
db_copy_in(struct db *db, enum copy cp, const char *data, size_t len)
{
	PGresult	*res;
	enum crm_err	 e;
	int		 put;

	if ((unsigned)cp >= CP__MAX || copies[cp] == NULL)
		abort();
	if (len > INT_MAX)
		return ERR_TOO_LARGE;
	if ((db->copying || db->sent) && (e = db_copy_wait(db)) != ERR_OK)
		return e;
	if (db_ensure(db) == -1)
		return ERR_UNAVAILABLE;
	res = PQexec(db->conn, copies[cp]);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		e = db_fail(db, res, ST__MAX);
		PQclear(res);
		return e;
	}
	PQclear(res);
	put = len > 0 ? PQputCopyData(db->conn, data, (int)len) : 1;
	if (PQputCopyEnd(db->conn, put == 1 ? NULL : "not sent") != 1) {
		log_warn("db: copy: %s", PQerrorMessage(db->conn));
		db_drop(db);
		return ERR_UNAVAILABLE;
	}
	/* The server works through it while the caller goes on. */
	db->copying = 1;
	return ERR_OK;
}

/* Start a transaction. */
enum crm_err
db_begin(struct db *db)
{
	return db_simple(db, "begin");
}

/* Commit; a failed commit (serialization, lost connection) is returned. */
enum crm_err
db_commit(struct db *db)
{
	return db_simple(db, "commit");
}

/* A savepoint in the open transaction (one name: the import's batches). */
enum crm_err
db_savepoint(struct db *db)
{
	return db_simple(db, "savepoint crm_sp");
}

/* Back to it: the transaction goes on as it was then. */
enum crm_err
db_rollback_to_savepoint(struct db *db)
{
	return db_simple(db, "rollback to savepoint crm_sp");
}

/* Roll back whatever transaction is open (none: nothing happens). */
void
db_rollback(struct db *db)
{
	if (db->copying || db->sent)
		(void)db_copy_wait(db);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK)
		return;
	if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		(void)db_simple(db, "rollback");
}

/* Run a multi-statement script; on failure *msg gets a malloc'd reason. */
int
db_script(struct db *db, const char *sql, char **msg)
{
	PGresult	*res;
	int		 rc = 0;

	*msg = NULL;
	if (db_ensure(db) == -1) {
		*msg = strdup("database unavailable");
		return -1;
	}
	res = PQexec(db->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		*msg = strdup(PQresultErrorMessage(res));
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* The raw connection (crmctl's migration lock); NULL when down. */
PGconn *
db_conn(struct db *db)
{
	return db_ensure(db) == 0 ? db->conn : NULL;
}

/* SQLSTATE of the last failure, "" when none. */
const char *
db_sqlstate(struct db *db)
{
	return db->sqlstate;
}

/* Text of a value, or NULL for SQL null. */
const char *
db_get(const PGresult *res, int r, int c)
{
	if (PQgetisnull(res, r, c))
		return NULL;
	return PQgetvalue(res, r, c);
}

/* A boolean column: true only for a non-null true. */
int
db_true(const PGresult *res, int r, int c)
{
	const char	*s = db_get(res, r, c);

	return s != NULL && s[0] == 't';
}

/* A value as a number (0 for null or garbage: only for trusted columns). */
long long
db_getll(const PGresult *res, int r, int c)
{
	const char	*s = db_get(res, r, c);

	return s ? strtoll(s, NULL, 10) : 0;
}
