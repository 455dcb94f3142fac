/*
 * idem.c: idempotency keys for state-changing requests.
 *
 * A retried request (nginx moving it to another server, a double click,
 * the web client retrying after a timeout) carries the same key and gets
 * the first answer; nothing is done twice.  The key is stored with the
 * answer in the same transaction as the change, so either both exist or
 * neither.  The hash of method, path and body tells a real repeat from a
 * key reused for something else.
 */
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "extern.h"

static int
key_ok(const char *k)
{
	size_t	 n;

	if (k == NULL || (n = strlen(k)) < 8 || n > 100)
		return 0;
	return strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_:.") == n;
}

static const char *
request_hash(struct ctx *c)
{
	struct buf	 b;

	buf_init(&b, c->a, c->req.bodylen + 4096);
	buf_puts(&b, c->req.method);
	buf_putc(&b, ' ');
	buf_puts(&b, c->req.path);
	buf_putc(&b, '\n');
	buf_write(&b, c->req.body, c->req.bodylen);
	return auth_sha256_hex(c->a, buf_cstr(&b));
}

/* See extern.h. */
int
idem_begin_or_reply(struct ctx *c)
{
	const char	*key = c->req.idempotency_key, *uid, *hash;
	PGresult	*res;
	enum crm_err	 e;

	if (!key_ok(key)) {
		reply_err(c, ERR_IDEM_KEY, NULL);
		return 1;
	}
	uid = arena_printf(c->a, "%lld", c->user->id);
	hash = request_hash(c);
	if ((e = db_begin(c->w->db)) != ERR_OK ||
	    db_exec(c->w->db, c->a, ST_IDEM_LOCK, DB_ARGS(
	    arena_printf(c->a, "%s:%s", uid, key)), &e) == NULL ||
	    (res = db_exec(c->w->db, c->a, ST_IDEM_GET, DB_ARGS(uid, key), &e))
	    == NULL) {
		db_rollback(c->w->db);
		reply_err(c, e, NULL);
		return 1;
	}
	if (PQntuples(res) == 0)
		return 0;
	db_rollback(c->w->db);
	if (strcmp(db_get(res, 0, 0), hash) != 0) {
		reply_err(c, ERR_IDEM_REUSED, NULL);
		return 1;
	}
	c->rep.status = (int)db_getll(res, 0, 1);
	c->rep.ctype = "application/json; charset=utf-8";
	c->rep.body.len = 0;
	buf_puts(&c->rep.body, db_get(res, 0, 2));
	reply_header(c, "Idempotent-Replayed: true");
	return 1;
}

/* See extern.h. */
enum crm_err
idem_commit(struct ctx *c)
{
	enum crm_err	 e;
	const char	*doc, *cust;
	PGresult	*res;

	/* Tests only: widen the window in which a killed worker leaves an
	 * open transaction behind (its effects written, nothing committed). */
	if (cfg.test_txn_delay_ms > 0)
		usleep((useconds_t)randombytes_uniform(
		    (uint32_t)cfg.test_txn_delay_ms + 1) * 1000);
	/* A document submitted now gets its number here, last (wf.c). */
	if ((e = wf_late_numbers(c, &doc, &cust)) != ERR_OK) {
		db_rollback(c->w->db);
		return e;
	}
	if (doc != NULL || cust != NULL || c->late_act[0] != NULL)
		res = db_exec(c->w->db, c->a, ST_IDEM_PUT_NUMBERS, DB_ARGS(
		    arena_printf(c->a, "%lld", c->user->id),
		    c->req.idempotency_key, request_hash(c),
		    arena_printf(c->a, "%d", c->rep.status),
		    buf_cstr(&c->rep.body),
		    c->late_doc ? arena_printf(c->a, "%lld", c->late_doc) :
		    NULL, doc,
		    c->late_cust ? arena_printf(c->a, "%lld", c->late_cust) :
		    NULL, cust, c->late_act[0], c->late_act[1], c->late_act[2],
		    c->late_act[3], c->late_act[4], c->late_act[5],
		    c->late_act[6], c->late_act[7], c->late_act[8]), &e);
	else
		res = db_exec(c->w->db, c->a, ST_IDEM_PUT, DB_ARGS(
		    arena_printf(c->a, "%lld", c->user->id),
		    c->req.idempotency_key, request_hash(c),
		    arena_printf(c->a, "%d", c->rep.status),
		    buf_cstr(&c->rep.body)), &e);
	c->late_doc = c->late_cust = c->late_owner = 0;
	c->late_act[0] = NULL;
	if (res == NULL) {
		db_rollback(c->w->db);
		return e;
	}
	return db_commit(c->w->db);
}
