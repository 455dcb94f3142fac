/*
 * h_export.c: exports as .xlsx (PLT-NODELETE, CUS-IMPORT).
 *
 * Managers, directors and admins export what they may see; salespeople
 * get 403 on every export.  Every export is written to the audit log with
 * what was exported, the filters and how many rows.  Cells are written by
 * xlsx_write, which neutralises text starting with = + - @ tab or CR so no
 * spreadsheet runs an imported "=HYPERLINK(...)" as a formula.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extern.h"

#define EXPORT_MAX	100000	/* rows in one export */

/* Salespeople never export (PLT-NODELETE); answered when refused. */
static int
may_export_or_reply(struct ctx *c)
{
	if (strcmp(c->user->role, "salesperson") != 0)
		return 1;
	reply_errmsg(c, ERR_FORBIDDEN, NULL, ctx_text(c,
	    "业务人员不能导出客户资料。",
	    "Salespeople cannot export customer data."));
	return 0;
}

/* code -> name in the reader's language, for the lists of rules/lists.lua. */
static void
add_labels(struct ctx *c, json_t *map, json_t *items)
{
	json_t	*it;
	size_t	 i;

	json_array_foreach(items, i, it) {
		const char *code = json_string_value(json_object_get(it, "code"));
		const char *name = json_string_value(json_object_get(it,
		    c->lang == LANG_EN ? "en" : "zh"));

		if (code != NULL && name != NULL)
			json_object_set_new(map, code, json_string(name));
		add_labels(c, map, json_object_get(it, "children"));
	}
}

static const char *
labelled(json_t *map, json_t *v)
{
	const char	*code = json_string_value(v);
	json_t		*l;

	if (code == NULL)
		return NULL;
	l = json_object_get(map, code);
	return l ? json_string_value(l) : code;
}

static const char *
text_of(struct ctx *c, json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(c->a, "%lld", (long long)json_integer_value(v));
	return NULL;
}

/* "2026-11-27T10:00:00.123+08:00" -> "2026-11-27 10:00". */
static const char *
when(struct ctx *c, json_t *v)
{
	const char	*s = json_string_value(v);

	if (s == NULL || strlen(s) < 16)
		return s;
	return arena_printf(c->a, "%.10s %.5s", s, s + 11);
}

/*
 * GET /api/v1/exports/customers?view=&type=&q=&sort=: the customer list
 * with the filters of the list page, every matching row, as .xlsx.
 */
void
h_export_customers(struct ctx *c)
{
	static const char *const views[] = { "mine", "shared_by_me",
	    "shared_with_me", "pool", "all" };
	static const char *const sorts[] = { "name", "-name", "number",
	    "-number", "last_visit", "-last_visit", "visit_count",
	    "-visit_count" };
	const char	*view = http_kv_get(&c->req.query, "view");
	const char	*type = http_kv_get(&c->req.query, "type");
	const char	*q = http_kv_get(&c->req.query, "q");
	const char	*sort = http_kv_get(&c->req.query, "sort");
	const char	*head[12], **cells;
	json_t		*items, *row, *map, *lists;
	json_error_t	 je;
	PGresult	*res;
	enum crm_err	 e;
	size_t		 i, n, ok;
	static const char *const lnames[] = { "regions", "statuses", "stages",
	    "customer_types" };

	if (!may_export_or_reply(c))
		return;
	if (view == NULL || *view == '\0')
		view = "all";
	for (i = ok = 0; i < sizeof(views) / sizeof(views[0]); i++)
		ok |= strcmp(view, views[i]) == 0;
	if (!ok) {
		reply_err(c, ERR_BAD_FIELD, "view");
		return;
	}
	if (sort != NULL && *sort == '\0')
		sort = NULL;
	for (i = ok = 0; sort != NULL && i < sizeof(sorts) / sizeof(sorts[0]);
	    i++)
		ok |= strcmp(sort, sorts[i]) == 0;
	if (sort != NULL && !ok) {
		reply_err(c, ERR_BAD_FIELD, "sort");
		return;
	}
	if (q != NULL && (*q == '\0' || strlen(q) > 100 ||
	    !http_utf8_valid(q, strlen(q))))
		q = NULL;
	if (type != NULL && *type == '\0')
		type = NULL;
	/* The list's own statement: the same filters and visibility. */
	res = db_exec(c->w->db, c->a, cust_list_stmt(view, c->user->role, q),
	    DB_ARGS(arena_printf(c->a, "%lld", c->user->id), type, q,
	    sort ? sort : "", arena_printf(c->a, "%d", EXPORT_MAX), "0", "1"),
	    &e);
	if (res == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	if ((items = json_loads(db_get(res, 0, 0), 0, &je)) == NULL) {
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, items);
	map = json_object();
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, map);
	for (i = 0; i < sizeof(lnames) / sizeof(lnames[0]); i++)
		if ((lists = rules_json(c, "lists", lnames[i], NULL)) != NULL)
			add_labels(c, map, lists);
	head[0] = ctx_text(c, "客户编号", "Number");
	head[1] = ctx_text(c, "客户名称", "Customer name");
	head[2] = ctx_text(c, "客户类型", "Customer type");
	head[3] = ctx_text(c, "客户状态", "Status");
	head[4] = ctx_text(c, "区域", "Region");
	head[5] = ctx_text(c, "销售阶段", "Sales stage");
	head[6] = ctx_text(c, "联系人", "Contact");
	head[7] = ctx_text(c, "联系电话", "Phone");
	head[8] = ctx_text(c, "负责人", "Owner");
	head[9] = ctx_text(c, "拜访次数", "Visits");
	head[10] = ctx_text(c, "最近拜访", "Last visit");
	head[11] = ctx_text(c, "创建时间", "Created");
	n = json_array_size(items);
	if ((cells = arena_calloc(c->a, n ? n * 12 : 1, sizeof(*cells))) ==
	    NULL) {
		reply_err(c, ERR_TOO_LARGE, NULL);
		return;
	}
	json_array_foreach(items, i, row) {
		const char **r = cells + i * 12;

		r[0] = text_of(c, json_object_get(row, "number"));
		r[1] = text_of(c, json_object_get(row, "name"));
		r[2] = labelled(map, json_object_get(row, "type"));
		r[3] = labelled(map, json_object_get(row, "status"));
		r[4] = labelled(map, json_object_get(row, "region"));
		r[5] = labelled(map, json_object_get(row, "stage"));
		r[6] = text_of(c, json_object_get(row, "contact"));
		r[7] = text_of(c, json_object_get(row, "phone"));
		r[8] = text_of(c, json_object_get(row, "owner"));
		r[9] = text_of(c, json_object_get(row, "visit_count"));
		r[10] = when(c, json_object_get(row, "last_visit_at"));
		r[11] = when(c, json_object_get(row, "created_at"));
	}
	if (xlsx_write(&c->rep.body, ctx_text(c, "客户", "Customers"), 12, head,
	    n, cells) == -1) {
		c->rep.body.len = 0;
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	audit(c, "export", "customers", NULL, json_pack("{s:s, s:s?, s:s?, "
	    "s:s?, s:I}", "view", view, "type", type, "q", q, "sort", sort,
	    "rows", (json_int_t)n));
	c->rep.status = 200;
	c->rep.ctype = "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet";
	reply_header(c, "Content-Disposition: attachment; "
	    "filename=\"customers.xlsx\"");
	reply_header(c, "X-Export-Rows: %zu", n);
}
