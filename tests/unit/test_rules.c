/*
 * test_rules.c: unit tests of the Lua host (fcgi/rules.c).
 *
 * Hostile rule files live in tests/unit/rules_hostile/ (run from the top of
 * the source tree, as `make unit` does).  Every hostile call must fail with
 * a message naming the file, and the same handle must then still answer
 * good.lua correctly.  Reload tests write their own rule files into a
 * temporary folder.  The shipped rules/ must pass rules_check.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "extern.h"

#define HOSTILE		"tests/unit/rules_hostile"
#define SHIPPED		"rules"
#define TEST_MEM	((size_t)16 * 1024 * 1024)
#define TEST_BUDGET	2000000L
/*
 * Not a performance assertion: the host's own wall-clock limit is one
 * second, so a call running past this has escaped every limit (a hang).
 */
#define HANG_MS		5000

static struct arena	 A;
static long		 slowest_ms;
static char		 slowest[128];
static char		*report;	/* of the last rules_check; freed at exit */

/*
 * Under valgrind Lua runs some 50 times slower, and under AddressSanitizer
 * several times, so the host's one-second wall-clock limit may stop a loop
 * before its instruction budget does.  Both are clean stops; only there is
 * one accepted for the other.
 */
static int
slow_run(void)
{
	const char	*p = getenv("LD_PRELOAD");

#if defined(__SANITIZE_ADDRESS__)
	return 1;
#endif
	return p != NULL && strstr(p, "vgpreload") != NULL;
}

static int
msg_has(const char *err, const char *want)
{
	if (strstr(err, want) != NULL)
		return 1;
	return slow_run() && strstr(want, "instruction budget exceeded") &&
	    strstr(err, "time limit exceeded");
}

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)((t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000);
}

/* One call; the answer lives in the test arena until the next reset. */
static int
call(struct rules *r, const char *name, const char *fn, const char *args,
    char **out, char **err)
{
	struct timespec	 t0;
	long		 ms;
	int		 rc;

	arena_reset(&A);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = rules_call(r, &A, name, fn, args, out, err);
	ms = elapsed_ms(&t0);
	if (ms > slowest_ms) {
		slowest_ms = ms;
		snprintf(slowest, sizeof(slowest), "%s.%s", name, fn);
	}
	if (ms > HANG_MS)
		fail_msg("%s.%s ran %ld ms: a limit did not stop it", name, fn,
		    ms);
	return rc;
}

static void
expect_ok(struct rules *r, const char *name, const char *fn,
    const char *args, const char *want)
{
	char	*out, *err;

	if (call(r, name, fn, args, &out, &err) != 0)
		fail_msg("%s.%s failed: %s", name, fn, err);
	assert_null(err);
	assert_non_null(out);
	if (strcmp(out, want) != 0)
		fail_msg("%s.%s: expected %s, got %s", name, fn, want, out);
}

/* The handle still answers normal calls correctly. */
static void
still_works(struct rules *r)
{
	expect_ok(r, "good", "add", "[2, 3]", "5");
	expect_ok(r, "good", "upper", "[\"a\"]", "\"AB\"");
}

/* A failing call: message names the file (and want), handle still works. */
static void
expect_fail_in(struct rules *r, const char *name, const char *fn,
    const char *args, const char *file, const char *want)
{
	char	*out, *err;

	if (call(r, name, fn, args, &out, &err) != -1)
		fail_msg("%s.%s: expected a failure, got %s", name, fn, out);
	assert_null(out);
	assert_non_null(err);
	if (strncmp(err, file, strlen(file)) != 0)
		fail_msg("%s.%s: message does not start with %s: %s", name, fn,
		    file, err);
	if (want != NULL && !msg_has(err, want))
		fail_msg("%s.%s: expected \"%s\" in: %s", name, fn, want, err);
	still_works(r);
}

static void
expect_fail(struct rules *r, const char *name, const char *fn,
    const char *args, const char *want)
{
	char	 file[128];

	snprintf(file, sizeof(file), "rules/%s.lua", name);
	expect_fail_in(r, name, fn, args, file, want);
}

static int
open_hostile(void **state)
{
	struct rules	*r;

	if ((r = rules_open(HOSTILE, TEST_MEM, TEST_BUDGET)) == NULL)
		return -1;
	*state = r;
	return 0;
}

static int
close_rules(void **state)
{
	rules_close(*state);
	return 0;
}

/* ------------------------------------------------------------- helpers */

static void
write_file(const char *dir, const char *name, const char *text, size_t len,
    time_t mtime)
{
	char		 path[PATH_MAX];
	struct timespec	 ts[2];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	/* An explicit, different mtime: the edit is seen even within a tick. */
	ts[0].tv_sec = ts[1].tv_sec = mtime;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void
write_rule(const char *dir, const char *name, const char *text, time_t mtime)
{
	write_file(dir, name, text, strlen(text), mtime);
}

static char *
make_tmpdir(void)
{
	static char	 dir[64];

	snprintf(dir, sizeof(dir), "/tmp/test_rules.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return dir;
}

static void
remove_tmpdir(const char *dir)
{
	const char *const names[] = { "mod.lua", "dep.lua", "user.lua",
	    "broken.lua", "bytecode.lua", "uses_bytecode.lua", "leak.lua",
	    "never.lua", "lib.lua", "app.lua", "rows.lua", NULL };
	const char *const	*n;
	char			 path[PATH_MAX];

	for (n = names; *n != NULL; n++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		(void)unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* Run rules_check on dir; the report goes into *text (see report). */
static int
check_dir(const char *dir, char **text)
{
	size_t	 len;
	FILE	*f;
	int	 rc;

	free(report);
	report = NULL;
	assert_non_null(f = open_memstream(&report, &len));
	rc = rules_check(dir, f);
	assert_int_equal(fclose(f), 0);
	*text = report;		/* set by fclose */
	return rc;
}

/* --------------------------------------------------------------- tests */

static void
test_good_calls(void **state)
{
	struct rules	*r = *state;

	expect_ok(r, "good", "add", "[40, 2]", "42");
	expect_ok(r, "good", "add", "[0.5, 0.25]", "0.75");
	expect_ok(r, "good", "echo", "[\"first\", \"second\"]", "\"first\"");
	expect_ok(r, "good", "echo", NULL, "null");
	expect_ok(r, "good", "count", "[1, null, 3]", "3");
	expect_ok(r, "good", "count", "[]", "0");
	expect_ok(r, "good", "const", NULL, "[1,2,3]");
	expect_ok(r, "good", "const", "[\"ignored\"]", "[1,2,3]");
	expect_ok(r, "good", "empty", NULL, "{}");
	expect_ok(r, "good", "empty_array", NULL, "[]");
	expect_ok(r, "good", "nothing", NULL, "null");
	expect_ok(r, "good", "holes", NULL, "{\"1\":\"a\",\"2\":\"b\",\"4\":\"d\"}");
	expect_ok(r, "good", "mixed", NULL, "{\"1\":1,\"2\":2,\"x\":3}");
	expect_ok(r, "good", "null_in_array", NULL, "[1,null,3]");
}

static void
test_json_round_trip(void **state)
{
	struct rules	*r = *state;
	char		 deep[512];
	size_t		 i;

	/* Nested objects and arrays, 64-bit integers, UTF-8, NUL, empties. */
	expect_ok(r, "good", "echo",
	    "[{\"a\":[1,2.5,\"x\",null,true,false,{\"b\":[]}],"
	    "\"big\":9007199254740993,\"e\":{},\"min\":-9223372036854775807,"
	    "\"s\":\"\xe4\xb8\xad\xe6\x96\x87\\u0000z\",\"t\":[[[[\"deep\"]]]]}]",
	    "{\"a\":[1,2.5,\"x\",null,true,false,{\"b\":[]}],"
	    "\"big\":9007199254740993,\"e\":{},\"min\":-9223372036854775807,"
	    "\"s\":\"\xe4\xb8\xad\xe6\x96\x87\\u0000z\",\"t\":[[[[\"deep\"]]]]}");
	/* A null member is an absent field. */
	expect_ok(r, "good", "echo", "[{\"n\":null,\"k\":1}]", "{\"k\":1}");
	expect_ok(r, "good", "echo", "[0.1]", "0.1");
	expect_ok(r, "good", "echo", "[-0.0]", "-0.0");
	expect_ok(r, "good", "echo", "[[3.0, 1e300, 1e-7, -2.5e-300, 1.5e15]]",
	    "[3.0,1e300,1e-7,-2.5e-300,1.5e15]");
	expect_ok(r, "good", "add", "[0.1, 0.2]", "0.3");

	/* Bad arguments are refused before any Lua runs. */
	expect_fail(r, "good", "echo", "{\"not\":\"an array\"}",
	    "must be a JSON array");
	expect_fail(r, "good", "echo", "[1,", "must be a JSON array");
	expect_fail(r, "good", "echo",
	    "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]", "more than 16");
	for (i = 0; i < 70; i++)
		deep[i] = '[';
	deep[i] = '\0';
	for (; i < 140; i++)
		deep[i] = ']';
	deep[i] = '\0';
	expect_fail(r, "good", "echo", deep, "nested deeper than 64");

	/* Results that have no JSON form. */
	expect_fail(r, "recursion", "deep_result", NULL, "nested too deeply");
	expect_fail(r, "recursion", "cyclic_result", NULL, "nested too deeply");
	expect_fail(r, "recursion", "function_result", NULL,
	    "at result.f: a function value");
	expect_fail(r, "recursion", "nested_path", NULL,
	    "at result.a[2].b: a function value");
	/* JSON escapes, UTF-8 kept as is, integer keys as strings. */
	expect_ok(r, "recursion", "escapes", NULL,
	    "{\"1\":\"q\\\"b\\\\n\\nt\\tc\\u0001\\u001f"
	    "\xc3\xa9\xe4\xb8\xad\x7f\",\"10\":1,\"2\":true,\"k\\\"\":false}");
	expect_fail(r, "recursion", "nan_result", NULL, "NaN or infinity");
	expect_fail(r, "recursion", "inf_result", NULL, "NaN or infinity");
	expect_fail(r, "recursion", "bad_utf8_result", NULL, "UTF-8");
	expect_fail(r, "recursion", "float_key_result", NULL,
	    "fractional number");
}

static void
test_budget(void **state)
{
	struct rules	*r = *state;

	expect_fail(r, "loop", "run", NULL,
	    "rules/loop.lua:3: instruction budget exceeded");
	expect_fail(r, "pcall_loop", "run", NULL,
	    "instruction budget exceeded");
	expect_fail(r, "pcall_loop", "xpcall_handler", NULL,
	    "instruction budget exceeded");
	expect_fail(r, "pcall_loop", "handler_loops", NULL,
	    "instruction budget exceeded");
	expect_fail(r, "pcall_loop", "nested", NULL, NULL);
	expect_fail(r, "pcall_loop", "catch_and_return", NULL,
	    "instruction budget exceeded");
	expect_fail(r, "pcall_loop", "error_in_loop", NULL,
	    "instruction budget exceeded");
	/* C loops that run no Lua instructions are charged too. */
	expect_fail(r, "recursion", "table_move", NULL,
	    "instruction budget exceeded");
	expect_fail(r, "recursion", "table_insert_len", NULL,
	    "instruction budget exceeded");
	/* Cheap instructions copying megabytes: the clock stops them. */
	expect_fail(r, "memory", "slow_copies", NULL, "time limit exceeded");
}

static void
test_memory(void **state)
{
	struct rules	*r = *state;

	expect_fail(r, "memory", "table_growth", NULL,
	    "rules/memory.lua:8: memory cap exceeded");
	expect_fail(r, "memory", "growth_in_pcall", NULL,
	    "memory cap exceeded");
	expect_fail(r, "memory", "catch_and_return", NULL,
	    "memory cap exceeded");
	expect_fail(r, "memory", "rep_huge", NULL, "memory cap exceeded");
	expect_fail(r, "memory", "rep_too_large", NULL,
	    "resulting string too large");
	expect_fail(r, "memory", "rep_method", NULL, "memory cap exceeded");
	expect_fail(r, "memory", "concat_doubling", NULL,
	    "memory cap exceeded");
	expect_fail(r, "memory", "concat_in_pcall", NULL,
	    "memory cap exceeded");
	/* string.rep of "" a huge number of times: no endless C loop. */
	expect_ok(r, "memory", "rep_empty", NULL, "0");
	/* Many failures in a row leave nothing behind. */
	expect_fail(r, "memory", "table_growth", NULL, "memory cap exceeded");
	expect_fail(r, "memory", "table_growth", NULL, "memory cap exceeded");
}

static void
test_escape(void **state)
{
	struct rules	*r = *state;

	expect_fail(r, "escape", "touch_G", NULL, "unknown name '_G'");
	expect_fail(r, "escape", "os", NULL, "rules/escape.lua:5: unknown "
	    "name 'os'");
	expect_fail(r, "escape", "io", NULL, "unknown name 'io'");
	expect_fail(r, "escape", "require", NULL, "unknown name 'require'");
	expect_fail(r, "escape", "dofile", NULL, "unknown name 'dofile'");
	expect_fail(r, "escape", "loadfile", NULL, "unknown name 'loadfile'");
	expect_fail(r, "escape", "load_bytecode", NULL, "unknown name 'load'");
	expect_fail(r, "escape", "string_dump", NULL, "dump");
	expect_fail(r, "escape", "debug", NULL, "unknown name 'debug'");
	expect_fail(r, "escape", "collectgarbage", NULL,
	    "unknown name 'collectgarbage'");
	expect_fail(r, "escape", "set_global", NULL, "cannot set global 'x'");
	expect_fail(r, "escape", "set_library", NULL, "read-only");
	expect_fail(r, "escape", "rawset_library", NULL, "read-only");
	expect_fail(r, "escape", "rawset_pairs_state", NULL, "read-only");
	expect_fail(r, "escape", "setmetatable_library", NULL,
	    "protected metatable");
	expect_fail(r, "escape", "string_metatable", NULL, NULL);
	expect_fail(r, "escape", "string_metatable_set", NULL, NULL);
	expect_fail(r, "escape", "setmetatable_env", NULL,
	    "protected metatable");
	expect_fail(r, "escape", "gc_metamethod", NULL, "__gc");
	expect_fail(r, "escape", "crm_changed", NULL, "read-only");
	expect_ok(r, "escape", "all_caught", NULL, "\"ABCD\"");
	expect_ok(r, "escape", "pairs_library", NULL, "true");
	expect_ok(r, "escape", "own_env", NULL, "1");
	/* Another file still sees the library whole. */
	expect_ok(r, "good", "upper", "[\"xyz\"]", "\"XYZB\"");
}

static void
test_recursion_and_patterns(void **state)
{
	struct rules	*r = *state;

	expect_fail(r, "recursion", "endless", NULL, "rules/recursion.lua:4: "
	    "memory cap exceeded");
	expect_fail(r, "recursion", "metamethod", NULL, "stack overflow");
	expect_fail(r, "recursion", "tostring_loop", NULL, "stack overflow");
	expect_fail(r, "recursion", "pattern_bomb", NULL,
	    "pattern too complex");
	expect_fail(r, "recursion", "pattern_method_bomb", NULL,
	    "pattern too complex");
	expect_fail(r, "recursion", "pattern_gsub_bomb", NULL,
	    "pattern too complex");
	expect_ok(r, "recursion", "pattern_fine", NULL, "\"trim me\"");
	expect_fail(r, "recursion", "error_table", NULL,
	    "error object is a table value");
	expect_fail(r, "recursion", "error_plain", NULL,
	    "rules/recursion.lua:33: plain message");
}

static void
test_load_failures(void **state)
{
	struct rules	*r = *state;
	const char	*last;

	expect_fail(r, "syntax", "run", NULL, "rules/syntax.lua:4:");
	assert_non_null(last = rules_last_error(r));
	expect_fail(r, "load_error", "x", NULL,
	    "rules/load_error.lua:2: refused at load time");
	expect_fail(r, "not_table", "x", NULL,
	    "must return a table, not number");
	expect_fail(r, "no_such_rule", "x", NULL, "rules/no_such_rule.lua: "
	    "not found");
	expect_fail(r, "good", "no_such_entry", NULL, "entry 'no_such_entry' "
	    "not found");
	expect_fail_in(r, "../etc/passwd", "x", NULL, "rules: bad rule name",
	    NULL);
	expect_fail_in(r, "Good", "add", NULL, "rules: bad rule name", NULL);
	expect_fail_in(r, "a//b", "add", NULL, "rules: bad rule name", NULL);
	expect_fail(r, "good", "", NULL, "bad entry name");
	/* The same broken file answers the same error, without a crash. */
	expect_fail(r, "syntax", "run", NULL, "rules/syntax.lua:4:");
	assert_non_null(last = rules_last_error(r));
	assert_non_null(strstr(last, "rules/"));
}

static void
test_require(void **state)
{
	struct rules	*r = *state;

	expect_ok(r, "requires", "twice", "[21]", "42");
	expect_fail(r, "recursion", "require_escape", NULL, "bad rule name");
	expect_fail(r, "recursion", "require_missing", NULL,
	    "rules/recursion.lua:44: rules/no_such_rule.lua: not found");
	/* The chain depends on which of the two loaded first. */
	expect_fail(r, "recursion", "require_circular", NULL,
	    "rules/recursion.lua:45: rules/circular_a.lua:1: "
	    "rules/circular_b.lua");
	expect_fail(r, "recursion", "require_circular", NULL,
	    "circular crm.require (the file is still loading)");
}

/* The reload test's mod.lua gives want, whatever its file now holds. */
static void
expect_mod(struct rules *r, const char *want)
{
	char	*out, *err;

	if (call(r, "mod", "v", NULL, &out, &err) != 0)
		fail_msg("mod.v failed: %s", err);
	assert_string_equal(out, want);
}

static void
expect_last_error(struct rules *r, const char *want)
{
	const char	*last = rules_last_error(r);

	if (last == NULL || strstr(last, want) == NULL)
		fail_msg("expected \"%s\" in the last error: %s", want,
		    last ? last : "(none)");
}

/* What the rules_call_rows callback saw, row by row. */
struct seen_rows {
	char	 text[4][256];
	size_t	 n;
	size_t	 stop_at;	/* return -1 at this row (0: never) */
};

static int
collect_row(void *arg, size_t i, const char *const *v)
{
	struct seen_rows	*s = arg;

	if (s->stop_at != 0 && i + 1 == s->stop_at)
		return -1;
	assert_true(i < 4);
	snprintf(s->text[i], sizeof(s->text[i]), "%s|%s|%s|%s",
	    v[0] ? v[0] : "(nil)", v[1] ? v[1] : "(nil)",
	    v[2] ? v[2] : "(nil)", v[3] ? v[3] : "(nil)");
	s->n++;
	return 0;
}

/* rules_call_rows: rows in as Lua tables, members out row by row. */
static void
test_call_rows(void **state)
{
	static const char *const fields[] = { "first", "t", "tag", "none" };
	static const int as_json[] = { 0, 1, 0, 0 };
	const char *const cells[] = { "a", "b", NULL, "c\"d\t" };
	struct rules		*r;
	struct seen_rows	 s;
	const char		*dir = make_tmpdir();
	char			*err;

	(void)state;
	assert_non_null(r = rules_open(dir, TEST_MEM, TEST_BUDGET));
	write_rule(dir, "rows.lua", "return {\n"
	    "pick = function(tag, rows)\n"
	    "  local out = {}\n"
	    "  for i, c in ipairs(rows) do\n"
	    "    out[i] = { first = c[1], tag = tag .. #c, t = { a = c[2], "
	    "l = crm.array() } }\n"
	    "  end\n"
	    "  return out\n"
	    "end,\n"
	    "short = function(tag, rows) return { {} } end,\n"
	    "number = function(tag, rows) return { { first = 1 }, {} } end,\n"
	    "bytes = function(tag, rows) return { { first = 'a\\255' }, {} } "
	    "end,\n"
	    "nul = function(tag, rows) return { { first = 'a\\0b' }, {} } "
	    "end,\n"
	    "loop = function(tag, rows) while true do end end,\n"
	    "grow = function(tag, rows)\n"
	    "  local t = {}\n"
	    "  while true do t[#t + 1] = { tag } end\n"
	    "end,\n"
	    "}\n", time(NULL) - 10);
	memset(&s, 0, sizeof(s));
	assert_int_equal(rules_call_rows(r, &A, "rows", "pick", "[\"x\"]",
	    cells, 2, 2, fields, as_json, 4, collect_row, &s, &err), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.text[0], "a|{\"a\":\"b\",\"l\":[]}|x2|(nil)");
	assert_string_equal(s.text[1],
	    "|{\"a\":\"c\\\"d\\t\",\"l\":[]}|x2|(nil)");
	/* A result of the wrong length, a member of the wrong type. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(rules_call_rows(r, &A, "rows", "short", "[\"x\"]",
	    cells, 2, 2, fields, as_json, 4, collect_row, &s, &err), -1);
	assert_non_null(strstr(err, "an array of 2 tables"));
	assert_int_equal(rules_call_rows(r, &A, "rows", "number", "[\"x\"]",
	    cells, 2, 2, fields, as_json, 4, collect_row, &s, &err), -1);
	assert_non_null(strstr(err, "result[1].first is not a string"));
	assert_int_equal(rules_call_rows(r, &A, "rows", "bytes", "[\"x\"]",
	    cells, 2, 2, fields, as_json, 4, collect_row, &s, &err), -1);
	assert_non_null(strstr(err, "result[1].first is not valid UTF-8"));
	assert_int_equal(rules_call_rows(r, &A, "rows", "nul", "[\"x\"]",
	    cells, 2, 2, fields, as_json, 4, collect_row, &s, &err), -1);
	assert_non_null(strstr(err, "result[1].first is not valid UTF-8"));
	/*
	 * Row calls run without the counting hook: the clock stops a loop
	 * (at RULES_TIME_MS, within the hang limit), the cap a growth, and
	 * pcall cannot catch either; the handle answers normally after.
	 */
	assert_int_equal(rules_call_rows(r, &A, "rows", "loop", "[\"x\"]",
	    cells, 2, 2, fields, as_json, 4, collect_row, &s, &err), -1);
	assert_non_null(strstr(err, "time limit exceeded"));
	assert_int_equal(rules_call_rows(r, &A, "rows", "grow", "[\"x\"]",
	    cells, 2, 2, fields, as_json, 4, collect_row, &s, &err), -1);
	assert_non_null(strstr(err, "memory cap exceeded"));
	assert_non_null(strstr(err, "rules/rows.lua:"));
	/* The callback stops the walk: the call fails. */
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	assert_int_equal(rules_call_rows(r, &A, "rows", "pick", "[\"x\"]",
	    cells, 2, 2, fields, as_json, 4, collect_row, &s, &err), -1);
	assert_int_equal(s.n, 1);
	assert_non_null(strstr(err, "stopped"));
	/* The handle still answers. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(rules_call_rows(r, &A, "rows", "pick", NULL, cells, 1,
	    2, fields, as_json, 4, collect_row, &s, &err), -1);
	assert_non_null(strstr(err, "rules/rows.lua"));
	memset(&s, 0, sizeof(s));
	assert_int_equal(rules_call_rows(r, &A, "rows", "pick", "[\"y\"]",
	    cells + 2, 1, 2, fields, as_json, 4, collect_row, &s, &err), 0);
	assert_string_equal(s.text[0],
	    "|{\"a\":\"c\\\"d\\t\",\"l\":[]}|y2|(nil)");
	arena_reset(&A);
	rules_close(r);
	remove_tmpdir(dir);
}

static void
test_reload(void **state)
{
	struct rules	*r;
	const char	*dir = make_tmpdir();
	char		 path[PATH_MAX], *out, *err;
	time_t		 t = time(NULL) - 1000;

	(void)state;
	assert_non_null(r = rules_open(dir, TEST_MEM, TEST_BUDGET));
	write_rule(dir, "mod.lua", "return { v = function() return 1 end }\n",
	    t);
	expect_mod(r, "1");
	/* An edit shows on the next call. */
	write_rule(dir, "mod.lua", "return { v = function() return 2 end }\n",
	    t + 1);
	expect_mod(r, "2");
	assert_null(rules_last_error(r));
	/* A broken edit keeps the last good version and is reported. */
	write_rule(dir, "mod.lua", "return {\n  v = function() return 3 end,\n"
	    "  w = = 1,\n}\n", t + 2);
	expect_mod(r, "2");
	expect_last_error(r, "rules/mod.lua:3:");
	/* Fixed: the new version, and no error left. */
	write_rule(dir, "mod.lua", "return { v = function() return 4 end }\n",
	    t + 3);
	expect_mod(r, "4");
	assert_null(rules_last_error(r));
	/* A runtime error at load and a non-table are broken edits too. */
	write_rule(dir, "mod.lua", "error('no')\n", t + 4);
	expect_mod(r, "4");
	expect_last_error(r, "rules/mod.lua:1: no");
	write_rule(dir, "mod.lua", "return 'text'\n", t + 5);
	expect_mod(r, "4");
	expect_last_error(r, "rules/mod.lua: must return a table, not string");
	/* Deleted: the last good version stays; the loss is reported. */
	snprintf(path, sizeof(path), "%s/mod.lua", dir);
	assert_int_equal(unlink(path), 0);
	expect_mod(r, "4");
	expect_last_error(r, "rules/mod.lua: file is missing");
	/* A file that never loaded gives its error to the caller. */
	write_rule(dir, "broken.lua", "\n\nreturn {\n", t);
	assert_int_equal(call(r, "broken", "v", NULL, &out, &err), -1);
	if (strncmp(err, "rules/broken.lua:4:", 19) != 0)
		fail_msg("error: %s", err);
	rules_close(r);
	remove_tmpdir(dir);
}

static void
test_reload_dependencies(void **state)
{
	struct rules	*r;
	const char	*dir = make_tmpdir();
	time_t		 t = time(NULL) - 1000;
	char		*out, *err;

	(void)state;
	assert_non_null(r = rules_open(dir, TEST_MEM, TEST_BUDGET));
	write_rule(dir, "dep.lua", "return { x = 1 }\n", t);
	write_rule(dir, "user.lua", "local dep = crm.require('dep')\n"
	    "return { get = function() return dep.x end }\n", t);
	assert_int_equal(call(r, "user", "get", NULL, &out, &err), 0);
	assert_string_equal(out, "1");
	/* The required file changes: its user is reloaded with it. */
	write_rule(dir, "dep.lua", "return { x = 2 }\n", t + 1);
	assert_int_equal(call(r, "user", "get", NULL, &out, &err), 0);
	assert_string_equal(out, "2");
	/*
	 * user.lua broken, then dep.lua changes: user is reloaded from its
	 * last good text with the new dep, and stays reported as broken.
	 */
	write_rule(dir, "user.lua", "local dep = crm.require('dep')\n"
	    "return { get = function() return dep.x end\n", t + 1);
	assert_int_equal(call(r, "user", "get", NULL, &out, &err), 0);
	assert_string_equal(out, "2");
	assert_non_null(strstr(rules_last_error(r), "rules/user.lua:3:"));
	write_rule(dir, "dep.lua", "return { x = 3 }\n", t + 2);
	assert_int_equal(call(r, "user", "get", NULL, &out, &err), 0);
	assert_string_equal(out, "3");
	assert_non_null(rules_last_error(r));
	assert_non_null(strstr(rules_last_error(r), "rules/user.lua:3:"));
	write_rule(dir, "user.lua", "local dep = crm.require('dep')\n"
	    "return { get = function() return dep.x * 10 end }\n", t + 2);
	assert_int_equal(call(r, "user", "get", NULL, &out, &err), 0);
	assert_string_equal(out, "30");
	assert_null(rules_last_error(r));
	/* A required file broken from the start, then fixed. */
	write_rule(dir, "lib.lua", "return {\n", t);
	write_rule(dir, "app.lua", "local lib = crm.require('lib')\n"
	    "return { get = function() return lib.y end }\n", t);
	assert_int_equal(call(r, "app", "get", NULL, &out, &err), -1);
	assert_non_null(strstr(err, "rules/lib.lua:2:"));
	write_rule(dir, "lib.lua", "return { y = 'fixed' }\n", t + 1);
	assert_int_equal(call(r, "app", "get", NULL, &out, &err), 0);
	assert_string_equal(out, "\"fixed\"");
	assert_null(rules_last_error(r));
	rules_close(r);
	remove_tmpdir(dir);
}

struct dump {
	char	*p;
	size_t	 n;
};

static int
dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
	struct dump	*d = ud;
	char		*np;

	(void)L;
	if ((np = realloc(d->p, d->n + sz)) == NULL)
		return 1;
	memcpy(np + d->n, p, sz);
	d->p = np;
	d->n += sz;
	return 0;
}

/* Precompiled Lua (would load in binary mode) must be refused. */
static void
test_bytecode_refused(void **state)
{
	struct rules	*r;
	struct dump	 d = { NULL, 0 };
	lua_State	*L;
	const char	*dir = make_tmpdir();
	time_t		 t = time(NULL) - 100;
	char		*out, *err;

	(void)state;
	assert_non_null(L = luaL_newstate());
	assert_int_equal(luaL_loadstring(L, "return { x = function() "
	    "return 'bytecode ran' end }"), LUA_OK);
	assert_int_equal(lua_dump(L, dump_writer, &d, 0), 0);
	lua_close(L);
	assert_true(d.n > 4 && memcmp(d.p, "\x1bLua", 4) == 0);
	write_file(dir, "bytecode.lua", d.p, d.n, t);
	free(d.p);
	write_rule(dir, "uses_bytecode.lua", "local b = crm.require('bytecode')\n"
	    "return { x = function() return b.x() end }\n", t);

	assert_non_null(r = rules_open(dir, TEST_MEM, TEST_BUDGET));
	assert_int_equal(call(r, "bytecode", "x", NULL, &out, &err), -1);
	if (strcmp(err, "rules/bytecode.lua: attempt to load a binary chunk "
	    "(mode is 't')") != 0)
		fail_msg("error: %s", err);
	assert_int_equal(call(r, "uses_bytecode", "x", NULL, &out, &err), -1);
	if (strstr(err, "rules/bytecode.lua: attempt to load a binary") == NULL)
		fail_msg("error: %s", err);
	rules_close(r);
	remove_tmpdir(dir);
}

/* Rules that keep memory across calls: the state is rebuilt, calls work. */
static void
test_rebuild_after_leak(void **state)
{
	struct rules	*r;
	const char	*dir = make_tmpdir();
	char		*out, *err;
	long		 n, prev = 0;
	int		 i, dropped = 0;

	(void)state;
	assert_non_null(r = rules_open(dir, 8u * 1024 * 1024, TEST_BUDGET));
	write_rule(dir, "leak.lua", "local keep = {}\n"
	    "return { grow = function()\n"
	    "  keep[#keep + 1] = string.rep('x', 500000) .. #keep\n"
	    "  return #keep\n"
	    "end }\n", time(NULL) - 10);
	for (i = 0; i < 40; i++) {
		if (call(r, "leak", "grow", NULL, &out, &err) != 0)
			fail_msg("call %d failed: %s", i, err);
		n = strtol(out, NULL, 10);
		if (n < prev)
			dropped = 1;
		prev = n;
	}
	assert_true(dropped);
	rules_close(r);
	remove_tmpdir(dir);
}

/* /health sees a broken file no request has used yet. */
static void
test_health_sees_unused_file(void **state)
{
	struct rules	*r;
	const char	*dir = make_tmpdir(), *last;
	time_t		 t = time(NULL) - 100;

	(void)state;
	assert_non_null(r = rules_open(dir, TEST_MEM, TEST_BUDGET));
	assert_null(rules_last_error(r));
	write_rule(dir, "never.lua", "return {\n  a = 1\n  b = 2\n}\n", t);
	assert_non_null(last = rules_last_error(r));
	if (strstr(last, "rules/never.lua:3:") == NULL)
		fail_msg("last error: %s", last);
	write_rule(dir, "never.lua", "return { a = 1, b = 2 }\n", t + 1);
	assert_null(rules_last_error(r));
	rules_close(r);
	remove_tmpdir(dir);
}

static void
test_check_shipped_rules(void **state)
{
	char	*text = NULL;
	int	 rc;

	(void)state;
	rc = check_dir(SHIPPED, &text);
	if (rc != 0 || strstr(text, "not ok") != NULL)
		fail_msg("rules_check(%s) = %d:\n%s", SHIPPED, rc, text);
	assert_non_null(strstr(text, "ok 1 - load rules/"));
	assert_non_null(strstr(text, "- rules/tests/password.lua: accepts the "
	    "demo password\n"));
	assert_non_null(strstr(text, "- load rules/menu.lua\n"));
}

static void
test_check_missing_folder(void **state)
{
	char	*text = NULL;

	(void)state;
	assert_int_equal(check_dir("tests/unit/no_such_folder", &text), 1);
	assert_non_null(strstr(text, "not ok 1 - open the rules folder "
	    "tests/unit/no_such_folder: No such file or directory\n1..1\n"));
}

static void
test_check_hostile_rules(void **state)
{
	char	*text = NULL;

	(void)state;
	assert_int_not_equal(check_dir(HOSTILE, &text), 0);
	if (strstr(text, "not ok 12 - load rules/syntax.lua:4:") == NULL ||
	    strstr(text, "\nok 4 - load rules/good.lua\n") == NULL ||
	    strstr(text, "not ok 8 - load rules/not_table.lua: must return a "
	    "table") == NULL ||
	    strstr(text, "not ok 1 - load rules/circular_a.lua:1: "
	    "rules/circular_b.lua:1: rules/circular_a.lua: circular") == NULL ||
	    strstr(text, "not ok 2 - load rules/circular_b.lua:1: "
	    "rules/circular_a.lua: circular") == NULL ||
	    strstr(text, "\nok 15 - rules/tests/sample.lua: passes\n") == NULL ||
	    strstr(text, "not ok 13 - rules/tests/sample.lua: fails: "
	    "rules/tests/sample.lua:4: arithmetic is broken\n") == NULL ||
	    !msg_has(text, "not ok 14 - rules/tests/sample.lua: loops: "
	    "rules/tests/sample.lua:5: instruction budget exceeded\n") ||
	    strstr(text, "\n1..15\n# 7 of 15 failed\n") == NULL)
		fail_msg("unexpected report:\n%s", text);
}

int
main(void)
{
	const struct CMUnitTest hostile[] = {
		cmocka_unit_test(test_good_calls),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_recursion_and_patterns),
		cmocka_unit_test(test_load_failures),
		cmocka_unit_test(test_require),
	};
	const struct CMUnitTest alone[] = {
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_call_rows),
		cmocka_unit_test(test_reload_dependencies),
		cmocka_unit_test(test_bytecode_refused),
		cmocka_unit_test(test_rebuild_after_leak),
		cmocka_unit_test(test_health_sees_unused_file),
		cmocka_unit_test(test_check_shipped_rules),
		cmocka_unit_test(test_check_hostile_rules),
		cmocka_unit_test(test_check_missing_folder),
	};
	int	 rc;

	/* A limit that fails to stop a rule hangs; SIGALRM ends the run. */
	alarm(300);
	log_verbosity = LOG_ERR - 1;	/* hostile rules log a lot */
	arena_init(&A, 0);
	rc = cmocka_run_group_tests_name("rules_hostile", hostile,
	    open_hostile, close_rules);
	rc |= cmocka_run_group_tests_name("rules", alone, NULL, NULL);
	printf("# slowest call: %s, %ld ms\n", slowest, slowest_ms);
	free(report);
	arena_free(&A);
	return rc;
}
