/*
 * fuzz_rules.c: libFuzzer target for the Lua rule loader (fcgi/rules.c):
 * hostile rule text, written as rules/fuzz.lua and loaded by rules_open +
 * rules_call and rules_value, as crmd loads an admin's rule file.
 *
 * Whatever the text: no crash, no escape from the sandbox budget (a small
 * instruction budget and memory cap keep each run short), and an answer
 * that is either JSON or an error message naming the file.  A fresh rules
 * state per input, so one input cannot leave state for the next.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
static char		dir[] = "/tmp/fuzz_rules.XXXXXX";
static char		path[sizeof(dir) + 16];
static int		inited;

static void
answer_ok(int rc, const char *out, const char *err)
{
	json_t		*j;
	json_error_t	 je;

	if (rc == 0) {
		CHECK(out != NULL);
		/* Valid JSON, which may hold "\u0000" (a Lua string may
		 * hold a NUL; the callers' json_loads refuse it: the rule
		 * fails closed, see wf.c rules_json). */
		j = json_loads(out, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
		CHECK(j != NULL);
		json_decref(j);
	} else {
		CHECK(rc == -1);
		CHECK(err != NULL && *err != '\0');
	}
}

static void
cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules	*r;
	char		*out = NULL, *err = NULL;
	int		 fd, rc;

	if (!inited) {
		log_verbosity = -1;	/* rule errors are expected here */
		arena_init(&arena, 64u << 20);
		CHECK(mkdtemp(dir) != NULL);
		snprintf(path, sizeof(path), "%s/fuzz.lua", dir);
		atexit(cleanup);
		inited = 1;
	}
	if (size > 64 * 1024)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd != -1);
	CHECK(write(fd, data, size) == (ssize_t)size);
	close(fd);

	r = rules_open(dir, 4u << 20, 100000);
	CHECK(r != NULL);
	rc = rules_call(r, &arena, "fuzz", "f",
	    "[1, \"x\", {\"a\": [1, 2], \"b\": null}]", &out, &err);
	answer_ok(rc, out, err);
	out = err = NULL;
	rc = rules_value(r, &arena, "fuzz", &out, &err);
	answer_ok(rc, out, err);
	rules_close(r);
	arena_reset(&arena);
	return 0;
}
