/*
 * test_http.c: unit tests for fcgi/http.c (cmocka).
 *
 * Every parser input is copied into a malloc'd block of exactly its
 * length, with no NUL after it, so that AddressSanitizer catches a parser
 * that reads one byte too far.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "extern.h"

#define NBUFS	64

struct tstate {
	struct arena	 a;
	char		*bufs[NBUFS];
	size_t		 nbufs;
};

static int
setup(void **state)
{
	struct tstate	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -1;
	arena_init(&t->a, 0);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tstate	*t = *state;
	size_t		 i;

	for (i = 0; i < t->nbufs; i++)
		free(t->bufs[i]);
	arena_free(&t->a);
	free(t);
	return 0;
}

/* An exact-length, not NUL-terminated copy of s[0..n), freed at teardown. */
static const char *
exact(void **state, const char *s, size_t n)
{
	struct tstate	*t = *state;
	char		*p;

	assert_true(t->nbufs < NBUFS);
	p = malloc(n ? n : 1);
	assert_non_null(p);
	memcpy(p, s, n);
	t->bufs[t->nbufs++] = p;
	return p;
}

#define LIT(st, s)	exact((st), (s), sizeof(s) - 1)
#define ARENA(st)	(&((struct tstate *)*(st))->a)

static int
query(void **state, const char *s, struct kvlist *l)
{
	return http_parse_query(ARENA(state), exact(state, s, strlen(s)),
	    strlen(s), l);
}

static int
cookies(void **state, const char *s, struct kvlist *l)
{
	return http_parse_cookies(ARENA(state), exact(state, s, strlen(s)),
	    strlen(s), l);
}

/* A list pre-filled with junk, to see that errors leave it empty. */
static void
junk(struct kvlist *l)
{
	l->v = (struct kv *)(uintptr_t)0x1;
	l->n = 99;
}

/* ------------------------------------------------------ http_urldecode */

static void
test_urldecode_basic(void **state)
{
	struct arena	*a = ARENA(state);
	size_t		 n;
	char		*s;

	s = http_urldecode(a, LIT(state, "a%20b"), 5, 0, &n);
	assert_string_equal(s, "a b");
	assert_int_equal(n, 3);
	s = http_urldecode(a, LIT(state, "%41%42%43"), 9, 0, &n);
	assert_string_equal(s, "ABC");
	s = http_urldecode(a, LIT(state, "%e4%B8%Ad"), 9, 0, &n);
	assert_string_equal(s, "中");
	assert_int_equal(n, 3);
	s = http_urldecode(a, LIT(state, ""), 0, 1, &n);
	assert_string_equal(s, "");
	assert_int_equal(n, 0);
	s = http_urldecode(a, LIT(state, "plain"), 5, 1, NULL);
	assert_string_equal(s, "plain");
}

static void
test_urldecode_plus(void **state)
{
	struct arena	*a = ARENA(state);
	size_t		 n;

	assert_string_equal(http_urldecode(a, LIT(state, "a+b"), 3, 1, &n),
	    "a b");
	assert_string_equal(http_urldecode(a, LIT(state, "a+b"), 3, 0, &n),
	    "a+b");
	assert_string_equal(http_urldecode(a, LIT(state, "%2B+"), 4, 1, &n),
	    "+ ");
}

static void
test_urldecode_bad(void **state)
{
	struct arena	*a = ARENA(state);
	size_t		 n = 77;

	assert_null(http_urldecode(a, LIT(state, "%zz"), 3, 0, &n));
	assert_null(http_urldecode(a, LIT(state, "%4"), 2, 0, &n));
	assert_null(http_urldecode(a, LIT(state, "%"), 1, 0, &n));
	assert_null(http_urldecode(a, LIT(state, "abc%"), 4, 0, &n));
	assert_null(http_urldecode(a, LIT(state, "%g0"), 3, 0, &n));
	assert_null(http_urldecode(a, LIT(state, "%0g"), 3, 0, &n));
	assert_null(http_urldecode(a, LIT(state, "ok%2"), 4, 1, &n));
	assert_null(http_urldecode(a, LIT(state, "%%41"), 4, 1, &n));
	assert_int_equal(n, 77);
}

static void
test_urldecode_nul(void **state)
{
	size_t	 n;
	char	*s;

	s = http_urldecode(ARENA(state), LIT(state, "%00x"), 4, 0, &n);
	assert_non_null(s);
	assert_int_equal(n, 2);
	assert_int_equal(s[0], '\0');
	assert_int_equal(s[1], 'x');
	assert_int_equal(s[2], '\0');
}

static void
test_urldecode_length_bound(void **state)
{
	size_t	 n;

	/* Only the first 3 bytes are given: the escape is cut short. */
	assert_null(http_urldecode(ARENA(state), "ab%41", 3, 0, &n));
	assert_string_equal(http_urldecode(ARENA(state), "ab%41", 2, 0, &n),
	    "ab");
}

/* ---------------------------------------------------- http_parse_query */

static void
test_query_basic(void **state)
{
	struct kvlist	 l;

	assert_int_equal(query(state, "a=1&b=2", &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].key, "a");
	assert_string_equal(l.v[0].val, "1");
	assert_int_equal(l.v[0].vlen, 1);
	assert_string_equal(l.v[1].key, "b");
	assert_string_equal(l.v[1].val, "2");
	assert_string_equal(http_kv_get(&l, "b"), "2");
	assert_null(http_kv_get(&l, "c"));
}

static void
test_query_empty_pieces(void **state)
{
	struct kvlist	 l;

	assert_int_equal(query(state, "a=1&&b=2", &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].key, "b");
	assert_int_equal(query(state, "&a=1&", &l), 0);
	assert_int_equal(l.n, 1);
	junk(&l);
	assert_int_equal(query(state, "", &l), 0);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
	assert_int_equal(query(state, "&&&", &l), 0);
	assert_int_equal(l.n, 0);
	assert_null(http_kv_get(&l, "a"));
}

static void
test_query_no_equals(void **state)
{
	struct kvlist	 l;

	assert_int_equal(query(state, "a", &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].key, "a");
	assert_string_equal(l.v[0].val, "");
	assert_int_equal(l.v[0].vlen, 0);
	assert_int_equal(query(state, "a=", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "");
	assert_int_equal(query(state, "a=b=c", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "b=c");
}

static void
test_query_empty_key(void **state)
{
	struct kvlist	 l;

	assert_int_equal(query(state, "=x", &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].key, "");
	assert_string_equal(l.v[0].val, "x");
	assert_int_equal(query(state, "=", &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].key, "");
	assert_string_equal(l.v[0].val, "");
}

static void
test_query_decoding(void **state)
{
	struct kvlist	 l;

	assert_int_equal(query(state,
	    "q=hello+world&plus=%2B&k%20ey=v&name=%E5%BC%A0%E4%B8%89", &l), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(http_kv_get(&l, "q"), "hello world");
	assert_string_equal(http_kv_get(&l, "plus"), "+");
	assert_string_equal(http_kv_get(&l, "k ey"), "v");
	assert_string_equal(http_kv_get(&l, "name"), "张三");
	/* Escaped separators are data. */
	assert_int_equal(query(state, "a=%26%3D&b", &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(http_kv_get(&l, "a"), "&=");
}

static void
test_query_bad_escape(void **state)
{
	struct kvlist	 l;

	junk(&l);
	assert_int_equal(query(state, "a=%zz", &l), -1);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	junk(&l);
	assert_int_equal(query(state, "a=1&b=%4", &l), -1);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	assert_int_equal(query(state, "%zz=1", &l), -1);
	assert_int_equal(query(state, "a=1&b=2&c%", &l), -1);
}

static void
test_query_nul(void **state)
{
	struct kvlist	 l;

	assert_int_equal(query(state, "a%00b=1", &l), -1);
	assert_int_equal(l.n, 0);
	assert_int_equal(query(state, "a=x%00y", &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].vlen, 3);
	assert_memory_equal(l.v[0].val, "x\0y", 4);
}

static void
test_query_duplicates(void **state)
{
	struct kvlist	 l;

	assert_int_equal(query(state, "a=1&a=2&a=3", &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(http_kv_get(&l, "a"), "1");
}

/* "k0=0&k1=1&..." with n pairs and extra empty pieces between. */
static char *
many_pairs(size_t n, int gaps)
{
	char	*s, *p;
	size_t	 i;

	p = s = malloc(n * 24 + 1);
	assert_non_null(s);
	*p = '\0';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%sk%zu=%zu%s", i ? "&" : "", i, i,
		    gaps ? "&&" : "");
	return s;
}

static void
test_query_pair_cap(void **state)
{
	struct kvlist	 l;
	char		*s;

	s = many_pairs(256, 0);
	assert_int_equal(query(state, s, &l), 0);
	assert_int_equal(l.n, 256);
	assert_string_equal(http_kv_get(&l, "k255"), "255");
	free(s);

	s = many_pairs(256, 1);		/* empty pieces do not count */
	assert_int_equal(query(state, s, &l), 0);
	assert_int_equal(l.n, 256);
	free(s);

	s = many_pairs(257, 0);
	junk(&l);
	assert_int_equal(query(state, s, &l), -1);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	free(s);

	s = many_pairs(5000, 0);
	assert_int_equal(query(state, s, &l), -1);
	free(s);
}

static void
test_query_key_cap(void **state)
{
	struct kvlist	 l;
	char		 s[1024];
	size_t		 i;

	memset(s, 'k', 256);
	strcpy(s + 256, "=v");
	assert_int_equal(query(state, s, &l), 0);
	assert_int_equal(strlen(l.v[0].key), 256);

	memset(s, 'k', 257);
	strcpy(s + 257, "=v");
	assert_int_equal(query(state, s, &l), -1);

	/* 256 bytes once decoded, 768 on the wire: fine. */
	for (i = 0; i < 256; i++)
		memcpy(s + 3 * i, "%41", 3);
	strcpy(s + 768, "=v");
	assert_int_equal(query(state, s, &l), 0);
	assert_int_equal(strlen(l.v[0].key), 256);

	for (i = 0; i < 257; i++)
		memcpy(s + 3 * i, "%41", 3);
	strcpy(s + 771, "=v");
	assert_int_equal(query(state, s, &l), -1);

	/* Long values are fine. */
	memset(s, 'v', sizeof(s) - 1);
	memcpy(s, "k=", 2);
	s[sizeof(s) - 1] = '\0';
	assert_int_equal(query(state, s, &l), 0);
	assert_int_equal(l.v[0].vlen, sizeof(s) - 3);
}

static void
test_query_length_bound(void **state)
{
	struct kvlist	 l;
	const char	*s = LIT(state, "a=1&b=2");

	assert_int_equal(http_parse_query(ARENA(state), s, 3, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].val, "1");
	assert_int_equal(http_parse_query(ARENA(state), s, 4, &l), 0);
	assert_int_equal(l.n, 1);
}

/* ----------------------------------------------------- http_parse_form */

static void
test_form(void **state)
{
	struct kvlist	 l;
	const char	*s;

	s = LIT(state, "first+name=Zhang+San&note=a%2Bb+c&empty=");
	assert_int_equal(http_parse_form(ARENA(state), s, 40, &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(http_kv_get(&l, "first name"), "Zhang San");
	assert_string_equal(http_kv_get(&l, "note"), "a+b c");
	assert_string_equal(http_kv_get(&l, "empty"), "");
	s = LIT(state, "a=%E4%B8");
	assert_int_equal(http_parse_form(ARENA(state), s, 8, &l), 0);
	assert_int_equal(l.v[0].vlen, 2);	/* bytes, not validated */
	s = LIT(state, "a=%E4%B");
	junk(&l);
	assert_int_equal(http_parse_form(ARENA(state), s, 7, &l), -1);
	assert_int_equal(l.n, 0);
}

/* -------------------------------------------------- http_parse_cookies */

static void
test_cookies_basic(void **state)
{
	struct kvlist	 l;

	assert_int_equal(cookies(state, "a=1; b=2", &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(http_kv_get(&l, "a"), "1");
	assert_string_equal(http_kv_get(&l, "b"), "2");
	assert_int_equal(cookies(state, "crm_session=abc123", &l), 0);
	assert_string_equal(http_kv_get(&l, "crm_session"), "abc123");
	assert_int_equal(cookies(state, "  a = 1 ;b=2  ;\tc=3\t", &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(http_kv_get(&l, "a"), "1");
	assert_string_equal(http_kv_get(&l, "b"), "2");
	assert_string_equal(http_kv_get(&l, "c"), "3");
	assert_int_equal(cookies(state, "a=hello world", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "hello world");
}

static void
test_cookies_quotes(void **state)
{
	struct kvlist	 l;

	assert_int_equal(cookies(state, "a=\"quoted\"", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "quoted");
	assert_int_equal(l.v[0].vlen, 6);
	assert_int_equal(cookies(state, "a=\"\"", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "");
	assert_int_equal(cookies(state, "a=\"", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "\"");
	assert_int_equal(cookies(state, "a=\"x", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "\"x");
	assert_int_equal(cookies(state, "a= \"x y\" ", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "x y");
	assert_int_equal(cookies(state, "a=\"\"x\"\"", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "\"x\"");
}

static void
test_cookies_garbage(void **state)
{
	struct kvlist	 l;

	assert_int_equal(cookies(state, "noequals; b=2", &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].key, "b");
	assert_int_equal(cookies(state, "=x; b=2; =; ==", &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].key, "b");
	assert_int_equal(cookies(state, " =x", &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(cookies(state, ";;;", &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(cookies(state, "", &l), 0);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
	assert_int_equal(cookies(state, "\x01=1; b=2; c=\x7f; d=e\x1b", &l),
	    0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].key, "b");
	assert_int_equal(cookies(state, "a=b=c;x", &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(http_kv_get(&l, "a"), "b=c");
	assert_int_equal(cookies(state, "a=%41", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "%41");	/* not decoded */
	assert_int_equal(cookies(state, "a=", &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(http_kv_get(&l, "a"), "");
	assert_int_equal(cookies(state, "\xe4\xb8\xad=\xff", &l), 0);
	assert_string_equal(http_kv_get(&l, "中"), "\xff");
}

static void
test_cookies_nul(void **state)
{
	struct kvlist	 l;

	/* A NUL inside (the header came by length) drops that pair only. */
	assert_int_equal(http_parse_cookies(ARENA(state),
	    LIT(state, "a=x\0y; b=2"), 10, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].key, "b");
	assert_int_equal(http_parse_cookies(ARENA(state),
	    LIT(state, "a\0b=1"), 5, &l), 0);
	assert_int_equal(l.n, 0);
}

static void
test_cookies_duplicates(void **state)
{
	struct kvlist	 l;

	assert_int_equal(cookies(state, "a=1; a=2", &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(http_kv_get(&l, "a"), "1");
	assert_int_equal(cookies(state, "bad; a=first; a=second", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "first");
}

static void
test_cookies_caps(void **state)
{
	struct kvlist	 l;
	char		 s[600], *big, *p;
	size_t		 i;

	memset(s, 'n', 256);
	strcpy(s + 256, "=1; b=2");
	assert_int_equal(cookies(state, s, &l), 0);
	assert_int_equal(l.n, 2);
	memset(s, 'n', 257);
	strcpy(s + 257, "=1; b=2");
	assert_int_equal(cookies(state, s, &l), 0);	/* long name skipped */
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].key, "b");

	/* 300 cookies: the first 256 are kept. */
	p = big = malloc(300 * 16);
	assert_non_null(big);
	for (i = 0; i < 300; i++)
		p += sprintf(p, "%sc%zu=%zu", i ? "; " : "", i, i);
	assert_int_equal(cookies(state, big, &l), 0);
	assert_int_equal(l.n, 256);
	assert_string_equal(http_kv_get(&l, "c0"), "0");
	assert_string_equal(http_kv_get(&l, "c255"), "255");
	assert_null(http_kv_get(&l, "c256"));
	free(big);
}

static void
test_kv_get_edge(void **state)
{
	struct kvlist	 l = { NULL, 0 };

	(void)state;
	assert_null(http_kv_get(&l, "a"));
	assert_null(http_kv_get(NULL, "a"));
	assert_null(http_kv_get(&l, NULL));
}

/* ---------------------------------------------------- http_utf8_valid */

#define U8(st, s)	http_utf8_valid(LIT((st), s), sizeof(s) - 1)

static void
test_utf8_valid(void **state)
{
	assert_true(http_utf8_valid("", 0));
	assert_true(U8(state, "plain ascii"));
	assert_true(U8(state, "\0"));
	assert_true(U8(state, "中文 客户"));
	assert_true(U8(state, "\xc2\x80"));		/* U+0080 */
	assert_true(U8(state, "\xdf\xbf"));		/* U+07FF */
	assert_true(U8(state, "\xe0\xa0\x80"));		/* U+0800 */
	assert_true(U8(state, "\xe2\x82\xac"));		/* euro */
	assert_true(U8(state, "\xed\x9f\xbf"));		/* U+D7FF */
	assert_true(U8(state, "\xee\x80\x80"));		/* U+E000 */
	assert_true(U8(state, "\xef\xbf\xbf"));		/* U+FFFF */
	assert_true(U8(state, "\xf0\x90\x80\x80"));	/* U+10000 */
	assert_true(U8(state, "\xf0\x9f\x98\x80"));	/* emoji */
	assert_true(U8(state, "\xf4\x8f\xbf\xbf"));	/* U+10FFFF */
}

static void
test_utf8_invalid(void **state)
{
	assert_false(U8(state, "\xc0\x80"));		/* overlong NUL */
	assert_false(U8(state, "\xc1\xbf"));		/* overlong */
	assert_false(U8(state, "\xe0\x80\x80"));	/* overlong */
	assert_false(U8(state, "\xe0\x9f\xbf"));	/* overlong */
	assert_false(U8(state, "\xf0\x80\x80\x80"));	/* overlong */
	assert_false(U8(state, "\xf0\x8f\xbf\xbf"));	/* overlong */
	assert_false(U8(state, "\xed\xa0\x80"));	/* U+D800 */
	assert_false(U8(state, "\xed\xbf\xbf"));	/* U+DFFF */
	assert_false(U8(state, "\xf4\x90\x80\x80"));	/* U+110000 */
	assert_false(U8(state, "\xf5\x80\x80\x80"));
	assert_false(U8(state, "\xf8\x88\x80\x80\x80"));
	assert_false(U8(state, "\xfe"));
	assert_false(U8(state, "\xff"));
	assert_false(U8(state, "\x80"));		/* stray continuation */
	assert_false(U8(state, "a\xbf"));
	assert_false(U8(state, "\xc3\x28"));		/* bad continuation */
	assert_false(U8(state, "\xe4\x41\xad"));
	assert_false(U8(state, "\xe4\xb8\x41"));
	assert_false(U8(state, "\xf0\x9f\x98\x41"));
}

static void
test_utf8_truncated(void **state)
{
	assert_false(U8(state, "\xc3"));
	assert_false(U8(state, "\xe4\xb8"));
	assert_false(U8(state, "\xf0\x9f\x98"));
	assert_false(U8(state, "abc\xe4"));
	assert_false(U8(state, "\xe4\xb8\xad\xe6"));
	/* Valid bytes after len are not looked at. */
	assert_false(http_utf8_valid("\xe4\xb8\xad", 2));
	assert_true(http_utf8_valid("\xe4\xb8\xad\xff", 3));
}

/* ------------------------------------------------ http_req_from_params */

#define MAXBODY	(1024 * 1024)

static enum crm_err
params(void **state, char *const *envp, struct req *r)
{
	return http_req_from_params(ARENA(state), envp, MAXBODY, r);
}

static void
test_params_minimal(void **state)
{
	char *env[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"DOCUMENT_URI=/api/v1/health", NULL };
	struct req	 r;

	assert_int_equal(params(state, env, &r), ERR_OK);
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.path, "/api/v1/health");
	assert_null(r.query_raw);
	assert_int_equal(r.query.n, 0);
	assert_int_equal(r.cookies.n, 0);
	assert_null(r.content_type);
	assert_int_equal(r.content_length, 0);
	assert_null(r.accept_language);
	assert_null(r.origin);
	assert_null(r.host);
	assert_null(r.csrf_token);
	assert_null(r.idempotency_key);
	assert_null(r.remote_addr);
	assert_null(r.user_agent);
	assert_int_equal(r.https, 0);
	assert_null(r.body);
	assert_int_equal(r.bodylen, 0);
}

static void
test_params_full(void **state)
{
	char	 cookie[] = "HTTP_COOKIE=crm_session=s1; theme=dark";
	char *env[] = {
		(char *)"SCRIPT_NAME=",
		(char *)"QUERY_STRING=page=2&q=%E5%BC%A0",
		(char *)"REQUEST_METHOD=POST",
		(char *)"CONTENT_TYPE=application/json; charset=utf-8",
		(char *)"CONTENT_LENGTH=42",
		(char *)"REQUEST_URI=/api/v1/customers?page=2&q=%E5%BC%A0",
		(char *)"DOCUMENT_URI=/api/v1/customers",
		(char *)"SERVER_PROTOCOL=HTTP/1.1",
		(char *)"REMOTE_ADDR=192.0.2.7",
		(char *)"HTTPS=on",
		(char *)"HTTP_HOST=crm.example.com",
		(char *)"HTTP_USER_AGENT=Mozilla/5.0",
		(char *)"HTTP_ACCEPT_LANGUAGE=zh-CN,zh;q=0.9",
		(char *)"HTTP_ORIGIN=https://crm.example.com",
		(char *)"HTTP_X_CSRF_TOKEN=tok",
		(char *)"HTTP_IDEMPOTENCY_KEY=idem-1",
		cookie,
		NULL };
	struct req	 r;

	assert_int_equal(params(state, env, &r), ERR_OK);
	assert_string_equal(r.method, "POST");
	assert_string_equal(r.path, "/api/v1/customers");
	assert_string_equal(r.query_raw, "page=2&q=%E5%BC%A0");
	assert_int_equal(r.query.n, 2);
	assert_string_equal(http_kv_get(&r.query, "q"), "张");
	assert_string_equal(r.content_type, "application/json; charset=utf-8");
	assert_true(http_is_json(r.content_type));
	assert_int_equal(r.content_length, 42);
	assert_string_equal(r.accept_language, "zh-CN,zh;q=0.9");
	assert_string_equal(r.origin, "https://crm.example.com");
	assert_string_equal(r.host, "crm.example.com");
	assert_string_equal(r.csrf_token, "tok");
	assert_string_equal(r.idempotency_key, "idem-1");
	assert_string_equal(r.remote_addr, "192.0.2.7");
	assert_string_equal(r.user_agent, "Mozilla/5.0");
	assert_int_equal(r.https, 1);
	assert_int_equal(r.cookies.n, 2);
	/* Copies, not pointers into the params. */
	memset(cookie, 'x', sizeof(cookie) - 1);
	assert_string_equal(http_kv_get(&r.cookies, "crm_session"), "s1");
	assert_string_equal(http_kv_get(&r.cookies, "theme"), "dark");
}

static void
test_params_method(void **state)
{
	char *none[] = { (char *)"DOCUMENT_URI=/", NULL };
	char *empty[] = { (char *)"REQUEST_METHOD=",
	    (char *)"DOCUMENT_URI=/", NULL };
	char *lower[] = { (char *)"REQUEST_METHOD=get",
	    (char *)"DOCUMENT_URI=/", NULL };
	char *space[] = { (char *)"REQUEST_METHOD=GET ",
	    (char *)"DOCUMENT_URI=/", NULL };
	char *longm[] = { (char *)"REQUEST_METHOD=ABCDEFGHIJKLMNOPQ",
	    (char *)"DOCUMENT_URI=/", NULL };
	char *noeq[] = { (char *)"REQUEST_METHOD",
	    (char *)"REQUEST_METHODX=GET", (char *)"DOCUMENT_URI=/", NULL };
	char *dup[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"REQUEST_METHOD=DELETE", (char *)"DOCUMENT_URI=/", NULL };
	struct req	 r;

	assert_int_equal(params(state, none, &r), ERR_BAD_REQUEST);
	assert_int_equal(params(state, empty, &r), ERR_BAD_REQUEST);
	assert_int_equal(params(state, lower, &r), ERR_BAD_REQUEST);
	assert_int_equal(params(state, space, &r), ERR_BAD_REQUEST);
	assert_int_equal(params(state, longm, &r), ERR_BAD_REQUEST);
	assert_int_equal(params(state, noeq, &r), ERR_BAD_REQUEST);
	assert_int_equal(params(state, dup, &r), ERR_OK);
	assert_string_equal(r.method, "GET");		/* first wins */
	assert_int_equal(params(state, NULL, &r), ERR_BAD_REQUEST);
}

static void
test_params_path(void **state)
{
	char *fallback[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"REQUEST_URI=/a%20b/%E5%BC%A0?x=1%zz", NULL };
	char *emptydoc[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"DOCUMENT_URI=", (char *)"REQUEST_URI=/x+y", NULL };
	char *badesc[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"REQUEST_URI=/a%zz", NULL };
	char *nul[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"REQUEST_URI=/a%00b", NULL };
	char *absolute[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"REQUEST_URI=http://evil/x", NULL };
	char *relative[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"DOCUMENT_URI=api/v1", NULL };
	char *onlyq[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"REQUEST_URI=?a=1", NULL };
	char *nopath[] = { (char *)"REQUEST_METHOD=GET", NULL };
	struct req	 r;

	assert_int_equal(params(state, fallback, &r), ERR_OK);
	assert_string_equal(r.path, "/a b/张");
	assert_int_equal(params(state, emptydoc, &r), ERR_OK);
	assert_string_equal(r.path, "/x+y");	/* no '+' rule in paths */
	assert_int_equal(params(state, badesc, &r), ERR_BAD_REQUEST);
	assert_int_equal(params(state, nul, &r), ERR_BAD_REQUEST);
	assert_int_equal(params(state, absolute, &r), ERR_BAD_REQUEST);
	assert_int_equal(params(state, relative, &r), ERR_BAD_REQUEST);
	assert_int_equal(params(state, onlyq, &r), ERR_BAD_REQUEST);
	assert_int_equal(params(state, nopath, &r), ERR_BAD_REQUEST);
}

static enum crm_err
clen(void **state, const char *v, size_t maxbody, size_t *out)
{
	char		 buf[128];
	char		*env[] = { (char *)"REQUEST_METHOD=POST",
	    (char *)"DOCUMENT_URI=/", buf, NULL };
	struct req	 r;
	enum crm_err	 e;

	snprintf(buf, sizeof(buf), "CONTENT_LENGTH=%s", v);
	e = http_req_from_params(ARENA(state), env, maxbody, &r);
	*out = r.content_length;
	return e;
}

static void
test_params_content_length(void **state)
{
	size_t	 n;

	assert_int_equal(clen(state, "", MAXBODY, &n), ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(clen(state, "0", MAXBODY, &n), ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(clen(state, "0012", MAXBODY, &n), ERR_OK);
	assert_int_equal(n, 12);
	assert_int_equal(clen(state, "1048576", MAXBODY, &n), ERR_OK);
	assert_int_equal(n, MAXBODY);
	assert_int_equal(clen(state, "1048577", MAXBODY, &n), ERR_TOO_LARGE);
	assert_int_equal(clen(state, "12a", MAXBODY, &n), ERR_BAD_REQUEST);
	assert_int_equal(clen(state, "-1", MAXBODY, &n), ERR_BAD_REQUEST);
	assert_int_equal(clen(state, "+1", MAXBODY, &n), ERR_BAD_REQUEST);
	assert_int_equal(clen(state, " 1", MAXBODY, &n), ERR_BAD_REQUEST);
	assert_int_equal(clen(state, "1 ", MAXBODY, &n), ERR_BAD_REQUEST);
	assert_int_equal(clen(state, "0x10", MAXBODY, &n), ERR_BAD_REQUEST);
	assert_int_equal(clen(state, "1e3", MAXBODY, &n), ERR_BAD_REQUEST);
	assert_int_equal(clen(state, "99999999999999999999999999999", MAXBODY,
	    &n), ERR_TOO_LARGE);
	assert_int_equal(clen(state, "18446744073709551616", SIZE_MAX, &n),
	    ERR_TOO_LARGE);
	if (SIZE_MAX == 18446744073709551615ULL) {
		assert_int_equal(clen(state, "18446744073709551615", SIZE_MAX,
		    &n), ERR_OK);
		assert_true(n == SIZE_MAX);
	}
	assert_int_equal(clen(state, "1", 0, &n), ERR_TOO_LARGE);
	assert_int_equal(clen(state, "0", 0, &n), ERR_OK);
}

static void
test_params_query(void **state)
{
	char *bad[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"DOCUMENT_URI=/", (char *)"QUERY_STRING=a=%zz",
	    (char *)"HTTP_ACCEPT_LANGUAGE=en-US", NULL };
	char *empty[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"DOCUMENT_URI=/", (char *)"QUERY_STRING=", NULL };
	char *cookie[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"DOCUMENT_URI=/", (char *)"HTTP_COOKIE=;;garbage;=;a=1",
	    NULL };
	struct req	 r;

	assert_int_equal(params(state, bad, &r), ERR_BAD_REQUEST);
	/* The language survives an error, to answer in it. */
	assert_string_equal(r.accept_language, "en-US");
	assert_int_equal(params(state, empty, &r), ERR_OK);
	assert_null(r.query_raw);
	assert_int_equal(r.query.n, 0);
	assert_int_equal(params(state, cookie, &r), ERR_OK);
	assert_int_equal(r.cookies.n, 1);
	assert_string_equal(http_kv_get(&r.cookies, "a"), "1");
}

static void
test_params_https(void **state)
{
	char *on[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"DOCUMENT_URI=/", (char *)"HTTPS=ON", NULL };
	char *off[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"DOCUMENT_URI=/", (char *)"HTTPS=", NULL };
	char *prefix[] = { (char *)"REQUEST_METHOD=GET",
	    (char *)"DOCUMENT_URI=/", (char *)"HTTPSX=on",
	    (char *)"HTTP_HTTPS=on", NULL };
	struct req	 r;

	assert_int_equal(params(state, on, &r), ERR_OK);
	assert_int_equal(r.https, 1);
	assert_int_equal(params(state, off, &r), ERR_OK);
	assert_int_equal(r.https, 0);
	assert_int_equal(params(state, prefix, &r), ERR_OK);
	assert_int_equal(r.https, 0);
}

static void
test_params_caps(void **state)
{
	char		**env, *big;
	struct req	 r;
	size_t		 i;

	env = calloc(600, sizeof(*env));
	assert_non_null(env);
	env[0] = (char *)"REQUEST_METHOD=GET";
	env[1] = (char *)"DOCUMENT_URI=/";
	for (i = 2; i < 512; i++)
		env[i] = (char *)"HTTP_X_FILLER=1";
	assert_int_equal(params(state, env, &r), ERR_OK);
	env[512] = (char *)"HTTP_X_FILLER=1";
	assert_int_equal(params(state, env, &r), ERR_BAD_REQUEST);
	env[512] = NULL;

	/* A huge value: refused when used, ignored when not. */
	big = malloc(70000);
	assert_non_null(big);
	memset(big, 'a', 69999);
	big[69999] = '\0';
	memcpy(big, "HTTP_X_BIG=", 11);
	env[2] = big;
	assert_int_equal(params(state, env, &r), ERR_OK);
	memcpy(big, "QUERY_STRING=", 13);
	assert_int_equal(params(state, env, &r), ERR_BAD_REQUEST);
	big[13] = 'k';
	big[14] = '=';
	big[13 + 65536] = '\0';		/* exactly 64 KiB is fine */
	assert_int_equal(params(state, env, &r), ERR_OK);
	assert_int_equal(r.query.n, 1);
	assert_int_equal(strlen(r.query_raw), 65536);
	free(big);
	free(env);
}

/* -------------------------------------------------------- http_is_json */

static void
test_is_json(void **state)
{
	(void)state;
	assert_true(http_is_json("application/json"));
	assert_true(http_is_json("application/json; charset=utf-8"));
	assert_true(http_is_json("application/json;charset=UTF-8"));
	assert_true(http_is_json("Application/JSON"));
	assert_true(http_is_json(" application/json ;x=y"));
	assert_false(http_is_json("application/jsonx"));
	assert_false(http_is_json("application/json-seq"));
	assert_false(http_is_json("application/json charset=utf-8"));
	assert_false(http_is_json("application/js"));
	assert_false(http_is_json("text/json"));
	assert_false(http_is_json("application/x-www-form-urlencoded"));
	assert_false(http_is_json(""));
	assert_false(http_is_json(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_urldecode_basic),
		T(test_urldecode_plus),
		T(test_urldecode_bad),
		T(test_urldecode_nul),
		T(test_urldecode_length_bound),
		T(test_query_basic),
		T(test_query_empty_pieces),
		T(test_query_no_equals),
		T(test_query_empty_key),
		T(test_query_decoding),
		T(test_query_bad_escape),
		T(test_query_nul),
		T(test_query_duplicates),
		T(test_query_pair_cap),
		T(test_query_key_cap),
		T(test_query_length_bound),
		T(test_form),
		T(test_cookies_basic),
		T(test_cookies_quotes),
		T(test_cookies_garbage),
		T(test_cookies_nul),
		T(test_cookies_duplicates),
		T(test_cookies_caps),
		T(test_kv_get_edge),
		T(test_utf8_valid),
		T(test_utf8_invalid),
		T(test_utf8_truncated),
		T(test_params_minimal),
		T(test_params_full),
		T(test_params_method),
		T(test_params_path),
		T(test_params_content_length),
		T(test_params_query),
		T(test_params_https),
		T(test_params_caps),
		T(test_is_json),
#undef T
	};

	return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
