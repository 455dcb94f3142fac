/*
 * fuzz_form.c: libFuzzer target for http_parse_form (fcgi/http.c), the
 * application/x-www-form-urlencoded body parser.
 *
 * Checks beyond the sanitizers: the caps hold, a failed parse leaves the
 * list empty, '+' only survives decoding when it was escaped, and
 * http_kv_get returns the first pair of a name.
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	struct kvlist	 l;
	size_t		 i, j, pieces;
	int		 noesc, nonul;

	if (!inited) {
		arena_init(&arena, 256u << 20);
		inited = 1;
	}

	noesc = memchr(s, '%', size) == NULL;
	nonul = memchr(s, '\0', size) == NULL;
	for (pieces = 1, i = 0; i < size; i++)
		if (s[i] == '&')
			pieces++;

	if (http_parse_form(&arena, s, size, &l) == 0) {
		CHECK(l.n <= 256);
		CHECK(l.n <= pieces);
		CHECK((l.n == 0) == (l.v == NULL));
		for (i = 0; i < l.n; i++) {
			CHECK(strlen(l.v[i].key) <= 256);
			CHECK(l.v[i].val[l.v[i].vlen] == '\0');
			if (noesc) {
				CHECK(strchr(l.v[i].key, '+') == NULL);
				CHECK(strchr(l.v[i].key, '&') == NULL);
				CHECK(strchr(l.v[i].key, '=') == NULL);
				CHECK(memchr(l.v[i].val, '+',
				    l.v[i].vlen) == NULL);
				CHECK(memchr(l.v[i].val, '&',
				    l.v[i].vlen) == NULL);
				if (nonul)
					CHECK(strlen(l.v[i].val) ==
					    l.v[i].vlen);
			}
			for (j = 0; j < i; j++)
				if (strcmp(l.v[j].key, l.v[i].key) == 0)
					break;
			CHECK(http_kv_get(&l, l.v[i].key) == l.v[j].val);
		}
	} else {
		CHECK(l.n == 0 && l.v == NULL);
		/* Without escapes only the caps or a raw NUL in a key
		 * can refuse. */
		if (noesc && nonul)
			CHECK(pieces > 256 || size > 256);
	}

	arena_reset(&arena);
	return 0;
}
