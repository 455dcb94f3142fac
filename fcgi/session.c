/*
 * session.c: login sessions.
 *
 * The cookie holds 32 random bytes (base64url); only their SHA-256 is
 * stored, in PostgreSQL (the truth) and in Redis (the cache, key
 * "sess:<hash>", value a small JSON copy of the session and its user).  A
 * request normally costs one Redis GET.  The cached copy lives
 * cfg.session_cache_ttl seconds (60) and is not extended by use: then the
 * session is read from PostgreSQL again, which refreshes last_seen (the
 * idle timeout) and notices a session ended meanwhile.  When Redis is
 * down or lost its data, PostgreSQL answers, so a Redis restart logs
 * nobody out.  Ending a session deletes the cached copy first and refuses
 * (503) when it cannot be sure the copy is gone (a stalled Redis), so a
 * logout never leaves a usable session behind.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>
#include <jansson.h>

#include "extern.h"

#define COOKIE		"crm_session"
#define TOKEN_BYTES	32
#define TOKEN_LEN	43	/* base64url of 32 bytes, no padding */

static int
token_ok(const char *t)
{
	size_t	 i;

	if (t == NULL || strlen(t) != TOKEN_LEN)
		return 0;
	for (i = 0; i < TOKEN_LEN; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') ||
		    (t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= '0' && t[i] <= '9') || t[i] == '-' || t[i] == '_'))
			return 0;
	return 1;
}

static const char *
cache_key(struct ctx *c, const char *hash)
{
	return arena_printf(c->a, "sess:%s", hash);
}

/* See extern.h. */
json_t *
session_user_json(const struct user *u)
{
	json_t	*dept;

	dept = u->dept_id ? json_pack("{s:I, s:s}", "id", (json_int_t)u->dept_id,
	    "name", u->dept_name ? u->dept_name : "") : json_null();
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s}",
	    "id", (json_int_t)u->id, "login", u->login, "name", u->name,
	    "role", u->role, "department", dept, "lang", i18n_name(u->lang));
}

static struct user *
user_from_json(struct ctx *c, json_t *j)
{
	struct user	*u;
	json_int_t	 id = 0, dept = 0;
	const char	*login, *name, *role, *lang, *dname = NULL;

	if (json_unpack(j, "{s:I, s:s, s:s, s:s, s:s, s:I, s?s}", "id", &id,
	    "login", &login, "name", &name, "role", &role, "lang", &lang,
	    "dept_id", &dept, "dept_name", &dname) != 0)
		return NULL;
	if ((u = arena_calloc(c->a, 1, sizeof(*u))) == NULL)
		return NULL;
	u->id = id;
	u->login = arena_strdup(c->a, login);
	u->name = arena_strdup(c->a, name);
	u->role = arena_strdup(c->a, role);
	u->lang = i18n_from_name(lang);
	u->dept_id = dept;
	u->dept_name = dname ? arena_strdup(c->a, dname) : NULL;
	return u;
}

/* See extern.h. */
struct user *
session_user(struct ctx *c, long long staff_id, enum crm_err *err)
{
	PGresult	*res;
	struct user	*u;
	char		*id = arena_printf(c->a, "%lld", staff_id);

	res = db_exec(c->w->db, c->a, ST_STAFF_USER, DB_ARGS(id), err);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) != 1) {
		*err = ERR_UNAUTHENTICATED;
		return NULL;
	}
	if ((u = arena_calloc(c->a, 1, sizeof(*u))) == NULL) {
		*err = ERR_INTERNAL;
		return NULL;
	}
	u->id = db_getll(res, 0, 0);
	u->login = db_get(res, 0, 1);
	u->name = db_get(res, 0, 2);
	u->role = db_get(res, 0, 3);
	u->lang = i18n_from_name(db_get(res, 0, 4));
	u->dept_id = db_getll(res, 0, 5);
	u->dept_name = db_get(res, 0, 6);
	*err = ERR_OK;
	return u;
}

/* Write the cached copy of a session (errors ignored: it is a cache). */
static void
cache_put(struct ctx *c, const char *hash, const char *csrf, long long created,
    const struct user *u)
{
	json_t		*v;
	char		*s;
	const char	*argv[5];

	v = json_pack("{s:s, s:I, s:{s:I, s:s, s:s, s:s, s:s, s:I, s:s?}}",
	    "c", csrf, "t", (json_int_t)created, "user", "id", (json_int_t)u->id, "login", u->login, "name", u->name,
	    "role", u->role, "lang", i18n_name(u->lang),
	    "dept_id", (json_int_t)u->dept_id, "dept_name", u->dept_name);
	if (v == NULL)
		return;
	s = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	if (s == NULL)
		return;
	argv[0] = "SET";
	argv[1] = cache_key(c, hash);
	argv[2] = s;
	argv[3] = "EX";
	argv[4] = arena_printf(c->a, "%d", cfg.session_cache_ttl);
	(void)cache_cmdv(c->w->cache, c->a, 5, argv);
	free(s);
}

/* The cached session, or -1 when absent or Redis is down. */
static int
cache_get(struct ctx *c, const char *hash, long long *created)
{
	redisReply	*r;
	json_t		*v, *ju;
	json_error_t	 je;
	const char	*csrf;
	json_int_t	 t;
	const char	*argv[2] = { "GET", NULL };

	argv[1] = cache_key(c, hash);
	r = cache_cmdv(c->w->cache, c->a, 2, argv);
	if (r == NULL || r->type != REDIS_REPLY_STRING)
		return -1;
	if ((v = json_loadb(r->str, r->len, 0, &je)) == NULL)
		return -1;
	if (json_unpack(v, "{s:s, s:I, s:o}", "c", &csrf, "t", &t,
	    "user", &ju) != 0 ||
	    (c->user = user_from_json(c, ju)) == NULL) {
		json_decref(v);
		return -1;
	}
	c->csrf = arena_strdup(c->a, csrf);
	*created = t;
	json_decref(v);
	return 0;
}

/* See extern.h. */
enum crm_err
session_load(struct ctx *c)
{
	const char	*tok = http_kv_get(&c->req.cookies, COOKIE);
	const char	*hash, *idle, *abs;
	PGresult	*res;
	enum crm_err	 e;
	long long	 created = 0, now = (long long)time(NULL);

	if (!token_ok(tok))
		return ERR_UNAUTHENTICATED;
	if ((hash = auth_sha256_hex(c->a, tok)) == NULL)
		return ERR_INTERNAL;
	if (cache_get(c, hash, &created) == 0) {
		if (now - created < cfg.session_abs) {
			c->sess_hash = hash;
			c->lang = c->user->lang;
			return ERR_OK;
		}
		c->user = NULL;
		c->csrf = NULL;
	}
	idle = arena_printf(c->a, "%d", cfg.session_idle);
	abs = arena_printf(c->a, "%d", cfg.session_abs);
	res = db_exec(c->w->db, c->a, ST_SESSION_GET, DB_ARGS(hash, idle, abs),
	    &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) != 1) {
		/* Ended, expired or never existed. */
		c->csrf = NULL;
		return ERR_UNAUTHENTICATED;
	}
	if ((c->user = session_user(c, db_getll(res, 0, 0), &e)) == NULL)
		return e;
	c->csrf = db_get(res, 0, 1);
	created = db_getll(res, 0, 2);
	(void)db_exec(c->w->db, c->a, ST_SESSION_TOUCH, DB_ARGS(hash), &e);
	c->sess_hash = hash;
	c->lang = c->user->lang;
	cache_put(c, hash, c->csrf, created, c->user);
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
session_start(struct ctx *c, long long staff_id)
{
	const char	*tok, *hash, *csrf, *id;
	struct user	*u;
	enum crm_err	 e;

	if ((u = session_user(c, staff_id, &e)) == NULL)
		return e;
	tok = auth_token(c->a, TOKEN_BYTES);
	csrf = auth_token(c->a, TOKEN_BYTES);
	if (tok == NULL || csrf == NULL ||
	    (hash = auth_sha256_hex(c->a, tok)) == NULL)
		return ERR_INTERNAL;
	id = arena_printf(c->a, "%lld", staff_id);
	if (db_exec(c->w->db, c->a, ST_SESSION_INSERT, DB_ARGS(hash, id, csrf,
	    c->req.user_agent, c->req.remote_addr), &e) == NULL)
		return e;
	cache_put(c, hash, csrf, (long long)time(NULL), u);
	/*
	 * HttpOnly: no script reads it.  SameSite=Lax: not sent on
	 * cross-site subrequests.  No Max-Age: the server decides expiry.
	 */
	reply_header(c, "Set-Cookie: " COOKIE "=%s; Path=/; HttpOnly; "
	    "SameSite=Lax%s", tok,
	    cfg.secure_cookie || c->req.https ? "; Secure" : "");
	c->user = u;
	c->sess_hash = hash;
	c->csrf = csrf;
	c->lang = u->lang;
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
session_end_hash(struct ctx *c, const char *hash)
{
	enum crm_err	 e;

	if (cache_del_sure(c->w->cache, c->a, cache_key(c, hash)) == -1)
		return ERR_UNAVAILABLE;
	if (db_exec(c->w->db, c->a, ST_SESSION_DELETE, DB_ARGS(hash), &e) ==
	    NULL)
		return e;
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
session_end(struct ctx *c)
{
	enum crm_err	 e;

	if (c->sess_hash == NULL)
		return ERR_OK;
	e = session_end_hash(c, c->sess_hash);
	reply_header(c, "Set-Cookie: " COOKIE "=; Path=/; HttpOnly; "
	    "SameSite=Lax; Max-Age=0");
	return e;
}

/* See extern.h. */
enum crm_err
session_end_user(struct ctx *c, long long staff_id, const char *keep)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*id = arena_printf(c->a, "%lld", staff_id);
	int		 i;

	/* The cached copies first: refuse when one may survive. */
	res = db_exec(c->w->db, c->a, ST_SESSION_HASHES_OF_USER, DB_ARGS(id),
	    &e);
	if (res == NULL)
		return e;
	for (i = 0; i < PQntuples(res); i++) {
		if (keep != NULL && strcmp(db_get(res, i, 0), keep) == 0)
			continue;
		if (cache_del_sure(c->w->cache, c->a,
		    cache_key(c, db_get(res, i, 0))) == -1)
			return ERR_UNAVAILABLE;
	}
	if (keep != NULL)
		res = db_exec(c->w->db, c->a, ST_SESSION_DELETE_OTHERS,
		    DB_ARGS(id, keep), &e);
	else
		res = db_exec(c->w->db, c->a, ST_SESSION_DELETE_USER,
		    DB_ARGS(id), &e);
	return res == NULL ? e : ERR_OK;
}

/* See extern.h. */
void
session_uncache_user(struct ctx *c, long long staff_id)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*id = arena_printf(c->a, "%lld", staff_id);
	const char	*argv[2] = { "DEL", NULL };
	int		 i;

	res = db_exec(c->w->db, c->a, ST_SESSION_HASHES_OF_USER, DB_ARGS(id),
	    &e);
	for (i = 0; res != NULL && i < PQntuples(res); i++) {
		argv[1] = cache_key(c, db_get(res, i, 0));
		(void)cache_cmdv(c->w->cache, c->a, 2, argv);
	}
}

/* See extern.h. */
void
audit(struct ctx *c, const char *action, const char *object,
    const char *object_id, json_t *detail)
{
	enum crm_err	 e;
	char		*d = NULL;
	const char	*uid = c->user ? arena_printf(c->a, "%lld", c->user->id)
			    : NULL;

	if (detail != NULL) {
		d = json_dumps(detail, JSON_COMPACT);
		json_decref(detail);
	}
	if (db_exec(c->w->db, c->a, ST_AUDIT, DB_ARGS(uid, action, object,
	    object_id, d, c->req.remote_addr), &e) == NULL)
		log_err("audit: %s not recorded: %s", action, crm_errcode(e));
	free(d);
}
