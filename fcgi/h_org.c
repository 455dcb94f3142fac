/*
 * h_org.c: the org tree, targets and progress (ORG-*): reading.  Targets
 * are written through documents (wf_target.c).  Progress comes from the
 * per-person-per-day activity figures, never from scanning history, and
 * every number links to the records behind it (GET /api/v1/records).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "extern.h"

/* "YYYY-MM-DD" naming a day that exists (no 30 February). */
static int
is_date(const char *s)
{
	struct tm	 tm;
	const char	*end;
	int		 y, m, d;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strlen(s) != 10 ||
	    (end = strptime(s, "%Y-%m-%d", &tm)) == NULL || *end != '\0')
		return 0;
	y = tm.tm_year;
	m = tm.tm_mon;
	d = tm.tm_mday;
	tm.tm_hour = 12;
	(void)timegm(&tm);	/* normalises 30 Feb to 2 Mar */
	return tm.tm_year == y && tm.tm_mon == m && tm.tm_mday == d;
}

static long long
qid(struct ctx *c, const char *key)
{
	const char	*s = http_kv_get(&c->req.query, key);
	char		*end;
	long long	 n;

	if (s == NULL || *s == '\0')
		return 0;
	if (*s < '1' || *s > '9' || strlen(s) > 18)
		return -1;
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

/* ------------------------------------------------------- admin: the org */

static int
admin_or_reply(struct ctx *c)
{
	if (strcmp(c->user->role, "admin") == 0)
		return 1;
	reply_err(c, ERR_FORBIDDEN, NULL);
	return 0;
}

static const char *
opt_id(struct ctx *c, json_t *v)
{
	return json_is_integer(v) ? arena_printf(c->a, "%lld",
	    (long long)json_integer_value(v)) : NULL;
}

/* Refuse (and roll back) a change that would leave no active admin. */
static int
admins_left_or_reply(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;

	res = db_exec(c->w->db, c->a, ST_ADMIN_COUNT, 0, NULL, &e);
	if (res != NULL && db_getll(res, 0, 0) > 0)
		return 1;
	db_rollback(c->w->db);
	if (res == NULL)
		reply_err(c, e, NULL);
	else
		reply_errmsg(c, ERR_VALIDATION, "role", ctx_text(c,
		    "至少要保留一名在职的系统管理员。",
		    "At least one active administrator must remain."));
	return 0;
}

/* POST /api/v1/departments {"name", "parent_id"} (admin). */
void
h_departments_new(struct ctx *c)
{
	static const struct json_field spec[] = {
		{ "name", JF_STRING, 1, 100 },
		{ "parent_id", JF_INTEGER, 1, 0 },
	};
	const char	*bad = NULL;
	PGresult	*res;
	enum crm_err	 e;

	if (!admin_or_reply(c))
		return;
	if ((e = json_fields(c->body, spec, 2, &bad)) != ERR_OK) {
		reply_err(c, e, bad);
		return;
	}
	res = db_exec(c->w->db, c->a, ST_DEPT_INSERT, DB_ARGS(
	    opt_id(c, json_object_get(c->body, "parent_id")),
	    json_string_value(json_object_get(c->body, "name"))), &e);
	if (res == NULL) {
		reply_errmsg(c, e, "name", e == ERR_CONFLICT ? ctx_text(c,
		    "同一上级部门下已有同名部门。",
		    "The parent already has a department of that name.") :
		    crm_strerror(e, c->lang));
		return;
	}
	audit(c, "department_created", "department", db_get(res, 0, 0),
	    json_deep_copy(c->body));
	reply_json(c, 201, json_pack("{s:I}", "id",
	    (json_int_t)db_getll(res, 0, 0)));
}

/*
 * PUT /api/v1/departments/{id} {"name", "parent_id", "manager_id"}
 * (admin): rename, move (never under itself), set the head.
 */
void
h_departments_update(struct ctx *c)
{
	static const struct json_field spec[] = {
		{ "name", JF_STRING, 0, 100 },
		{ "parent_id", JF_INTEGER, 0, 0 },
		{ "manager_id", JF_INTEGER, 0, 0 },
	};
	const char	*bad = NULL, *id;
	PGresult	*res;
	enum crm_err	 e;
	int		 move, head;

	if (!admin_or_reply(c))
		return;
	if ((e = json_fields(c->body, spec, 3, &bad)) != ERR_OK) {
		reply_err(c, e, bad);
		return;
	}
	if (http_id(c->args[0]) == 0) {
		reply_err(c, ERR_NOT_FOUND, NULL);
		return;
	}
	id = c->args[0];
	move = json_object_get(c->body, "parent_id") != NULL;
	head = json_object_get(c->body, "manager_id") != NULL;
	res = db_exec(c->w->db, c->a, ST_DEPT_UPDATE, DB_ARGS(id,
	    json_string_value(json_object_get(c->body, "name")),
	    move ? "true" : "false",
	    opt_id(c, json_object_get(c->body, "parent_id")),
	    head ? "true" : "false",
	    opt_id(c, json_object_get(c->body, "manager_id"))), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	if (PQntuples(res) != 1) {
		reply_errmsg(c, ERR_VALIDATION, "parent_id", ctx_text(c,
		    "部门不存在，或不能移到它自己或它的下级部门之下。",
		    "No such department, or it cannot move under itself or "
		    "one of its own departments."));
		return;
	}
	audit(c, "department_changed", "department", id,
	    json_deep_copy(c->body));
	reply_empty(c, 204);
}

static const char *
password_policy_refuses(struct ctx *c, const char *login, const char *pw)
{
	json_t		*res;
	const char	*msg;

	res = rules_json(c, "password", "check", json_pack("[s, {s:s}]", pw,
	    "login", login));
	if (res == NULL)
		return crm_strerror(ERR_WEAK_PASSWORD, c->lang);
	if (json_is_null(res))
		return NULL;
	msg = json_string_value(json_object_get(res,
	    c->lang == LANG_EN ? "en" : "zh"));
	return msg ? arena_strdup(c->a, msg) :
	    crm_strerror(ERR_WEAK_PASSWORD, c->lang);
}

static int
role_ok(const char *r)
{
	return r == NULL || strcmp(r, "salesperson") == 0 ||
	    strcmp(r, "manager") == 0 || strcmp(r, "director") == 0 ||
	    strcmp(r, "admin") == 0;
}

/* A photo token of the body (kind photo), as the file's id; "" when bad. */
static const char *
photo_id(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*tok = json_string_value(json_object_get(c->body,
			    "photo"));

	if (tok == NULL)
		return NULL;
	res = db_exec(c->w->db, c->a, ST_FILE_ID, DB_ARGS(tok, "photo"), &e);
	if (res == NULL || PQntuples(res) != 1)
		return "";
	return db_get(res, 0, 0);
}

/* POST /api/v1/staff (admin): a new person who can log in. */
void
h_staff_new(struct ctx *c)
{
	static const struct json_field spec[] = {
		{ "login", JF_STRING, 1, 32 },
		{ "name", JF_STRING, 1, 100 },
		{ "department_id", JF_INTEGER, 1, 0 },
		{ "role", JF_STRING, 1, 20 },
		{ "password", JF_STRING, 1, 1024 },
		{ "position", JF_STRING, 0, 100 },
		{ "mobile", JF_STRING, 0, 20 },
		{ "gender", JF_STRING, 0, 1 },
		{ "max_customers", JF_INTEGER, 0, 0 },
		{ "photo", JF_STRING, 0, 100 },
	};
	const char	*bad = NULL, *login, *msg, *pid, *role;
	PGresult	*res;
	enum crm_err	 e;
	char		*hash;
	json_t		*mc;

	if (!admin_or_reply(c))
		return;
	if ((e = json_fields(c->body, spec, 10, &bad)) != ERR_OK) {
		reply_err(c, e, bad);
		return;
	}
	login = json_string_value(json_object_get(c->body, "login"));
	role = json_string_value(json_object_get(c->body, "role"));
	if (!role_ok(role)) {
		reply_err(c, ERR_BAD_FIELD, "role");
		return;
	}
	if ((msg = password_policy_refuses(c, login, json_string_value(
	    json_object_get(c->body, "password")))) != NULL) {
		reply_errmsg(c, ERR_WEAK_PASSWORD, "password", msg);
		return;
	}
	if ((pid = photo_id(c)) != NULL && *pid == '\0') {
		reply_err(c, ERR_VALIDATION, "photo");
		return;
	}
	hash = auth_hash(json_string_value(json_object_get(c->body,
	    "password")));
	mc = json_object_get(c->body, "max_customers");
	res = db_exec(c->w->db, c->a, ST_STAFF_INSERT, DB_ARGS(login, hash,
	    json_string_value(json_object_get(c->body, "name")), role,
	    opt_id(c, json_object_get(c->body, "department_id")),
	    json_string_value(json_object_get(c->body, "position")),
	    json_string_value(json_object_get(c->body, "mobile")),
	    json_string_value(json_object_get(c->body, "gender")),
	    mc ? arena_printf(c->a, "%lld", (long long)json_integer_value(mc)) :
	    NULL), &e);
	free(hash);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	if (PQntuples(res) != 1) {
		reply_errmsg(c, ERR_CONFLICT, "login", ctx_text(c,
		    "该登录名已被使用。", "This login is already taken."));
		return;
	}
	if (pid != NULL)
		(void)db_exec(c->w->db, c->a, ST_STAFF_UPDATE, DB_ARGS(
		    db_get(res, 0, 0), "{}", pid), &e);
	audit(c, "staff_created", "staff", db_get(res, 0, 0),
	    json_pack("{s:s, s:s}", "login", login, "role", role));
	reply_json(c, 201, json_pack("{s:I}", "id",
	    (json_int_t)db_getll(res, 0, 0)));
}

/* GET /api/v1/staff/{id}: the staff record (admin, or oneself). */
void
h_staff_get(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;
	long long	 id = http_id(c->args[0]);

	if (id == 0) {
		reply_err(c, ERR_NOT_FOUND, NULL);
		return;
	}
	if (id != c->user->id && strcmp(c->user->role, "admin") != 0 &&
	    !in_scope_or_reply(c, id))
		return;
	res = db_exec(c->w->db, c->a, ST_STAFF_DETAIL, DB_ARGS(c->args[0]), &e);
	if (res == NULL || PQntuples(res) != 1) {
		reply_err(c, res == NULL ? e : ERR_NOT_FOUND, NULL);
		return;
	}
	reply_list(c, "staff", res);
}

/* PUT /api/v1/staff/{id} (admin): change a staff record. */
void
h_staff_update(struct ctx *c)
{
	static const struct json_field spec[] = {
		{ "name", JF_STRING, 0, 100 },
		{ "department_id", JF_INTEGER, 0, 0 },
		{ "role", JF_STRING, 0, 20 },
		{ "position", JF_STRING, 0, 100 },
		{ "mobile", JF_STRING, 0, 20 },
		{ "gender", JF_STRING, 0, 1 },
		{ "max_customers", JF_INTEGER, 0, 0 },
		{ "active", JF_BOOLEAN, 0, 0 },
		{ "photo", JF_STRING, 0, 100 },
	};
	const char	*bad = NULL, *pid;
	PGresult	*res;
	enum crm_err	 e;
	char		*chg;
	long long	 id = http_id(c->args[0]);

	if (!admin_or_reply(c))
		return;
	if ((e = json_fields(c->body, spec, 9, &bad)) != ERR_OK) {
		reply_err(c, e, bad);
		return;
	}
	if (id == 0) {
		reply_err(c, ERR_NOT_FOUND, NULL);
		return;
	}
	if (!role_ok(json_string_value(json_object_get(c->body, "role")))) {
		reply_err(c, ERR_BAD_FIELD, "role");
		return;
	}
	if ((pid = photo_id(c)) != NULL && *pid == '\0') {
		reply_err(c, ERR_VALIDATION, "photo");
		return;
	}
	/* Disabling someone ends their sessions first (or nothing changes). */
	if (json_is_false(json_object_get(c->body, "active")) &&
	    (e = session_end_user(c, id, NULL)) != ERR_OK) {
		reply_err(c, e, NULL);
		return;
	}
	chg = json_dumps(c->body, JSON_COMPACT);
	if ((e = db_begin(c->w->db)) != ERR_OK) {
		free(chg);
		reply_err(c, e, NULL);
		return;
	}
	res = db_exec(c->w->db, c->a, ST_STAFF_UPDATE, DB_ARGS(c->args[0], chg,
	    pid), &e);
	free(chg);
	if (res == NULL || PQntuples(res) != 1) {
		db_rollback(c->w->db);
		reply_err(c, res == NULL ? e : ERR_NOT_FOUND, NULL);
		return;
	}
	if (!admins_left_or_reply(c))
		return;
	if ((e = db_commit(c->w->db)) != ERR_OK) {
		reply_err(c, e, NULL);
		return;
	}
	session_uncache_user(c, id);
	audit(c, "staff_changed", "staff", c->args[0], json_deep_copy(c->body));
	reply_empty(c, 204);
}

/*
 * POST /api/v1/roles/assign {"role", "staff_ids"} (admin): batch
 * authorization: give many people one role (and so its menus and rights)
 * at once, in one transaction.
 */
void
h_roles_assign(struct ctx *c)
{
	static const struct json_field spec[] = {
		{ "role", JF_STRING, 1, 20 },
		{ "staff_ids", JF_ARRAY, 1, 0 },
	};
	const char	*bad = NULL, *role;
	json_t		*ids, *v;
	struct buf	 b;
	PGresult	*res;
	enum crm_err	 e;
	size_t		 i;
	int		 n;

	if (!admin_or_reply(c))
		return;
	if ((e = json_fields(c->body, spec, 2, &bad)) != ERR_OK) {
		reply_err(c, e, bad);
		return;
	}
	role = json_string_value(json_object_get(c->body, "role"));
	ids = json_object_get(c->body, "staff_ids");
	if (!role_ok(role)) {
		reply_err(c, ERR_BAD_FIELD, "role");
		return;
	}
	if (json_array_size(ids) == 0 || json_array_size(ids) > 1000) {
		reply_err(c, ERR_BAD_FIELD, "staff_ids");
		return;
	}
	buf_init(&b, c->a, 1 << 16);
	buf_putc(&b, '{');
	json_array_foreach(ids, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			reply_err(c, ERR_BAD_FIELD, "staff_ids");
			return;
		}
		buf_printf(&b, "%s%lld", i ? "," : "",
		    (long long)json_integer_value(v));
	}
	buf_putc(&b, '}');
	if ((e = db_begin(c->w->db)) != ERR_OK ||
	    (res = db_exec(c->w->db, c->a, ST_STAFF_SET_ROLE_MANY, DB_ARGS(role,
	    buf_cstr(&b)), &e)) == NULL) {
		db_rollback(c->w->db);
		reply_err(c, e, NULL);
		return;
	}
	n = PQntuples(res);
	if (!admins_left_or_reply(c))
		return;
	audit(c, "role_assigned", "role", role, json_deep_copy(c->body));
	if ((e = db_commit(c->w->db)) != ERR_OK) {
		reply_err(c, e, NULL);
		return;
	}
	/* After the commit: a request in between must not cache the old role. */
	for (i = 0; i < (size_t)n; i++)
		session_uncache_user(c, db_getll(res, (int)i, 0));
	reply_json(c, 200, json_pack("{s:i}", "changed", n));
}
