/*
 * wf_customer.c: the archive's document kinds: a new customer
 * (customer_new), a claim from the public pool (customer_claim), a
 * transfer to a colleague (transfer) and an info change (customer_change);
 * and who may see one customer (cust_visible, for the pages and kinds).
 *
 * Limits are enforced with row locks inside the transaction that applies
 * the document, never by reading first and writing later: the claimant's
 * (or receiver's) staff row is locked first, then the customer rows, so
 * 50 simultaneous claims of one customer have exactly one winner and a
 * person one below the limit ends exactly at the limit.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extern.h"

/* The customer fields stored in their own columns (forms.lua keys). */
static const char *const base_fields[] = {
	"name", "address", "contact", "phone", "region", "type", "source",
	"stage", "status", "lat", "lng",
};

static const char *
sdata(struct doc *d, const char *key)
{
	return json_string_value(json_object_get(d->data, key));
}

static const char *
id_str(struct ctx *c, long long id)
{
	return arena_printf(c->a, "%lld", id);
}

/* Text of a JSON scalar for columns and the change log (NULL for null). */
static const char *
scalar_text(struct ctx *c, json_t *v)
{
	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(c->a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return arena_printf(c->a, "%.17g", json_real_value(v));
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	return NULL;
}

/* "{1,2,3}" for a JSON array of ids (a PostgreSQL array literal). */
static const char *
id_array(struct ctx *c, json_t *arr)
{
	struct buf	 b;
	json_t		*v;
	size_t		 i;

	if (!json_is_array(arr))
		return NULL;
	buf_init(&b, c->a, 1 << 20);
	buf_putc(&b, '{');
	json_array_foreach(arr, i, v)
		buf_printf(&b, "%s%lld", i ? "," : "",
		    (long long)json_integer_value(v));
	buf_putc(&b, '}');
	return b.overflow ? NULL : arena_strdup(c->a, buf_cstr(&b));
}

static const char *
normalize(struct ctx *c, const char *name)
{
	json_t	*v;

	v = rules_json(c, "customer", "normalize", json_pack("[s]", name));
	if (v == NULL || !json_is_string(v) || json_string_length(v) == 0)
		return NULL;
	return arena_strdup(c->a, json_string_value(v));
}

/*
 * Refuse a name whose folded form belongs to another customer, naming
 * that customer's number and owner, or saying it is in the pool (the
 * answer then carries its id so the page can offer to claim it).
 */
static enum crm_err
check_duplicate(struct ctx *c, const char *norm, long long self)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*num, *owner;

	res = db_exec(c->w->db, c->a, ST_CUST_BY_NORM, DB_ARGS(norm), &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) == 0 || db_getll(res, 0, 0) == self)
		return ERR_OK;
	num = db_get(res, 0, 1);
	owner = db_get(res, 0, 3);
	if (owner == NULL) {
		c->errextra = json_pack("{s:I, s:s, s:b}", "id",
		    (json_int_t)db_getll(res, 0, 0), "number", num, "in_pool", 1);
		return ctx_fail(c, ERR_DUPLICATE, "name", CTX_PRINTF(c, "客户已存在：编号 %s，目前在客户公海中，可以直接申领。", "This customer already exists (number %s) and is in the "
		    "public pool: you can claim it.", num));
	}
	c->errextra = json_pack("{s:I, s:s, s:b, s:s}", "id",
	    (json_int_t)db_getll(res, 0, 0), "number", num, "in_pool", 0,
	    "owner", owner);
	return ctx_fail(c, ERR_DUPLICATE, "name", CTX_PRINTF(c, "客户已存在：编号 %s，负责人 %s。", "This customer already exists: number %s, owned by %s.", num,
	    owner));
}

/* ---------------------------------------------------------- customer_new */

/* See extern.h. */
enum crm_err
wf_customer_new_check(struct ctx *c, struct doc *d)
{
	const char	*norm = normalize(c, sdata(d, "name"));

	const char	*fid;
	enum crm_err	 e;

	if (norm == NULL)
		return ctx_fail(c, ERR_VALIDATION, "name", NULL);
	if ((e = wf_doc_file(c, d, "logo", "logo", &fid)) != ERR_OK)
		return e;
	if ((e = check_duplicate(c, norm, 0)) != ERR_OK)
		return e;
	d->norm = norm;
	return ERR_OK;
}

/* The extra (admin-added) fields of data, as a JSON object text. */
static char *
extra_of(struct ctx *c, struct doc *d)
{
	json_t	*keys, *k, *extra;
	size_t	 i;
	char	*s;

	if ((keys = rules_json(c, "forms", "extra_keys", NULL)) == NULL)
		return NULL;
	extra = json_object();
	json_array_foreach(keys, i, k) {
		json_t *v = json_object_get(d->data, json_string_value(k));

		if (v != NULL)
			json_object_set(extra, json_string_value(k), v);
	}
	s = json_dumps(extra, JSON_COMPACT);
	json_decref(extra);
	return s;
}

static enum crm_err owner_room(struct ctx *, long long, int);

/* See extern.h. */
enum crm_err
wf_customer_late_check(struct ctx *c)
{
	if (c->late_owner == 0)
		return ERR_OK;
	/* The new customer is counted already: room for 0 more. */
	return owner_room(c, c->late_owner, 0);
}

/* See extern.h. */
enum crm_err
wf_customer_new_apply(struct ctx *c, struct doc *d)
{
	const char	*norm, *number, *uid, *logo;
	PGresult	*res;
	enum crm_err	 e;
	char		*extra;

	/*
	 * Applied right after its check in the same transaction (no
	 * approval steps): the name was folded and found free just now; a
	 * customer added since then fails the unique name index below.
	 */
	if ((norm = d->norm) == NULL) {
		if ((norm = normalize(c, sdata(d, "name"))) == NULL)
			return ctx_fail(c, ERR_VALIDATION, "name", NULL);
		if ((e = check_duplicate(c, norm, 0)) != ERR_OK)
			return e;
	}
	/*
	 * The owner's limit and the number come at commit (idem.c, through
	 * wf_late_numbers): the person's row lock and the day's counter are
	 * then held for the last statements only.  Every document request
	 * ends there (h_documents.c).
	 */
	c->late_owner = d->applicant_id;
	if ((extra = extra_of(c, d)) == NULL)
		return ctx_fail(c, ERR_RULE, NULL, NULL);
	uid = id_str(c, d->applicant_id);
	res = db_exec(c->w->db, c->a, ST_CUST_INSERT, DB_ARGS(NULL,
	    sdata(d, "name"), norm, sdata(d, "address"), sdata(d, "contact"),
	    sdata(d, "phone"), sdata(d, "region"), sdata(d, "type"),
	    sdata(d, "source"), sdata(d, "stage"), sdata(d, "status"),
	    scalar_text(c, json_object_get(d->data, "lat")),
	    scalar_text(c, json_object_get(d->data, "lng")), extra, uid), &e);
	free(extra);
	if (res == NULL) {
		if (e == ERR_CONFLICT)	/* added by someone else just now */
			return ctx_fail(c, ERR_DUPLICATE, "name", ctx_text(c,
			    "刚刚有人新增了同名客户，请刷新后查看。",
			    "Someone has just added a customer with this name; "
			    "reload to see it."));
		return e;
	}
	d->customer_id = db_getll(res, 0, 0);
	/* Its placeholder number, which the answer carries until then. */
	number = arena_strdup(c->a, db_get(res, 0, 1));
	c->late_cust = d->customer_id;
	c->late_cust_ph = number;
	if ((e = wf_doc_file(c, d, "logo", "logo", &logo)) != ERR_OK)
		return e;
	if (logo != NULL && db_exec(c->w->db, c->a, ST_CUST_SET_LOGO, DB_ARGS(
	    id_str(c, d->customer_id), logo), &e) == NULL)
		return e;
	if (json_object_get(d->data, "share_with") != NULL &&
	    db_exec(c->w->db, c->a, ST_SHARE_ADD, DB_ARGS(
	    id_str(c, d->customer_id),
	    id_array(c, json_object_get(d->data, "share_with"))), &e) == NULL)
		return e;
	if ((e = wf_count_new(c, d->applicant_id, 0)) != ERR_OK)
		return e;
	d->result = json_pack("{s:I, s:s}", "id", (json_int_t)d->customer_id,
	    "number", number);
	return ERR_OK;
}

/* --------------------------------------------------------- customer_claim */

/* See extern.h. */
enum crm_err
wf_claim_check(struct ctx *c, struct doc *d)
{
	PGresult	*res;
	enum crm_err	 e;
	long long	 id = json_integer_value(json_object_get(d->data,
			    "customer_id"));

	res = db_exec(c->w->db, c->a, ST_CUST_EXISTS, DB_ARGS(id_str(c, id)),
	    &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) != 1)
		return ctx_fail(c, ERR_NOT_FOUND, "customer_id", NULL);
	d->customer_id = id;
	return ERR_OK;
}

/* The limits of rules/pool.lua for one locked staff row. */
static json_t *
pool_limits(struct ctx *c, PGresult *staff)
{
	const char	*max = db_get(staff, 0, 2);
	json_t		*person;

	person = json_pack("{s:s}", "role", db_get(staff, 0, 1));
	if (max != NULL)
		json_object_set_new(person, "max_customers",
		    json_integer(strtoll(max, NULL, 10)));
	return rules_json(c, "pool", "limits", json_pack("[o]", person));
}

/*
 * Lock the person's staff row and refuse when n more customers would pass
 * their maximum (rules/pool.lua, or their own max_customers).
 */
static enum crm_err
owner_room(struct ctx *c, long long staff_id, int n)
{
	PGresult	*staff, *res;
	json_t		*lim;
	enum crm_err	 e;
	const char	*uid = id_str(c, staff_id);
	long long	 max, owned;

	staff = db_exec(c->w->db, c->a, ST_STAFF_LOCK, DB_ARGS(uid), &e);
	if (staff == NULL)
		return e;
	if ((lim = pool_limits(c, staff)) == NULL)
		return ctx_fail(c, ERR_RULE, NULL, NULL);
	max = json_integer_value(json_object_get(lim, "max"));
	res = db_exec(c->w->db, c->a, ST_OWNED_COUNT, DB_ARGS(uid), &e);
	if (res == NULL)
		return e;
	owned = db_getll(res, 0, 0);
	if (max > 0 && owned + n > max) {
		/* n = 0: the count has the new customer already. */
		if (n == 0 && owned > 0)
			owned--;
		return ctx_fail(c, ERR_LIMIT, NULL, CTX_PRINTF(c,
		    "您已有 %lld 个客户，达到上限 %lld 个。",
		    "You own %lld customers, the most you may have is %lld.",
		    owned, max));
	}
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
wf_claim_apply(struct ctx *c, struct doc *d)
{
	PGresult	*staff, *cust, *res;
	json_t		*lim;
	enum crm_err	 e;
	const char	*uid = id_str(c, d->applicant_id);
	const char	*cid = id_str(c, d->customer_id);
	long long	 max, cap, owned;

	staff = db_exec(c->w->db, c->a, ST_STAFF_LOCK, DB_ARGS(uid), &e);
	if (staff == NULL)
		return e;
	if ((lim = pool_limits(c, staff)) == NULL)
		return ctx_fail(c, ERR_RULE, NULL, NULL);
	cust = db_exec(c->w->db, c->a, ST_CUST_LOCK, DB_ARGS(cid,
	    arena_printf(c->a, "%lld", (long long)json_integer_value(
	    json_object_get(lim, "cooldown_days")))), &e);
	if (cust == NULL)
		return e;
	if (PQntuples(cust) != 1)
		return ctx_fail(c, ERR_NOT_FOUND, "customer_id", NULL);
	if (db_get(cust, 0, 3) != NULL)
		return ctx_fail(c, ERR_ALREADY_CLAIMED, "customer_id",
		    CTX_PRINTF(c, "客户“%s”已被 %s 申领。", "%s has already been claimed "
		    "by %s.", db_get(cust, 0, 2), db_get(cust, 0, 6)));
	if (db_getll(cust, 0, 4) == d->applicant_id &&
	    strcmp(db_get(cust, 0, 5) ? db_get(cust, 0, 5) : "f", "t") == 0)
		return ctx_fail(c, ERR_LIMIT, "customer_id", CTX_PRINTF(c, "该客户刚从您名下退回公海，%lld 天内不能再次申领。", "This customer recently left your list for the pool; you "
		    "may claim it again after %lld days.",
		    (long long)json_integer_value(json_object_get(lim,
		    "cooldown_days"))));
	max = json_integer_value(json_object_get(lim, "max"));
	cap = json_integer_value(json_object_get(lim, "daily_cap"));
	res = db_exec(c->w->db, c->a, ST_OWNED_COUNT, DB_ARGS(uid), &e);
	if (res == NULL)
		return e;
	owned = db_getll(res, 0, 0);
	if (max > 0 && owned >= max)
		return ctx_fail(c, ERR_LIMIT, "customer_id", CTX_PRINTF(c, "您已有 %lld 个客户，达到上限 %lld 个，不能再申领。", "You own %lld customers, the most you may have is %lld: "
		    "no more claims.", owned, max));
	if (cap > 0) {
		res = db_exec(c->w->db, c->a, ST_CLAIMS_TODAY, DB_ARGS(uid), &e);
		if (res == NULL)
			return e;
		if (db_getll(res, 0, 0) >= cap)
			return ctx_fail(c, ERR_LIMIT, "customer_id",
			    CTX_PRINTF(c, "今天已申领 %lld 个客户，达到每日上限。", "You have claimed %lld customers today, the daily "
			    "limit.", cap));
	}
	if (db_exec(c->w->db, c->a, ST_CUST_SET_OWNER, DB_ARGS(cid, uid), &e)
	    == NULL ||
	    db_exec(c->w->db, c->a, ST_POOL_LOG, DB_ARGS(cid, "claimed", uid,
	    NULL), &e) == NULL ||
	    db_exec(c->w->db, c->a, ST_CHANGE_LOG, DB_ARGS(cid,
	    id_str(c, d->id), "owner", NULL, db_get(staff, 0, 3), uid), &e)
	    == NULL)
		return e;
	if ((e = wf_count_new(c, d->applicant_id, 1)) != ERR_OK)
		return e;
	d->result = json_pack("{s:I, s:s}", "id", (json_int_t)d->customer_id,
	    "number", db_get(cust, 0, 1));
	return ERR_OK;
}

/* --------------------------------------------------------------- transfer */

/* See extern.h. */
enum crm_err
wf_transfer_check(struct ctx *c, struct doc *d)
{
	/* Ownership is checked under row locks when it is applied. */
	(void)c;
	(void)d;
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
wf_transfer_apply(struct ctx *c, struct doc *d)
{
	PGresult	*recv, *owned, *res;
	json_t		*lim, *ids;
	enum crm_err	 e;
	const char	*to, *from = id_str(c, d->applicant_id), *fromname;
	long long	 max, have;
	int		 all, i, n;

	to = id_str(c, json_integer_value(json_object_get(d->data, "to")));
	all = json_is_true(json_object_get(d->data, "all"));
	ids = json_object_get(d->data, "customer_ids");
	recv = db_exec(c->w->db, c->a, ST_STAFF_LOCK, DB_ARGS(to), &e);
	if (recv == NULL)
		return e;
	if (PQntuples(recv) != 1 || strcmp(db_get(recv, 0, 4), "t") != 0)
		return ctx_fail(c, ERR_VALIDATION, "to", ctx_text(c,
		    "接收人不存在或已停用。",
		    "The receiver does not exist or is disabled."));
	res = db_exec(c->w->db, c->a, ST_STAFF_USER, DB_ARGS(from), &e);
	fromname = res && PQntuples(res) == 1 ? db_get(res, 0, 2) : "";
	owned = db_exec(c->w->db, c->a, ST_CUST_OWNED_LOCK, DB_ARGS(from,
	    all ? NULL : id_array(c, ids)), &e);
	if (owned == NULL)
		return e;
	n = PQntuples(owned);
	if (n == 0 || (!all && (size_t)n != json_array_size(ids)))
		return ctx_fail(c, ERR_CONFLICT, "customer_ids", ctx_text(c,
		    "只能转交您名下的客户；部分客户已不在您名下。",
		    "You can only transfer customers you own; some of these "
		    "are no longer yours."));
	if ((lim = pool_limits(c, recv)) == NULL)
		return ctx_fail(c, ERR_RULE, NULL, NULL);
	max = json_integer_value(json_object_get(lim, "max"));
	res = db_exec(c->w->db, c->a, ST_OWNED_COUNT, DB_ARGS(to), &e);
	if (res == NULL)
		return e;
	have = db_getll(res, 0, 0);
	if (max > 0 && have + n > max)
		return ctx_fail(c, ERR_LIMIT, "to", CTX_PRINTF(c, "%s 已有 %lld 个客户，再接收 %d 个将超过上限 %lld 个。", "%s owns %lld customers; %d more would pass the limit of "
		    "%lld.", db_get(recv, 0, 3), have, n, max));
	for (i = 0; i < n; i++) {
		const char *cid = db_get(owned, i, 0);

		if (db_exec(c->w->db, c->a, ST_CUST_SET_OWNER, DB_ARGS(cid, to),
		    &e) == NULL ||
		    db_exec(c->w->db, c->a, ST_CHANGE_LOG, DB_ARGS(cid,
		    id_str(c, d->id), "owner", fromname, db_get(recv, 0, 3),
		    from), &e) == NULL)
			return e;
	}
	if (n == 1)
		d->customer_id = strtoll(db_get(owned, 0, 0), NULL, 10);
	d->result = json_pack("{s:i}", "count", n);
	return ERR_OK;
}

/* -------------------------------------------------------- customer_change */

/* A new name must not be another customer's. */
static enum crm_err
change_name_check(struct ctx *c, struct doc *d)
{
	const char	*name, *norm;

	if ((name = sdata(d, "name")) == NULL)
		return ERR_OK;
	if ((norm = normalize(c, name)) == NULL)
		return ctx_fail(c, ERR_VALIDATION, "name", ctx_text(c,
		    "客户名称不能为空。", "The customer name cannot be empty."));
	return check_duplicate(c, norm, d->customer_id);
}

/*
 * Who may ask: the owner, people it is shared with, managers over the
 * owner's department, directors and admin (checked when submitted; the
 * approver applies it later with the applicant's right).
 */
enum crm_err
wf_change_check(struct ctx *c, struct doc *d)
{
	PGresult	*res;
	enum crm_err	 e;
	json_t		*row, *shares;
	json_error_t	 je;
	long long	 owner;
	int		 shared = 0;
	size_t		 i;
	const char	*fid;

	d->customer_id = json_integer_value(json_object_get(d->data,
	    "customer_id"));
	res = db_exec(c->w->db, c->a, ST_CUST_JSON, DB_ARGS(
	    id_str(c, d->customer_id)), &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) != 1)
		return ctx_fail(c, ERR_NOT_FOUND, "customer_id", NULL);
	row = json_loads(db_get(res, 0, 0), 0, &je);
	shares = json_loads(db_get(res, 0, 1), 0, &je);
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, row);
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, shares);
	owner = json_integer_value(json_object_get(row, "owner_id"));
	for (i = 0; i < json_array_size(shares); i++)
		if (json_integer_value(json_array_get(shares, i)) ==
		    c->user->id)
			shared = 1;
	/* Salespeople change what they own or what is shared with them. */
	if (strcmp(c->user->role, "salesperson") == 0 && owner != c->user->id &&
	    !shared)
		return ctx_fail(c, ERR_FORBIDDEN, "customer_id", ctx_text(c,
		    "只能变更您负责或共享给您的客户。",
		    "You can only change customers you own or that are shared "
		    "with you."));
	if (strcmp(c->user->role, "manager") == 0 && owner != c->user->id &&
	    !shared) {
		if ((e = cust_visible(c, d->customer_id, NULL)) ==
		    ERR_NOT_FOUND)
			return ctx_fail(c, ERR_FORBIDDEN, "customer_id", NULL);
		if (e != ERR_OK)
			return e;
	}
	if ((e = wf_doc_file(c, d, "logo", "logo", &fid)) != ERR_OK)
		return e;
	return change_name_check(c, d);
}

/*
 * A manager's owner change: the new owner must be active and have room
 * (their staff row locked first, as for claims); logged like a transfer.
 */
static enum crm_err
change_owner(struct ctx *c, struct doc *d, long long to, long long from)
{
	PGresult	*res, *old;
	enum crm_err	 e;
	const char	*cid = id_str(c, d->customer_id);

	res = db_exec(c->w->db, c->a, ST_STAFF_USER, DB_ARGS(id_str(c, to)), &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) != 1)
		return ctx_fail(c, ERR_VALIDATION, "owner_id", ctx_text(c,
		    "新负责人不存在或已停用。",
		    "The new owner does not exist or is disabled."));
	if ((e = owner_room(c, to, 1)) != ERR_OK) {
		c->errfield = "owner_id";
		return e;
	}
	old = from ? db_exec(c->w->db, c->a, ST_STAFF_USER, DB_ARGS(id_str(c,
	    from)), &e) : NULL;
	if (db_exec(c->w->db, c->a, ST_CUST_SET_OWNER, DB_ARGS(cid,
	    id_str(c, to)), &e) == NULL ||
	    db_exec(c->w->db, c->a, ST_CHANGE_LOG, DB_ARGS(cid, id_str(c, d->id),
	    "owner", old && PQntuples(old) == 1 ? db_get(old, 0, 2) : NULL,
	    db_get(res, 0, 2), id_str(c, c->user->id)), &e) == NULL)
		return e;
	return ERR_OK;
}

/*
 * A new logo or storefront photo: the file's id goes into changes (the
 * update sets logo_file), the history keeps the tokens, which is how the
 * pages fetch the pictures.
 */
static enum crm_err
change_logo(struct ctx *c, struct doc *d, json_t *row, json_t *changes)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*fid, *before = NULL;
	json_t		*old = json_object_get(row, "logo_file");

	if ((e = wf_doc_file(c, d, "logo", "logo", &fid)) != ERR_OK ||
	    fid == NULL)
		return e;
	if (json_is_integer(old)) {
		if (json_integer_value(old) == strtoll(fid, NULL, 10))
			return ERR_OK;
		res = db_exec(c->w->db, c->a, ST_FILE_TOKEN_OF, DB_ARGS(
		    id_str(c, json_integer_value(old))), &e);
		if (res == NULL)
			return e;
		before = PQntuples(res) == 1 ? db_get(res, 0, 0) : NULL;
	}
	json_object_set_new(changes, "logo_file", json_string(fid));
	if (db_exec(c->w->db, c->a, ST_CHANGE_LOG, DB_ARGS(id_str(c,
	    d->customer_id), id_str(c, d->id), "logo", before, sdata(d, "logo"),
	    id_str(c, c->user->id)), &e) == NULL)
		return e;
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
wf_change_apply(struct ctx *c, struct doc *d)
{
	PGresult	*res;
	enum crm_err	 e;
	json_t		*row, *changes, *keys, *k, *v, *extra, *oldextra;
	json_error_t	 je;
	const char	*cid = id_str(c, d->customer_id), *norm = NULL;
	const char	*before, *after, *col, *uid = id_str(c, c->user->id);
	const char	*did = id_str(c, d->id);
	char		*chg, *ext, *oldshares;
	size_t		 i;

	if ((e = change_name_check(c, d)) != ERR_OK)
		return e;
	res = db_exec(c->w->db, c->a, ST_CUST_JSON, DB_ARGS(cid), &e);
	if (res == NULL)
		return e;
	row = json_loads(db_get(res, 0, 0), 0, &je);
	oldshares = arena_strdup(c->a, db_get(res, 0, 1));
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, row);
	oldextra = json_object_get(row, "extra");
	changes = json_object();
	extra = json_object();
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, changes);
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, extra);
	for (i = 0; i < sizeof(base_fields) / sizeof(base_fields[0]); i++) {
		if ((v = json_object_get(d->data, base_fields[i])) == NULL)
			continue;
		/* An emptied field is cleared (NULL), except the name. */
		if (json_is_string(v) && *json_string_value(v) == '\0') {
			if (strcmp(base_fields[i], "name") == 0)
				continue;
			v = json_null();
		}
		col = strcmp(base_fields[i], "type") == 0 ? "type_code" :
		    base_fields[i];
		before = scalar_text(c, json_object_get(row, col));
		after = scalar_text(c, v);
		if (json_is_real(json_object_get(row, col)) &&
		    json_is_number(v))
			after = scalar_text(c, json_real(json_number_value(v)));
		if ((before == NULL && after == NULL) ||
		    (before && after && strcmp(before, after) == 0))
			continue;
		json_object_set(changes, base_fields[i], v);
		if (db_exec(c->w->db, c->a, ST_CHANGE_LOG, DB_ARGS(cid, did,
		    base_fields[i], before, after, uid), &e) == NULL)
			return e;
	}
	if ((keys = rules_json(c, "forms", "extra_keys", NULL)) == NULL)
		return ctx_fail(c, ERR_RULE, NULL, NULL);
	json_array_foreach(keys, i, k) {
		const char *key = json_string_value(k);

		if ((v = json_object_get(d->data, key)) == NULL)
			continue;
		before = scalar_text(c, json_object_get(oldextra, key));
		after = scalar_text(c, v);
		if (before && after && strcmp(before, after) == 0)
			continue;
		json_object_set(extra, key, v);
		if (db_exec(c->w->db, c->a, ST_CHANGE_LOG, DB_ARGS(cid, did, key,
		    before, after, uid), &e) == NULL)
			return e;
	}
	if ((e = change_logo(c, d, row, changes)) != ERR_OK)
		return e;
	if (json_object_get(changes, "name") != NULL &&
	    (norm = normalize(c, sdata(d, "name"))) == NULL)
		return ctx_fail(c, ERR_VALIDATION, "name", NULL);
	chg = json_dumps(changes, JSON_COMPACT);
	ext = json_dumps(extra, JSON_COMPACT);
	res = db_exec(c->w->db, c->a, ST_CUST_UPDATE, DB_ARGS(cid, chg, norm,
	    ext), &e);
	free(chg);
	free(ext);
	if (res == NULL) {
		if (e == ERR_CONFLICT)
			return ctx_fail(c, ERR_DUPLICATE, "name", NULL);
		return e;
	}
	if ((v = json_object_get(d->data, "owner_id")) != NULL &&
	    json_integer_value(v) != json_integer_value(json_object_get(row,
	    "owner_id")) && (e = change_owner(c, d, json_integer_value(v),
	    json_integer_value(json_object_get(row, "owner_id")))) != ERR_OK)
		return e;
	if ((v = json_object_get(d->data, "share_with")) != NULL) {
		const char *arr = id_array(c, v);

		if (db_exec(c->w->db, c->a, ST_SHARE_CLEAR, DB_ARGS(cid), &e)
		    == NULL ||
		    db_exec(c->w->db, c->a, ST_SHARE_ADD, DB_ARGS(cid, arr), &e)
		    == NULL)
			return e;
		res = db_exec(c->w->db, c->a, ST_SHARES_OF, DB_ARGS(cid), &e);
		if (res == NULL)
			return e;
		if (strcmp(oldshares, db_get(res, 0, 0)) != 0 &&
		    db_exec(c->w->db, c->a, ST_CHANGE_LOG, DB_ARGS(cid, did,
		    "share_with", oldshares, db_get(res, 0, 0), uid), &e) ==
		    NULL)
			return e;
	}
	d->result = json_pack("{s:I}", "id", (json_int_t)d->customer_id);
	return ERR_OK;
}

/*
 * Customer id as the reader may see it: ERR_OK with its JSON in *json
 * (when json is not NULL), ERR_NOT_FOUND when it is missing or hidden
 * (the two look the same), or the database's error.  The row is read by
 * primary key with a statement planned once; the owner, the reader and
 * the shares decide most cases in C, exactly as crm_sees would, and
 * ST_CUST_SEES (crm_sees plus "approves one of its documents") the rest.
 */
enum crm_err
cust_visible(struct ctx *c, long long id, const char **json)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*me, *owner;
	const char	*role = c->user->role;

	if (id <= 0)
		return ERR_NOT_FOUND;
	me = arena_printf(c->a, "%lld", c->user->id);
	res = db_exec(c->w->db, c->a, ST_CUST_DETAIL, DB_ARGS(
	    arena_printf(c->a, "%lld", id), me), &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) != 1)
		return ERR_NOT_FOUND;
	if (json != NULL)
		*json = db_get(res, 0, 0);
	owner = db_get(res, 0, 1);
	if (strcmp(role, "director") == 0 || strcmp(role, "admin") == 0 ||
	    owner == NULL || db_getll(res, 0, 1) == c->user->id ||
	    db_true(res, 0, 2))
		return ERR_OK;
	res = db_exec(c->w->db, c->a, ST_CUST_SEES, DB_ARGS(me, role,
	    arena_printf(c->a, "%lld", id), owner), &e);
	if (res == NULL)
		return e;
	return db_true(res, 0, 0) ? ERR_OK : ERR_NOT_FOUND;
}
