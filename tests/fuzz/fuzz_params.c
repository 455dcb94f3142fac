/*
 * fuzz_params.c: libFuzzer target for http_req_from_params
 * (fcgi/http.c), the FastCGI params reader (FastCGI 1.0 section 6.2).
 *
 * The input is split on NUL bytes into "NAME=value" strings, as libfcgi
 * hands them over in FCGX_Request.envp; then the request is read and its
 * query and cookies looked up as a handler would.  An accepted request
 * must satisfy what handlers rely on: a method of capital letters, a path
 * starting with '/', a body length within maxbody.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

#define MAXENV	600		/* more than http.c examines */
#define MAXBODY	(1024 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct arena	arena;
static int		inited;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data, *nul, *m;
	char		*envp[MAXENV + 1];
	struct req	 r;
	struct kvlist	 l;
	enum crm_err	 err;
	size_t		 i, n, end;

	if (!inited) {
		arena_init(&arena, 256u << 20);
		inited = 1;
	}

	for (n = 0, i = 0; i < size && n < MAXENV; i = end + 1) {
		nul = memchr(s + i, '\0', size - i);
		end = nul != NULL ? (size_t)(nul - s) : size;
		if ((envp[n] = arena_strndup(&arena, s + i, end - i)) == NULL)
			goto done;
		n++;
	}
	envp[n] = NULL;

	err = http_req_from_params(&arena, envp, MAXBODY, &r);
	CHECK(err == ERR_OK || err == ERR_BAD_REQUEST ||
	    err == ERR_TOO_LARGE);
	if (err != ERR_OK)
		goto done;

	CHECK(n <= 512);
	CHECK(r.method != NULL && r.method[0] != '\0');
	for (m = r.method; *m != '\0'; m++)
		CHECK(*m >= 'A' && *m <= 'Z');
	CHECK(r.path != NULL && r.path[0] == '/');
	CHECK(r.content_length <= MAXBODY);
	CHECK(r.query.n <= 256 && r.cookies.n <= 256);
	CHECK(r.body == NULL && r.bodylen == 0);
	if (r.query_raw != NULL) {
		CHECK(http_parse_query(&arena, r.query_raw,
		    strlen(r.query_raw), &l) == 0);
		CHECK(l.n == r.query.n);
	} else
		CHECK(r.query.n == 0);
	(void)http_kv_get(&r.query, "page");
	(void)http_kv_get(&r.query, "q");
	(void)http_kv_get(&r.cookies, "crm_session");
	(void)http_is_json(r.content_type);
	if (r.user_agent != NULL)
		(void)http_utf8_valid(r.user_agent, strlen(r.user_agent));

done:
	arena_reset(&arena);
	return 0;
}
