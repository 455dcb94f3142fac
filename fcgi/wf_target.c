/*
 * wf_target.c: targets (指标编审) as a document kind: one person or a
 * whole team, for one period, in one document.  Who may set whose targets
 * is checked here (a salesperson their own, a manager their department
 * subtree, directors and admin everyone); overlapping periods of one
 * person are refused by the database's exclusion constraint, and checked
 * first so the message can name the clashing period.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extern.h"

static const char *
num(struct ctx *c, long long n)
{
	return arena_printf(c->a, "%lld", n);
}

static const char *
amount(struct ctx *c, json_t *v)
{
	if (v == NULL)
		return "0";
	if (json_is_integer(v))
		return num(c, (long long)json_integer_value(v));
	return json_string_value(v) ? json_string_value(v) : "0";
}

/* The name in a ST_STAFF_DETAIL row (a JSON object). */
static const char *
person_name(struct ctx *c, PGresult *res)
{
	json_t		*v;
	json_error_t	 je;
	const char	*name = "";

	if ((v = json_loads(db_get(res, 0, 0), 0, &je)) != NULL) {
		name = arena_strdup(c->a, json_string_value(json_object_get(v,
		    "name")) ? json_string_value(json_object_get(v, "name")) :
		    "");
		json_decref(v);
	}
	return name;
}

/* Refuse a period that overlaps one of the person's, naming it. */
static enum crm_err
clash(struct ctx *c, struct doc *d, long long staff, const char *name)
{
	PGresult	*res;
	enum crm_err	 e;

	res = db_exec(c->w->db, c->a, ST_TARGET_CLASH, DB_ARGS(num(c, staff),
	    json_string_value(json_object_get(d->data, "start_date")),
	    json_string_value(json_object_get(d->data, "end_date"))), &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) == 0)
		return ERR_OK;
	return ctx_fail(c, ERR_CONFLICT, "start_date", CTX_PRINTF(c,
	    "%s 已有期间重叠的指标：%s（%s 至 %s）。",
	    "%s already has targets for an overlapping period: %s (%s to %s).",
	    name, db_get(res, 0, 0), db_get(res, 0, 1), db_get(res, 0, 2)));
}

/* See extern.h. */
enum crm_err
wf_target_check(struct ctx *c, struct doc *d)
{
	PGresult	*res;
	enum crm_err	 e;
	json_t		*row;
	size_t		 i;
	long long	 staff;

	json_array_foreach(json_object_get(d->data, "targets"), i, row) {
		staff = json_integer_value(json_object_get(row, "staff_id"));
		res = db_exec(c->w->db, c->a, ST_TARGET_SCOPE, DB_ARGS(
		    num(c, c->user->id), c->user->role, num(c, staff)), &e);
		if (res == NULL)
			return e;
		if (PQntuples(res) != 1)
			return ctx_fail(c, ERR_FORBIDDEN, "targets", CTX_PRINTF(c,
			    "您不能为第 %zu 行的人员设置指标。",
			    "You may not set targets for the person in row %zu.",
			    i + 1));
		if (strcmp(db_get(res, 0, 2), "t") != 0)
			return ctx_fail(c, ERR_VALIDATION, "targets", CTX_PRINTF(
			    c, "%s 已停用。", "%s is disabled.", db_get(res, 0, 1)));
		if ((e = clash(c, d, staff, db_get(res, 0, 1))) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
wf_target_apply(struct ctx *c, struct doc *d)
{
	PGresult	*res;
	enum crm_err	 e;
	json_t		*row;
	size_t		 i;

	json_array_foreach(json_object_get(d->data, "targets"), i, row) {
		/* Targets applied since it was submitted may clash now. */
		res = db_exec(c->w->db, c->a, ST_STAFF_DETAIL, DB_ARGS(num(c,
		    json_integer_value(json_object_get(row, "staff_id")))), &e);
		if (res == NULL)
			return e;
		if (PQntuples(res) == 1 && (e = clash(c, d,
		    json_integer_value(json_object_get(row, "staff_id")),
		    person_name(c, res))) != ERR_OK)
			return e;
		if (db_exec(c->w->db, c->a, ST_TARGET_INSERT, DB_ARGS(
		    num(c, d->id), num(c, json_integer_value(json_object_get(row,
		    "staff_id"))),
		    json_string_value(json_object_get(d->data, "period")),
		    json_string_value(json_object_get(d->data, "start_date")),
		    json_string_value(json_object_get(d->data, "end_date")),
		    num(c, json_integer_value(json_object_get(row,
		    "new_customers"))),
		    num(c, json_integer_value(json_object_get(row, "visits"))),
		    amount(c, json_object_get(row, "deal_amount")),
		    amount(c, json_object_get(row, "payment_amount"))), &e) ==
		    NULL) {
			if (e == ERR_CONFLICT)	/* a parallel document won */
				return ctx_fail(c, ERR_CONFLICT, "start_date",
				    ctx_text(c, "与已有指标的期间重叠。",
				    "The period overlaps targets already set."));
			return e;
		}
	}
	d->result = json_pack("{s:i}", "people",
	    (int)json_array_size(json_object_get(d->data, "targets")));
	return ERR_OK;
}
