/*
 * h_qr.c: the QR code of each customer (CARD-QR).
 *
 * The code holds the URL <site>/scan?t=<token>; the token names the
 * customer and the version of its code, signed with the newest unrevoked
 * key (qr.c).  Scanning it opens the visit form: the page asks
 * /api/v1/qr/resolve, which checks the signature, the key and the version.
 * A manager can void one customer's printed codes (the version moves on);
 * `crmctl qr revoke KID` voids every code a key signed.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "extern.h"

/*
 * The signing key: the newest unrevoked one, made on first use.  Returns
 * the key id (0 on failure) and copies the secret into key.
 */
static int
current_key(struct ctx *c, unsigned char key[QR_KEYLEN], enum crm_err *e)
{
	PGresult	*res;
	unsigned char	 fresh[QR_KEYLEN], *k;
	const char	*p[1];
	int		 len[1] = { QR_KEYLEN }, fmt[1] = { 1 }, kid, tries;
	size_t		 klen;

	for (tries = 0; tries < 2; tries++) {
		res = db_exec(c->w->db, c->a, ST_QR_KEY_CURRENT, 0, NULL, e);
		if (res == NULL)
			return 0;
		if (PQntuples(res) == 1) {
			kid = (int)db_getll(res, 0, 0);
			k = PQunescapeBytea((const unsigned char *)
			    db_get(res, 0, 1), &klen);
			if (k == NULL || klen != QR_KEYLEN) {
				PQfreemem(k);
				*e = ERR_INTERNAL;
				return 0;
			}
			memcpy(key, k, QR_KEYLEN);
			sodium_memzero(k, klen);
			PQfreemem(k);
			return kid;
		}
		randombytes_buf(fresh, sizeof(fresh));
		p[0] = (const char *)fresh;
		(void)db_exec_fmt(c->w->db, c->a, ST_QR_KEY_CREATE, 1, p, len, fmt,
		    0, e);
		sodium_memzero(fresh, sizeof(fresh));
	}
	*e = ERR_INTERNAL;
	return 0;
}

/* The site's address for the URL in the code. */
static const char *
site(struct ctx *c)
{
	if (cfg.public_url != NULL)
		return cfg.public_url;
	return arena_printf(c->a, "%s://%s", c->req.https ? "https" : "http",
	    c->req.host ? c->req.host : "localhost");
}

/* GET /api/v1/customers/{id}/qr.png and qr.svg (?scale=n). */
void
h_qr_image(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;
	unsigned char	 key[QR_KEYLEN];
	const char	*url, *tok, *sc = http_kv_get(&c->req.query, "scale");
	long long	 id = http_id(c->args[0]);
	int		 kid, svg, scale = sc ? atoi(sc) : 8, rc;

	svg = strcmp(c->args[1], "qr.svg") == 0;
	if (id == 0 || (!svg && strcmp(c->args[1], "qr.png") != 0)) {
		reply_err(c, ERR_NOT_FOUND, NULL);
		return;
	}
	if (scale < 1 || scale > 40) {
		reply_err(c, ERR_BAD_FIELD, "scale");
		return;
	}
	if ((e = cust_visible(c, id, NULL)) != ERR_OK) {
		reply_err(c, e, NULL);
		return;
	}
	res = db_exec(c->w->db, c->a, ST_CUST_QR, DB_ARGS(
	    arena_printf(c->a, "%lld", id)), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	if ((kid = current_key(c, key, &e)) == 0) {
		reply_err(c, e, NULL);
		return;
	}
	tok = qr_token(c->a, kid, key, id, (int)db_getll(res, 0, 3));
	sodium_memzero(key, sizeof(key));
	if (tok == NULL) {
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	url = arena_printf(c->a, "%s/scan?t=%s", site(c), tok);
	c->rep.body.len = 0;
	rc = svg ? qr_svg(&c->rep.body, url, scale) :
	    qr_png(&c->rep.body, url, scale);
	if (rc == -1) {
		c->rep.body.len = 0;
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	c->rep.status = 200;
	c->rep.ctype = svg ? "image/svg+xml" : "image/png";
	c->rep.cache = "private, max-age=300";
}

/*
 * GET /api/v1/qr/resolve?t=TOKEN: the customer a scanned code names,
 * when the code is genuine and current and the reader may visit it.
 */
void
h_qr_resolve(struct ctx *c)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*tok = http_kv_get(&c->req.query, "t"), *cid, *text;
	long long	 customer;
	int		 kid, version, ok = 0;
	size_t		 klen;
	unsigned char	*key;

	if (tok != NULL && qr_token_parse(tok, &kid, &customer, &version) == 0) {
		res = db_exec(c->w->db, c->a, ST_QR_KEY_GET, DB_ARGS(
		    arena_printf(c->a, "%d", kid)), &e);
		if (res == NULL) {
			reply_err(c, e, NULL);
			return;
		}
		if (PQntuples(res) == 1 && strcmp(db_get(res, 0, 1), "f") == 0) {
			key = PQunescapeBytea((const unsigned char *)
			    db_get(res, 0, 0), &klen);
			ok = key != NULL && klen == QR_KEYLEN &&
			    qr_token_verify(tok, key) == 0;
			PQfreemem(key);
		}
	}
	if (!ok) {
		reply_errmsg(c, ERR_VALIDATION, "t", ctx_text(c,
		    "二维码无效或已作废，请联系管理员重新打印。",
		    "This QR code is not valid or has been revoked; ask for a "
		    "new one."));
		return;
	}
	cid = arena_printf(c->a, "%lld", customer);
	res = db_exec(c->w->db, c->a, ST_CUST_QR, DB_ARGS(cid), &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	if (PQntuples(res) != 1 || db_getll(res, 0, 3) != version) {
		reply_errmsg(c, ERR_VALIDATION, "t", ctx_text(c,
		    "二维码已作废，请联系管理员重新打印。",
		    "This QR code has been revoked; ask for a new one."));
		return;
	}
	if ((e = cust_visible(c, customer, &text)) != ERR_OK) {
		reply_errmsg(c, e != ERR_NOT_FOUND ? e : ERR_FORBIDDEN, NULL,
		    ctx_text(c, "您不能拜访这个客户（不是您负责或共享给您的客户）。",
		    "You cannot visit this customer: it is not yours or "
		    "shared with you."));
		return;
	}
	{
		json_t		*v;
		json_error_t	 je;

		v = json_loads(text, 0, &je);
		reply_json(c, 200, json_pack("{s:o, s:s}", "customer",
		    v ? v : json_null(), "token", tok));
	}
}

/* POST /api/v1/customers/{id}/qr/revoke: void its printed codes. */
void
h_qr_revoke(struct ctx *c)
{
	enum crm_err	 e;
	long long	 id = http_id(c->args[0]);
	const char	*cid = arena_printf(c->a, "%lld", id);

	if (strcmp(c->user->role, "salesperson") == 0) {
		reply_err(c, ERR_FORBIDDEN, NULL);
		return;
	}
	if ((e = cust_visible(c, id, NULL)) != ERR_OK) {
		reply_err(c, e, NULL);
		return;
	}
	if (db_exec(c->w->db, c->a, ST_CUST_QR_BUMP, DB_ARGS(cid), &e) == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	audit(c, "qr_revoked", "customer", cid, NULL);
	reply_empty(c, 204);
}
