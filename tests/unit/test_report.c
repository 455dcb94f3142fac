/*
 * test_report.c: unit tests for fcgi/report.c, the report compiler (cmocka).
 *
 * Definitions are JSON here (the shape the rules/reports files encode
 * to).  What is checked: refusals name the report and the item at fault;
 * nothing of a definition's text reaches the SQL; every parameter stays in
 * $1..$17; visibility and "mine" are always part of the statement; the
 * built-in rules/reports files all compile (run from the top of the tree).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "extern.h"

static struct arena	 a;

static int
setup(void **state)
{
	(void)state;
	arena_init(&a, 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_free(&a);
	return 0;
}

static json_t *
def(const char *text)
{
	json_error_t	 je;
	json_t		*v = json_loads(text, 0, &je);

	if (v == NULL)
		fail_msg("bad test JSON: %s", je.text);
	return v;
}

/* Parse text as report name; expect failure naming field and needle. */
static void
refused(const char *name, const char *text, const char *field,
    const char *needle)
{
	struct report	 rp;
	struct rerr	 e;
	json_t		*d = def(text);

	assert_int_equal(report_parse(&a, name, d, &rp, &e), -1);
	assert_string_equal(e.field, field);
	if (strstr(e.en, needle) == NULL || strstr(e.en, name) == NULL)
		fail_msg("message \"%s\" lacks \"%s\" or the name", e.en,
		    needle);
	assert_non_null(strstr(e.zh, name));
	json_decref(d);
}

static const char *const good =
    "{\"title\":{\"zh\":\"区域\",\"en\":\"Regions\"},\"kind\":\"stat\","
    "\"source\":\"deals\",\"filters\":[{\"name\":\"from\",\"default\":"
    "\"year_start\"},{\"name\":\"to\",\"default\":\"year_end\"},"
    "{\"name\":\"region\"}],\"columns\":[{\"key\":\"region\",\"field\":"
    "\"region\"},{\"key\":\"amount\",\"measure\":\"sum\",\"field\":"
    "\"amount\"}],\"pivot\":{\"measure\":\"count\"},\"chart\":{\"type\":"
    "\"pie\",\"values\":[\"amount\"]},\"drill\":\"q06_deals\"}";

static void
compiles(void **state)
{
	struct report	 rp;
	struct rerr	 e;
	struct rlayout	 l;
	json_t		*d = def(good);
	char		*sql;

	(void)state;
	assert_int_equal(report_parse(&a, "c_x", d, &rp, &e), 0);
	assert_int_equal(rp.ncols, 14);	/* region, amount, m01..m12 */
	assert_string_equal(rp.cols[2].key, "m01");
	assert_string_equal(rp.category, "region");
	assert_string_equal(rp.drill, "q06_deals");
	assert_non_null(sql = report_sql(&a, &rp));
	/* Visibility by the record's person, the filters, the month pivot. */
	assert_non_null(strstr(sql, "crm_managed_depts($1::bigint)"));
	assert_non_null(strstr(sql, "x.deal_date >= $7::date"));
	assert_non_null(strstr(sql, "x.deal_date <= $8::date"));
	assert_non_null(strstr(sql, "c.region is not distinct from "
	    "nullif($9, '-')"));
	assert_non_null(strstr(sql, "extract(month from x.deal_date) = 12"));
	assert_null(strstr(sql, "$18"));
	assert_null(strstr(sql, "Regions"));	/* labels never reach SQL */
	report_layout(&rp, &l);
	assert_int_equal(l.link, -1);		/* a statistic has no links */
	assert_true(l.raw[0] > 0 && l.sum[1] > 0 && l.raw[1] == -1);
	json_decref(d);
}

static void
mine_and_links(void **state)
{
	struct report	 rp;
	struct rerr	 e;
	struct rlayout	 l;
	json_t		*d = def("{\"kind\":\"query\",\"source\":\"visits\","
			    "\"mine\":true,\"columns\":[{\"field\":\"name\"},"
			    "{\"key\":\"t\",\"field\":\"visit_time\"}],"
			    "\"filters\":[\"q\",\"customer\"]}");
	char		*sql;

	(void)state;
	assert_int_equal(report_parse(&a, "c_v", d, &rp, &e), 0);
	assert_non_null(sql = report_sql(&a, &rp));
	assert_non_null(strstr(sql, "and x.staff_id = $1::bigint"));
	assert_null(strstr(sql, "crm_managed_depts"));
	assert_non_null(strstr(sql, "customer_search s where s.doc ilike $17"));
	assert_non_null(strstr(sql, "c.id = $16::bigint"));
	assert_string_equal(rp.sort, "name");
	report_layout(&rp, &l);
	assert_string_equal(l.link_type, "document");
	assert_true(l.link > 0);
	json_decref(d);
}

static void
customer_visibility(void **state)
{
	struct report	 rp;
	struct rerr	 e;
	json_t		*d = def("{\"kind\":\"stat\",\"source\":\"customers\","
			    "\"columns\":[{\"field\":\"status\"},{\"key\":\"n\","
			    "\"measure\":\"count\"},{\"key\":\"s\",\"measure\":"
			    "\"share\"}]}");
	char		*sql;

	(void)state;
	assert_int_equal(report_parse(&a, "c_c", d, &rp, &e), 0);
	assert_non_null(sql = report_sql(&a, &rp));
	assert_non_null(strstr(sql, "customer_shares sh"));
	assert_non_null(strstr(sql, "group by 1"));
	json_decref(d);
}

static void
refusals(void **state)
{
	(void)state;
	refused("c_a", "{\"kind\":\"stat\",\"source\":\"deals\",\"columns\":"
	    "[{\"key\":\"a\",\"measure\":\"sum\",\"field\":\"amountt\"}]}",
	    "columns", "unknown field \"amountt\" in columns");
	refused("c_b", "{\"kind\":\"stat\",\"source\":\"nope\",\"columns\":[]}",
	    "source", "unknown source \"nope\"");
	refused("c_c", "{\"kind\":\"table\",\"source\":\"deals\"}", "kind",
	    "kind \"table\"");
	refused("c_d", "{\"kind\":\"query\",\"source\":\"deals\",\"columns\":"
	    "[{\"field\":\"amount\"}],\"select\":\"1\"}", "select",
	    "unknown item \"select\"");
	refused("c_e", "{\"kind\":\"query\",\"source\":\"deals\",\"columns\":"
	    "[{\"key\":\"a b\",\"field\":\"amount\"}]}", "columns",
	    "column key \"a b\"");
	refused("c_f", "{\"kind\":\"query\",\"source\":\"deals\",\"columns\":"
	    "[{\"key\":\"n\",\"measure\":\"count\"}]}", "columns",
	    "measure \"count\" in a query report");
	refused("c_g", "{\"kind\":\"stat\",\"source\":\"activity\","
	    "\"columns\":[{\"field\":\"staff\"},{\"key\":\"n\",\"measure\":"
	    "\"count\"}],\"filters\":[\"region\"]}", "filters",
	    "filter \"region\" does not apply");
	refused("c_h", "{\"kind\":\"stat\",\"source\":\"deals\",\"columns\":"
	    "[{\"field\":\"notes\"},{\"key\":\"n\",\"measure\":\"count\"}]}",
	    "columns", "field \"notes\" cannot group");
	refused("c_i", "{\"kind\":\"stat\",\"source\":\"deals\",\"columns\":"
	    "[{\"field\":\"region\"}]}", "columns", "needs a measure");
	refused("c_j", "{\"kind\":\"stat\",\"source\":\"deals\",\"columns\":"
	    "[{\"field\":\"region\"},{\"key\":\"n\",\"measure\":\"count\"}],"
	    "\"filters\":[{\"name\":\"from\",\"default\":\"tomorrow\"}]}",
	    "filters", "unknown default \"tomorrow\"");
	refused("c_k", "{\"kind\":\"stat\",\"source\":\"deals\",\"columns\":"
	    "[{\"field\":\"region\"},{\"key\":\"n\",\"measure\":\"count\"}],"
	    "\"chart\":{\"type\":\"radar\"}}", "chart", "chart type \"radar\"");
	refused("c_l", "{\"kind\":\"stat\",\"source\":\"deals\",\"columns\":"
	    "[{\"field\":\"region\"},{\"key\":\"n\",\"measure\":\"count\"}],"
	    "\"drill\":\"x'; drop\"}", "drill", "is not a report name");
	refused("c_m", "{\"kind\":\"stat\",\"source\":\"deals\",\"columns\":"
	    "[{\"field\":\"region\"},{\"key\":\"n\",\"measure\":\"count\"}],"
	    "\"roles\":[\"boss\"]}", "roles", "unknown role \"boss\"");
	refused("c_n", "{\"kind\":\"stat\",\"source\":\"deals\",\"columns\":"
	    "[{\"field\":\"region\"}],\"pivot\":{\"measure\":\"count\"}}",
	    "pivot", "needs the from and to filters");
}

static void
dates_and_defaults(void **state)
{
	(void)state;
	assert_true(report_date_ok("2024-02-29"));
	assert_false(report_date_ok("2023-02-29"));
	assert_false(report_date_ok("2026-13-01"));
	assert_false(report_date_ok("2026-1-01"));
	assert_false(report_date_ok("2026-01-01x"));
	assert_string_equal(report_default(&a, "me", 42), "42");
	assert_int_equal(strlen(report_default(&a, "month_end", 0)), 10);
	assert_string_equal(report_default(&a, "year_start", 0) + 4, "-01-01");
	assert_true(report_date_ok(report_default(&a, "month_end", 0)));
	assert_true(report_key_ok("s01_a"));
	assert_false(report_key_ok("S01"));
	assert_false(report_key_ok("a-b"));
	assert_false(report_key_ok(""));
}

/* Every built-in report file compiles (the same as crmctl rules check). */
static void
builtins(void **state)
{
	struct rules	*r;
	json_t		*names, *n, *d;
	struct report	 rp;
	struct rerr	 e;
	char		*err;
	size_t		 i;

	(void)state;
	assert_non_null(r = rules_open("rules", 0, 0));
	names = report_builtin_names("rules");
	assert_int_equal(json_array_size(names), 26);
	json_array_foreach(names, i, n) {
		d = report_builtin_def(r, &a, json_string_value(n), &err);
		if (d == NULL)
			fail_msg("%s", err);
		if (report_parse(&a, json_string_value(n), d, &rp, &e) != 0)
			fail_msg("%s", e.en);
		assert_non_null(report_sql(&a, &rp));
		json_decref(d);
	}
	json_decref(names);
	rules_close(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(compiles, setup, teardown),
		cmocka_unit_test_setup_teardown(mine_and_links, setup, teardown),
		cmocka_unit_test_setup_teardown(customer_visibility, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(dates_and_defaults, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(builtins, setup, teardown),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
