/*
 * fuzz_cookies.c: libFuzzer target for http_parse_cookies (fcgi/http.c).
 *
 * The Cookie parser must never fail on garbage (only on memory), and
 * every pair it keeps must be clean: a non-empty name of at most 256
 * bytes without '=', ';', control bytes or surrounding blanks, and a
 * value without ';' or control bytes.
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

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct arena	arena;
static int		inited;

static int
clean(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == ';')
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data, *k;
	struct kvlist	 l;
	size_t		 i, kl;

	if (!inited) {
		arena_init(&arena, 256u << 20);
		inited = 1;
	}

	CHECK(http_parse_cookies(&arena, s, size, &l) == 0);
	CHECK(l.n <= 256);
	CHECK((l.n == 0) == (l.v == NULL));
	for (i = 0; i < l.n; i++) {
		k = l.v[i].key;
		kl = strlen(k);
		CHECK(kl > 0 && kl <= 256);
		CHECK(clean(k, kl));
		CHECK(strchr(k, '=') == NULL);
		CHECK(k[0] != ' ' && k[0] != '\t');
		CHECK(k[kl - 1] != ' ' && k[kl - 1] != '\t');
		CHECK(strlen(l.v[i].val) == l.v[i].vlen);
		CHECK(clean(l.v[i].val, l.v[i].vlen));
		CHECK(http_kv_get(&l, k) != NULL);
	}

	arena_reset(&arena);
	return 0;
}
