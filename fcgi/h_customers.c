/*
 * h_customers.c: the customer views (mine, shared by me, shared with me,
 * the public pool, all in my scope), the customer page and its timeline.
 * Reading only: every change goes through a document (h_documents.c).
 * Row visibility is decided in SQL (crm_sees, crm_managed_depts) so lists
 * and pages apply the same rule.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extern.h"

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
	json_t		*items;
	json_error_t	 je;
	long		 page, size;

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
	res = db_exec(c->w->db, c->a, ST_CUST_LIST, DB_ARGS(view,
	    arena_printf(c->a, "%lld", c->user->id), c->user->role, type, q,
	    sort ? sort : "", arena_printf(c->a, "%ld", size),
	    arena_printf(c->a, "%ld", (page - 1) * size)), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	if ((items = json_loads(db_get(res, 0, 0), 0, &je)) == NULL) {
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	reply_json(c, 200, json_pack("{s:o, s:I, s:i, s:i, s:s}", "items",
	    items, "total", (json_int_t)db_getll(res, 0, 1), "page", (int)page,
	    "size", (int)size, "view", view));
}

/* The customer as the reader may see it, or NULL (answered already). */
static json_t *
visible_customer(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;
	json_t		*v;
	json_error_t	 je;
	long long	 id = http_id(c->args[0]);

	if (id == 0) {
		reply_err(c, ERR_NOT_FOUND, NULL);
		return NULL;
	}
	res = db_exec(c->w->db, c->a, ST_CUST_DETAIL, DB_ARGS(
	    arena_printf(c->a, "%lld", id),
	    arena_printf(c->a, "%lld", c->user->id), c->user->role), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return NULL;
	}
	/* Invisible and missing look the same: nothing leaks. */
	if (PQntuples(res) != 1 ||
	    (v = json_loads(db_get(res, 0, 0), 0, &je)) == NULL) {
		reply_err(c, ERR_NOT_FOUND, NULL);
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
	json_t		*v, *items;
	json_error_t	 je;

	if ((v = visible_customer(c)) == NULL)
		return;
	res = db_exec(c->w->db, c->a, ST_CUST_TIMELINE, DB_ARGS(
	    arena_printf(c->a, "%lld",
	    (long long)json_integer_value(json_object_get(v, "id")))), &e);
	json_decref(v);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	items = json_loads(db_get(res, 0, 0), 0, &je);
	reply_json(c, 200, json_pack("{s:o}", "items", items ? items :
	    json_array()));
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
	json_t		*v;
	json_error_t	 je;
	const char	*id;

	if ((v = visible_customer(c)) == NULL)
		return;
	id = arena_printf(c->a, "%lld",
	    (long long)json_integer_value(json_object_get(v, "id")));
	json_decref(v);
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
