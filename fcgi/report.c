/*
 * report.c: the report compiler (RPT-*).  A report definition (a table of
 * rules/reports/NAME.lua, or the JSON of a user-defined report) names a
 * source, columns, measures, filters with defaults, a month pivot, a chart
 * and a drill-through target.  report_parse checks it against the closed
 * tables below and report_sql turns it into ONE parameterised SQL
 * statement made only of the fragments of those tables: no text of a
 * definition ever reaches the SQL (keys are checked to be [a-z][a-z0-9_]*
 * before they are used as quoted column aliases), and every value a reader
 * gives is a $n parameter.  The reader's row visibility is part of every
 * statement.  report_check is what `crmctl rules check` runs over
 * rules/reports and rules/portal.lua.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>
#include <jansson.h>

#include "extern.h"

/* ------------------------------------------------------ the whitelist */

/* How a raw value is shown: looked up in a list, or as it is. */
enum rref {
	REF_NONE,
	REF_STAFF,	/* staff id -> name */
	REF_CUSTOMER,	/* customer id -> name */
	REF_DEPT,	/* department id -> name */
	REF_REGION,
	REF_STAGE,
	REF_STATUS,
	REF_SOURCE,
	REF_TYPE,	/* customer type code -> name */
	REF__MAX
};

#define F_GROUP	0x01	/* may be a row (group) column of a statistic */
#define F_SUM	0x02	/* may be summed */
#define F_MAX	0x04	/* may take max / min */

struct rfield {
	const char	*key;
	const char	*zh;
	const char	*en;
	const char	*expr;		/* SQL over the source's aliases */
	enum rtype	 type;
	enum rref	 ref;
	int		 filter;	/* the filter a row value drills with, -1 */
	unsigned	 flags;
};

/* Fields of the customer every customer-based source joins as c. */
static const struct rfield cust_fields[] = {
	{ "name", "客户名称", "Customer", "c.name", RT_TEXT, REF_NONE, -1,
	  F_GROUP },
	{ "customer", "客户", "Customer", "c.id", RT_TEXT, REF_CUSTOMER,
	  RPF_CUSTOMER, F_GROUP },
	{ "number", "客户编号", "Number", "c.number", RT_TEXT, REF_NONE, -1,
	  F_GROUP },
	{ "address", "地址", "Address", "c.address", RT_TEXT, REF_NONE, -1, 0 },
	{ "door", "楼栋门牌", "Building / door", "c.extra->>'door'", RT_TEXT,
	  REF_NONE, -1, 0 },
	{ "contact", "联系人", "Contact", "c.contact", RT_TEXT, REF_NONE, -1,
	  0 },
	{ "phone", "联系电话", "Phone", "c.phone", RT_TEXT, REF_NONE, -1, 0 },
	{ "region", "区域", "Region", "c.region", RT_TEXT, REF_REGION,
	  RPF_REGION, F_GROUP },
	{ "type", "客户类型", "Type", "c.type_code", RT_TEXT, REF_TYPE,
	  RPF_TYPE, F_GROUP },
	{ "source", "客户来源", "Source", "c.source", RT_TEXT, REF_SOURCE,
	  RPF_SOURCE, F_GROUP },
	{ "stage", "销售阶段", "Sales stage", "c.stage", RT_TEXT, REF_STAGE,
	  RPF_STAGE, F_GROUP },
	{ "status", "客户状态", "Status", "c.status", RT_TEXT, REF_STATUS,
	  RPF_STATUS, F_GROUP },
	{ "owner", "负责人", "Owner", "c.owner_id", RT_TEXT, REF_STAFF, -1,
	  F_GROUP },
	{ "visit_count", "拜访次数", "Visits", "c.visit_count", RT_INT,
	  REF_NONE, -1, F_SUM | F_MAX },
	{ "last_visit", "最近拜访", "Last visit", "c.last_visit_at",
	  RT_DATETIME, REF_NONE, -1, F_MAX },
	{ "deal_total", "成交总额", "Deal total", "c.deal_total", RT_MONEY,
	  REF_NONE, -1, F_SUM | F_MAX },
	{ "paid_total", "回款总额", "Payments total", "c.paid_total",
	  RT_MONEY, REF_NONE, -1, F_SUM | F_MAX },
	{ "created", "建档日期", "Created", "c.created_at::date", RT_DATE,
	  REF_NONE, -1, F_GROUP | F_MAX },
	{ NULL, NULL, NULL, NULL, RT_TEXT, REF_NONE, -1, 0 }
};

#define STAFF_DEPT(s) "(select st.department_id from staff st where st.id = " \
	s ")"

static const struct rfield f_customers[] = {
	{ "owner", "负责人", "Owner", "c.owner_id", RT_TEXT, REF_STAFF,
	  RPF_STAFF, F_GROUP },
	{ "department", "部门", "Department", STAFF_DEPT("c.owner_id"),
	  RT_TEXT, REF_DEPT, RPF_DEPARTMENT, F_GROUP },
	{ NULL, NULL, NULL, NULL, RT_TEXT, REF_NONE, -1, 0 }
};
static const struct rfield f_new[] = {
	{ "created", "新增日期", "Created", "x.applied_at::date", RT_DATE,
	  REF_NONE, -1, F_GROUP | F_MAX },
	{ "staff", "业务员", "Salesperson", "x.applicant_id", RT_TEXT,
	  REF_STAFF, RPF_STAFF, F_GROUP },
	{ "department", "部门", "Department", STAFF_DEPT("x.applicant_id"),
	  RT_TEXT, REF_DEPT, RPF_DEPARTMENT, F_GROUP },
	{ NULL, NULL, NULL, NULL, RT_TEXT, REF_NONE, -1, 0 }
};
static const struct rfield f_claims[] = {
	{ "claim_date", "申领日期", "Claimed", "x.at::date", RT_DATE,
	  REF_NONE, -1, F_GROUP | F_MAX },
	{ "staff", "申领人", "Claimed by", "x.staff_id", RT_TEXT, REF_STAFF,
	  RPF_STAFF, F_GROUP },
	{ "department", "部门", "Department", STAFF_DEPT("x.staff_id"),
	  RT_TEXT, REF_DEPT, RPF_DEPARTMENT, F_GROUP },
	{ NULL, NULL, NULL, NULL, RT_TEXT, REF_NONE, -1, 0 }
};
static const struct rfield f_visits[] = {
	{ "visit_time", "拜访时间", "Visit time", "x.captured_at",
	  RT_DATETIME, REF_NONE, -1, F_MAX },
	{ "visit_date", "拜访日期", "Visit date", "x.captured_at::date",
	  RT_DATE, REF_NONE, -1, F_GROUP | F_MAX },
	{ "staff", "拜访人", "Visitor", "x.staff_id", RT_TEXT, REF_STAFF,
	  RPF_STAFF, F_GROUP },
	{ "department", "部门", "Department", STAFF_DEPT("x.staff_id"),
	  RT_TEXT, REF_DEPT, RPF_DEPARTMENT, F_GROUP },
	{ "place", "拜访地点", "Place", "x.place", RT_TEXT, REF_NONE, -1, 0 },
	{ "met", "拜访对象", "Person met", "x.met", RT_TEXT, REF_NONE, -1, 0 },
	{ "notes", "拜访记录", "Notes", "x.notes", RT_TEXT, REF_NONE, -1, 0 },
	{ "visit_stage", "拜访时阶段", "Stage at the visit", "x.stage",
	  RT_TEXT, REF_STAGE, -1, F_GROUP },
	{ NULL, NULL, NULL, NULL, RT_TEXT, REF_NONE, -1, 0 }
};
static const struct rfield f_deals[] = {
	{ "deal_date", "成交日期", "Deal date", "x.deal_date", RT_DATE,
	  REF_NONE, -1, F_GROUP | F_MAX },
	{ "amount", "成交金额", "Amount", "x.amount", RT_MONEY, REF_NONE, -1,
	  F_SUM | F_MAX },
	{ "staff", "业务员", "Salesperson", "x.staff_id", RT_TEXT, REF_STAFF,
	  RPF_STAFF, F_GROUP },
	{ "department", "部门", "Department", STAFF_DEPT("x.staff_id"),
	  RT_TEXT, REF_DEPT, RPF_DEPARTMENT, F_GROUP },
	{ "notes", "备注", "Notes", "x.notes", RT_TEXT, REF_NONE, -1, 0 },
	{ NULL, NULL, NULL, NULL, RT_TEXT, REF_NONE, -1, 0 }
};
static const struct rfield f_payments[] = {
	{ "pay_date", "回款日期", "Payment date", "x.pay_date", RT_DATE,
	  REF_NONE, -1, F_GROUP | F_MAX },
	{ "amount", "回款金额", "Amount", "x.amount", RT_MONEY, REF_NONE, -1,
	  F_SUM | F_MAX },
	{ "staff", "业务员", "Salesperson", "x.staff_id", RT_TEXT, REF_STAFF,
	  RPF_STAFF, F_GROUP },
	{ "department", "部门", "Department", STAFF_DEPT("x.staff_id"),
	  RT_TEXT, REF_DEPT, RPF_DEPARTMENT, F_GROUP },
	{ "notes", "备注", "Notes", "x.notes", RT_TEXT, REF_NONE, -1, 0 },
	{ NULL, NULL, NULL, NULL, RT_TEXT, REF_NONE, -1, 0 }
};
static const struct rfield f_transfers[] = {
	{ "transfer_date", "转交日期", "Transfer date", "x.at::date", RT_DATE,
	  REF_NONE, -1, F_GROUP | F_MAX },
	{ "from_owner", "转出人", "From", "x.before", RT_TEXT, REF_NONE, -1,
	  F_GROUP },
	{ "to_owner", "接收人", "To", "x.after", RT_TEXT, REF_NONE, -1,
	  F_GROUP },
	{ "reason", "转交原因", "Reason", "dd.data->>'reason'", RT_TEXT,
	  REF_NONE, -1, F_GROUP },
	{ "staff", "申请人", "Applicant", "dd.applicant_id", RT_TEXT,
	  REF_STAFF, RPF_STAFF, F_GROUP },
	{ "department", "部门", "Department", STAFF_DEPT("dd.applicant_id"),
	  RT_TEXT, REF_DEPT, RPF_DEPARTMENT, F_GROUP },
	{ NULL, NULL, NULL, NULL, RT_TEXT, REF_NONE, -1, 0 }
};
static const struct rfield f_daily[] = {
	{ "day", "日期", "Date", "x.day", RT_DATE, REF_NONE, -1,
	  F_GROUP | F_MAX },
	{ "staff", "业务员", "Salesperson", "x.staff_id", RT_TEXT, REF_STAFF,
	  RPF_STAFF, F_GROUP },
	{ "department", "部门", "Department", STAFF_DEPT("x.staff_id"),
	  RT_TEXT, REF_DEPT, RPF_DEPARTMENT, F_GROUP },
	{ "summary", "今日总结", "Summary", "x.summary", RT_TEXT, REF_NONE,
	  -1, 0 },
	{ "plan", "明日计划", "Plan", "x.plan", RT_TEXT, REF_NONE, -1, 0 },
	{ NULL, NULL, NULL, NULL, RT_TEXT, REF_NONE, -1, 0 }
};
static const struct rfield f_changes[] = {
	{ "change_date", "变更日期", "Date", "x.applied_at::date", RT_DATE,
	  REF_NONE, -1, F_GROUP | F_MAX },
	{ "staff", "申请人", "Applicant", "x.applicant_id", RT_TEXT,
	  REF_STAFF, RPF_STAFF, F_GROUP },
	{ "department", "部门", "Department", STAFF_DEPT("x.applicant_id"),
	  RT_TEXT, REF_DEPT, RPF_DEPARTMENT, F_GROUP },
	{ "description", "变更说明", "Description", "x.data->>'reason'",
	  RT_TEXT, REF_NONE, -1, 0 },
	{ NULL, NULL, NULL, NULL, RT_TEXT, REF_NONE, -1, 0 }
};
static const struct rfield f_activity[] = {
	{ "staff", "业务员", "Salesperson", "x.staff_id", RT_TEXT, REF_STAFF,
	  RPF_STAFF, F_GROUP },
	{ "department", "部门", "Department", STAFF_DEPT("x.staff_id"),
	  RT_TEXT, REF_DEPT, RPF_DEPARTMENT, F_GROUP },
	{ "day", "日期", "Date", "x.day", RT_DATE, REF_NONE, -1,
	  F_GROUP | F_MAX },
	{ "new_customers", "新增客户", "New customers", "x.new_customers",
	  RT_INT, REF_NONE, -1, F_SUM | F_MAX },
	{ "claims", "申领客户", "Claims", "x.claims", RT_INT, REF_NONE, -1,
	  F_SUM | F_MAX },
	{ "visits", "拜访次数", "Visits", "x.visits", RT_INT, REF_NONE, -1,
	  F_SUM | F_MAX },
	{ "deals", "成交笔数", "Deals", "x.deals", RT_INT, REF_NONE, -1,
	  F_SUM | F_MAX },
	{ "deal_amount", "成交金额", "Deal amount", "x.deal_amount", RT_MONEY,
	  REF_NONE, -1, F_SUM | F_MAX },
	{ "payments", "回款笔数", "Payments", "x.payments", RT_INT, REF_NONE,
	  -1, F_SUM | F_MAX },
	{ "payment_amount", "回款金额", "Payment amount", "x.payment_amount",
	  RT_MONEY, REF_NONE, -1, F_SUM | F_MAX },
	{ NULL, NULL, NULL, NULL, RT_TEXT, REF_NONE, -1, 0 }
};

/*
 * A source: the rows a report reads.  vis says how the reader's row
 * visibility applies: by the customer (the archive's rule) or by the
 * person the record belongs to.
 */
enum rvis { VIS_CUSTOMER, VIS_STAFF };

struct rsource {
	const char		*name;
	const char		*zh;
	const char		*en;
	const char		*from;	/* FROM clause with aliases */
	const char		*where;	/* fixed condition, or NULL */
	const char		*date;	/* the period column */
	int			 date_ts; /* date is a timestamptz */
	const char		*staff;	/* whose record it is */
	enum rvis		 vis;
	int			 customer; /* joins customers as c */
	const char		*link_type; /* "customer", "document", NULL */
	const char		*link;	/* its id */
	const struct rfield	*fields;
};

static const struct rsource sources[] = {
	{ "customers", "客户档案", "Customers", "customers c", NULL,
	  "c.created_at", 1, "c.owner_id", VIS_CUSTOMER, 1, "customer",
	  "c.id", f_customers },
	{ "new_customers", "新增客户", "New customers",
	  "documents x join customers c on c.id = x.customer_id",
	  "x.kind = 'customer_new' and x.status = 'approved'",
	  "x.applied_at", 1, "x.applicant_id", VIS_STAFF, 1, "customer",
	  "c.id", f_new },
	{ "claims", "客户申领", "Claims",
	  "pool_log x join customers c on c.id = x.customer_id",
	  "x.event = 'claimed'", "x.at", 1, "x.staff_id", VIS_STAFF, 1,
	  "customer", "c.id", f_claims },
	{ "visits", "客户拜访", "Visits",
	  "visits x join customers c on c.id = x.customer_id", NULL,
	  "x.captured_at", 1, "x.staff_id", VIS_STAFF, 1, "document",
	  "x.document_id", f_visits },
	{ "deals", "客户成交", "Deals",
	  "deals x join customers c on c.id = x.customer_id", NULL,
	  "x.deal_date", 0, "x.staff_id", VIS_STAFF, 1, "document",
	  "x.document_id", f_deals },
	{ "payments", "客户回款", "Payments",
	  "payments x join customers c on c.id = x.customer_id", NULL,
	  "x.pay_date", 0, "x.staff_id", VIS_STAFF, 1, "document",
	  "x.document_id", f_payments },
	{ "transfers", "客户转交", "Transfers",
	  "change_log x join documents dd on dd.id = x.document_id "
	  "join customers c on c.id = x.customer_id",
	  "x.field = 'owner' and dd.kind = 'transfer'", "x.at", 1,
	  "dd.applicant_id", VIS_STAFF, 1, "document", "dd.id", f_transfers },
	{ "daily_reports", "销售日报", "Daily reports", "daily_reports x",
	  NULL, "x.day", 0, "x.staff_id", VIS_STAFF, 0, "document",
	  "x.document_id", f_daily },
	{ "changes", "信息变更", "Information changes",
	  "documents x join customers c on c.id = x.customer_id",
	  "x.kind = 'customer_change' and x.status = 'approved'",
	  "x.applied_at", 1, "x.applicant_id", VIS_STAFF, 1, "document",
	  "x.id", f_changes },
	{ "activity", "每日业务数据", "Daily activity figures",
	  "activity_daily x", NULL, "x.day", 0, "x.staff_id", VIS_STAFF, 0,
	  NULL, NULL, f_activity },
};
#define NSOURCES (sizeof(sources) / sizeof(sources[0]))

/* The filters, in the order of their $n parameters (RPF_FROM is $7). */
static const struct {
	const char	*name;
	const char	*type;	/* for the page: date, list, ... */
	const char	*list;	/* for type list */
	int		 need;	/* 1 date, 2 customer, 3 staff */
} filters[RPF__MAX] = {
	[RPF_FROM] = { "from", "date", NULL, 1 },
	[RPF_TO] = { "to", "date", NULL, 1 },
	[RPF_REGION] = { "region", "list", "regions", 2 },
	[RPF_TYPE] = { "type", "type_tree", NULL, 2 },
	[RPF_DEPARTMENT] = { "department", "department", NULL, 3 },
	[RPF_STAFF] = { "staff", "staff", NULL, 3 },
	[RPF_STATUS] = { "status", "list", "statuses", 2 },
	[RPF_STAGE] = { "stage", "list", "stages", 2 },
	[RPF_SOURCE] = { "source", "list", "sources", 2 },
	[RPF_CUSTOMER] = { "customer", "customer", NULL, 2 },
	[RPF_Q] = { "q", "text", NULL, 2 },
};

static const char *const measures[RM__MAX] = {
	[RM_NONE] = "", [RM_COUNT] = "count", [RM_SUM] = "sum",
	[RM_MAX] = "max", [RM_MIN] = "min", [RM_SHARE] = "share",
};
static const char *const rtypes[RT__MAX] = {
	[RT_TEXT] = "text", [RT_DATE] = "date", [RT_DATETIME] = "datetime",
	[RT_INT] = "int", [RT_MONEY] = "money",
};
static const char *const roles[] = {
	"salesperson", "manager", "director", "admin",
};
static const char *const defaults[] = {
	"today", "month_start", "month_end", "year_start", "year_end", "me",
};

/*
 * Month roll-ups (sql/0010_report_rollups.sql): per source, the table and
 * what each field is there.  A statistic whose columns all appear here
 * (with a measure the roll-up keeps) has a second statement over the
 * roll-up; report_rollup_ok picks it at run time when the period is whole
 * months and no filter needs the records.
 */
struct rrollf {
	const char	*key;
	const char	*expr;	/* the group value, or what is summed / max'd */
	int		 measure;	/* RM_NONE, RM_SUM or RM_MAX */
};
struct rroll {
	const char		*source;
	const char		*from;
	int			 count;	/* has n: count(*) = sum(x.n) */
	const struct rrollf	*fields;
};
static const struct rrollf rf_region[] = {
	{ "staff", "x.staff_id", RM_NONE },
	{ "department", STAFF_DEPT("x.staff_id"), RM_NONE },
	{ "region", "x.region", RM_NONE },
	{ "visit_date", "x.last_day", RM_MAX },
	{ "amount", "x.amount", RM_SUM },
	{ NULL, NULL, 0 }
};
static const struct rrollf rf_activity[] = {
	{ "staff", "x.staff_id", RM_NONE },
	{ "department", STAFF_DEPT("x.staff_id"), RM_NONE },
	{ "new_customers", "x.new_customers", RM_SUM },
	{ "claims", "x.claims", RM_SUM },
	{ "visits", "x.visits", RM_SUM },
	{ "deals", "x.deals", RM_SUM },
	{ "deal_amount", "x.deal_amount", RM_SUM },
	{ "payments", "x.payments", RM_SUM },
	{ "payment_amount", "x.payment_amount", RM_SUM },
	{ NULL, NULL, 0 }
};
static const struct rroll rolls[] = {
	{ "visits", "rpt_visits_m x", 1, rf_region },
	{ "deals", "rpt_deals_m x", 1, rf_region },
	{ "new_customers", "rpt_new_m x", 1, rf_region },
	{ "activity", "rpt_activity_m x", 0, rf_activity },
};
#define NROLLS (sizeof(rolls) / sizeof(rolls[0]))

/* ------------------------------------------------------------ helpers */

/* fmt with its one "%s" replaced by arg (no printf on these texts). */
static void
subst(char *out, size_t sz, const char *fmt, const char *arg)
{
	const char	*p = strstr(fmt, "%s");

	if (p == NULL) {
		snprintf(out, sz, "%s", fmt);
		return;
	}
	snprintf(out, sz, "%.*s%s%s", (int)(p - fmt), fmt, arg ? arg : "",
	    p + 2);
}

static int
rerr(struct rerr *e, const char *name, const char *field, const char *fmt,
    const char *zhfmt, const char *arg)
{
	char	 m[200], z[200];

	subst(m, sizeof(m), fmt, arg);
	subst(z, sizeof(z), zhfmt, arg);
	snprintf(e->en, sizeof(e->en), "report %s: %s", name, m);
	snprintf(e->zh, sizeof(e->zh), "报表 %s：%s", name, z);
	snprintf(e->field, sizeof(e->field), "%s", field);
	return -1;
}

/* 1 when s is a usable key: [a-z][a-z0-9_]{0,39}. */
int
report_key_ok(const char *s)
{
	size_t	 i;

	if (s == NULL || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= 40 || !((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static const struct rfield *
field_find(const struct rsource *s, const char *key)
{
	const struct rfield	*f;

	for (f = s->fields; f->key != NULL; f++)
		if (strcmp(f->key, key) == 0)
			return f;
	if (s->customer)
		for (f = cust_fields; f->key != NULL; f++)
			if (strcmp(f->key, key) == 0)
				return f;
	return NULL;
}

static int
filter_ok(const struct rsource *s, int i)
{
	switch (filters[i].need) {
	case 1:
		return s->date != NULL;
	case 2:
		return s->customer;
	case 3:
		return s->staff != NULL;
	default:
		return 1;
	}
}

/* Text of a string member or of {zh, en} in both languages. */
static void
labels(struct arena *a, json_t *v, const char **zh, const char **en)
{
	if (json_is_string(v)) {
		*zh = *en = arena_strdup(a, json_string_value(v));
		return;
	}
	if (json_is_object(v)) {
		const char *z = json_string_value(json_object_get(v, "zh"));
		const char *e = json_string_value(json_object_get(v, "en"));

		if (z != NULL || e != NULL) {
			*zh = arena_strdup(a, z ? z : e);
			*en = arena_strdup(a, e ? e : z);
		}
	}
}

static int
col_find(const struct report *rp, const char *key)
{
	size_t	 i;

	for (i = 0; i < rp->ncols; i++)
		if (strcmp(rp->cols[i].key, key) == 0)
			return (int)i;
	return -1;
}

static const char *const topkeys[] = {
	"name", "title", "kind", "source", "mine", "roles", "filters",
	"columns", "pivot", "sort", "chart", "drill", "description",
};

/* ------------------------------------------------------------ parsing */

static int
parse_column(struct arena *a, const char *name, const struct rsource *s,
    json_t *c, struct rcol *col, int stat, struct rerr *e)
{
	const char		*key, *fname, *mname, *k;
	const struct rfield	*f = NULL;
	json_t			*v;
	int			 m = RM_NONE, i;

	if (!json_is_object(c))
		return rerr(e, name, "columns", "every column must be a table "
		    "{key = ..., field = ... or measure = ...}%s",
		    "每一列都应为 {key = ..., field = ... 或 measure = ...}%s",
		    NULL);
	json_object_foreach(c, k, v)
		if (strcmp(k, "key") && strcmp(k, "field") &&
		    strcmp(k, "measure") && strcmp(k, "zh") &&
		    strcmp(k, "en") && strcmp(k, "label"))
			return rerr(e, name, "columns",
			    "unknown item \"%s\" in columns",
			    "列中有未知的项 \"%s\"", k);
	key = json_string_value(json_object_get(c, "key"));
	fname = json_string_value(json_object_get(c, "field"));
	mname = json_string_value(json_object_get(c, "measure"));
	if (key == NULL)
		key = fname;
	if (!report_key_ok(key) || (key[0] == 'm' && strlen(key) == 3 &&
	    isdigit((unsigned char)key[1]) && isdigit((unsigned char)key[2])))
		return rerr(e, name, "columns", "column key \"%s\" must be "
		    "lowercase letters, digits and _ (m01..m12 are the month "
		    "pivot's)", "列名 \"%s\" 只能由小写字母、数字和 _ 组成"
		    "（m01..m12 留给按月透视）", key ? key : "?");
	if (mname != NULL) {
		for (i = 1; i < RM__MAX; i++)
			if (strcmp(mname, measures[i]) == 0)
				m = i;
		if (m == RM_NONE)
			return rerr(e, name, "columns",
			    "unknown measure \"%s\" in columns (count, sum, "
			    "max, min, share)", "列中有未知的统计方式 \"%s\""
			    "（count、sum、max、min、share）", mname);
		if (!stat)
			return rerr(e, name, "columns", "measure \"%s\" in a "
			    "query report (use kind = \"stat\")",
			    "查询报表不能使用统计方式 \"%s\"（请用 kind = "
			    "\"stat\"）", mname);
	}
	if (fname != NULL && (f = field_find(s, fname)) == NULL)
		return rerr(e, name, "columns", "unknown field \"%s\" in "
		    "columns", "列中有未知的字段 \"%s\"", fname);
	if (fname == NULL && (m == RM_NONE || m == RM_SUM || m == RM_MAX ||
	    m == RM_MIN))
		return rerr(e, name, "columns", "column \"%s\" needs a field",
		    "列 \"%s\" 需要指定字段 field", key);
	if (m == RM_SUM && !(f->flags & F_SUM))
		return rerr(e, name, "columns", "field \"%s\" cannot be summed "
		    "in columns", "列中的字段 \"%s\" 不能求和", fname);
	if ((m == RM_MAX || m == RM_MIN) && !(f->flags & F_MAX))
		return rerr(e, name, "columns", "field \"%s\" has no max / min "
		    "in columns", "列中的字段 \"%s\" 不能取最大/最小值", fname);
	if (stat && m == RM_NONE && !(f->flags & F_GROUP))
		return rerr(e, name, "columns", "field \"%s\" cannot group the "
		    "rows in columns", "列中的字段 \"%s\" 不能用于分组", fname);
	col->key = arena_strdup(a, key);
	col->measure = m;
	col->f = f;
	col->month = 0;
	if (m == RM_COUNT)
		col->type = RT_INT;
	else if (m == RM_SHARE)
		col->type = RT_TEXT;
	else
		col->type = f->type;
	if (f != NULL) {
		col->label[LANG_ZH] = f->zh;
		col->label[LANG_EN] = f->en;
	} else {
		col->label[LANG_ZH] = m == RM_SHARE ? "占比" : "数量";
		col->label[LANG_EN] = m == RM_SHARE ? "Share" : "Count";
	}
	labels(a, json_object_get(c, "label"), &col->label[LANG_ZH],
	    &col->label[LANG_EN]);
	if (json_is_string(json_object_get(c, "zh")))
		col->label[LANG_ZH] = arena_strdup(a,
		    json_string_value(json_object_get(c, "zh")));
	if (json_is_string(json_object_get(c, "en")))
		col->label[LANG_EN] = arena_strdup(a,
		    json_string_value(json_object_get(c, "en")));
	return 0;
}

static int
parse_filters(struct arena *a, const char *name, const struct rsource *s,
    json_t *fl, struct report *rp, struct rerr *e)
{
	json_t		*it, *dv;
	const char	*fname, *k;
	size_t		 i, j;
	int		 fi;

	if (fl == NULL)
		return 0;
	if (!json_is_array(fl))
		return rerr(e, name, "filters", "filters must be a list%s",
		    "filters 应为列表%s", NULL);
	json_array_foreach(fl, i, it) {
		fname = json_is_string(it) ? json_string_value(it) :
		    json_string_value(json_object_get(it, "name"));
		if (json_is_object(it))
			json_object_foreach(it, k, dv)
				if (strcmp(k, "name") && strcmp(k, "default"))
					return rerr(e, name, "filters",
					    "unknown item \"%s\" in filters",
					    "筛选条件中有未知的项 \"%s\"", k);
		for (fi = 0; fi < RPF__MAX && fname != NULL; fi++)
			if (strcmp(fname, filters[fi].name) == 0)
				break;
		if (fname == NULL || fi == RPF__MAX)
			return rerr(e, name, "filters", "unknown filter \"%s\" "
			    "in filters", "筛选条件中有未知的条件 \"%s\"",
			    fname ? fname : "?");
		if (!filter_ok(s, fi))
			return rerr(e, name, "filters", "filter \"%s\" does not "
			    "apply to this source", "筛选条件 \"%s\" 不适用于"
			    "该数据来源", fname);
		if (rp->has[fi])
			return rerr(e, name, "filters", "filter \"%s\" given "
			    "twice", "筛选条件 \"%s\" 重复", fname);
		rp->has[fi] = 1;
		rp->forder[rp->nfilters++] = fi;
		dv = json_object_get(it, "default");
		if (dv == NULL || json_is_null(dv))
			continue;
		if (!json_is_string(dv) || strlen(json_string_value(dv)) > 64)
			return rerr(e, name, "filters", "the default of filter "
			    "\"%s\" must be text", "筛选条件 \"%s\" 的默认值"
			    "应为文本", fname);
		k = json_string_value(dv);
		if (fi == RPF_FROM || fi == RPF_TO) {
			for (j = 0; j < sizeof(defaults) / sizeof(*defaults);
			    j++)
				if (strcmp(k, defaults[j]) == 0)
					break;
			if ((j == sizeof(defaults) / sizeof(*defaults) ||
			    strcmp(k, "me") == 0) && !report_date_ok(k))
				return rerr(e, name, "filters", "unknown default "
				    "\"%s\" in filters (today, month_start, "
				    "month_end, year_start, year_end or "
				    "YYYY-MM-DD)", "筛选条件中有未知的默认值 "
				    "\"%s\"（today、month_start、month_end、"
				    "year_start、year_end 或 YYYY-MM-DD）", k);
		} else if (fi == RPF_STAFF && strcmp(k, "me") != 0)
			return rerr(e, name, "filters", "unknown default \"%s\" "
			    "in filters (staff: me)", "筛选条件中有未知的默认值"
			    " \"%s\"（staff 只能为 me）", k);
		rp->defaults[fi] = arena_strdup(a, k);
	}
	return 0;
}

static int
parse_pivot(struct arena *a, const char *name, const struct rsource *s,
    json_t *pv, struct report *rp, struct rerr *e)
{
	const char		*m, *fname, *k;
	const struct rfield	*f = NULL;
	json_t			*v;
	int			 meas, i;
	static const char *const mzh[12] = { "1月", "2月", "3月", "4月",
	    "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月" };
	static const char *const men[12] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

	if (pv == NULL || json_is_null(pv))
		return 0;
	if (!json_is_object(pv))
		return rerr(e, name, "pivot", "pivot must be a table {measure "
		    "= ..., field = ...}%s", "pivot 应为 {measure = ..., "
		    "field = ...}%s", NULL);
	json_object_foreach(pv, k, v)
		if (strcmp(k, "measure") && strcmp(k, "field") &&
		    strcmp(k, "by"))
			return rerr(e, name, "pivot", "unknown item \"%s\" in "
			    "pivot", "pivot 中有未知的项 \"%s\"", k);
	if (json_object_get(pv, "by") != NULL && (!json_is_string(
	    json_object_get(pv, "by")) || strcmp(json_string_value(
	    json_object_get(pv, "by")), "month") != 0))
		return rerr(e, name, "pivot", "pivot by \"%s\": only month",
		    "pivot 只能按月（by = \"month\"）%s", NULL);
	m = json_string_value(json_object_get(pv, "measure"));
	fname = json_string_value(json_object_get(pv, "field"));
	if (m != NULL && strcmp(m, "count") == 0)
		meas = RM_COUNT;
	else if (m != NULL && strcmp(m, "sum") == 0)
		meas = RM_SUM;
	else
		return rerr(e, name, "pivot", "unknown measure \"%s\" in pivot "
		    "(count or sum)", "pivot 中有未知的统计方式 \"%s\""
		    "（count 或 sum）", m ? m : "?");
	if (meas == RM_SUM && (fname == NULL ||
	    (f = field_find(s, fname)) == NULL || !(f->flags & F_SUM)))
		return rerr(e, name, "pivot", "unknown field \"%s\" in pivot "
		    "(a field that can be summed)", "pivot 中有未知的字段 "
		    "\"%s\"（应为可求和的字段）", fname ? fname : "?");
	for (i = 0; i < 12; i++) {
		struct rcol *c;

		if (rp->ncols >= REPORT_MAXCOLS)
			return rerr(e, name, "columns", "more than %s columns",
			    "列数超过 %s", "40");
		c = &rp->cols[rp->ncols++];
		c->key = arena_printf(a, "m%02d", i + 1);
		c->measure = meas;
		c->f = f;
		c->month = i + 1;
		c->type = meas == RM_COUNT ? RT_INT : f->type;
		c->label[LANG_ZH] = mzh[i];
		c->label[LANG_EN] = men[i];
	}
	rp->pivot = 1;
	return 0;
}

static int
parse_chart(struct arena *a, const char *name, json_t *ch, struct report *rp,
    struct rerr *e)
{
	const char	*t, *k;
	json_t		*v, *vals;
	size_t		 i;

	rp->chart = "table";
	rp->orient = rp->pivot ? "columns" : "rows";
	if (ch == NULL || json_is_null(ch))
		return 0;
	if (json_is_string(ch))
		t = json_string_value(ch);
	else if (json_is_object(ch)) {
		json_object_foreach(ch, k, v)
			if (strcmp(k, "type") && strcmp(k, "category") &&
			    strcmp(k, "values") && strcmp(k, "orient") &&
			    strcmp(k, "series"))
				return rerr(e, name, "chart", "unknown item "
				    "\"%s\" in chart", "chart 中有未知的项 "
				    "\"%s\"", k);
		t = json_string_value(json_object_get(ch, "type"));
	} else
		t = NULL;
	if (t == NULL || (strcmp(t, "table") && strcmp(t, "line") &&
	    strcmp(t, "bar") && strcmp(t, "pie")))
		return rerr(e, name, "chart", "unknown chart type \"%s\" in "
		    "chart (table, line, bar, pie)", "chart 中有未知的图表类型"
		    " \"%s\"（table、line、bar、pie）", t ? t : "?");
	rp->chart = arena_strdup(a, t);
	if (!json_is_object(ch))
		return 0;
	if ((t = json_string_value(json_object_get(ch, "category"))) != NULL) {
		if (col_find(rp, t) < 0)
			return rerr(e, name, "chart", "unknown column \"%s\" in "
			    "chart.category", "chart.category 中有未知的列 "
			    "\"%s\"", t);
		rp->category = arena_strdup(a, t);
	}
	if ((t = json_string_value(json_object_get(ch, "series"))) != NULL) {
		if (col_find(rp, t) < 0)
			return rerr(e, name, "chart", "unknown column \"%s\" in "
			    "chart.series", "chart.series 中有未知的列 \"%s\"",
			    t);
		rp->series = arena_strdup(a, t);
	}
	if ((t = json_string_value(json_object_get(ch, "orient"))) != NULL) {
		if (strcmp(t, "rows") && strcmp(t, "columns"))
			return rerr(e, name, "chart", "chart.orient \"%s\" must "
			    "be rows or columns", "chart.orient \"%s\" 应为 "
			    "rows 或 columns", t);
		rp->orient = arena_strdup(a, t);
	}
	vals = json_object_get(ch, "values");
	if (vals != NULL) {
		if (!json_is_array(vals))
			return rerr(e, name, "chart", "chart.values must be a "
			    "list%s", "chart.values 应为列表%s", NULL);
		json_array_foreach(vals, i, v) {
			t = json_string_value(v);
			if (t == NULL || col_find(rp, t) < 0)
				return rerr(e, name, "chart", "unknown column "
				    "\"%s\" in chart.values", "chart.values 中"
				    "有未知的列 \"%s\"", t ? t : "?");
			if (rp->nvalues < REPORT_MAXCOLS)
				rp->values[rp->nvalues++] =
				    arena_strdup(a, t);
		}
	}
	return 0;
}

static int
parse_drill(struct arena *a, const char *name, json_t *d, struct report *rp,
    struct rerr *e)
{
	const char	*t, *k;
	json_t		*v;
	int		 i;

	if (d == NULL || json_is_null(d))
		return 0;
	if (json_is_string(d))
		t = json_string_value(d);
	else if (json_is_object(d)) {
		json_object_foreach(d, k, v)
			if (strcmp(k, "report") && strcmp(k, "reports"))
				return rerr(e, name, "drill", "unknown item "
				    "\"%s\" in drill", "drill 中有未知的项 "
				    "\"%s\"", k);
		t = json_string_value(json_object_get(d, "report"));
	} else
		t = NULL;
	if (!report_key_ok(t))
		return rerr(e, name, "drill", "drill.report \"%s\" is not a "
		    "report name", "drill.report \"%s\" 不是报表名称",
		    t ? t : "?");
	rp->drill = arena_strdup(a, t);
	if (!json_is_object(d) || json_object_get(d, "reports") == NULL)
		return 0;
	if (!json_is_object(json_object_get(d, "reports")))
		return rerr(e, name, "drill", "drill.reports must be a table "
		    "{column = report}%s", "drill.reports 应为 {列 = 报表}%s",
		    NULL);
	json_object_foreach(json_object_get(d, "reports"), k, v) {
		if ((i = col_find(rp, k)) < 0)
			return rerr(e, name, "drill", "unknown column \"%s\" in "
			    "drill.reports", "drill.reports 中有未知的列 "
			    "\"%s\"", k);
		t = json_string_value(v);
		if (!report_key_ok(t))
			return rerr(e, name, "drill", "drill.reports.%s is not a "
			    "report name", "drill.reports.%s 不是报表名称", k);
		rp->cols[i].drill = arena_strdup(a, t);
	}
	return 0;
}

/* See extern.h. */
int
report_parse(struct arena *a, const char *name, json_t *def,
    struct report *rp, struct rerr *e)
{
	const struct rsource	*s = NULL;
	const char		*src, *kind, *k, *sort;
	json_t			*v, *cols;
	size_t			 i, j;
	int			 stat, groups = 0, meas = 0;

	memset(rp, 0, sizeof(*rp));
	memset(e, 0, sizeof(*e));
	rp->name = arena_strdup(a, name);
	if (!json_is_object(def))
		return rerr(e, name, "definition", "the definition must be a "
		    "table%s", "定义应为表%s", NULL);
	json_object_foreach(def, k, v) {
		for (i = 0; i < sizeof(topkeys) / sizeof(*topkeys); i++)
			if (strcmp(k, topkeys[i]) == 0)
				break;
		if (i == sizeof(topkeys) / sizeof(*topkeys))
			return rerr(e, name, report_key_ok(k) ? k :
			    "definition", "unknown item \"%s\"",
			    "未知的项 \"%s\"", k);
	}
	rp->title[LANG_ZH] = rp->title[LANG_EN] = rp->name;
	labels(a, json_object_get(def, "title"), &rp->title[LANG_ZH],
	    &rp->title[LANG_EN]);
	kind = json_string_value(json_object_get(def, "kind"));
	if (kind == NULL || (strcmp(kind, "query") && strcmp(kind, "stat")))
		return rerr(e, name, "kind", "kind \"%s\" must be query or "
		    "stat", "kind \"%s\" 应为 query 或 stat", kind ? kind :
		    "?");
	rp->stat = stat = strcmp(kind, "stat") == 0;
	src = json_string_value(json_object_get(def, "source"));
	for (i = 0; src != NULL && i < NSOURCES; i++)
		if (strcmp(src, sources[i].name) == 0)
			s = &sources[i];
	if (s == NULL)
		return rerr(e, name, "source", "unknown source \"%s\"",
		    "未知的数据来源 \"%s\"", src ? src : "?");
	rp->src = s;
	v = json_object_get(def, "mine");
	if (v != NULL && !json_is_boolean(v))
		return rerr(e, name, "mine", "mine must be true or false%s",
		    "mine 应为 true 或 false%s", NULL);
	rp->mine = json_is_true(v);
	rp->roles = 0;
	v = json_object_get(def, "roles");
	if (v != NULL) {
		json_t *r;

		if (!json_is_array(v))
			return rerr(e, name, "roles", "roles must be a list%s",
			    "roles 应为列表%s", NULL);
		json_array_foreach(v, i, r) {
			for (j = 0; j < 4; j++)
				if (json_is_string(r) && strcmp(
				    json_string_value(r), roles[j]) == 0)
					break;
			if (j < 4) {
				rp->roles |= 1u << j;
				continue;
			}
			if (j == 4)
				return rerr(e, name, "roles", "unknown role "
				    "\"%s\" in roles", "roles 中有未知的角色 "
				    "\"%s\"", json_is_string(r) ?
				    json_string_value(r) : "?");
		}
	} else
		rp->roles = 0xf;
	cols = json_object_get(def, "columns");
	if (!json_is_array(cols) || (json_array_size(cols) == 0 &&
	    json_object_get(def, "pivot") == NULL))
		return rerr(e, name, "columns", "columns must be a list of at "
		    "least one column%s", "columns 应为至少一列的列表%s",
		    NULL);
	if (json_array_size(cols) > REPORT_MAXCOLS - 12)
		return rerr(e, name, "columns", "more than %s columns",
		    "列数超过 %s", "28");
	json_array_foreach(cols, i, v) {
		if (parse_column(a, name, s, v, &rp->cols[rp->ncols], stat, e))
			return -1;
		if (col_find(rp, rp->cols[rp->ncols].key) >= 0)
			return rerr(e, name, "columns", "column \"%s\" given "
			    "twice", "列 \"%s\" 重复", rp->cols[rp->ncols].key);
		if (rp->cols[rp->ncols].measure == RM_NONE)
			groups++;
		else
			meas++;
		rp->ncols++;
	}
	if (!stat && json_object_get(def, "pivot") != NULL)
		return rerr(e, name, "pivot", "pivot in a query report (use "
		    "kind = \"stat\")%s", "查询报表不能按月透视%s", NULL);
	if (parse_pivot(a, name, s, json_object_get(def, "pivot"), rp, e))
		return -1;
	if (stat && meas == 0 && !rp->pivot)
		return rerr(e, name, "columns", "a stat report needs a measure "
		    "(count, sum, max, min, share) or a pivot%s",
		    "统计报表至少需要一个统计列或按月透视%s", NULL);
	(void)groups;
	if (parse_filters(a, name, s, json_object_get(def, "filters"), rp, e))
		return -1;
	if (rp->pivot && !(rp->has[RPF_FROM] && rp->has[RPF_TO]))
		return rerr(e, name, "pivot", "a month pivot needs the from and "
		    "to filters%s", "按月透视需要 from 和 to 筛选条件%s", NULL);
	sort = json_string_value(json_object_get(def, "sort"));
	if (json_object_get(def, "sort") != NULL && (sort == NULL ||
	    col_find(rp, sort[0] == '-' ? sort + 1 : sort) < 0))
		return rerr(e, name, "sort", "unknown column \"%s\" in sort",
		    "sort 中有未知的列 \"%s\"", sort ? sort : "?");
	rp->sort = sort ? arena_strdup(a, sort) : rp->cols[0].key;
	if (parse_chart(a, name, json_object_get(def, "chart"), rp, e))
		return -1;
	if (rp->category == NULL)
		for (i = 0; i < rp->ncols; i++)
			if (rp->cols[i].measure == RM_NONE) {
				rp->category = rp->cols[i].key;
				break;
			}
	if (rp->nvalues == 0)
		for (i = 0; i < rp->ncols; i++)
			if (rp->cols[i].measure != RM_NONE &&
			    rp->cols[i].measure != RM_SHARE &&
			    rp->nvalues < REPORT_MAXCOLS)
				rp->values[rp->nvalues++] = rp->cols[i].key;
	if (parse_drill(a, name, json_object_get(def, "drill"), rp, e))
		return -1;
	return 0;
}

/* ---------------------------------------------------------- compiling */

static void
put_filter(struct buf *b, const struct rsource *s, int fi,
    const struct rroll *ro)
{
	int	 n = RP_FILTER0 + fi;

	if (ro != NULL) {
		/* report_rollup_ok: whole months, no record filter. */
		switch (fi) {
		case RPF_FROM:
			buf_printf(b, " and ($%d::text is null or x.month >= "
			    "$%d::date)", n, n);
			return;
		case RPF_TO:
			buf_printf(b, " and ($%d::text is null or x.month <= "
			    "$%d::date)", n, n);
			return;
		case RPF_REGION:
			buf_printf(b, " and ($%d::text is null or x.region is "
			    "not distinct from nullif($%d, '-'))", n, n);
			return;
		case RPF_DEPARTMENT:
		case RPF_STAFF:
			break;
		default:
			buf_printf(b, " and $%d::text is null", n);
			return;
		}
	}
	switch (fi) {
	case RPF_FROM:
		buf_printf(b, " and ($%d::text is null or %s >= $%d::date)", n,
		    s->date, n);
		break;
	case RPF_TO:
		if (s->date_ts)
			buf_printf(b, " and ($%d::text is null or %s < "
			    "$%d::date + 1)", n, s->date, n);
		else
			buf_printf(b, " and ($%d::text is null or %s <= "
			    "$%d::date)", n, s->date, n);
		break;
	case RPF_REGION:
	case RPF_STATUS:
	case RPF_STAGE:
	case RPF_SOURCE:
		/* "-" asks for the rows without a value. */
		buf_printf(b, " and ($%d::text is null or c.%s is not distinct "
		    "from nullif($%d, '-'))", n, fi == RPF_REGION ? "region" :
		    fi == RPF_STATUS ? "status" : fi == RPF_STAGE ? "stage" :
		    "source", n);
		break;
	case RPF_TYPE:
		/* A type and its subtypes; "=code" that type alone (drills). */
		buf_printf(b, " and ($%d::text is null or case when left($%d, 1) "
		    "= '=' then c.type_code = substr($%d, 2) else c.type_code in "
		    "(select crm_type_subtree($%d)) end)", n, n, n, n);
		break;
	case RPF_DEPARTMENT:
		buf_printf(b, " and ($%d::text is null or %s in (select st.id "
		    "from staff st where st.department_id in (select "
		    "crm_dept_subtree($%d::bigint))))", n,
		    ro ? "x.staff_id" : s->staff, n);
		break;
	case RPF_STAFF:
		buf_printf(b, " and ($%d::text is null or %s = $%d::bigint)",
		    n, ro ? "x.staff_id" : s->staff, n);
		break;
	case RPF_CUSTOMER:
		buf_printf(b, " and ($%d::text is null or c.id = $%d::bigint)",
		    n, n);
		break;
	case RPF_Q:
		/*
		 * $n is the LIKE pattern made by the caller, wildcards
		 * escaped.  The customer list's search: name, number, contact
		 * and phone, through customer_search (sql/0015).
		 */
		buf_printf(b, " and ($%d::text is null or c.id in (select "
		    "s.id from customer_search s where s.doc ilike $%d))", n, n);
		break;
	default:
		abort();
	}
}

static const struct rrollf *
roll_field(const struct rroll *ro, const struct rcol *c)
{
	const struct rrollf	*f;

	for (f = ro->fields; c->f != NULL && f->key != NULL; f++)
		if (strcmp(f->key, c->f->key) == 0)
			return f;
	return NULL;
}

static void
put_raw(struct buf *b, const struct report *rp, const struct rcol *c,
    const struct rroll *ro)
{
	const char	*e = c->f ? c->f->expr : NULL;

	if (ro != NULL) {
		/* report_rollup: every column has its roll-up form. */
		if (c->f != NULL)
			e = roll_field(ro, c)->expr;
		switch (c->measure) {
		case RM_COUNT:
		case RM_SHARE:
			if (c->month)
				buf_printf(b, "coalesce(sum(x.n) filter (where "
				    "extract(month from x.month) = %d), 0)::bigint",
				    c->month);
			else
				buf_puts(b, "coalesce(sum(x.n), 0)::bigint");
			return;
		case RM_SUM:
			if (c->month)
				buf_printf(b, "coalesce(sum(%s) filter (where "
				    "extract(month from x.month) = %d), 0)", e,
				    c->month);
			else
				buf_printf(b, "coalesce(sum(%s), 0)", e);
			return;
		default:
			break;
		}
	}
	switch (c->measure) {
	case RM_NONE:
		buf_puts(b, e);
		break;
	case RM_COUNT:
	case RM_SHARE:
		if (c->month)
			buf_printf(b, "count(*) filter (where extract(month "
			    "from %s) = %d)", rp->src->date, c->month);
		else
			buf_puts(b, "count(*)");
		break;
	case RM_SUM:
		if (c->month)
			buf_printf(b, "coalesce(sum(%s) filter (where "
			    "extract(month from %s) = %d), 0)", e,
			    rp->src->date, c->month);
		else
			buf_printf(b, "coalesce(sum(%s), 0)", e);
		break;
	case RM_MAX:
		buf_printf(b, "max(%s)", e);
		break;
	case RM_MIN:
		buf_printf(b, "min(%s)", e);
		break;
	default:
		abort();
	}
}

/* A column summed over every row: numbers that are measures, money. */
static int
summed(const struct rcol *c)
{
	if (c->measure == RM_COUNT || c->measure == RM_SHARE ||
	    c->measure == RM_SUM)
		return 1;
	return c->measure == RM_NONE && c->type == RT_MONEY;
}

static void
put_display(struct buf *b, const struct rcol *c)
{
	static const char *const lists[REF__MAX] = {
		[REF_REGION] = "region", [REF_STAGE] = "stage",
		[REF_STATUS] = "status", [REF_SOURCE] = "source",
	};
	const char	*k = c->key;
	enum rref	 ref = c->measure == RM_NONE || c->measure == RM_MAX ||
			    c->measure == RM_MIN ? c->f->ref : REF_NONE;

	if (c->measure == RM_SHARE) {
		buf_printf(b, "(round(100.0 * p.\"%s\" / nullif(t.\"s_%s\", 0), "
		    "1))::text || '%%'", k, k);
		return;
	}
	switch (c->type) {
	case RT_INT:
		buf_printf(b, "p.\"%s\"::text", k);
		return;
	case RT_MONEY:
		buf_printf(b, "(p.\"%s\")::numeric(16,2)::text", k);
		return;
	case RT_DATE:
		buf_printf(b, "to_char(p.\"%s\", 'YYYY-MM-DD')", k);
		return;
	case RT_DATETIME:
		buf_printf(b, "to_json(p.\"%s\")#>>'{}'", k);
		return;
	default:
		break;
	}
	switch (ref) {
	case REF_STAFF:
		buf_printf(b, "(select st.name from staff st where st.id = "
		    "p.\"%s\")", k);
		break;
	case REF_CUSTOMER:
		buf_printf(b, "(select cc.name from customers cc where cc.id = "
		    "p.\"%s\")", k);
		break;
	case REF_DEPT:
		buf_printf(b, "(select dp.name from departments dp where "
		    "dp.id = p.\"%s\")", k);
		break;
	case REF_TYPE:
		buf_printf(b, "coalesce((select case when $3 = 'en' then "
		    "ct.name_en else ct.name_zh end from customer_types ct "
		    "where ct.code = p.\"%s\"), p.\"%s\")", k, k);
		break;
	case REF_REGION:
	case REF_STAGE:
	case REF_STATUS:
	case REF_SOURCE:
		buf_printf(b, "coalesce((select case when $3 = 'en' then "
		    "li.name_en else li.name_zh end from list_items li where "
		    "li.list = '%s' and li.code = p.\"%s\"), p.\"%s\")",
		    lists[ref], k, k);
		break;
	default:
		buf_printf(b, "p.\"%s\"::text", k);
		break;
	}
}

/* 1 when column c has a raw value besides its display (a code, an id). */
static int
has_raw(const struct rcol *c)
{
	return c->measure == RM_NONE && c->f->ref != REF_NONE;
}

/* The roll-up of rp, or NULL when it has none (see struct rroll). */
static const struct rroll *
roll_of(const struct report *rp)
{
	const struct rroll	*ro = NULL;
	const struct rrollf	*f;
	size_t			 i;

	if (!rp->stat)
		return NULL;
	for (i = 0; i < NROLLS; i++)
		if (strcmp(rolls[i].source, rp->src->name) == 0)
			ro = &rolls[i];
	if (ro == NULL)
		return NULL;
	for (i = 0; i < rp->ncols; i++) {
		const struct rcol *c = &rp->cols[i];

		if (c->measure == RM_COUNT || c->measure == RM_SHARE) {
			if (!ro->count)
				return NULL;
			continue;
		}
		if ((f = roll_field(ro, c)) == NULL)
			return NULL;
		if (c->measure == RM_MIN ||
		    (c->measure != f->measure && !(c->measure == RM_MAX &&
		    f->measure == RM_NONE)))
			return NULL;
	}
	return ro;
}

/* Days in month m (1..12) of year y. */
static int
mdays(int y, int m)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* See extern.h. */
int
report_rollup_ok(const struct report *rp, const char *const *eff)
{
	int	 fi, y, m, d;

	if (roll_of(rp) == NULL)
		return 0;
	for (fi = 0; fi < RPF__MAX; fi++) {
		if (eff[fi] == NULL || fi == RPF_REGION ||
		    fi == RPF_DEPARTMENT || fi == RPF_STAFF)
			continue;
		if (fi != RPF_FROM && fi != RPF_TO)
			return 0;
		if (!report_date_ok(eff[fi]) ||
		    sscanf(eff[fi], "%d-%d-%d", &y, &m, &d) != 3 ||
		    m < 1 || m > 12)
			return 0;
		if (fi == RPF_FROM ? d != 1 : d != mdays(y, m))
			return 0;
	}
	return 1;
}

static char *
build(struct arena *a, const struct report *rp, const struct rroll *ro)
{
	const struct rsource	*s = rp->src;
	const char		*staff = ro ? "x.staff_id" : s->staff;
	struct buf		 b;
	size_t			 i;
	int			 ng = 0, fi;

	buf_init(&b, a, 64 * 1024);
	buf_puts(&b, "with r as (select ");
	for (i = 0; i < rp->ncols; i++) {
		if (i > 0)
			buf_puts(&b, ", ");
		put_raw(&b, rp, &rp->cols[i], ro);
		buf_printf(&b, " as \"%s\"", rp->cols[i].key);
	}
	if (!rp->stat && s->link != NULL)
		buf_printf(&b, ", %s as _lid", s->link);
	buf_printf(&b, " from %s where true", ro ? ro->from : s->from);
	if (s->where != NULL && ro == NULL)
		buf_printf(&b, " and %s", s->where);
	/* Who may see which rows (PLT-AUTH), and "my" reports. */
	if (rp->mine)
		buf_printf(&b, " and %s = $1::bigint", staff);
	else if (s->vis == VIS_CUSTOMER && ro == NULL)
		buf_puts(&b, " and ($2 in ('director', 'admin') or c.owner_id = "
		    "$1::bigint or exists (select 1 from customer_shares sh "
		    "where sh.customer_id = c.id and sh.staff_id = $1::bigint) "
		    "or ($2 = 'manager' and c.owner_id in (select st.id from "
		    "staff st where st.department_id in (select "
		    "crm_managed_depts($1::bigint)))))");
	else
		buf_printf(&b, " and ($2 in ('director', 'admin') or %s = "
		    "$1::bigint or ($2 = 'manager' and %s in (select st.id "
		    "from staff st where st.department_id in (select "
		    "crm_managed_depts($1::bigint)))))", staff, staff);
	for (fi = 0; fi < RPF__MAX; fi++)
		if (rp->has[fi])
			put_filter(&b, s, fi, ro);
	if (rp->stat) {
		for (i = 0; i < rp->ncols; i++) {
			if (rp->cols[i].measure != RM_NONE)
				continue;
			buf_printf(&b, "%s%zu", ng++ ? ", " : " group by ", i + 1);
		}
	}
	buf_puts(&b, "), t as (select count(*) as n");
	for (i = 0; i < rp->ncols; i++)
		if (summed(&rp->cols[i]))
			buf_printf(&b, ", coalesce(sum(r.\"%s\"), 0) as \"s_%s\"",
			    rp->cols[i].key, rp->cols[i].key);
	buf_puts(&b, " from r), p as (select q.*, row_number() over () as "
	    "_rn from (select * from r order by ");
	for (i = 0; i < rp->ncols; i++)
		buf_printf(&b, "case when $4 = '%s' then r.\"%s\" end nulls "
		    "last, case when $4 = '-%s' then r.\"%s\" end desc nulls "
		    "last, ", rp->cols[i].key, rp->cols[i].key,
		    rp->cols[i].key, rp->cols[i].key);
	if (!rp->stat && s->link != NULL)
		buf_puts(&b, "r._lid desc");
	else {
		ng = 0;
		for (i = 0; i < rp->ncols; i++)
			if (rp->cols[i].measure == RM_NONE)
				buf_printf(&b, "%sr.\"%s\"", ng++ ? ", " : "",
				    rp->cols[i].key);
		if (ng == 0)
			buf_puts(&b, "1");
	}
	buf_puts(&b, " limit $5::int offset $6::int) q) select t.n::text");
	for (i = 0; i < rp->ncols; i++)
		if (summed(&rp->cols[i]))
			buf_printf(&b, ", t.\"s_%s\"%s::text", rp->cols[i].key,
			    rp->cols[i].type == RT_MONEY ? "::numeric(16,2)" :
			    "");
	for (i = 0; i < rp->ncols; i++) {
		buf_puts(&b, ", ");
		put_display(&b, &rp->cols[i]);
	}
	for (i = 0; i < rp->ncols; i++) {
		if (!has_raw(&rp->cols[i]))
			continue;
		/*
		 * A row of a type that has subtypes drills to that type alone
		 * ("=code"), so the list holds exactly the rows counted.
		 */
		if (rp->cols[i].f->ref == REF_TYPE)
			buf_printf(&b, ", case when exists (select 1 from "
			    "customer_types ch where ch.parent_code = p.\"%s\") "
			    "then '=' || p.\"%s\" else p.\"%s\" end",
			    rp->cols[i].key, rp->cols[i].key, rp->cols[i].key);
		else
			buf_printf(&b, ", p.\"%s\"::text", rp->cols[i].key);
	}
	if (!rp->stat && s->link != NULL)
		buf_puts(&b, ", p._lid::text");
	buf_puts(&b, ", p._rn::text from t left join p on true order by p._rn");
	if (b.overflow)
		return NULL;
	return (char *)buf_cstr(&b);
}

/* See extern.h. */
char *
report_sql(struct arena *a, const struct report *rp)
{
	return build(a, rp, NULL);
}

/* See extern.h. */
char *
report_sql_rollup(struct arena *a, const struct report *rp)
{
	const struct rroll	*ro;

	if ((ro = roll_of(rp)) == NULL)
		return NULL;
	return build(a, rp, ro);
}

/* See extern.h. */
void
report_layout(const struct report *rp, struct rlayout *l)
{
	size_t	 i;
	int	 n = 1;

	for (i = 0; i < rp->ncols; i++)
		l->sum[i] = summed(&rp->cols[i]) ? n++ : -1;
	for (i = 0; i < rp->ncols; i++)
		l->disp[i] = n++;
	for (i = 0; i < rp->ncols; i++)
		l->raw[i] = has_raw(&rp->cols[i]) ? n++ : -1;
	l->link = !rp->stat && rp->src->link != NULL ? n++ : -1;
	l->link_type = rp->stat ? NULL : rp->src->link_type;
	l->rn = n++;
}

/* See extern.h. */
int
report_col_filter(const struct rcol *c)
{
	return c->measure == RM_NONE && c->f != NULL ? c->f->filter : -1;
}

/* See extern.h. */
const char *
report_filter_name(int fi)
{
	return filters[fi].name;
}

/* See extern.h. */
int
report_filter_by_name(const char *name)
{
	int	 i;

	for (i = 0; i < RPF__MAX; i++)
		if (strcmp(name, filters[i].name) == 0)
			return i;
	return -1;
}

/* See extern.h. */
json_t *
report_filter_json(int fi, const char *def)
{
	return json_pack("{s:s, s:s, s:s?, s:s?}", "name", filters[fi].name,
	    "type", filters[fi].type, "list", filters[fi].list, "default",
	    def);
}

/* See extern.h. */
const char *
report_type_name(enum rtype t)
{
	return rtypes[t];
}

/* See extern.h. */
int
report_role_ok(const struct report *rp, const char *role)
{
	size_t	 j;

	for (j = 0; j < 4; j++)
		if (strcmp(role, roles[j]) == 0)
			return (rp->roles >> j) & 1;
	return 0;
}

/* See extern.h. */
int
report_date_ok(const char *s)
{
	struct tm	 tm;
	char		*end;
	int		 y, m, d;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0')
		return 0;
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	d = tm.tm_mday;
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return 0;
	return 1;
}

/* See extern.h. */
const char *
report_default(struct arena *a, const char *def, long long me)
{
	time_t		 now = time(NULL);
	struct tm	 tm;
	int		 y, m;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (def == NULL)
		return NULL;
	if (strcmp(def, "me") == 0)
		return arena_printf(a, "%lld", me);
	/* crmd runs in the team's time zone (CRM_TZ): localtime is theirs. */
	localtime_r(&now, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	if (strcmp(def, "today") == 0)
		return arena_printf(a, "%04d-%02d-%02d", y, m, tm.tm_mday);
	if (strcmp(def, "month_start") == 0)
		return arena_printf(a, "%04d-%02d-01", y, m);
	if (strcmp(def, "month_end") == 0)
		return arena_printf(a, "%04d-%02d-%02d", y, m, mdays[m - 1] +
		    (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
	if (strcmp(def, "year_start") == 0)
		return arena_printf(a, "%04d-01-01", y);
	if (strcmp(def, "year_end") == 0)
		return arena_printf(a, "%04d-12-31", y);
	return def;
}

/* See extern.h. */
json_t *
report_sources_json(enum lang l)
{
	json_t			*out = json_array(), *fields, *fl, *ms;
	const struct rfield	*f, *lists[2];
	size_t			 i, j;
	int			 fi;

	for (i = 0; i < NSOURCES; i++) {
		const struct rsource *s = &sources[i];

		fields = json_array();
		lists[0] = s->fields;
		lists[1] = s->customer ? cust_fields : NULL;
		for (j = 0; j < 2; j++)
			for (f = lists[j]; f != NULL && f->key != NULL; f++) {
				if (j == 1 && field_find(s, f->key) != f)
					continue;	/* overridden */
				ms = json_array();
				json_array_append_new(ms, json_string("count"));
				if (f->flags & F_SUM)
					json_array_append_new(ms,
					    json_string("sum"));
				if (f->flags & F_MAX) {
					json_array_append_new(ms,
					    json_string("max"));
					json_array_append_new(ms,
					    json_string("min"));
				}
				json_array_append_new(fields, json_pack(
				    "{s:s, s:s, s:s, s:b, s:o}", "key", f->key,
				    "label", l == LANG_EN ? f->en : f->zh,
				    "type", rtypes[f->type], "group",
				    (f->flags & F_GROUP) != 0, "measures", ms));
			}
		fl = json_array();
		for (fi = 0; fi < RPF__MAX; fi++)
			if (filter_ok(s, fi))
				json_array_append_new(fl,
				    json_string(filters[fi].name));
		json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:o}",
		    "name", s->name, "label", l == LANG_EN ? s->en : s->zh,
		    "fields", fields, "filters", fl));
	}
	return out;
}

/* ------------------------------------------------------------ checking */

/* The names of rules/reports/NAME.lua, sorted, as a JSON array. */
json_t *
report_builtin_names(const char *rules_dir)
{
	char		 path[4096];
	DIR		*d;
	struct dirent	*de;
	json_t		*out = json_array();
	size_t		 n, i, j;
	const char	*tmp;
	const char	**v;

	snprintf(path, sizeof(path), "%s/reports", rules_dir);
	if ((d = opendir(path)) == NULL)
		return out;
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 5 || n > 44 || strcmp(de->d_name + n - 4, ".lua") != 0)
			continue;
		json_array_append_new(out, json_stringn(de->d_name, n - 4));
	}
	closedir(d);
	/* Sort (small n). */
	n = json_array_size(out);
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return out;
	for (i = 0; i < n; i++)
		v[i] = json_string_value(json_array_get(out, i));
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			tmp = v[j];
			v[j] = v[j - 1];
			v[j - 1] = tmp;
		}
	{
		json_t *sorted = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(sorted, json_string(v[i]));
		json_decref(out);
		out = sorted;
	}
	free(v);
	return out;
}

/* See extern.h. */
json_t *
report_builtin_def(struct rules *r, struct arena *a, const char *name,
    char **err)
{
	char		*out;
	json_t		*v;
	json_error_t	 je;

	*err = NULL;
	if (!report_key_ok(name)) {
		*err = arena_printf(a, "report %s: not a report name", name);
		return NULL;
	}
	if (rules_value(r, a, arena_printf(a, "reports/%s", name), &out,
	    err) == -1)
		return NULL;
	if ((v = json_loads(out, 0, &je)) == NULL) {
		*err = arena_printf(a, "report %s: the file must return a "
		    "table", name);
		return NULL;
	}
	return v;
}

/* See extern.h. */
int
report_check(const char *dir, FILE *out, int *nump)
{
	struct rules	*r;
	struct arena	 a;
	struct report	 rp;
	struct rerr	 e;
	json_t		*names, *def, *n, *portal, *items, *it;
	const char	*name, *role, *k;
	char		*err, *txt, *sql;
	size_t		 i, j, c;
	int		 num = *nump, fails = 0;
	struct stat	 st;

	if ((r = rules_open(dir, 0, 0)) == NULL)
		return 1;
	arena_init(&a, 0);
	names = report_builtin_names(dir);
	json_array_foreach(names, i, n) {
		name = json_string_value(n);
		def = report_builtin_def(r, &a, name, &err);
		if (def == NULL) {
			fprintf(out, "not ok %d - report %s: %s\n", ++num, name,
			    err);
			fails++;
			continue;
		}
		if (report_parse(&a, name, def, &rp, &e) == -1 ||
		    (sql = report_sql(&a, &rp)) == NULL) {
			fprintf(out, "not ok %d - %s\n", ++num, e.en[0] ? e.en :
			    "report: too long");
			fails++;
			json_decref(def);
			continue;
		}
		/* Drill targets must exist. */
		for (c = 0; c <= rp.ncols; c++) {
			k = c == rp.ncols ? rp.drill : rp.cols[c].drill;
			if (k == NULL)
				continue;
			json_array_foreach(names, j, it)
				if (strcmp(json_string_value(it), k) == 0)
					break;
			if (j == json_array_size(names)) {
				fprintf(out, "not ok %d - report %s: unknown "
				    "report \"%s\" in drill\n", ++num, name, k);
				fails++;
				goto next;
			}
		}
		fprintf(out, "ok %d - report %s\n", ++num, name);
next:
		json_decref(def);
		arena_reset(&a);
	}
	/* rules/portal.lua names reports that exist. */
	txt = arena_printf(&a, "%s/portal.lua", dir);
	err = NULL;
	if (stat(txt, &st) == 0) {
		if (rules_value(r, &a, "portal", &txt, &err) == -1 ||
		    (portal = json_loads(txt, 0, NULL)) == NULL) {
			fprintf(out, "not ok %d - portal: %s\n", ++num,
			    err ? err : "rules/portal.lua must return a table");
			fails++;
		} else {
			int bad = 0;

			json_object_foreach(portal, role, items) {
				json_array_foreach(items, i, it) {
					name = json_string_value(
					    json_object_get(it, "report"));
					json_array_foreach(names, j, n)
						if (name && strcmp(name,
						    json_string_value(n)) == 0)
							break;
					if (name == NULL || j ==
					    json_array_size(names)) {
						fprintf(out, "not ok %d - "
						    "portal: %s: unknown "
						    "report \"%s\"\n", ++num,
						    role, name ? name : "?");
						fails++;
						bad = 1;
					}
				}
			}
			if (!bad)
				fprintf(out, "ok %d - portal\n", ++num);
			json_decref(portal);
		}
	}
	*nump = num;
	json_decref(names);
	arena_free(&a);
	rules_close(r);
	return fails;
}

/* ------------------------------------------------------ result cache */

/*
 * Report answers are cached in Redis under the current generation
 * (REPORT_GEN_KEY).  Every successful state-changing request bumps it
 * after its transaction committed (router.c), and so does each run of the
 * pool job (server.c): a reader reads the generation BEFORE it queries, so
 * what it stores under an old generation is never served once the bump is
 * visible.  Writes that bypass both (crmctl, SQL by hand) are seen after
 * CRM_REPORT_CACHE_TTL seconds (cfg) at most.  Redis away: no cache.
 */
#define REPORT_GEN_KEY	"rpt:gen"

/* See extern.h. */
void
report_cache_bump(struct cache *cache, struct arena *a)
{
	const char	*argv[2] = { "INCR", REPORT_GEN_KEY };

	if (cache == NULL || cache_cmdv(cache, a, 2, argv) == NULL)
		log_warn("report cache: generation not bumped (Redis away); "
		    "cached reports expire within %d s", cfg.report_cache_ttl);
}

/* See extern.h. */
const char *
report_cache_gen(struct cache *cache, struct arena *a)
{
	const char	*get[2] = { "GET", REPORT_GEN_KEY };
	redisReply	*r;

	if (cache == NULL || cfg.report_cache_ttl == 0 ||
	    (r = cache_cmdv(cache, a, 2, get)) == NULL)
		return NULL;
	if (r->type == REDIS_REPLY_STRING)
		return arena_strndup(a, r->str, r->len);
	/* First use, or Redis lost its data: start at a random number, so
	 * no entry written under an earlier life of the counter matches. */
	{
		const char *set[4] = { "SET", REPORT_GEN_KEY, NULL, "NX" };

		set[2] = arena_printf(a, "%ld%06ld", (long)time(NULL),
		    (long)(random() % 1000000));
		(void)cache_cmdv(cache, a, 4, set);
	}
	if ((r = cache_cmdv(cache, a, 2, get)) == NULL ||
	    r->type != REDIS_REPLY_STRING)
		return NULL;
	return arena_strndup(a, r->str, r->len);
}
