/*
 * h_org.c: the org tree, targets and progress (ORG-*): reading.  Targets
 * are written through documents (wf_target.c).  Progress comes from the
 * per-person-per-day activity figures, never from scanning history, and
 * every number links to the records behind it (GET /api/v1/records).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extern.h"

static int
is_date(const char *s)
{
	int	 y, m, d, n = 0;

	return s != NULL && strlen(s) == 10 &&
	    sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 &&
	    m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static long long
qid(struct ctx *c, const char *key)
{
	const char	*s = http_kv_get(&c->req.query, key);
	char		*end;
	long long	 n;

	if (s == NULL || *s < '1' || *s > '9' || strlen(s) > 18)
		return 0;
	n = strtoll(s, &end, 10);
	return *end == '\0' ? n : -1;
}

static void
reply_list(struct ctx *c, const char *key, PGresult *res)
{
	json_t		*v;
	json_error_t	 je;

	if ((v = json_loads(db_get(res, 0, 0), 0, &je)) == NULL) {
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	reply_json(c, 200, json_pack("{s:o}", key, v));
}

/* May the reader see person staff's figures?  Answers 403/404 when not. */
static int
in_scope_or_reply(struct ctx *c, long long staff)
{
	PGresult	*res;
	enum crm_err	 e;

	res = db_exec(c->w->db, c->a, ST_TARGET_SCOPE, DB_ARGS(
	    arena_printf(c->a, "%lld", c->user->id), c->user->role,
	    arena_printf(c->a, "%lld", staff)), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return 0;
	}
	if (PQntuples(res) != 1) {
		reply_err(c, ERR_FORBIDDEN, "staff_id");
		return 0;
	}
	return 1;
}

/* GET /api/v1/targets/progress?date=YYYY-MM-DD&dept=ID */
void
h_targets_progress(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*date = http_kv_get(&c->req.query, "date");
	long long	 dept = qid(c, "dept");

	if (date != NULL && !is_date(date)) {
		reply_err(c, ERR_BAD_FIELD, "date");
		return;
	}
	if (dept < 0) {
		reply_err(c, ERR_BAD_FIELD, "dept");
		return;
	}
	res = db_exec(c->w->db, c->a, ST_TARGET_PROGRESS, DB_ARGS(
	    arena_printf(c->a, "%lld", c->user->id), c->user->role,
	    date ? date : "today", dept ? arena_printf(c->a, "%lld", dept) :
	    NULL), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	reply_list(c, "people", res);
}

/* GET /api/v1/targets?staff_id=ID (default: me) */
void
h_targets_list(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;
	long long	 staff = qid(c, "staff_id");

	if (staff < 0) {
		reply_err(c, ERR_BAD_FIELD, "staff_id");
		return;
	}
	if (staff == 0)
		staff = c->user->id;
	if (!in_scope_or_reply(c, staff))
		return;
	res = db_exec(c->w->db, c->a, ST_TARGET_LIST, DB_ARGS(
	    arena_printf(c->a, "%lld", staff)), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	reply_list(c, "items", res);
}

/*
 * GET /api/v1/records?staff_id=&kind=&from=&to=: the applied documents
 * behind a figure (new customers, claims, visits, deals, payments).
 */
void
h_records(struct ctx *c)
{
	static const char *const kinds[] = {
		"customer_new", "customer_claim", "visit", "deal", "payment",
	};
	PGresult	*res;
	enum crm_err	 e;
	const char	*kind = http_kv_get(&c->req.query, "kind");
	const char	*from = http_kv_get(&c->req.query, "from");
	const char	*to = http_kv_get(&c->req.query, "to");
	long long	 staff = qid(c, "staff_id");
	size_t		 i;
	int		 ok = 0;

	for (i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		ok |= strcmp(kind, kinds[i]) == 0;
	if (!ok) {
		reply_err(c, ERR_BAD_FIELD, "kind");
		return;
	}
	if (!is_date(from) || !is_date(to)) {
		reply_err(c, ERR_BAD_FIELD, is_date(from) ? "to" : "from");
		return;
	}
	if (staff < 0) {
		reply_err(c, ERR_BAD_FIELD, "staff_id");
		return;
	}
	if (staff == 0)
		staff = c->user->id;
	if (!in_scope_or_reply(c, staff))
		return;
	res = db_exec(c->w->db, c->a, ST_RECORDS, DB_ARGS(
	    arena_printf(c->a, "%lld", staff), kind, from, to), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	reply_list(c, "items", res);
}

/* GET /api/v1/departments: the org tree as a flat list (parent_id). */
void
h_departments(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;

	res = db_exec(c->w->db, c->a, ST_DEPT_TREE, 0, NULL, &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	reply_list(c, "items", res);
}
