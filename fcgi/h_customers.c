/*
 * h_customers.c: the customer views (mine, shared by me, shared with me,
 * the public pool, all in my scope), the customer page and its timeline.
 * Reading only: every change goes through a document (h_documents.c).
 * Row visibility follows crm_sees (sql/0002_archive.sql): the lists carry
 * it in each view's statement; a single customer is read by primary key and
 * checked here (cust_visible), with SQL asked only for what the row does
 * not tell (a manager's subtree, an approver of one of its documents).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extern.h"

/*
 * Totals are counted this far: a count costs a scan of what it counts
 * (counting 10,000 of the pool took longer than reading its page), and
 * past it the pager says "more than 1,000": nobody pages 50 pages, they
 * search or filter.
 */
#define CUST_LIST_CAP	1000

static const char *const views[] = {
	"mine", "shared_by_me", "shared_with_me", "pool", "all",
};
static const char *const sorts[] = {
	"name", "-name", "number", "-number", "last_visit", "-last_visit",
	"visit_count", "-visit_count",
};

static int
in_set(const char *v, const char *const *set, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v, set[i]) == 0)
			return 1;
	return 0;
}

/* A small positive number from the query, def when absent; -1 when bad. */
static long
qnum(struct ctx *c, const char *key, long def, long max)
{
	const char	*s = http_kv_get(&c->req.query, key);
	char		*end;
	long		 n;

	if (s == NULL || *s == '\0')
		return def;
	n = strtol(s, &end, 10);
	if (*end != '\0' || n < 1 || n > max)
		return -1;
	return n;
}

/*
 * The list statement of a view for a reader (ST_CUST_LIST_*); "all" is
 * everything for directors and admin, a manager's department subtree for
 * managers.  The caller has refused "all" to salespeople.  q: a search
 * term is given (the _Q statements join customer_search).
 */
enum stmt
cust_list_stmt(const char *view, const char *role, const char *q)
{
	int	 s = q != NULL;

	if (strcmp(view, "shared_by_me") == 0)
		return s ? ST_CUST_LIST_SHARED_BY_ME_Q : ST_CUST_LIST_SHARED_BY_ME;
	if (strcmp(view, "shared_with_me") == 0)
		return s ? ST_CUST_LIST_SHARED_WITH_ME_Q :
		    ST_CUST_LIST_SHARED_WITH_ME;
	if (strcmp(view, "pool") == 0)
		return s ? ST_CUST_LIST_POOL_Q : ST_CUST_LIST_POOL;
	if (strcmp(view, "all") == 0 && (strcmp(role, "director") == 0 ||
	    strcmp(role, "admin") == 0))
		return s ? ST_CUST_LIST_ALL_Q : ST_CUST_LIST_ALL;
	if (strcmp(view, "all") == 0)
		return s ? ST_CUST_LIST_MANAGED_Q : ST_CUST_LIST_MANAGED;
	return s ? ST_CUST_LIST_MINE_Q : ST_CUST_LIST_MINE;
}

/* GET /api/v1/customers?view=&type=&q=&page=&size=&sort= */
void
h_customers_list(struct ctx *c)
{
	const char	*view = http_kv_get(&c->req.query, "view");
	const char	*type = http_kv_get(&c->req.query, "type");
	const char	*q = http_kv_get(&c->req.query, "q");
	const char	*sort = http_kv_get(&c->req.query, "sort");
	PGresult	*res;
	enum crm_err	 e;
	long		 page, size;
	long long	 total;

	if (view == NULL || *view == '\0')
		view = "mine";
	if (!in_set(view, views, sizeof(views) / sizeof(views[0]))) {
		reply_err(c, ERR_BAD_FIELD, "view");
		return;
	}
	if (strcmp(view, "all") == 0 &&
	    strcmp(c->user->role, "salesperson") == 0) {
		reply_err(c, ERR_FORBIDDEN, "view");
		return;
	}
	if (sort == NULL || *sort == '\0')
		sort = NULL;
	else if (!in_set(sort, sorts, sizeof(sorts) / sizeof(sorts[0]))) {
		reply_err(c, ERR_BAD_FIELD, "sort");
		return;
	}
	if ((page = qnum(c, "page", 1, 100000)) < 0) {
		reply_err(c, ERR_BAD_FIELD, "page");
		return;
	}
	if ((size = qnum(c, "size", 20, 100)) < 0) {
		reply_err(c, ERR_BAD_FIELD, "size");
		return;
	}
	if (q != NULL && (*q == '\0' || !http_utf8_valid(q, strlen(q))))
		q = NULL;
	if (q != NULL && strlen(q) > 100) {
		reply_err(c, ERR_BAD_FIELD, "q");
		return;
	}
	if (type != NULL && *type == '\0')
		type = NULL;
	res = db_exec(c->w->db, c->a, cust_list_stmt(view, c->user->role, q),
	    DB_ARGS(arena_printf(c->a, "%lld", c->user->id), type, q,
	    sort ? sort : "", arena_printf(c->a, "%ld", size),
	    arena_printf(c->a, "%ld", (page - 1) * size),
	    arena_printf(c->a, "%d", CUST_LIST_CAP + 1)), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	total = db_getll(res, 0, 1);
	reply_json_with(c, 200, json_pack("{s:I, s:b, s:i, s:i, s:s}",
	    "total", (json_int_t)(total > CUST_LIST_CAP ? CUST_LIST_CAP : total),
	    "total_more", total > CUST_LIST_CAP, "page", (int)page, "size", (int)size,
	    "view", view), "items", db_get(res, 0, 0));
}

/* The customer as the reader may see it, or NULL (answered already). */
static json_t *
visible_customer(struct ctx *c)
{
	enum crm_err	 e;
	const char	*text;
	json_t		*v;
	json_error_t	 je;

	if ((e = cust_visible(c, http_id(c->args[0]), &text)) != ERR_OK) {
		reply_err(c, e, NULL);
		return NULL;
	}
	if ((v = json_loads(text, 0, &je)) == NULL) {
		reply_err(c, ERR_INTERNAL, NULL);
		return NULL;
	}
	return v;
}

/* GET /api/v1/customers/{id}: fields, aggregates and what I may do. */
void
h_customers_get(struct ctx *c)
{
	json_t		*v, *owner, *sh;
	long long	 oid;
	int		 mine, shared = 0, sales;
	size_t		 i;

	if ((v = visible_customer(c)) == NULL)
		return;
	owner = json_object_get(v, "owner");
	oid = json_is_object(owner) ?
	    json_integer_value(json_object_get(owner, "id")) : 0;
	mine = oid == c->user->id;
	json_array_foreach(json_object_get(v, "shared_with"), i, sh)
		if (json_integer_value(json_object_get(sh, "id")) ==
		    c->user->id)
			shared = 1;
	sales = strcmp(c->user->role, "salesperson") == 0;
	json_object_set_new(v, "can", json_pack("{s:b, s:b, s:b}",
	    "claim", oid == 0,
	    "change", oid != 0 && (mine || shared || !sales),
	    "transfer", mine));
	reply_json(c, 200, json_pack("{s:o}", "customer", v));
}

/* GET /api/v1/customers/{id}/timeline: documents, changes, pool events. */
void
h_customers_timeline(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;
	long long	 id = http_id(c->args[0]);

	if ((e = cust_visible(c, id, NULL)) != ERR_OK) {
		reply_err(c, e, NULL);
		return;
	}
	res = db_exec(c->w->db, c->a, ST_CUST_TIMELINE, DB_ARGS(
	    arena_printf(c->a, "%lld", id)), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	reply_json_with(c, 200, json_object(), "items", db_get(res, 0, 0));
}

/*
 * DELETE of a customer or a document, for every role: the archive keeps
 * its history, and changes only through documents (PLT-NODELETE).
 */
void
h_no_delete(struct ctx *c)
{
	reply_errmsg(c, ERR_FORBIDDEN, NULL, ctx_text(c,
	    "客户资料和单据不能删除：档案只通过单据变更，历史全部保留。",
	    "Customers and documents are never deleted: the archive changes "
	    "only through documents and keeps its whole history."));
}

/* GET /api/v1/customers/{id}/activity: its visits, deals and payments. */
void
h_customers_activity(struct ctx *c)
{
	PGresult	*visits, *money;
	enum crm_err	 e;
	json_error_t	 je;
	long long	 cid = http_id(c->args[0]);
	const char	*id = arena_printf(c->a, "%lld", cid);

	if ((e = cust_visible(c, cid, NULL)) != ERR_OK) {
		reply_err(c, e, NULL);
		return;
	}
	if ((visits = db_exec(c->w->db, c->a, ST_CUST_VISITS, DB_ARGS(id), &e))
	    == NULL ||
	    (money = db_exec(c->w->db, c->a, ST_CUST_MONEY, DB_ARGS(id), &e))
	    == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	reply_json(c, 200, json_pack("{s:o?, s:o?, s:o?}",
	    "visits", json_loads(db_get(visits, 0, 0), 0, &je),
	    "deals", json_loads(db_get(money, 0, 0), 0, &je),
	    "payments", json_loads(db_get(money, 0, 1), 0, &je)));
}
