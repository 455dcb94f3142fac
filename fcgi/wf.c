/*
 * wf.c: the document engine, the one write path of the archive.
 *
 * Every change to the archive is a document (单据): number, applicant,
 * status (submitted, approved, rejected, withdrawn, returned), data and an
 * approval route.  Submitting one validates it against its form
 * (rules/forms.lua), runs the kind's database checks, asks
 * rules/routing.lua for the steps, resolves each step to a person, and
 * applies it at once when there are none.  The final approval applies it.
 * Applying changes the archive in the same transaction that records the
 * decision, so a document is either fully applied or not at all.
 *
 * Kinds are rows of the table below; their checks and effects live in
 * wf_*.c files.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extern.h"

static const struct wf_kind kinds[] = {
	{ "customer_new", wf_customer_new_check, wf_customer_new_apply, 0 },
	{ "customer_claim", wf_claim_check, wf_claim_apply, 0 },
	{ "transfer", wf_transfer_check, wf_transfer_apply, 0 },
	{ "customer_change", wf_change_check, wf_change_apply, 0 },
	{ "visit", wf_visit_check, wf_visit_apply, 0 },
	{ "deal", wf_deal_check, wf_deal_apply, 0 },
	{ "payment", wf_payment_check, wf_payment_apply, 0 },
	{ "daily_report", wf_daily_check, wf_daily_apply, 0 },
	{ "target", wf_target_check, wf_target_apply, 0 },
	/* The import's audit record names its document by number. */
	{ "customer_import", wf_import_check, wf_import_apply, 1 },
};

/* See extern.h. */
const struct wf_kind *
wf_kind(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

/* See extern.h. */
enum crm_err
ctx_fail(struct ctx *c, enum crm_err e, const char *field, const char *msg)
{
	c->errfield = field;
	c->errmsg = msg;
	return e;
}

/* See extern.h. */
void
reply_fail(struct ctx *c, enum crm_err e)
{
	if (c->errmsg != NULL)
		reply_errmsg(c, e, c->errfield, c->errmsg);
	else
		reply_err(c, e, c->errfield);
}

/* See extern.h. */
const char *
ctx_text(struct ctx *c, const char *zh, const char *en)
{
	return c->lang == LANG_EN ? en : zh;
}

/* See extern.h. */
json_t *
rules_json(struct ctx *c, const char *file, const char *fn, json_t *args)
{
	char		*argjson = NULL, *out, *err;
	json_t		*v;
	json_error_t	 je;
	int		 rc;

	if (args != NULL) {
		argjson = json_dumps(args, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(args);
		if (argjson == NULL)
			return NULL;
	}
	rc = rules_call(c->w->rules, c->a, file, fn, argjson, &out, &err);
	free(argjson);
	if (rc == -1) {
		log_err("rules: %s.%s: %s", file, fn, err);
		return NULL;
	}
	if ((v = json_loads(out, JSON_DECODE_ANY, &je)) == NULL) {
		log_err("rules: %s.%s: bad result: %s", file, fn, je.text);
		return NULL;
	}
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, v);
	return v;
}

/* See extern.h. */
void
notify(struct ctx *c, long long staff_id, const char *kind, long long doc,
    long long customer, json_t *detail)
{
	enum crm_err	 e;
	char		*d = detail ? json_dumps(detail, JSON_COMPACT) : NULL;

	json_decref(detail);
	(void)db_exec(c->w->db, c->a, ST_NOTIFY, DB_ARGS(
	    arena_printf(c->a, "%lld", staff_id), kind,
	    doc ? arena_printf(c->a, "%lld", doc) : NULL,
	    customer ? arena_printf(c->a, "%lld", customer) : NULL,
	    d ? d : "{}"), &e);
	free(d);
	/* The unread count is cached; PostgreSQL rebuilds it when missing. */
	ctx_stale(c, arena_printf(c->a, "unread:%lld", staff_id));
}

/* See extern.h. */
void
ctx_stale(struct ctx *c, const char *key)
{
	const char	*argv[2] = { "DEL", key };
	size_t		 i;

	(void)cache_cmdv(c->w->cache, c->a, 2, argv);
	for (i = 0; i < c->nstale; i++)
		if (strcmp(c->stale[i], key) == 0)
			return;
	if (c->nstale < CTX_MAXSTALE)
		c->stale[c->nstale++] = key;
}

/* See extern.h. */
void
ctx_stale_flush(struct ctx *c)
{
	const char	*argv[2] = { "DEL", NULL };
	size_t		 i;

	for (i = 0; i < c->nstale; i++) {
		argv[1] = c->stale[i];
		(void)cache_cmdv(c->w->cache, c->a, 2, argv);
	}
	c->nstale = 0;
}

/* The applicant context rules see: {applicant: {id, role, department}}. */
static json_t *
rule_ctx(struct ctx *c)
{
	return json_pack("{s:{s:I, s:s, s:s, s:I}}", "applicant",
	    "id", (json_int_t)c->user->id, "role", c->user->role,
	    "login", c->user->login, "department", (json_int_t)c->user->dept_id);
}

/* Next number of a per-day sequence, formatted by rules/numbering.lua. */
static const char *
next_number(struct ctx *c, const char *seqname, const char *fn,
    enum crm_err *err)
{
	PGresult	*res;
	json_t		*v;

	res = db_exec(c->w->db, c->a, ST_SEQ_NEXT, DB_ARGS(seqname), err);
	if (res == NULL)
		return NULL;
	v = rules_json(c, "numbering", fn, json_pack("[{s:s, s:I, s:s}]",
	    "date", db_get(res, 0, 1), "seq", (json_int_t)db_getll(res, 0, 0),
	    "kind", seqname));
	if (v == NULL || !json_is_string(v)) {
		*err = ERR_RULE;
		return NULL;
	}
	return arena_strdup(c->a, json_string_value(v));
}

/* Replace every from in the answer's body by to. */
static void
body_replace(struct ctx *c, const char *from, const char *to)
{
	struct buf	 b;
	const char	*s, *p;
	size_t		 n = strlen(from);

	if (c->rep.body.len == 0 || strstr(c->rep.body.data, from) == NULL)
		return;
	buf_init(&b, c->a, c->rep.body.max ? c->rep.body.max : 1 << 24);
	for (s = c->rep.body.data; (p = strstr(s, from)) != NULL; s = p + n) {
		buf_write(&b, s, (size_t)(p - s));
		buf_puts(&b, to);
	}
	buf_puts(&b, s);
	c->rep.body.len = 0;
	buf_write(&c->rep.body, b.data, b.len);
}

/* See extern.h. */
enum crm_err
wf_late_numbers(struct ctx *c, const char **doc, const char **cust)
{
	PGresult	*res;
	enum crm_err	 e;
	json_t		*v;
	const char	*name, *num;
	int		 i;

	*doc = *cust = NULL;
	if ((e = wf_customer_late_check(c)) != ERR_OK)
		return e;
	if (c->late_doc == 0 && c->late_cust == 0)
		return ERR_OK;
	/*
	 * From here until the commit only this transaction's own new rows
	 * are written, so nobody waits for it while it holds the counters.
	 */
	res = db_exec(c->w->db, c->a, ST_SEQ_NEXT_LATE, DB_ARGS(
	    c->late_doc ? "true" : "false", c->late_cust ? "true" : "false"),
	    &e);
	if (res == NULL)
		return e;
	for (i = 0; i < PQntuples(res); i++) {
		name = db_get(res, i, 0);
		v = rules_json(c, "numbering", strcmp(name, "customer") == 0 ?
		    "customer_number" : "document_number", json_pack(
		    "[{s:s, s:I, s:s}]", "date", db_get(res, i, 2), "seq",
		    (json_int_t)db_getll(res, i, 1), "kind", name));
		if (v == NULL || !json_is_string(v) ||
		    json_string_length(v) == 0)
			return ERR_RULE;
		num = arena_strdup(c->a, json_string_value(v));
		if (strcmp(name, "customer") == 0) {
			body_replace(c, c->late_cust_ph, num);
			*cust = num;
		} else {
			body_replace(c, c->late_doc_ph, num);
			*doc = num;
		}
	}
	if ((c->late_doc != 0 && *doc == NULL) ||
	    (c->late_cust != 0 && *cust == NULL))
		return ERR_INTERNAL;
	return ERR_OK;
}

/*
 * Resolve one routing step to a person.  Returns the staff id or 0 with
 * a ctx_fail recorded.
 */
static long long
resolve_step(struct ctx *c, json_t *step, const char **label)
{
	const char	*who = json_string_value(json_object_get(step,
			    "approver"));
	PGresult	*res;
	enum crm_err	 e;
	long long	 id = 0;

	if (who == NULL)
		return 0;
	if (strcmp(who, "dept_manager") == 0) {
		res = db_exec(c->w->db, c->a, ST_ROUTE_HEAD, DB_ARGS(
		    arena_printf(c->a, "%lld", c->user->id)), &e);
		if (res != NULL && PQntuples(res) == 1)
			id = db_getll(res, 0, 0);
		if (id == 0) {
			/* No head above: the director decides. */
			res = db_exec(c->w->db, c->a, ST_STAFF_FIRST_BY_ROLE,
			    DB_ARGS("director"), &e);
			if (res != NULL && PQntuples(res) == 1)
				id = db_getll(res, 0, 0);
		}
		*label = "dept_manager";
	} else if (strcmp(who, "role") == 0) {
		const char *role = json_string_value(json_object_get(step,
		    "role"));

		if (role == NULL)
			return 0;
		res = db_exec(c->w->db, c->a, ST_STAFF_FIRST_BY_ROLE,
		    DB_ARGS(role), &e);
		if (res != NULL && PQntuples(res) == 1)
			id = db_getll(res, 0, 0);
		*label = arena_printf(c->a, "role:%s", role);
	} else if (strcmp(who, "person") == 0) {
		const char *login = json_string_value(json_object_get(step,
		    "login"));

		if (login == NULL)
			return 0;
		res = db_exec(c->w->db, c->a, ST_STAFF_ACTIVE_BY_LOGIN,
		    DB_ARGS(login), &e);
		if (res != NULL && PQntuples(res) == 1)
			id = db_getll(res, 0, 0);
		*label = arena_printf(c->a, "person:%s", login);
	}
	return id;
}

/* Validation errors of rules/forms.lua, answered as 422 on the first. */
static enum crm_err
validate(struct ctx *c, const char *kind, json_t *data)
{
	json_t		*v, *first;
	const char	*msg;

	v = rules_json(c, "forms", "validate", json_pack("[s, O, o]", kind,
	    data, rule_ctx(c)));
	if (v == NULL)
		return ctx_fail(c, ERR_RULE, NULL, NULL);
	if (json_is_null(v))
		return ERR_OK;
	first = json_array_get(v, 0);
	msg = json_string_value(json_object_get(first,
	    c->lang == LANG_EN ? "en" : "zh"));
	return ctx_fail(c, ERR_VALIDATION,
	    json_string_value(json_object_get(first, "field")),
	    msg ? arena_strdup(c->a, msg) : NULL);
}

static enum crm_err
apply(struct ctx *c, const struct wf_kind *k, struct doc *d, int stepidx)
{
	enum crm_err	 e;
	char		*data;

	if ((e = k->apply(c, d)) != ERR_OK)
		return e;
	data = json_dumps(d->data, JSON_COMPACT);
	(void)db_exec(c->w->db, c->a, ST_DOC_SET_STATUS, DB_ARGS(
	    arena_printf(c->a, "%lld", d->id), "approved",
	    arena_printf(c->a, "%d", stepidx),
	    d->customer_id ? arena_printf(c->a, "%lld", d->customer_id) : NULL,
	    data), &e);
	free(data);
	return e;
}

/*
 * Trim spaces (ASCII and the full-width U+3000) around every string value
 * of a form: "  华为  " is "华为" everywhere, in lists and in duplicates.
 */
static void
trim_strings(json_t *data)
{
	const char	*key, *s, *e;
	json_t		*v;

	json_object_foreach(data, key, v) {
		if (!json_is_string(v))
			continue;
		s = json_string_value(v);
		e = s + json_string_length(v);
		for (;;) {
			if (s < e && (*s == ' ' || *s == '\t' || *s == '\r' ||
			    *s == '\n'))
				s++;
			else if (e - s >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
				s += 3;
			else
				break;
		}
		for (;;) {
			if (e > s && (e[-1] == ' ' || e[-1] == '\t' ||
			    e[-1] == '\r' || e[-1] == '\n'))
				e--;
			else if (e - s >= 3 && memcmp(e - 3, "\xe3\x80\x80", 3) == 0)
				e -= 3;
			else
				break;
		}
		if (s != json_string_value(v) ||
		    e != json_string_value(v) + json_string_length(v))
			json_string_setn(v, s, (size_t)(e - s));
	}
}

/* See extern.h. */
enum crm_err
wf_doc_file(struct ctx *c, struct doc *d, const char *key, const char *kind,
    const char **id)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*tok = json_string_value(json_object_get(d->data, key));

	*id = NULL;
	if (tok == NULL)
		return ERR_OK;
	res = db_exec(c->w->db, c->a, ST_FILE_META, DB_ARGS(tok), &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) != 1 || db_getll(res, 0, 5) != d->applicant_id ||
	    (kind != NULL && strcmp(db_get(res, 0, 1), kind) != 0))
		return ctx_fail(c, ERR_VALIDATION, key, ctx_text(c,
		    "附件不存在，请重新上传。",
		    "The attachment was not found; upload it again."));
	*id = db_get(res, 0, 0);
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
wf_submit(struct ctx *c, const struct wf_kind *k, json_t *data,
    struct doc *d, int *applied)
{
	json_t		*steps, *step;
	PGresult	*res;
	enum crm_err	 e;
	const char	*number, *label = NULL;
	char		*text;
	long long	 who;
	size_t		 i;

	memset(d, 0, sizeof(*d));
	d->kind = k->name;
	d->applicant_id = c->user->id;
	d->applicant_role = c->user->role;
	d->data = data;
	*applied = 0;
	trim_strings(data);
	if ((e = validate(c, k->name, data)) != ERR_OK)
		return e;
	if ((e = k->check(c, d)) != ERR_OK)
		return e;
	steps = rules_json(c, "routing", "route", json_pack("[s, O, o]",
	    k->name, data, rule_ctx(c)));
	if (steps == NULL || (!json_is_array(steps) && !json_is_object(steps)))
		return ctx_fail(c, ERR_RULE, NULL, NULL);
	/*
	 * The number is taken right before the commit (wf_late_numbers):
	 * the day's counter row stays locked from then until the commit, and
	 * every writer needs it.  Until then the document carries a
	 * placeholder no other transaction ever sees.
	 */
	if (k->number_first) {
		if ((number = next_number(c, "document", "document_number",
		    &e)) == NULL)
			return e;
	} else
		number = NULL;
	text = json_dumps(data, JSON_COMPACT);
	res = db_exec(c->w->db, c->a, ST_DOC_INSERT, DB_ARGS(number, k->name,
	    arena_printf(c->a, "%lld", c->user->id), text,
	    d->customer_id ? arena_printf(c->a, "%lld", d->customer_id) :
	    NULL), &e);
	free(text);
	if (res == NULL)
		return e;
	d->id = db_getll(res, 0, 0);
	d->number = arena_strdup(c->a, db_get(res, 0, 1));
	if (number == NULL) {
		c->late_doc = d->id;
		c->late_doc_ph = d->number;
	}
	/* An empty Lua table arrives as {}: no steps. */
	if (!json_is_array(steps) || json_array_size(steps) == 0) {
		if ((e = apply(c, k, d, 0)) != ERR_OK)
			return e;
		*applied = 1;
		return ERR_OK;
	}
	json_array_foreach(steps, i, step) {
		if ((who = resolve_step(c, step, &label)) == 0)
			return ctx_fail(c, ERR_RULE, NULL, ctx_text(c,
			    "审批路由找不到审批人，请联系管理员。",
			    "The approval route names nobody who can approve; "
			    "please tell the administrator."));
		if (db_exec(c->w->db, c->a, ST_STEP_INSERT, DB_ARGS(
		    arena_printf(c->a, "%lld", d->id),
		    arena_printf(c->a, "%zu", i),
		    arena_printf(c->a, "%lld", who), label,
		    i == 0 ? "pending" : "waiting"), &e) == NULL)
			return e;
		if (i == 0)
			notify(c, who, "todo", d->id, d->customer_id,
			    json_pack("{s:s}", "kind", k->name));
	}
	return ERR_OK;
}

/* Lock a document and fill d from it. */
static enum crm_err
load_locked(struct ctx *c, long long id, struct doc *d, const char **status,
    int *step)
{
	PGresult	*res;
	enum crm_err	 e;
	json_error_t	 je;

	memset(d, 0, sizeof(*d));
	res = db_exec(c->w->db, c->a, ST_DOC_LOCK, DB_ARGS(
	    arena_printf(c->a, "%lld", id)), &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) != 1)
		return ctx_fail(c, ERR_NOT_FOUND, NULL, NULL);
	d->id = db_getll(res, 0, 0);
	d->number = db_get(res, 0, 1);
	d->kind = db_get(res, 0, 2);
	d->applicant_id = db_getll(res, 0, 3);
	*status = db_get(res, 0, 4);
	d->data = json_loads(db_get(res, 0, 5), 0, &je);
	if (d->data == NULL)
		return ERR_INTERNAL;
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, d->data);
	d->customer_id = db_getll(res, 0, 6);
	*step = (int)db_getll(res, 0, 7);
	d->applicant_role = db_get(res, 0, 8);
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
wf_decide(struct ctx *c, long long id, const char *action,
    const char *comment, struct doc *d)
{
	const struct wf_kind	*k;
	const char		*status, *sid;
	PGresult		*res;
	enum crm_err		 e;
	int			 step, nsteps;
	long long		 next;

	if ((e = load_locked(c, id, d, &status, &step)) != ERR_OK)
		return e;
	sid = arena_printf(c->a, "%lld", d->id);
	res = db_exec(c->w->db, c->a, ST_STEP_CURRENT, DB_ARGS(sid,
	    arena_printf(c->a, "%d", step)), &e);
	if (res == NULL)
		return e;
	if (strcmp(status, "submitted") != 0 || PQntuples(res) != 1 ||
	    strcmp(db_get(res, 0, 2), "pending") != 0)
		return ctx_fail(c, ERR_CONFLICT, NULL, ctx_text(c,
		    "该单据已处理或已撤回。",
		    "This document has already been decided or withdrawn."));
	if (db_getll(res, 0, 1) != c->user->id)
		return ctx_fail(c, ERR_FORBIDDEN, NULL, ctx_text(c,
		    "该单据不在您的待办中。",
		    "This document is not waiting for you."));
	nsteps = (int)db_getll(res, 0, 3);
	if ((k = wf_kind(d->kind)) == NULL)
		return ERR_INTERNAL;
	/* The to-do is done, whatever the decision. */
	if (db_exec(c->w->db, c->a, ST_NOTIFY_READ_DOC, DB_ARGS(
	    arena_printf(c->a, "%lld", c->user->id), sid), &e) == NULL)
		return e;
	ctx_stale(c, arena_printf(c->a, "unread:%lld", c->user->id));

	if (strcmp(action, "approve") == 0) {
		if (db_exec(c->w->db, c->a, ST_STEP_DECIDE, DB_ARGS(sid,
		    arena_printf(c->a, "%d", step), "approved", comment), &e)
		    == NULL)
			return e;
		if (step + 1 < nsteps) {
			res = db_exec(c->w->db, c->a, ST_STEP_ACTIVATE,
			    DB_ARGS(sid, arena_printf(c->a, "%d", step + 1)),
			    &e);
			if (res == NULL)
				return e;
			next = db_getll(res, 0, 0);
			(void)db_exec(c->w->db, c->a, ST_DOC_SET_STATUS, DB_ARGS(
			    sid, "submitted", arena_printf(c->a, "%d",
			    step + 1), NULL, NULL), &e);
			notify(c, next, "todo", d->id, d->customer_id,
			    json_pack("{s:s}", "kind", d->kind));
			return e;
		}
		if ((e = apply(c, k, d, step)) != ERR_OK)
			return e;
		notify(c, d->applicant_id, "result", d->id, d->customer_id,
		    json_pack("{s:s, s:s, s:s?}", "kind", d->kind, "status",
		    "approved", "comment", comment));
		return ERR_OK;
	}
	if (strcmp(action, "reject") == 0 || strcmp(action, "return") == 0) {
		const char *st = action[2] == 'j' ? "rejected" : "returned";

		if (db_exec(c->w->db, c->a, ST_STEP_DECIDE, DB_ARGS(sid,
		    arena_printf(c->a, "%d", step), st, comment), &e) == NULL)
			return e;
		(void)db_exec(c->w->db, c->a, ST_STEPS_CANCEL, DB_ARGS(sid), &e);
		if (db_exec(c->w->db, c->a, ST_DOC_SET_STATUS, DB_ARGS(sid, st,
		    arena_printf(c->a, "%d", step), NULL, NULL), &e) == NULL)
			return e;
		notify(c, d->applicant_id, "result", d->id, d->customer_id,
		    json_pack("{s:s, s:s, s:s?}", "kind", d->kind, "status", st,
		    "comment", comment));
		return ERR_OK;
	}
	return ctx_fail(c, ERR_BAD_FIELD, "action", NULL);
}

/* See extern.h. */
enum crm_err
wf_withdraw(struct ctx *c, long long id, struct doc *d)
{
	const char	*status, *sid;
	enum crm_err	 e;
	int		 step;

	if ((e = load_locked(c, id, d, &status, &step)) != ERR_OK)
		return e;
	if (d->applicant_id != c->user->id)
		return ctx_fail(c, ERR_NOT_FOUND, NULL, NULL);
	if (strcmp(status, "submitted") != 0)
		return ctx_fail(c, ERR_CONFLICT, NULL, ctx_text(c,
		    "只能撤回审批中的单据。",
		    "Only a document waiting for approval can be withdrawn."));
	sid = arena_printf(c->a, "%lld", d->id);
	(void)db_exec(c->w->db, c->a, ST_STEPS_CANCEL, DB_ARGS(sid), &e);
	if (db_exec(c->w->db, c->a, ST_DOC_SET_STATUS, DB_ARGS(sid, "withdrawn",
	    arena_printf(c->a, "%d", step), NULL, NULL), &e) == NULL)
		return e;
	return ERR_OK;
}

/* See extern.h. */
json_t *
wf_doc_json(struct ctx *c, long long id)
{
	PGresult	*res;
	enum crm_err	 e;
	json_error_t	 je;

	res = db_exec(c->w->db, c->a, ST_DOC_JSON, DB_ARGS(
	    arena_printf(c->a, "%lld", id),
	    arena_printf(c->a, "%lld", c->user->id), c->user->role), &e);
	if (res == NULL || PQntuples(res) != 1)
		return NULL;
	return json_loads(db_get(res, 0, 0), 0, &je);
}
