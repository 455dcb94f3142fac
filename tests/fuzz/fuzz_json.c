/*
 * fuzz_json.c: libFuzzer target for json_parse_body, json_fields,
 * json_dump_buf, json_reply_str (fcgi/json.c) and http_utf8_valid.
 *
 * Differential checks: http_utf8_valid against a decoder written the
 * other way round (compute the code point, then judge it); an accepted
 * body must be an object no deeper than 32, encode and parse back to an
 * equal value; json_reply_str of any bytes must be a JSON string that
 * jansson reads back as the same text when that text was valid UTF-8.
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

static const struct json_field spec[] = {
	{ "login",	JF_STRING,	1, 32 },
	{ "a",		JF_INTEGER,	0, 0 },
	{ "b",		JF_REAL,	0, 0 },
	{ "c",		JF_BOOLEAN,	0, 0 },
	{ "d",		JF_OBJECT,	0, 0 },
	{ "e",		JF_ARRAY,	0, 0 },
	{ "s",		JF_STRING,	0, 4 },
};

/* Reference UTF-8 check: decode, then refuse overlong, surrogate, big. */
static int
ref_utf8(const unsigned char *p, size_t n)
{
	static const uint32_t	 least[4] = { 0, 0x80, 0x800, 0x10000 };
	uint32_t		 cp;
	size_t			 i = 0, j, k;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			k = 1;
			cp = p[i] & 0x1f;
		} else if ((p[i] & 0xf0) == 0xe0) {
			k = 2;
			cp = p[i] & 0x0f;
		} else if ((p[i] & 0xf8) == 0xf0) {
			k = 3;
			cp = p[i] & 0x07;
		} else
			return 0;
		if (n - i <= k)
			return 0;
		for (j = 1; j <= k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + j] & 0x3f);
		}
		if (cp < least[k] || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

static size_t
depth(const json_t *v)
{
	const char	*key;
	json_t		*m;
	size_t		 i, d, max = 0;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, m)
			if ((d = depth(m)) > max)
				max = d;
		return max + 1;
	}
	if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++)
			if ((d = depth(json_array_get(v, i))) > max)
				max = d;
		return max + 1;
	}
	return 0;
}

/* json_reply_str(s) must read back through jansson. */
static void
check_reply(const char *s)
{
	struct buf	 b;
	json_error_t	 je;
	json_t		*j;

	buf_init(&b, &arena, 64u << 20);
	json_reply_str(&b, s);
	CHECK(!b.overflow);
	CHECK(http_utf8_valid(b.data, b.len));
	j = json_loadb(b.data, b.len, JSON_DECODE_ANY, &je);
	CHECK(j != NULL && json_is_string(j));
	if (http_utf8_valid(s, strlen(s)))
		CHECK(strcmp(json_string_value(j), s) == 0);
	json_decref(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data, *field, *bad, *key;
	enum crm_err	 err, ferr;
	struct buf	 b;
	json_t		*j, *j2, *m;
	size_t		 i;
	char		*z;

	if (!inited) {
		arena_init(&arena, 256u << 20);
		inited = 1;
	}

	CHECK(http_utf8_valid(s, size) == ref_utf8(data, size));

	j = json_parse_body(&arena, s, size, &err, &field);
	CHECK((j != NULL) == (err == ERR_OK));
	CHECK(field == NULL);
	if (err == ERR_BAD_UTF8)
		CHECK(!ref_utf8(data, size));
	if (j != NULL) {
		CHECK(json_is_object(j));
		CHECK(memchr(s, '\0', size) == NULL);
		CHECK(ref_utf8(data, size));
		CHECK(depth(j) >= 1 && depth(j) <= 32);

		buf_init(&b, &arena, 64u << 20);
		CHECK(json_dump_buf(&b, j) == 0);
		j2 = json_parse_body(&arena, b.data, b.len, &err, &field);
		CHECK(j2 != NULL);
		CHECK(json_equal(j, j2));

		ferr = json_fields(j, spec, sizeof(spec) / sizeof(spec[0]),
		    &bad);
		if (ferr == ERR_OK)
			CHECK(bad == NULL);
		else
			CHECK(bad != NULL);
		if (ferr == ERR_UNKNOWN_FIELD)
			CHECK(json_object_get(j, bad) != NULL);
		if (ferr == ERR_OK)
			CHECK(json_is_string(json_object_get(j, "login")));

		json_object_foreach(j, key, m) {
			check_reply(key);
			if (json_is_string(m))
				check_reply(json_string_value(m));
		}
	}

	/* Any bytes, as a C string, through json_reply_str. */
	if ((z = arena_strndup(&arena, s, size)) != NULL)
		check_reply(z);
	for (i = 0; i < size && i < 8; i++)
		(void)http_utf8_valid(s + i, size - i);

	arena_reset(&arena);
	return 0;
}
