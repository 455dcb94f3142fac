/*
 * fuzz_report.c: libFuzzer target for the report compiler (fcgi/report.c):
 * report_parse over any JSON an admin or a manager could POST as a
 * user-defined report, then report_sql and report_layout.
 *
 * Checks: a refusal names the report (both languages) and the item; an
 * accepted definition compiles, uses no parameter past $17, never carries
 * a ';' (one statement) nor a label or title of the definition into the
 * SQL; the layout stays inside the columns of the statement.  Seeds: the
 * 26 built-in definitions as JSON and a few hostile ones.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extern.h"

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct arena	arena;
static int		inited;

/* The highest $n in sql. */
static int
max_param(const char *sql)
{
	const char	*p;
	int		 n, max = 0;

	for (p = sql; (p = strchr(p, '$')) != NULL; p++) {
		n = atoi(p + 1);
		if (n > max)
			max = n;
	}
	return max;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report	 rp;
	struct rerr	 e;
	struct rlayout	 l;
	json_error_t	 je;
	json_t		*v;
	char		*sql;
	size_t		 i;

	if (!inited) {
		arena_init(&arena, 0);
		log_verbosity = -1;
		inited = 1;
	}
	if (size > 64 * 1024)
		return 0;
	v = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (v == NULL)
		return 0;
	if (report_parse(&arena, "c_fuzz", v, &rp, &e) == -1) {
		CHECK(strstr(e.en, "c_fuzz") != NULL);
		CHECK(strstr(e.zh, "c_fuzz") != NULL);
		CHECK(e.field[0] != '\0');
	} else {
		sql = report_sql(&arena, &rp);
		CHECK(sql != NULL);
		CHECK(max_param(sql) <= RP_NPARAMS);
		CHECK(strchr(sql, ';') == NULL);
		for (i = 0; i < rp.ncols; i++)
			CHECK(report_key_ok(rp.cols[i].key));
		if (strlen(rp.title[LANG_EN]) > 8 &&
		    strcmp(rp.title[LANG_EN], "c_fuzz") != 0)
			CHECK(strstr(sql, rp.title[LANG_EN]) == NULL);
		report_layout(&rp, &l);
		CHECK(l.rn > 0);
		for (i = 0; i < rp.ncols; i++)
			CHECK(l.disp[i] > 0 && l.disp[i] < l.rn);
	}
	json_decref(v);
	arena_reset(&arena);
	return 0;
}
