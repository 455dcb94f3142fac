/*
 * fuzz_query.c: libFuzzer target for http_parse_query and
 * http_urldecode (fcgi/http.c).
 *
 * Besides the sanitizers' checks, a successful parse is re-encoded with
 * every byte percent-escaped and parsed again: the two lists must match,
 * so decoding loses nothing and is not confused by its own output.
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

/* Append s[0..n) percent-encoding every byte that is not alphanumeric. */
static void
enc(struct buf *b, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;
	size_t			 i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			buf_putc(b, c);
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 0xf]);
		}
	}
}

static void
check_list(const struct kvlist *l)
{
	size_t	 i;

	CHECK(l->n <= 256);
	CHECK((l->n == 0) == (l->v == NULL));
	for (i = 0; i < l->n; i++) {
		CHECK(strlen(l->v[i].key) <= 256);
		CHECK(l->v[i].val[l->v[i].vlen] == '\0');
		CHECK(http_kv_get(l, l->v[i].key) != NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	struct kvlist	 l, l2;
	struct buf	 b;
	size_t		 i, n;
	char		*d;

	if (!inited) {
		arena_init(&arena, 256u << 20);
		inited = 1;
	}

	if ((d = http_urldecode(&arena, s, size, 1, &n)) != NULL) {
		CHECK(n <= size);
		CHECK(d[n] == '\0');
		/* Without escapes every '+' has become a space. */
		if (memchr(s, '%', size) == NULL)
			CHECK(memchr(d, '+', n) == NULL);
	} else
		CHECK(memchr(s, '%', size) != NULL);
	if ((d = http_urldecode(&arena, s, size, 0, &n)) != NULL) {
		CHECK(n <= size);
		if (memchr(s, '%', size) == NULL)
			CHECK(n == size && memcmp(d, s, size) == 0);
	}

	if (http_parse_query(&arena, s, size, &l) == 0) {
		check_list(&l);
		buf_init(&b, &arena, 64u << 20);
		for (i = 0; i < l.n; i++) {
			if (i > 0)
				buf_putc(&b, '&');
			enc(&b, l.v[i].key, strlen(l.v[i].key));
			buf_putc(&b, '=');
			enc(&b, l.v[i].val, l.v[i].vlen);
		}
		CHECK(!b.overflow);
		CHECK(http_parse_query(&arena, b.data, b.len, &l2) == 0);
		CHECK(l2.n == l.n);
		for (i = 0; i < l.n; i++) {
			CHECK(strcmp(l.v[i].key, l2.v[i].key) == 0);
			CHECK(l.v[i].vlen == l2.v[i].vlen);
			CHECK(memcmp(l.v[i].val, l2.v[i].val,
			    l.v[i].vlen) == 0);
		}
	} else
		CHECK(l.n == 0 && l.v == NULL);

	arena_reset(&arena);
	return 0;
}
