/*
 * pool.c: customers nobody works on return to the public pool by
 * themselves (WF-RECLAIM), and their owners are warned before.
 *
 * The policy is rules/pool.lua (days without a visit or a deal, by
 * customer type; the warning period).  The due customers are found by one
 * statement; each is returned only if it still has the owner it was found
 * with, so two servers running at once can never return one twice, and a
 * transaction-level advisory lock keeps a second server from even trying.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "extern.h"

static json_t *
due(struct ctx *c, const char *at, const char *after, int skip_warned,
    json_t *policy, enum crm_err *e)
{
	PGresult	*res;
	json_t		*list, *def = json_object_get(policy, "default");
	char		*by;
	int		 i;

	by = json_dumps(json_object_get(policy, "by_type"), JSON_COMPACT);
	res = db_exec(c->w->db, c->a, ST_POOL_DUE, DB_ARGS(at, by ? by : "{}",
	    arena_printf(c->a, "%lld", (long long)json_integer_value(
	    json_object_get(def, "no_visit_days"))),
	    arena_printf(c->a, "%lld", (long long)json_integer_value(
	    json_object_get(def, "no_deal_days"))),
	    after, skip_warned ? "true" : "false"), e);
	free(by);
	if (res == NULL)
		return NULL;
	list = json_array();
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(list, json_pack(
		    "{s:I, s:s, s:s, s:I, s:s, s:s, s:s}",
		    "id", (json_int_t)db_getll(res, i, 0),
		    "number", db_get(res, i, 1), "name", db_get(res, i, 2),
		    "owner_id", (json_int_t)db_getll(res, i, 3),
		    "owner", db_get(res, i, 4), "reason", db_get(res, i, 5),
		    "due_at", db_get(res, i, 6)));
	return list;
}

/* An ISO 8601 UTC time string for t, in the arena. */
static const char *
iso(struct ctx *c, time_t t)
{
	struct tm	 tm;
	char		 b[32];

	gmtime_r(&t, &tm);
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(c->a, b);
}

/* The end of day "YYYY-MM-DD" (UTC), or -1 when it is not a date. */
static time_t
end_of_day(const char *date)
{
	struct tm	 tm;
	const char	*end;

	memset(&tm, 0, sizeof(tm));
	if (date == NULL || strlen(date) != 10 ||
	    (end = strptime(date, "%Y-%m-%d", &tm)) == NULL || *end != '\0')
		return -1;
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	return timegm(&tm);
}

/* Return one due customer (still with the owner it was found with). */
static enum crm_err
return_one(struct ctx *c, json_t *it, int *done)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*cid, *oid, *reason;

	cid = arena_printf(c->a, "%lld",
	    (long long)json_integer_value(json_object_get(it, "id")));
	oid = arena_printf(c->a, "%lld",
	    (long long)json_integer_value(json_object_get(it, "owner_id")));
	reason = json_string_value(json_object_get(it, "reason"));
	*done = 0;
	res = db_exec(c->w->db, c->a, ST_POOL_RETURN, DB_ARGS(cid, oid), &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) != 1)
		return ERR_OK;	/* changed hands meanwhile */
	/* A pool customer is nobody's: its shares end, and the log says so. */
	res = db_exec(c->w->db, c->a, ST_SHARES_OF, DB_ARGS(cid), &e);
	if (res == NULL)
		return e;
	if (strcmp(db_get(res, 0, 0), "[]") != 0 &&
	    (db_exec(c->w->db, c->a, ST_CHANGE_LOG, DB_ARGS(cid, NULL,
	    "share_with", db_get(res, 0, 0), "[]", NULL), &e) == NULL ||
	    db_exec(c->w->db, c->a, ST_SHARE_CLEAR, DB_ARGS(cid), &e) == NULL))
		return e;
	if (db_exec(c->w->db, c->a, ST_POOL_LOG, DB_ARGS(cid, "returned", oid,
	    reason), &e) == NULL ||
	    db_exec(c->w->db, c->a, ST_CHANGE_LOG, DB_ARGS(cid, NULL, "owner",
	    json_string_value(json_object_get(it, "owner")), NULL, NULL), &e)
	    == NULL)
		return e;
	notify(c, json_integer_value(json_object_get(it, "owner_id")),
	    "reminder", 0, json_integer_value(json_object_get(it, "id")),
	    json_pack("{s:s, s:s}", "event", "returned", "reason", reason));
	*done = 1;
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
pool_run(struct ctx *c, const char *date, int dry_run, json_t **out)
{
	PGresult	*res;
	json_t		*policy, *returned = NULL, *warned = NULL, *kept, *it;
	enum crm_err	 e;
	const char	*at, *until;
	time_t		 base;
	long long	 warn_days;
	size_t		 i;
	int		 done;

	*out = NULL;
	if (date != NULL) {
		if ((base = end_of_day(date)) == -1)
			return ctx_fail(c, ERR_BAD_FIELD, "date", NULL);
	} else
		base = time(NULL);
	if ((e = db_begin(c->w->db)) != ERR_OK)
		return e;
	if (!dry_run) {
		res = db_exec(c->w->db, c->a, ST_POOL_TRY_LOCK, 0, NULL, &e);
		if (res == NULL)
			goto fail;
		if (strcmp(db_get(res, 0, 0), "t") != 0) {
			/* Another server is running it right now. */
			db_rollback(c->w->db);
			*out = json_pack("{s:[], s:[], s:b}", "returned",
			    "warned", "ran", 0);
			return ERR_OK;
		}
	}
	if ((policy = rules_json(c, "pool", "reclaim_policy", NULL)) == NULL) {
		e = ERR_RULE;
		goto fail;
	}
	warn_days = json_integer_value(json_object_get(policy,
	    "warn_days_before"));
	at = iso(c, base);
	until = iso(c, base + (time_t)warn_days * 86400);
	if ((returned = due(c, at, NULL, 0, policy, &e)) == NULL)
		goto fail;
	if ((warned = due(c, until, at, 1, policy, &e)) == NULL)
		goto fail;
	if (dry_run) {
		db_rollback(c->w->db);
		*out = json_pack("{s:o, s:o, s:b}", "returned", returned,
		    "warned", warned, "ran", 0);
		return ERR_OK;
	}
	kept = json_array();
	json_array_foreach(returned, i, it) {
		if ((e = return_one(c, it, &done)) != ERR_OK) {
			json_decref(kept);
			goto fail;
		}
		if (done)
			json_array_append(kept, it);
	}
	json_decref(returned);
	returned = kept;
	json_array_foreach(warned, i, it) {
		const char *cid = arena_printf(c->a, "%lld",
		    (long long)json_integer_value(json_object_get(it, "id")));
		const char *oid = arena_printf(c->a, "%lld",
		    (long long)json_integer_value(json_object_get(it,
		    "owner_id")));

		if (db_exec(c->w->db, c->a, ST_POOL_LOG, DB_ARGS(cid, "warned",
		    oid, json_string_value(json_object_get(it, "reason"))), &e)
		    == NULL)
			goto fail;
		notify(c, json_integer_value(json_object_get(it, "owner_id")),
		    "reminder", 0, json_integer_value(json_object_get(it, "id")),
		    json_pack("{s:s, s:O, s:O}", "event", "warning", "reason",
		    json_object_get(it, "reason"), "due_at",
		    json_object_get(it, "due_at")));
	}
	if ((e = db_commit(c->w->db)) != ERR_OK)
		goto fail;
	*out = json_pack("{s:o, s:o, s:b}", "returned", returned, "warned",
	    warned, "ran", 1);
	return ERR_OK;
fail:
	json_decref(returned);
	json_decref(warned);
	db_rollback(c->w->db);
	return e;
}
