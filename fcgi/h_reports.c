/*
 * h_reports.c: reports (RPT-Q*, RPT-S*), user-defined reports (RPT-CUSTOM)
 * and the business portal (RPT-PORTAL), per /work/helpers/REPORTS-API.md
 * (docs/api.md "Reports").
 *
 * A built-in report is rules/reports/NAME.lua; a user-defined one is a row
 * of `reports` (PostgreSQL, so every app server sees it) with the same
 * definition as JSON.  Either is checked by report_parse and compiled by
 * report_sql (report.c) into one statement; the compiled text is kept per
 * worker for each definition version, and db_exec_dynamic prepares it once
 * per connection.  Row visibility is inside the statement.
 */
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>
#include <jansson.h>
#include <sodium.h>

#include "extern.h"

#define EXPORT_MAX	50000	/* rows in one export */
#define SQL_CACHE	128	/* compiled statements kept per worker */

/* ------------------------------------------------ the compiled texts */

/* name + hash of the definition text -> compiled SQL (malloc'd). */
static struct {
	char		*name;
	uint64_t	 hash;
	char		*sql;
} cache[SQL_CACHE];
static size_t	 cache_next;

static uint64_t
fnv(const char *s)
{
	uint64_t	 h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/*
 * The statement of rp whose definition text hashes to h; roll: its
 * roll-up variant (report_sql_rollup), kept under another hash.
 */
static const char *
compiled(struct ctx *c, const struct report *rp, uint64_t h, int roll)
{
	char	*sql;
	size_t	 i;

	if (roll)
		h = ~h;
	for (i = 0; i < SQL_CACHE; i++)
		if (cache[i].name != NULL && cache[i].hash == h &&
		    strcmp(cache[i].name, rp->name) == 0)
			return cache[i].sql;
	if ((sql = roll ? report_sql_rollup(c->a, rp) : report_sql(c->a, rp))
	    == NULL)
		return NULL;
	i = cache_next++ % SQL_CACHE;
	free(cache[i].name);
	free(cache[i].sql);
	cache[i].name = strdup(rp->name);
	cache[i].sql = strdup(sql);
	cache[i].hash = h;
	if (cache[i].name == NULL || cache[i].sql == NULL) {
		free(cache[i].name);
		free(cache[i].sql);
		cache[i].name = cache[i].sql = NULL;
	}
	return sql;
}

/* ------------------------------------------------ loading definitions */

struct loaded {
	struct report	 rp;
	json_t		*def;		/* the definition (arena-owned) */
	uint64_t	 hash;		/* of its text and version */
	int		 custom;
	int		 editable;
};

static void
decref(void *p)
{
	json_decref(p);
}

static int
is_sales(const struct ctx *c)
{
	return strcmp(c->user->role, "salesperson") == 0;
}

/*
 * Load and check report name for the reader.  Returns 0; or -1 when it is
 * unknown or unreadable (ERR_NOT_FOUND), when the database is down, or
 * when its definition is invalid (ERR_REPORT_INVALID with *why set).
 */
static int
load(struct ctx *c, const char *name, struct loaded *l, enum crm_err *e,
    struct rerr *why)
{
	PGresult	*res;
	json_error_t	 je;
	char		*err, *txt;
	long long	 version = 0;

	memset(l, 0, sizeof(*l));
	memset(why, 0, sizeof(*why));
	*e = ERR_NOT_FOUND;
	if (!report_key_ok(name))
		return -1;
	if (strncmp(name, "c_", 2) == 0) {
		res = db_exec(c->w->db, c->a, ST_REPORT_GET, DB_ARGS(name,
		    arena_printf(c->a, "%lld", c->user->id), c->user->role), e);
		if (res == NULL)
			return -1;
		*e = ERR_NOT_FOUND;
		if (PQntuples(res) != 1 || strcmp(db_get(res, 0, 3), "t") != 0)
			return -1;
		l->def = json_loads(db_get(res, 0, 0), 0, &je);
		version = db_getll(res, 0, 1);
		l->custom = 1;
		l->editable = strcmp(db_get(res, 0, 4), "t") == 0;
	} else {
		l->def = report_builtin_def(c->w->rules, c->a, name, &err);
		if (l->def == NULL) {
			if (err != NULL && strstr(err, "not found") == NULL &&
			    strstr(err, "No such file") == NULL) {
				log_warn("report %s: %s", name, err);
				*e = ERR_REPORT_INVALID;
				snprintf(why->en, sizeof(why->en), "report %s: "
				    "the rule file does not load (see the "
				    "log)", name);
				snprintf(why->zh, sizeof(why->zh), "报表 %s："
				    "规则文件无法加载（详见日志）", name);
			}
			return -1;
		}
	}
	if (l->def == NULL)
		return -1;
	arena_cleanup_add(c->a, decref, l->def);
	txt = json_dumps(l->def, JSON_COMPACT | JSON_SORT_KEYS);
	l->hash = fnv(txt ? txt : "") ^ (uint64_t)version;
	free(txt);
	if (report_parse(c->a, name, l->def, &l->rp, why) == -1) {
		*e = ERR_REPORT_INVALID;
		return -1;
	}
	if (!report_role_ok(&l->rp, c->user->role)) {
		*e = ERR_NOT_FOUND;
		return -1;
	}
	*e = ERR_OK;
	return 0;
}

static void
reply_load_err(struct ctx *c, enum crm_err e, struct rerr *why)
{
	if (e == ERR_REPORT_INVALID)
		reply_errmsg(c, e, why->field[0] ? why->field : NULL,
		    c->lang == LANG_EN ? why->en : why->zh);
	else
		reply_err(c, e, NULL);
}

/* ------------------------------------------------------- parameters */

struct run {
	const char	*p[RP_NPARAMS];	/* $1.. */
	const char	*eff[RPF__MAX];	/* effective filter values */
	long		 page;
	long		 size;
	const char	*sort;
};

static long
qnum(const char *s, long def, long max)
{
	char	*end;
	long	 n;

	if (s == NULL || *s == '\0')
		return def;
	n = strtol(s, &end, 10);
	if (*end != '\0' || n < 1 || n > max)
		return -1;
	return n;
}

/* Read the query: filters, page, size, sort.  0, or -1 (answered). */
static int
params_or_reply(struct ctx *c, const struct report *rp, struct run *r,
    int all)
{
	const struct kv	*kv;
	const char	*v, *sort;
	size_t		 i, len;
	int		 fi;
	char		*pat, *q;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < c->req.query.n; i++) {
		kv = &c->req.query.v[i];
		if (strcmp(kv->key, "page") == 0 || strcmp(kv->key, "size") ==
		    0 || strcmp(kv->key, "sort") == 0 || strcmp(kv->key, "_") ==
		    0)
			continue;
		fi = report_filter_by_name(kv->key);
		if (fi < 0 || !rp->has[fi]) {
			reply_errmsg(c, ERR_UNKNOWN_FIELD, kv->key,
			    CTX_PRINTF(c, "报表 %s 没有筛选条件 %s。",
			    "Report %s has no filter %s.", rp->name,
			    http_utf8_valid(kv->key, strlen(kv->key)) ?
			    kv->key : "?"));
			return -1;
		}
	}
	for (fi = 0; fi < RPF__MAX; fi++) {
		if (!rp->has[fi])
			continue;
		v = http_kv_get(&c->req.query, report_filter_name(fi));
		if (v == NULL)
			v = report_default(c->a, rp->defaults[fi],
			    c->user->id);
		else if (*v == '\0')
			v = NULL;	/* given empty: not applied */
		if (v == NULL)
			continue;
		len = strlen(v);
		switch (fi) {
		case RPF_FROM:
		case RPF_TO:
			if (!report_date_ok(v))
				goto bad;
			break;
		case RPF_STAFF:
		case RPF_DEPARTMENT:
		case RPF_CUSTOMER:
			if (http_id(v) == 0)
				goto bad;
			break;
		default:
			if (!http_utf8_valid(v, len) || len > (fi == RPF_Q ?
			    300 : 64))
				goto bad;
			break;
		}
		r->eff[fi] = v;
		continue;
bad:
		reply_errmsg(c, ERR_BAD_FIELD, report_filter_name(fi),
		    CTX_PRINTF(c, "筛选条件 %s 的值不正确%s。",
		    "The value of filter %s is not valid%s.",
		    report_filter_name(fi), fi == RPF_FROM || fi == RPF_TO ?
		    (c->lang == LANG_EN ? " (use YYYY-MM-DD)" :
		    "（格式为 YYYY-MM-DD）") : ""));
		return -1;
	}
	if (r->eff[RPF_FROM] && r->eff[RPF_TO] &&
	    strcmp(r->eff[RPF_FROM], r->eff[RPF_TO]) > 0) {
		reply_errmsg(c, ERR_BAD_FIELD, "to", ctx_text(c,
		    "结束日期不能早于开始日期。",
		    "The end date cannot be before the start date."));
		return -1;
	}
	if ((r->page = qnum(http_kv_get(&c->req.query, "page"), 1, 1000000))
	    < 0) {
		reply_err(c, ERR_BAD_FIELD, "page");
		return -1;
	}
	if ((r->size = qnum(http_kv_get(&c->req.query, "size"), 50, 500)) <
	    0) {
		reply_err(c, ERR_BAD_FIELD, "size");
		return -1;
	}
	if (all) {
		r->page = 1;
		r->size = EXPORT_MAX;
	}
	sort = http_kv_get(&c->req.query, "sort");
	if (sort == NULL || *sort == '\0')
		sort = rp->sort;
	else {
		const char *k = sort[0] == '-' ? sort + 1 : sort;

		for (i = 0; i < rp->ncols; i++)
			if (strcmp(rp->cols[i].key, k) == 0)
				break;
		if (i == rp->ncols) {
			reply_err(c, ERR_BAD_FIELD, "sort");
			return -1;
		}
	}
	r->sort = sort;
	r->p[0] = arena_printf(c->a, "%lld", c->user->id);
	r->p[1] = c->user->role;
	r->p[2] = i18n_name(c->lang);
	r->p[3] = sort;
	r->p[4] = arena_printf(c->a, "%ld", r->size);
	r->p[5] = arena_printf(c->a, "%ld", (r->page - 1) * r->size);
	for (fi = 0; fi < RPF__MAX; fi++)
		r->p[RP_FILTER0 - 1 + fi] = r->eff[fi];
	/* The search text, with LIKE's wildcards taken literally. */
	if ((v = r->eff[RPF_Q]) != NULL) {
		pat = arena_alloc(c->a, strlen(v) * 2 + 3);
		if (pat == NULL) {
			reply_err(c, ERR_TOO_LARGE, "q");
			return -1;
		}
		q = pat;
		*q++ = '%';
		for (; *v != '\0'; v++) {
			if (*v == '%' || *v == '_' || *v == '\\')
				*q++ = '\\';
			*q++ = *v;
		}
		*q++ = '%';
		*q = '\0';
		r->p[RP_FILTER0 - 1 + RPF_Q] = pat;
	}
	return 0;
}

/* Run the report; the result, or NULL (answered). */
static PGresult *
execute_or_reply(struct ctx *c, struct loaded *l, struct run *r)
{
	const char	*sql;
	PGresult	*res;
	enum crm_err	 e;

	if ((sql = compiled(c, &l->rp, l->hash,
	    report_rollup_ok(&l->rp, r->eff))) == NULL) {
		reply_err(c, ERR_INTERNAL, NULL);
		return NULL;
	}
	res = db_exec_dynamic(c->w->db, c->a, sql, RP_NPARAMS, r->p, &e);
	if (res == NULL) {
		if (e == ERR_VALIDATION)	/* a value PostgreSQL refused */
			e = ERR_BAD_FIELD;
		reply_err(c, e, NULL);
		return NULL;
	}
	return res;
}

/* ------------------------------------------------------- drill-through */

/* Filters every drill target of rp declares (intersection), or 0. */
static int
drill_filters(struct ctx *c, const struct report *rp, int *has)
{
	struct loaded	 t;
	struct rerr	 why;
	enum crm_err	 e;
	const char	*names[REPORT_MAXCOLS + 1];
	size_t		 n = 0, i;
	int		 fi;

	if (rp->drill != NULL)
		names[n++] = rp->drill;
	for (i = 0; i < rp->ncols; i++)
		if (rp->cols[i].drill != NULL)
			names[n++] = rp->cols[i].drill;
	if (n == 0)
		return 0;
	for (fi = 0; fi < RPF__MAX; fi++)
		has[fi] = 1;
	for (i = 0; i < n; i++) {
		if (load(c, names[i], &t, &e, &why) == -1) {
			log_warn("report %s: drill target %s: %s", rp->name,
			    names[i], why.en[0] ? why.en : crm_errcode(e));
			return 0;
		}
		for (fi = 0; fi < RPF__MAX; fi++)
			has[fi] &= t.rp.has[fi];
	}
	return 1;
}

static const char *
month_end(struct ctx *c, int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return arena_printf(c->a, "%04d-%02d-%02d", y, m, mdays[m - 1] +
	    (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
}

/* drill.by: per value column, what the click adds to the row's params. */
static json_t *
drill_json(struct ctx *c, const struct report *rp, const struct run *r)
{
	json_t		*by = json_object(), *reports = json_object(), *o;
	const char	*from = r->eff[RPF_FROM], *to = r->eff[RPF_TO];
	const char	*lo, *hi;
	size_t		 i;
	int		 y;

	y = atoi(from ? from : to ? to : report_default(c->a, "today", 0));
	for (i = 0; i < rp->ncols; i++) {
		const struct rcol *col = &rp->cols[i];

		if (col->measure == RM_NONE)
			continue;
		o = json_object();
		if (col->month) {
			lo = arena_printf(c->a, "%04d-%02d-01", y, col->month);
			hi = month_end(c, y, col->month);
			if (from != NULL && strcmp(from, lo) > 0)
				lo = from;
			if (to != NULL && strcmp(to, hi) < 0)
				hi = to;
			json_object_set_new(o, "from", json_string(lo));
			json_object_set_new(o, "to", json_string(hi));
		}
		json_object_set_new(by, col->key, o);
		if (col->drill != NULL)
			json_object_set_new(reports, col->key,
			    json_string(col->drill));
	}
	if (rp->drill == NULL) {
		json_decref(by);
		json_decref(reports);
		return json_null();
	}
	o = json_pack("{s:s, s:o}", "report", rp->drill, "by", by);
	if (json_object_size(reports) > 0)
		json_object_set_new(o, "reports", reports);
	else
		json_decref(reports);
	return o;
}

/* ------------------------------------------------------- the answer */

static json_t *
cell(const PGresult *res, int row, int col, enum rtype t)
{
	const char	*v = col >= 0 ? db_get(res, row, col) : NULL;

	if (v == NULL)
		return json_null();
	if (t == RT_INT)
		return json_integer(strtoll(v, NULL, 10));
	return json_string(v);
}

/* Store the answer just built under key for cfg.report_cache_ttl seconds. */
static void
cache_put(struct ctx *c, const char *key)
{
	const char	*ttl = arena_printf(c->a, "%d", cfg.report_cache_ttl);
	const char	*argv[5] = { "SET", key, buf_cstr(&c->rep.body), "EX",
			    ttl };
	size_t		 lens[5] = { 3, strlen(key), c->rep.body.len, 2,
			    strlen(ttl) };

	(void)cache_cmd(c->w->cache, c->a, 5, argv, lens);
}

/* GET /api/v1/reports/{name} */
void
h_report_get(struct ctx *c)
{
	struct loaded	 l;
	struct rerr	 why;
	struct run	 r;
	struct rlayout	 lay;
	enum crm_err	 e;
	PGresult	*res;
	json_t		*out, *fl, *params, *cols, *rows, *row, *sums, *dr;
	json_t		*base = NULL, *chart, *vals;
	const struct report *rp;
	const char	*gen, *key = NULL;
	redisReply	*cr;
	int		 dhas[RPF__MAX], drill, i, fi, n;
	size_t		 k;

	if (load(c, c->args[0], &l, &e, &why) == -1) {
		reply_load_err(c, e, &why);
		return;
	}
	rp = &l.rp;
	if (params_or_reply(c, rp, &r, 0) == -1)
		return;
	/* The generation is read before the query (report.c). */
	if ((gen = report_cache_gen(c->w->cache, c->a)) != NULL) {
		key = arena_printf(c->a, "rpt:%s:%lld:%s:%s:%016llx:%016llx",
		    gen, c->user->id, i18n_name(c->lang), rp->name,
		    (unsigned long long)l.hash, (unsigned long long)fnv(
		    c->req.query_raw ? c->req.query_raw : ""));
		if ((cr = cache_cmdv(c->w->cache, c->a, 2,
		    (const char *[]){ "GET", key })) != NULL &&
		    cr->type == REDIS_REPLY_STRING) {
			c->rep.status = 200;
			c->rep.ctype = "application/json; charset=utf-8";
			c->rep.body.len = 0;
			buf_write(&c->rep.body, cr->str, cr->len);
			reply_header(c, "X-Report-Cache: hit");
			return;
		}
	}
	if ((res = execute_or_reply(c, &l, &r)) == NULL)
		return;
	report_layout(rp, &lay);
	fl = json_array();
	params = json_object();
	for (k = 0; k < rp->nfilters; k++) {
		fi = rp->forder[k];
		json_array_append_new(fl, report_filter_json(fi,
		    report_default(c->a, rp->defaults[fi], c->user->id)));
		json_object_set_new(params, report_filter_name(fi),
		    r.eff[fi] ? json_string(r.eff[fi]) : json_null());
	}
	cols = json_array();
	for (k = 0; k < rp->ncols; k++)
		json_array_append_new(cols, json_pack("{s:s, s:s, s:s}", "key",
		    rp->cols[k].key, "label", rp->cols[k].label[c->lang],
		    "type", report_type_name(rp->cols[k].type)));
	drill = rp->stat && drill_filters(c, rp, dhas);
	if (drill) {
		base = json_object();
		for (fi = 0; fi < RPF__MAX; fi++)
			if (dhas[fi] && r.eff[fi] != NULL)
				json_object_set_new(base,
				    report_filter_name(fi),
				    json_string(r.eff[fi]));
		if (rp->mine && dhas[RPF_STAFF])
			json_object_set_new(base, "staff", json_string(
			    arena_printf(c->a, "%lld", c->user->id)));
	}
	rows = json_array();
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		if (db_get(res, i, lay.rn) == NULL)
			continue;	/* the page is past the end */
		row = json_object();
		for (k = 0; k < rp->ncols; k++)
			json_object_set_new(row, rp->cols[k].key, cell(res, i,
			    lay.disp[k], rp->cols[k].type));
		if (lay.link >= 0 && db_get(res, i, lay.link) != NULL)
			json_object_set_new(row, "_link", json_pack("{s:s, s:I}",
			    "type", lay.link_type, "id", (json_int_t)
			    db_getll(res, i, lay.link)));
		if (drill) {
			dr = json_deep_copy(base);
			for (k = 0; k < rp->ncols; k++) {
				const struct rcol *col = &rp->cols[k];
				int f = report_col_filter(col);
				const char *v;

				if (f < 0 || !dhas[f])
					continue;
				v = lay.raw[k] >= 0 ? db_get(res, i,
				    lay.raw[k]) : db_get(res, i, lay.disp[k]);
				json_object_set_new(dr, report_filter_name(f),
				    json_string(v ? v : "-"));
			}
			json_object_set_new(row, "_drill", dr);
		}
		json_array_append_new(rows, row);
	}
	json_decref(base);
	sums = json_object();
	for (k = 0; k < rp->ncols; k++)
		if (lay.sum[k] >= 0 && n > 0)
			json_object_set_new(sums, rp->cols[k].key, cell(res, 0,
			    lay.sum[k], rp->cols[k].type == RT_TEXT ? RT_INT :
			    rp->cols[k].type));
	vals = json_array();
	for (k = 0; k < rp->nvalues; k++)
		json_array_append_new(vals, json_string(rp->values[k]));
	chart = json_pack("{s:s, s:s?, s:o, s:s}", "type", rp->chart,
	    "category", rp->category, "values", vals, "orient", rp->orient);
	if (rp->series != NULL)
		json_object_set_new(chart, "series", json_string(rp->series));
	out = json_pack("{s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:o, s:I, "
	    "s:i, s:i, s:o, s:o, s:o, s:b}",
	    "name", rp->name, "title", rp->title[c->lang],
	    "kind", rp->stat ? "stat" : "query", "custom", l.custom,
	    "mine", rp->mine, "filters", fl, "params", params,
	    "columns", cols, "rows", rows,
	    "total", (json_int_t)(n > 0 ? db_getll(res, 0, 0) : 0),
	    "page", (int)r.page, "size", (int)r.size, "chart", chart,
	    "drill", rp->stat ? drill_json(c, rp, &r) : json_null(),
	    "sums", sums, "exportable", !is_sales(c));
	reply_json(c, 200, out);
	if (key != NULL && c->rep.status == 200 && c->rep.body.len < 512 * 1024)
		cache_put(c, key);
}

/* GET /api/v1/reports/{name}/export: every row as .xlsx (not salespeople). */
void
h_report_export(struct ctx *c)
{
	struct loaded	 l;
	struct rerr	 why;
	struct run	 r;
	struct rlayout	 lay;
	enum crm_err	 e;
	PGresult	*res;
	const char	**head, **cells;
	json_t		*detail;
	size_t		 k, nrows = 0;
	int		 i, n, fi;

	if (is_sales(c)) {
		reply_errmsg(c, ERR_FORBIDDEN, NULL, ctx_text(c,
		    "业务人员不能导出报表。", "Salespeople cannot export "
		    "reports."));
		return;
	}
	if (load(c, c->args[0], &l, &e, &why) == -1) {
		reply_load_err(c, e, &why);
		return;
	}
	if (params_or_reply(c, &l.rp, &r, 1) == -1)
		return;
	if ((res = execute_or_reply(c, &l, &r)) == NULL)
		return;
	report_layout(&l.rp, &lay);
	n = PQntuples(res);
	head = arena_calloc(c->a, l.rp.ncols, sizeof(*head));
	cells = arena_calloc(c->a, (size_t)n * l.rp.ncols + 1, sizeof(*cells));
	if (head == NULL || cells == NULL) {
		reply_err(c, ERR_TOO_LARGE, NULL);
		return;
	}
	for (k = 0; k < l.rp.ncols; k++)
		head[k] = l.rp.cols[k].label[c->lang];
	for (i = 0; i < n; i++) {
		if (db_get(res, i, lay.rn) == NULL)
			continue;
		for (k = 0; k < l.rp.ncols; k++)
			cells[nrows * l.rp.ncols + k] = db_get(res, i,
			    lay.disp[k]);
		nrows++;
	}
	if (xlsx_write(&c->rep.body, "report", l.rp.ncols, head, nrows,
	    cells) == -1) {
		c->rep.body.len = 0;
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	detail = json_object();
	for (fi = 0; fi < RPF__MAX; fi++)
		if (r.eff[fi] != NULL)
			json_object_set_new(detail, report_filter_name(fi),
			    json_string(r.eff[fi]));
	audit(c, "report_export", "report", l.rp.name, json_pack("{s:o, s:I}",
	    "params", detail, "rows", (json_int_t)nrows));
	c->rep.status = 200;
	c->rep.ctype = "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet";
	reply_header(c, "Content-Disposition: attachment; "
	    "filename=\"%s.xlsx\"", l.rp.name);
	reply_header(c, "X-Export-Rows: %zu", nrows);
	/* More rows than one export holds: say how many there were. */
	if (n > 0 && db_getll(res, 0, 0) > (long long)nrows)
		reply_header(c, "X-Export-Total: %lld", db_getll(res, 0, 0));
}

/* GET /api/v1/reports: what this reader may open. */
void
h_reports_list(struct ctx *c)
{
	struct loaded	 l;
	struct rerr	 why;
	enum crm_err	 e;
	json_t		*names, *n, *out;
	PGresult	*res;
	size_t		 i;
	int		 j;

	out = json_array();
	names = report_builtin_names(cfg.rules_dir);
	json_array_foreach(names, i, n) {
		if (load(c, json_string_value(n), &l, &e, &why) == -1) {
			if (e == ERR_REPORT_INVALID)
				log_warn("%s", why.en);
			continue;
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:b, s:b, s:b}", "name", l.rp.name, "title",
		    l.rp.title[c->lang], "kind", l.rp.stat ? "stat" : "query",
		    "chart", l.rp.chart, "mine", l.rp.mine, "custom", 0,
		    "editable", 0));
	}
	json_decref(names);
	res = db_exec(c->w->db, c->a, ST_REPORT_LIST, DB_ARGS(
	    arena_printf(c->a, "%lld", c->user->id), c->user->role), &e);
	if (res == NULL) {
		json_decref(out);
		reply_err(c, e, NULL);
		return;
	}
	for (j = 0; j < PQntuples(res); j++) {
		json_t *def = json_loads(db_get(res, j, 1), 0, NULL);

		if (def == NULL)
			continue;
		arena_cleanup_add(c->a, decref, def);
		if (report_parse(c->a, db_get(res, j, 0), def, &l.rp, &why) ==
		    -1 || !report_role_ok(&l.rp, c->user->role))
			continue;
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:b, s:b, s:b}", "name", l.rp.name, "title",
		    l.rp.title[c->lang], "kind", l.rp.stat ? "stat" : "query",
		    "chart", l.rp.chart, "mine", l.rp.mine, "custom", 1,
		    "editable", strcmp(db_get(res, j, 3), "t") == 0));
	}
	reply_json(c, 200, json_pack("{s:o}", "reports", out));
}

/* GET /api/v1/reports/{name}/definition */
void
h_report_definition(struct ctx *c)
{
	struct loaded	 l;
	struct rerr	 why;
	enum crm_err	 e;
	json_t		*d;

	if (load(c, c->args[0], &l, &e, &why) == -1 && e != ERR_REPORT_INVALID) {
		reply_err(c, e, NULL);
		return;
	}
	/* A broken definition can still be read, to be mended. */
	if (l.def == NULL) {
		reply_err(c, ERR_NOT_FOUND, NULL);
		return;
	}
	d = json_deep_copy(l.def);
	json_object_set_new(d, "name", json_string(c->args[0]));
	reply_json(c, 200, json_pack("{s:o, s:b, s:b}", "definition", d,
	    "custom", l.custom, "editable", l.editable));
}

/* GET /api/v1/reports/sources: what the report builder offers. */
void
h_report_sources(struct ctx *c)
{
	reply_json(c, 200, json_pack("{s:o}", "sources",
	    report_sources_json(c->lang)));
}

/* Admins and managers write reports; answered when refused. */
static int
may_write_or_reply(struct ctx *c)
{
	if (strcmp(c->user->role, "admin") == 0 ||
	    strcmp(c->user->role, "manager") == 0)
		return 1;
	reply_errmsg(c, ERR_FORBIDDEN, NULL, ctx_text(c,
	    "只有管理员和销售经理可以定义报表。",
	    "Only admins and sales managers define reports."));
	return 0;
}

/* The definition member of the body, checked for report name. */
static json_t *
body_def_or_reply(struct ctx *c, const char *name)
{
	struct report	 rp;
	struct rerr	 why;
	json_t		*def;
	const char	*k;
	json_t		*v;
	size_t		 i;

	json_object_foreach(c->body, k, v)
		if (strcmp(k, "definition") != 0) {
			reply_err(c, ERR_UNKNOWN_FIELD, k);
			return NULL;
		}
	def = json_object_get(c->body, "definition");
	if (!json_is_object(def)) {
		reply_err(c, def ? ERR_BAD_FIELD : ERR_MISSING_FIELD,
		    "definition");
		return NULL;
	}
	def = json_deep_copy(def);
	arena_cleanup_add(c->a, decref, def);
	json_object_set_new(def, "name", json_string(name));
	if (report_parse(c->a, name, def, &rp, &why) == -1) {
		reply_errmsg(c, ERR_REPORT_INVALID, why.field, c->lang ==
		    LANG_EN ? why.en : why.zh);
		return NULL;
	}
	/* The statement must build. */
	if (report_sql(c->a, &rp) == NULL) {
		reply_errmsg(c, ERR_REPORT_INVALID, "columns", ctx_text(c,
		    "报表过于复杂。", "The report is too complex."));
		return NULL;
	}
	/* Drill targets must be reports this writer can open. */
	for (i = 0; i <= rp.ncols; i++) {
		const char *t = i == rp.ncols ? rp.drill : rp.cols[i].drill;
		struct loaded tl;
		enum crm_err e;

		if (t == NULL || strcmp(t, name) == 0)
			continue;
		if (load(c, t, &tl, &e, &why) == -1) {
			reply_errmsg(c, ERR_REPORT_INVALID, "drill", CTX_PRINTF(c,
			    "报表 %s：drill 中有未知的报表 \"%s\"",
			    "report %s: unknown report \"%s\" in drill", name,
			    t));
			return NULL;
		}
	}
	return def;
}

/* POST /api/v1/reports {"definition": {...}} */
void
h_reports_new(struct ctx *c)
{
	json_t		*d, *def;
	const char	*name;
	unsigned char	 rnd[4];
	char		*txt;
	PGresult	*res;
	enum crm_err	 e;

	if (!may_write_or_reply(c))
		return;
	d = json_object_get(c->body, "definition");
	name = json_string_value(json_object_get(d, "name"));
	if (json_is_object(d) && json_object_get(d, "name") != NULL &&
	    (name == NULL || strncmp(name, "c_", 2) != 0 ||
	    !report_key_ok(name) || strlen(name) > 62)) {
		reply_errmsg(c, ERR_REPORT_INVALID, "name", CTX_PRINTF(c,
		    "报表名称应以 c_ 开头，只含小写字母、数字和 _%s。",
		    "A report name starts with c_ and has only lowercase "
		    "letters, digits and _%s.", ""));
		return;
	}
	if (name == NULL) {
		randombytes_buf(rnd, sizeof(rnd));
		name = arena_printf(c->a, "c_%02x%02x%02x%02x", rnd[0], rnd[1],
		    rnd[2], rnd[3]);
	}
	if ((def = body_def_or_reply(c, name)) == NULL)
		return;
	txt = json_dumps(def, JSON_COMPACT);
	res = db_exec(c->w->db, c->a, ST_REPORT_INSERT, DB_ARGS(name, txt,
	    arena_printf(c->a, "%lld", c->user->id)), &e);
	free(txt);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	if (PQntuples(res) != 1) {
		reply_errmsg(c, ERR_CONFLICT, "name", CTX_PRINTF(c,
		    "已有名为 %s 的报表。", "A report named %s exists.", name));
		return;
	}
	audit(c, "report_create", "report", name, NULL);
	reply_json(c, 201, json_pack("{s:s}", "name", name));
}

/* PUT /api/v1/reports/{name} {"definition": {...}} */
void
h_report_update(struct ctx *c)
{
	struct loaded	 l;
	struct rerr	 why;
	enum crm_err	 e;
	json_t		*def;
	char		*txt;
	PGresult	*res;
	const char	*name = c->args[0];

	if (!may_write_or_reply(c))
		return;
	if (load(c, name, &l, &e, &why) == -1 && e != ERR_REPORT_INVALID) {
		reply_err(c, e, NULL);
		return;
	}
	if (!l.custom) {
		reply_errmsg(c, ERR_FORBIDDEN, NULL, ctx_text(c,
		    "内置报表在 rules/reports 中修改；可以复制为新报表。",
		    "Built-in reports are changed in rules/reports; copy one "
		    "into a new report instead."));
		return;
	}
	if (!l.editable) {
		reply_err(c, ERR_FORBIDDEN, NULL);
		return;
	}
	if ((def = body_def_or_reply(c, name)) == NULL)
		return;
	txt = json_dumps(def, JSON_COMPACT);
	res = db_exec(c->w->db, c->a, ST_REPORT_UPDATE, DB_ARGS(name, txt,
	    arena_printf(c->a, "%lld", c->user->id)), &e);
	free(txt);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	audit(c, "report_update", "report", name, NULL);
	reply_json(c, 200, json_pack("{s:s}", "name", name));
}

/* GET /api/v1/portal: the dashboard of rules/portal.lua for my role. */
void
h_portal(struct ctx *c)
{
	struct loaded	 l;
	struct rerr	 why;
	enum crm_err	 e;
	json_t		*items, *it, *out;
	const char	*name;
	json_int_t	 span;
	size_t		 i;

	/* Owned by the request arena (rules_json). */
	items = rules_json(c, "portal", c->user->role, NULL);
	out = json_array();
	json_array_foreach(items, i, it) {
		name = json_string_value(json_object_get(it, "report"));
		span = json_integer_value(json_object_get(it, "span"));
		if (name == NULL || load(c, name, &l, &e, &why) == -1)
			continue;
		json_array_append_new(out, json_pack("{s:s, s:I}", "report",
		    name, "span", span == 12 ? (json_int_t)12 : 24));
	}
	reply_json(c, 200, json_pack("{s:o}", "items", out));
}
