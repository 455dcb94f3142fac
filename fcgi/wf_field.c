/*
 * wf_field.c: field work as documents: a visit (visit), a deal (deal), a
 * payment received (payment) and the daily report (daily_report).
 *
 * Applying one updates the customer's aggregates (visit count, last
 * visit, stage, status, deal total, paid) and the per-person-per-day
 * activity figures in the same transaction, so targets and statistics
 * read small tables instead of scanning history.
 *
 * A visit carries the phone's capture time and position, an optional
 * photo (uploaded first, EXIF read then) and, when it was started from the
 * customer's QR code, the scanned token; rules/visit.lua judges whether
 * it was "verified on site".
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "extern.h"

static const char *
sdata(struct doc *d, const char *key)
{
	return json_string_value(json_object_get(d->data, key));
}

static const char *
num(struct ctx *c, long long n)
{
	return arena_printf(c->a, "%lld", n);
}

/* A money amount of the data as exact decimal text ("1234.5", "20"). */
static const char *
money(struct ctx *c, struct doc *d, const char *key)
{
	json_t	*v = json_object_get(d->data, key);

	if (json_is_integer(v))
		return num(c, (long long)json_integer_value(v));
	return json_string_value(v);
}

static const char *
scalar(struct ctx *c, json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return num(c, (long long)json_integer_value(v));
	if (json_is_real(v))
		return arena_printf(c->a, "%.9f", json_real_value(v));
	return NULL;
}

/* Add to one person's figures of one day (columns of activity_daily). */
static enum crm_err
activity(struct ctx *c, long long staff, const char *day, int newc, int claims,
    int visits, int deals, const char *deal_amount, int pays,
    const char *pay_amount)
{
	enum crm_err	 e;
	const char	*p[9];

	p[0] = num(c, staff);
	p[1] = arena_strdup(c->a, day);
	p[2] = num(c, newc);
	p[3] = num(c, claims);
	p[4] = num(c, visits);
	p[5] = num(c, deals);
	p[6] = deal_amount ? arena_strdup(c->a, deal_amount) : "0";
	p[7] = num(c, pays);
	p[8] = pay_amount ? arena_strdup(c->a, pay_amount) : "0";
	/*
	 * Every document request ends in idem_commit, whose last statement
	 * adds the first of them (c->late_act); a second one is added now.
	 */
	if (c->late_act[0] == NULL) {
		memcpy(c->late_act, p, sizeof(p));
		return ERR_OK;
	}
	if (db_exec(c->w->db, c->a, ST_ACTIVITY_ADD, 9, p, &e) == NULL)
		return e;
	return ERR_OK;
}

/* Today's date in the database's time zone, as text. */
static const char *
today(struct ctx *c)
{
	time_t		 now = time(NULL);
	struct tm	 tm;
	char		 b[16];

	localtime_r(&now, &tm);
	strftime(b, sizeof(b), "%Y-%m-%d", &tm);
	return arena_strdup(c->a, b);
}

/* See extern.h: new customers and claims count in the figures too. */
enum crm_err
wf_count_new(struct ctx *c, long long staff, int claim)
{
	return activity(c, staff, today(c), !claim, claim, 0, 0, NULL, 0,
	    NULL);
}

/*
 * The customer of the document, when the applicant may work on it (sees
 * it and it is not in the pool): 0, or ERR_NOT_FOUND / ERR_FORBIDDEN.
 */
static enum crm_err
own_customer(struct ctx *c, struct doc *d, PGresult **cust)
{
	PGresult	*res, *sees;
	enum crm_err	 e;
	long long	 id = json_integer_value(json_object_get(d->data,
			    "customer_id"));

	/*
	 * The row by its key; who may see it is asked (ST_CUST_SEES, as
	 * cust_visible does) only when the first cases of crm_sees() do not
	 * already answer: a director or admin, the pool, one's own customer.
	 */
	res = db_exec(c->w->db, c->a, ST_CUST_QR, DB_ARGS(num(c, id)), &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) == 1 && db_get(res, 0, 10) != NULL &&
	    db_getll(res, 0, 10) != c->user->id &&
	    strcmp(c->user->role, "director") != 0 &&
	    strcmp(c->user->role, "admin") != 0) {
		sees = db_exec(c->w->db, c->a, ST_CUST_SEES, DB_ARGS(
		    num(c, c->user->id), c->user->role, num(c, id),
		    db_get(res, 0, 10)), &e);
		if (sees == NULL)
			return e;
		if (!db_true(sees, 0, 0))
			return ctx_fail(c, ERR_NOT_FOUND, "customer_id", NULL);
	}
	if (PQntuples(res) != 1)
		return ctx_fail(c, ERR_NOT_FOUND, "customer_id", NULL);
	if (cust != NULL)
		*cust = res;
	if (db_get(res, 0, 10) == NULL)
		return ctx_fail(c, ERR_FORBIDDEN, "customer_id", ctx_text(c,
		    "该客户在客户公海中，请先申领。",
		    "This customer is in the public pool: claim it first."));
	d->customer_id = id;
	return ERR_OK;
}

/* ------------------------------------------------------------------ visit */

/* Epoch seconds of an ISO 8601 time with an offset ("...T10:00:00+08:00"). */
static int
parse_iso(const char *s, time_t *t, long *offset)
{
	struct tm	 tm;
	const char	*p;
	int		 oh = 0, om = 0, sign = 1;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || (p = strptime(s, "%Y-%m-%dT%H:%M", &tm)) == NULL)
		return -1;
	if (*p == ':') {
		if ((p = strptime(p, ":%S", &tm)) == NULL)
			return -1;
		if (*p == '.')
			p += 1 + strspn(p + 1, "0123456789");
	}
	if (*p == 'Z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2 || oh > 14 || om > 59)
			return -1;
		p += 6;
	} else
		return -1;
	if (*p != '\0')
		return -1;
	*offset = sign * (oh * 3600L + om * 60L);
	*t = timegm(&tm) - *offset;
	return 0;
}

/* "2026-11-27T04:05:06Z" for epoch seconds t. */
static const char *
iso_utc(struct ctx *c, time_t t)
{
	struct tm	 tm;
	char		 iso[40];

	gmtime_r(&t, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(c->a, iso);
}

/*
 * Check a scanned token: a valid signature under an unrevoked key, for
 * this customer and its current code version.  0, or a ctx_fail.
 */
static enum crm_err
check_scan(struct ctx *c, const char *tok, long long customer, int version)
{
	PGresult	*res;
	enum crm_err	 e;
	long long	 cid;
	int		 kid, ver;

	if (qr_token_parse(tok, &kid, &cid, &ver) == -1)
		goto bad;
	res = db_exec(c->w->db, c->a, ST_QR_KEY_GET, DB_ARGS(num(c, kid)), &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) != 1 || strcmp(db_get(res, 0, 1), "f") != 0 ||
	    PQgetlength(res, 0, 0) == 0)
		goto bad;
	{
		size_t		 klen;
		unsigned char	*key = PQunescapeBytea((const unsigned char *)
				    db_get(res, 0, 0), &klen);
		int		 ok = key != NULL && klen == QR_KEYLEN &&
				    qr_token_verify(tok, key) == 0;

		PQfreemem(key);
		if (!ok)
			goto bad;
	}
	if (cid != customer || ver != version)
		goto bad;
	return ERR_OK;
bad:
	return ctx_fail(c, ERR_VALIDATION, "qr_token", ctx_text(c,
	    "二维码无效或已作废，请联系管理员重新打印。",
	    "This QR code is not valid or has been revoked; ask for a new "
	    "one."));
}

/* See extern.h. */
enum crm_err
wf_visit_check(struct ctx *c, struct doc *d)
{
	PGresult	*cust, *file = NULL;
	enum crm_err	 e;
	json_t		*v, *verdict, *first;
	const char	*tok = sdata(d, "qr_token"), *photo = sdata(d, "photo");
	const char	*cap = sdata(d, "captured_at");
	time_t		 now = time(NULL), captured = now, ptime;
	long		 offset = 0;
	struct tm	 tm;

	if ((e = own_customer(c, d, &cust)) != ERR_OK)
		return e;
	if (tok != NULL && (e = check_scan(c, tok, d->customer_id,
	    (int)db_getll(cust, 0, 3))) != ERR_OK)
		return e;
	if (cap != NULL && parse_iso(cap, &captured, &offset) == -1)
		return ctx_fail(c, ERR_VALIDATION, "captured_at", NULL);
	/* A capture time from the future is the phone's clock: use ours. */
	if (captured > now + 300)
		captured = now;
	if (photo != NULL) {
		file = db_exec(c->w->db, c->a, ST_FILE_META, DB_ARGS(photo), &e);
		if (file == NULL)
			return e;
		if (PQntuples(file) != 1 ||
		    db_getll(file, 0, 5) != c->user->id ||
		    strcmp(db_get(file, 0, 1), "photo") != 0)
			return ctx_fail(c, ERR_VALIDATION, "photo", ctx_text(c,
			    "照片不存在，请重新拍照上传。",
			    "The photo was not found; take it again."));
	}
	v = json_pack("{s:b, s:I, s:I}", "from_scan", tok != NULL,
	    "captured_at", (json_int_t)captured, "arrived_at", (json_int_t)now);
	if (json_is_number(json_object_get(d->data, "lat")) &&
	    json_is_number(json_object_get(d->data, "lng")))
		json_object_set_new(v, "device", json_pack("{s:f, s:f}", "lat",
		    json_number_value(json_object_get(d->data, "lat")), "lng",
		    json_number_value(json_object_get(d->data, "lng"))));
	if (db_get(cust, 0, 4) != NULL && db_get(cust, 0, 5) != NULL)
		json_object_set_new(v, "customer", json_pack("{s:f, s:f}",
		    "lat", strtod(db_get(cust, 0, 4), NULL), "lng",
		    strtod(db_get(cust, 0, 5), NULL)));
	if (file != NULL && db_get(file, 0, 2) != NULL) {
		memset(&tm, 0, sizeof(tm));
		if (strptime(db_get(file, 0, 2), "%Y-%m-%d %H:%M:%S", &tm)) {
			/*
			 * EXIF times have no zone: the camera's clock is the
			 * team's (TZ), whatever offset the phone's form sent.
			 */
			tm.tm_isdst = -1;
			ptime = mktime(&tm);
			json_object_set_new(v, "photo_time",
			    json_integer(ptime));
		}
	}
	if (file != NULL && db_get(file, 0, 3) != NULL &&
	    db_get(file, 0, 4) != NULL)
		json_object_set_new(v, "photo_pos", json_pack("{s:f, s:f}",
		    "lat", strtod(db_get(file, 0, 3), NULL), "lng",
		    strtod(db_get(file, 0, 4), NULL)));
	verdict = rules_json(c, "visit", "verdict", json_pack("[o]", v));
	if (verdict == NULL || !json_is_object(verdict))
		return ctx_fail(c, ERR_RULE, NULL, NULL);
	if (json_is_true(json_object_get(verdict, "refuse"))) {
		first = json_array_get(json_object_get(verdict, "reasons"), 0);
		return ctx_fail(c, ERR_VALIDATION, "photo", arena_strdup(c->a,
		    json_string_value(json_object_get(first,
		    c->lang == LANG_EN ? "en" : "zh"))));
	}
	/* Keep what apply needs with the document's data. */
	json_object_set(d->data, "verdict", verdict);
	json_object_set_new(d->data, "captured_at", json_string(iso_utc(c,
	    captured)));
	json_object_set_new(d->data, "arrived_at", json_integer(now));
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
wf_visit_apply(struct ctx *c, struct doc *d)
{
	PGresult	*res, *file = NULL;
	enum crm_err	 e;
	json_t		*verdict = json_object_get(d->data, "verdict");
	const char	*photo = sdata(d, "photo"), *captured, *day;
	char		*vtext;
	time_t		 t;
	long		 offset;
	struct tm	 tm;
	char		 daybuf[16];

	/* Check kept it as UTC text; documents of older versions as epoch. */
	captured = sdata(d, "captured_at");
	if (captured == NULL || parse_iso(captured, &t, &offset) == -1)
		t = (time_t)strtoll(captured ? captured : "0", NULL, 10);
	captured = iso_utc(c, t);
	localtime_r(&t, &tm);
	strftime(daybuf, sizeof(daybuf), "%Y-%m-%d", &tm);
	day = arena_strdup(c->a, daybuf);
	if (photo != NULL) {
		file = db_exec(c->w->db, c->a, ST_FILE_META, DB_ARGS(photo), &e);
		if (file == NULL)
			return e;
	}
	vtext = json_dumps(verdict, JSON_COMPACT);
	res = db_exec(c->w->db, c->a, ST_VISIT_INSERT, DB_ARGS(num(c, d->id),
	    num(c, d->customer_id), num(c, d->applicant_id), captured,
	    sdata(d, "place"), sdata(d, "met"), sdata(d, "stage"),
	    sdata(d, "notes"), file && PQntuples(file) ? db_get(file, 0, 0) :
	    NULL, scalar(c, json_object_get(d->data, "lat")),
	    scalar(c, json_object_get(d->data, "lng")),
	    sdata(d, "qr_token") ? "true" : "false",
	    json_is_true(json_object_get(verdict, "verified")) ? "true" :
	    "false", vtext ? vtext : "{}"), &e);
	free(vtext);
	if (res == NULL)
		return e;
	if (db_exec(c->w->db, c->a, ST_CUST_VISITED, DB_ARGS(num(c,
	    d->customer_id), captured, sdata(d, "stage"), sdata(d, "status")),
	    &e) == NULL)
		return e;
	if ((e = activity(c, d->applicant_id, day, 0, 0, 1, 0, NULL, 0, NULL))
	    != ERR_OK)
		return e;
	d->result = json_pack("{s:I, s:O}", "visit",
	    (json_int_t)db_getll(res, 0, 0), "verdict", verdict);
	return ERR_OK;
}

/* ---------------------------------------------------------- deal, payment */

/* See extern.h. */
enum crm_err
wf_deal_check(struct ctx *c, struct doc *d)
{
	const char	*fid;
	enum crm_err	 e;

	if ((e = own_customer(c, d, NULL)) != ERR_OK)
		return e;
	return wf_doc_file(c, d, "contract", NULL, &fid);
}

/* See extern.h. */
enum crm_err
wf_deal_apply(struct ctx *c, struct doc *d)
{
	PGresult	*res;
	enum crm_err	 e;
	json_t		*rule;
	const char	*fid, *amount = money(c, d, "amount");

	d->customer_id = json_integer_value(json_object_get(d->data,
	    "customer_id"));
	if ((e = wf_doc_file(c, d, "contract", NULL, &fid)) != ERR_OK)
		return e;
	if ((rule = rules_json(c, "deal", "status_after_deal", NULL)) == NULL)
		return ctx_fail(c, ERR_RULE, NULL, NULL);
	res = db_exec(c->w->db, c->a, ST_DEAL_INSERT, DB_ARGS(num(c, d->id),
	    num(c, d->customer_id), num(c, d->applicant_id),
	    sdata(d, "deal_date"), amount, fid, sdata(d, "notes")), &e);
	if (res == NULL)
		return e;
	if (db_exec(c->w->db, c->a, ST_CUST_DEAL, DB_ARGS(num(c, d->customer_id),
	    amount, sdata(d, "deal_date"), json_string_value(rule)), &e) == NULL)
		return e;
	if ((e = activity(c, d->applicant_id, sdata(d, "deal_date"), 0, 0, 0,
	    1, amount, 0, NULL)) != ERR_OK)
		return e;
	d->result = json_pack("{s:I}", "deal", (json_int_t)db_getll(res, 0, 0));
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
wf_payment_check(struct ctx *c, struct doc *d)
{
	return own_customer(c, d, NULL);
}

/* See extern.h. */
enum crm_err
wf_payment_apply(struct ctx *c, struct doc *d)
{
	PGresult	*res;
	enum crm_err	 e;
	const char	*amount = money(c, d, "amount");

	d->customer_id = json_integer_value(json_object_get(d->data,
	    "customer_id"));
	res = db_exec(c->w->db, c->a, ST_PAY_INSERT, DB_ARGS(num(c, d->id),
	    num(c, d->customer_id), num(c, d->applicant_id),
	    sdata(d, "pay_date"), amount, sdata(d, "notes")), &e);
	if (res == NULL)
		return e;
	if (db_exec(c->w->db, c->a, ST_CUST_PAID, DB_ARGS(num(c,
	    d->customer_id), amount), &e) == NULL)
		return e;
	if ((e = activity(c, d->applicant_id, sdata(d, "pay_date"), 0, 0, 0, 0,
	    NULL, 1, amount)) != ERR_OK)
		return e;
	d->result = json_pack("{s:I}", "payment",
	    (json_int_t)db_getll(res, 0, 0));
	return ERR_OK;
}

/* ----------------------------------------------------------- daily_report */

/* See extern.h. */
enum crm_err
wf_daily_check(struct ctx *c, struct doc *d)
{
	PGresult	*res;
	enum crm_err	 e;

	res = db_exec(c->w->db, c->a, ST_DAILY_EXISTS, DB_ARGS(num(c,
	    c->user->id), sdata(d, "day")), &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) > 0)
		return ctx_fail(c, ERR_CONFLICT, "day", ctx_text(c,
		    "这一天的日报已经提交过了。",
		    "You have already filed the report for this day."));
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
wf_daily_apply(struct ctx *c, struct doc *d)
{
	PGresult	*fig;
	enum crm_err	 e;

	fig = db_exec(c->w->db, c->a, ST_DAILY_FIGURES, DB_ARGS(num(c,
	    d->applicant_id), sdata(d, "day")), &e);
	if (fig == NULL)
		return e;
	if (db_exec(c->w->db, c->a, ST_DAILY_INSERT, DB_ARGS(num(c, d->id),
	    num(c, d->applicant_id), sdata(d, "day"), sdata(d, "summary"),
	    sdata(d, "plan"), db_get(fig, 0, 0)), &e) == NULL) {
		if (e == ERR_CONFLICT)	/* filed by a parallel request */
			return ctx_fail(c, ERR_CONFLICT, "day", ctx_text(c,
			    "这一天的日报已经提交过了。",
			    "You have already filed the report for this day."));
		return e;
	}
	return ERR_OK;
}
