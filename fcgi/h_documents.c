/*
 * h_documents.c: documents (单据) over HTTP: submit, list, read, decide,
 * withdraw; the to-do inbox; form definitions; notifications; the staff
 * list the pickers use.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>
#include <jansson.h>

#include "extern.h"

/* Answer a JSON text straight from PostgreSQL under key. */
static void
reply_text(struct ctx *c, const char *key, const char *text)
{
	json_t		*v;
	json_error_t	 je;

	if ((v = json_loads(text, 0, &je)) == NULL) {
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	reply_json(c, 200, json_pack("{s:o}", key, v));
}

/*
 * Finish a document request inside its transaction: build the answer,
 * store it with the idempotency key and commit.
 */
static void
finish(struct ctx *c, enum crm_err e, struct doc *d, int status, int applied)
{
	json_t	*doc;

	if (e != ERR_OK) {
		db_rollback(c->w->db);
		reply_fail(c, e);
		return;
	}
	if ((doc = wf_doc_json(c, d->id)) == NULL) {
		/* The connection may have died under us: nothing was committed. */
		db_rollback(c->w->db);
		reply_err(c, db_up(c->w->db) ? ERR_INTERNAL : ERR_UNAVAILABLE,
		    NULL);
		return;
	}
	reply_json(c, status, json_pack("{s:o, s:b, s:O?}", "document", doc,
	    "applied", applied, "result", d->result));
	json_decref(d->result);
	if ((e = idem_commit(c)) != ERR_OK) {
		/* A check made at commit (a new customer's limit) failed. */
		c->rep.hdr.len = 0;
		reply_fail(c, e);
	}
}

/* POST /api/v1/documents {"kind", "data"}. */
void
h_documents_new(struct ctx *c)
{
	static const struct json_field spec[] = {
		{ "kind", JF_STRING, 1, 40 },
		{ "data", JF_OBJECT, 1, 0 },
	};
	const struct wf_kind	*k;
	const char		*bad = NULL;
	struct doc		 d;
	enum crm_err		 e;
	int			 applied = 0;

	if ((e = json_fields(c->body, spec, 2, &bad)) != ERR_OK) {
		reply_err(c, e, bad);
		return;
	}
	k = wf_kind(json_string_value(json_object_get(c->body, "kind")));
	if (k == NULL) {
		reply_errmsg(c, ERR_BAD_FIELD, "kind", ctx_text(c,
		    "未知的单据类型。", "Unknown document kind."));
		return;
	}
	if (idem_begin_or_reply(c))
		return;
	memset(&d, 0, sizeof(d));
	e = wf_submit(c, k, json_object_get(c->body, "data"), &d, &applied);
	finish(c, e, &d, 201, applied);
}

/* POST /api/v1/documents/{id}/decision {"action", "comment"}. */
void
h_documents_decide(struct ctx *c)
{
	static const struct json_field spec[] = {
		{ "action", JF_STRING, 1, 10 },
		{ "comment", JF_STRING, 0, 1000 },
	};
	const char	*bad = NULL, *action, *comment;
	struct doc	 d;
	enum crm_err	 e;
	long long	 id = http_id(c->args[0]);

	if (id == 0) {
		reply_err(c, ERR_NOT_FOUND, NULL);
		return;
	}
	if ((e = json_fields(c->body, spec, 2, &bad)) != ERR_OK) {
		reply_err(c, e, bad);
		return;
	}
	action = json_string_value(json_object_get(c->body, "action"));
	comment = json_string_value(json_object_get(c->body, "comment"));
	if (strcmp(action, "approve") != 0 && strcmp(action, "reject") != 0 &&
	    strcmp(action, "return") != 0) {
		reply_err(c, ERR_BAD_FIELD, "action");
		return;
	}
	if (strcmp(action, "approve") != 0 && (comment == NULL || *comment ==
	    '\0')) {
		reply_errmsg(c, ERR_MISSING_FIELD, "comment", ctx_text(c,
		    "驳回或退回时请填写意见。",
		    "Please say why when you reject or send back."));
		return;
	}
	if (idem_begin_or_reply(c))
		return;
	memset(&d, 0, sizeof(d));
	e = wf_decide(c, id, action, comment, &d);
	finish(c, e, &d, 200, strcmp(action, "approve") == 0);
}

/* POST /api/v1/documents/{id}/withdraw. */
void
h_documents_withdraw(struct ctx *c)
{
	struct doc	 d;
	enum crm_err	 e;
	long long	 id = http_id(c->args[0]);

	if (id == 0) {
		reply_err(c, ERR_NOT_FOUND, NULL);
		return;
	}
	if (idem_begin_or_reply(c))
		return;
	memset(&d, 0, sizeof(d));
	e = wf_withdraw(c, id, &d);
	finish(c, e, &d, 200, 0);
}

/* GET /api/v1/documents/{id}: the document with its approval trail. */
void
h_documents_get(struct ctx *c)
{
	json_t		*doc;
	long long	 id = http_id(c->args[0]);

	if (id == 0 || (doc = wf_doc_json(c, id)) == NULL) {
		reply_err(c, db_up(c->w->db) ? ERR_NOT_FOUND : ERR_UNAVAILABLE,
		    NULL);
		return;
	}
	reply_json(c, 200, json_pack("{s:o}", "document", doc));
}

/* GET /api/v1/documents?kind=&status=: my documents, newest first. */
void
h_documents_list(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*kind = http_kv_get(&c->req.query, "kind");
	const char	*status = http_kv_get(&c->req.query, "status");

	res = db_exec(c->w->db, c->a, ST_DOC_LIST, DB_ARGS(
	    arena_printf(c->a, "%lld", c->user->id),
	    kind && *kind ? kind : NULL, status && *status ? status : NULL), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	reply_text(c, "items", db_get(res, 0, 0));
}

/* GET /api/v1/todos: documents waiting for my decision. */
void
h_todos(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;

	res = db_exec(c->w->db, c->a, ST_TODOS, DB_ARGS(
	    arena_printf(c->a, "%lld", c->user->id)), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	reply_text(c, "items", db_get(res, 0, 0));
}

/* GET /api/v1/forms/{kind}: a form definition of rules/forms.lua. */
void
h_forms(struct ctx *c)
{
	json_t	*v;

	if (wf_kind(c->args[0]) == NULL) {
		reply_err(c, ERR_NOT_FOUND, NULL);
		return;
	}
	v = rules_json(c, "forms", "get", json_pack("[s, s]", c->args[0],
	    c->user->role));
	if (v == NULL || json_is_null(v)) {
		reply_err(c, ERR_RULE, NULL);
		return;
	}
	reply_json(c, 200, json_pack("{s:O}", "form", v));
}

/* GET /api/v1/staff: active colleagues for the pickers. */
void
h_staff_list(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;

	/* Admins may ask for everyone, disabled people included (?all=1). */
	res = db_exec(c->w->db, c->a, http_kv_get(&c->req.query, "all") &&
	    strcmp(c->user->role, "admin") == 0 ? ST_STAFF_LIST_ALL :
	    ST_STAFF_LIST, 0, NULL, &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	reply_text(c, "items", db_get(res, 0, 0));
}

/*
 * The unread count: Redis caches it (notify drops the cached value), and
 * PostgreSQL rebuilds it when it is missing or Redis is away.
 */
static long long
unread(struct ctx *c, enum crm_err *e)
{
	redisReply	*r;
	PGresult	*res;
	const char	*key = arena_printf(c->a, "unread:%lld", c->user->id);
	const char	*get[2] = { "GET", key };
	const char	*set[5] = { "SET", key, NULL, "EX", "30" };
	long long	 n;

	*e = ERR_OK;
	r = cache_cmdv(c->w->cache, c->a, 2, get);
	if (r != NULL && r->type == REDIS_REPLY_STRING)
		return strtoll(r->str, NULL, 10);
	res = db_exec(c->w->db, c->a, ST_NOTIFY_UNREAD, DB_ARGS(
	    arena_printf(c->a, "%lld", c->user->id)), e);
	if (res == NULL)
		return -1;
	n = db_getll(res, 0, 0);
	set[2] = arena_printf(c->a, "%lld", n);
	(void)cache_cmdv(c->w->cache, c->a, 5, set);
	return n;
}

/* GET /api/v1/notifications: the latest 100 and the unread count. */
void
h_notifications(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;
	json_t		*items;
	json_error_t	 je;
	long long	 n;

	if ((n = unread(c, &e)) < 0) {
		reply_err(c, e, NULL);
		return;
	}
	if (http_kv_get(&c->req.query, "count_only") != NULL) {
		reply_json(c, 200, json_pack("{s:I}", "unread", (json_int_t)n));
		return;
	}
	res = db_exec(c->w->db, c->a, ST_NOTIFY_LIST, DB_ARGS(
	    arena_printf(c->a, "%lld", c->user->id)), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	items = json_loads(db_get(res, 0, 0), 0, &je);
	reply_json(c, 200, json_pack("{s:o, s:I}", "items", items ? items :
	    json_array(), "unread", (json_int_t)n));
}

/* POST /api/v1/notifications/read {"id"}: mark one (or, without id, all). */
void
h_notifications_read(struct ctx *c)
{
	static const struct json_field spec[] = {
		{ "id", JF_INTEGER, 0, 0 },
	};
	const char	*bad = NULL, *key;
	const char	*del[2] = { "DEL", NULL };
	json_t		*id;
	enum crm_err	 e;

	if ((e = json_fields(c->body, spec, 1, &bad)) != ERR_OK) {
		reply_err(c, e, bad);
		return;
	}
	id = json_object_get(c->body, "id");
	if (db_exec(c->w->db, c->a, ST_NOTIFY_READ, DB_ARGS(
	    arena_printf(c->a, "%lld", c->user->id),
	    id ? arena_printf(c->a, "%lld", (long long)json_integer_value(id)) :
	    NULL), &e) == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	key = arena_printf(c->a, "unread:%lld", c->user->id);
	del[1] = key;
	(void)cache_cmdv(c->w->cache, c->a, 2, del);
	reply_empty(c, 204);
}

/*
 * GET /api/v1/daily-summary?day=YYYY-MM-DD: my figures of that day with
 * links to each record, for the daily report form (WF-DAILY), and the
 * report already filed that day, if any.
 */
void
h_daily_summary(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*day = http_kv_get(&c->req.query, "day");
	struct tm	 tm;
	const char	*end;
	int		 y, m, d;

	memset(&tm, 0, sizeof(tm));
	if (day == NULL || strlen(day) != 10 ||
	    (end = strptime(day, "%Y-%m-%d", &tm)) == NULL || *end != '\0') {
		reply_err(c, ERR_BAD_FIELD, "day");
		return;
	}
	y = tm.tm_year;
	m = tm.tm_mon;
	d = tm.tm_mday;
	tm.tm_hour = 12;
	(void)timegm(&tm);	/* 30 February becomes 2 March: refused */
	if (tm.tm_year != y || tm.tm_mon != m || tm.tm_mday != d) {
		reply_err(c, ERR_BAD_FIELD, "day");
		return;
	}
	res = db_exec(c->w->db, c->a, ST_DAILY_FIGURES, DB_ARGS(
	    arena_printf(c->a, "%lld", c->user->id), day), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	reply_text(c, "summary", db_get(res, 0, 0));
}
