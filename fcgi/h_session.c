/*
 * h_session.c: login, logout, the current user, password and language.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extern.h"

#define FAIL_LIMIT	5	/* failed logins ... */
#define FAIL_WINDOW	"900"	/* ... within 15 minutes lock for 15 minutes */

static void
reply_user(struct ctx *c, int with_csrf)
{
	json_t	*v;

	v = json_pack("{s:o}", "user", session_user_json(c->user));
	if (v != NULL && with_csrf)
		json_object_set_new(v, "csrf_token", json_string(c->csrf));
	reply_json(c, 200, v);
}

/*
 * POST /api/v1/session.  The same answer for an unknown login, a disabled
 * account and a wrong password, so logins cannot be enumerated; an unknown
 * login still costs one argon2 verification for the same reason.
 */
void
h_session_new(struct ctx *c)
{
	static const struct json_field spec[] = {
		{ "login", JF_STRING, 1, 64 },
		{ "password", JF_STRING, 1, 1024 },
	};
	static char	*dummy;
	const char	*login, *pw, *bad = NULL, *hash, *id;
	PGresult	*res;
	enum crm_err	 e;
	int		 rehash, ok;
	char		*nh;

	if ((e = json_fields(c->body, spec, 2, &bad)) != ERR_OK) {
		reply_err(c, e, bad);
		return;
	}
	login = json_string_value(json_object_get(c->body, "login"));
	pw = json_string_value(json_object_get(c->body, "password"));
	res = db_exec(c->w->db, c->a, ST_STAFF_AUTH,
	    DB_ARGS(login, "5", FAIL_WINDOW), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	if (PQntuples(res) != 1) {
		if (dummy == NULL)
			dummy = auth_hash("not a password of anyone");
		(void)auth_verify(dummy, pw, &rehash);
		reply_err(c, ERR_BAD_LOGIN, NULL);
		return;
	}
	id = db_get(res, 0, 0);
	hash = db_get(res, 0, 1);
	if (strcmp(db_get(res, 0, 3), "t") == 0) {
		reply_err(c, ERR_LOCKED, NULL);
		return;
	}
	ok = strcmp(db_get(res, 0, 2), "t") == 0 &&
	    auth_verify(hash, pw, &rehash) == 0;
	if (!ok) {
		(void)db_exec(c->w->db, c->a, ST_STAFF_LOGIN_FAIL,
		    DB_ARGS(id, FAIL_WINDOW), &e);
		audit(c, "login_failed", "staff", id, NULL);
		reply_err(c, ERR_BAD_LOGIN, NULL);
		return;
	}
	(void)db_exec(c->w->db, c->a, ST_STAFF_LOGIN_OK, DB_ARGS(id), &e);
	if (rehash && (nh = auth_hash(pw)) != NULL) {
		(void)db_exec(c->w->db, c->a, ST_STAFF_SET_HASH,
		    DB_ARGS(id, nh), &e);
		free(nh);
	}
	/* A new token at every login: an old cookie never becomes valid. */
	if (session_load(c) == ERR_OK)
		(void)session_end_hash(c, c->sess_hash);
	c->user = NULL;
	if ((e = session_start(c, strtoll(id, NULL, 10))) != ERR_OK) {
		reply_err(c, e, NULL);
		return;
	}
	audit(c, "login", "staff", id, NULL);
	reply_user(c, 1);
}

/* DELETE /api/v1/session: the session ends on the server. */
void
h_session_delete(struct ctx *c)
{
	enum crm_err	 e;

	audit(c, "logout", "staff", arena_printf(c->a, "%lld", c->user->id),
	    NULL);
	if ((e = session_end(c)) != ERR_OK) {
		reply_err(c, e, NULL);
		return;
	}
	reply_empty(c, 204);
}

/* GET /api/v1/me. */
void
h_me(struct ctx *c)
{
	reply_user(c, 1);
}

/*
 * Ask rules/password.lua whether pw is acceptable.  Returns NULL when it
 * is, else the message in the user's language.  A failing rule refuses
 * (fail closed) with the generic message.
 */
static const char *
password_refused(struct ctx *c, const char *pw)
{
	json_t		*arg, *res;
	char		*argjson, *out, *err;
	const char	*msg;
	json_error_t	 je;

	arg = json_pack("[s, {s:s}]", pw, "login", c->user->login);
	argjson = arg ? json_dumps(arg, JSON_COMPACT) : NULL;
	json_decref(arg);
	if (argjson == NULL)
		return crm_strerror(ERR_WEAK_PASSWORD, c->lang);
	if (rules_call(c->w->rules, c->a, "password", "check", argjson, &out,
	    &err) == -1) {
		free(argjson);
		log_err("rules: password.check: %s", err);
		return crm_strerror(ERR_WEAK_PASSWORD, c->lang);
	}
	free(argjson);
	if ((res = json_loads(out, JSON_DECODE_ANY, &je)) == NULL)
		return crm_strerror(ERR_WEAK_PASSWORD, c->lang);
	if (json_is_null(res)) {
		json_decref(res);
		return NULL;
	}
	msg = json_string_value(json_object_get(res,
	    c->lang == LANG_EN ? "en" : "zh"));
	msg = arena_strdup(c->a, msg ? msg :
	    crm_strerror(ERR_WEAK_PASSWORD, c->lang));
	json_decref(res);
	return msg;
}

/* PUT /api/v1/me/password: other sessions end, this one stays. */
void
h_me_password(struct ctx *c)
{
	static const struct json_field spec[] = {
		{ "old_password", JF_STRING, 1, 1024 },
		{ "new_password", JF_STRING, 1, 1024 },
	};
	const char	*oldpw, *newpw, *bad = NULL, *msg, *id;
	PGresult	*res;
	enum crm_err	 e;
	int		 rehash;
	char		*nh;

	if ((e = json_fields(c->body, spec, 2, &bad)) != ERR_OK) {
		reply_err(c, e, bad);
		return;
	}
	oldpw = json_string_value(json_object_get(c->body, "old_password"));
	newpw = json_string_value(json_object_get(c->body, "new_password"));
	id = arena_printf(c->a, "%lld", c->user->id);
	res = db_exec(c->w->db, c->a, ST_STAFF_USER, DB_ARGS(id), &e);
	if (res == NULL || PQntuples(res) != 1) {
		reply_err(c, res == NULL ? e : ERR_UNAUTHENTICATED, NULL);
		return;
	}
	if (auth_verify(db_get(res, 0, 7), oldpw, &rehash) != 0) {
		reply_err(c, ERR_BAD_LOGIN, "old_password");
		return;
	}
	if ((msg = password_refused(c, newpw)) != NULL) {
		reply_errmsg(c, ERR_WEAK_PASSWORD, "new_password", msg);
		return;
	}
	/* The other sessions end first: if that cannot be done, nothing is. */
	if ((e = session_end_user(c, c->user->id, c->sess_hash)) != ERR_OK) {
		reply_err(c, e, NULL);
		return;
	}
	if ((nh = auth_hash(newpw)) == NULL) {
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	res = db_exec(c->w->db, c->a, ST_STAFF_SET_HASH, DB_ARGS(id, nh), &e);
	free(nh);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	audit(c, "password_changed", "staff", id, NULL);
	reply_empty(c, 204);
}

/* PUT /api/v1/me/lang. */
void
h_me_lang(struct ctx *c)
{
	static const struct json_field spec[] = {
		{ "lang", JF_STRING, 1, 16 },
	};
	const char	*lang, *bad = NULL, *id;
	enum crm_err	 e;

	if ((e = json_fields(c->body, spec, 1, &bad)) != ERR_OK) {
		reply_err(c, e, bad);
		return;
	}
	lang = json_string_value(json_object_get(c->body, "lang"));
	if (strcmp(lang, "en") != 0 && strcmp(lang, "zh-CN") != 0) {
		reply_err(c, ERR_BAD_FIELD, "lang");
		return;
	}
	id = arena_printf(c->a, "%lld", c->user->id);
	if (db_exec(c->w->db, c->a, ST_STAFF_SET_LANG, DB_ARGS(id, lang), &e)
	    == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	session_uncache_user(c, c->user->id);
	c->user->lang = c->lang = i18n_from_name(lang);
	reply_user(c, 0);
}
