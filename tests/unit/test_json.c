/*
 * test_json.c: unit tests for fcgi/json.c (cmocka).
 *
 * Bodies are copied into exact-length malloc'd blocks (no NUL after
 * them) so AddressSanitizer sees any read past the end.  Parsed values
 * are owned by the test's arena; LeakSanitizer or valgrind would report
 * one that is not released with it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

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

#define ARENA(st)	(&((struct tstate *)*(st))->a)

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

/* Parse body[0..n) and return the error; *out gets the value. */
static enum crm_err
parse_n(void **state, const char *body, size_t n, json_t **out)
{
	enum crm_err	 err = ERR__MAX;
	const char	*field = "junk";
	json_t		*j;

	j = json_parse_body(ARENA(state), exact(state, body, n), n, &err,
	    &field);
	assert_null(field);
	assert_true((err == ERR_OK) == (j != NULL));
	if (out != NULL)
		*out = j;
	return err;
}

static enum crm_err
parse_j(void **state, const char *body, json_t **out)
{
	return parse_n(state, body, strlen(body), out);
}

static enum crm_err
parse(void **state, const char *body)
{
	return parse_n(state, body, strlen(body), NULL);
}

#define PARSE_LIT(st, s)	parse_n((st), (s), sizeof(s) - 1, NULL)

/* '{"a":' + (depth - 1) arrays + '}', so the depth is exactly depth. */
static char *
nested(size_t depth)
{
	char	*s;
	size_t	 i, n = 0;

	s = malloc(2 * depth + 8);
	assert_non_null(s);
	memcpy(s, "{\"a\":", 5);
	n = 5;
	for (i = 1; i < depth; i++)
		s[n++] = '[';
	for (i = 1; i < depth; i++)
		s[n++] = ']';
	if (depth == 1)
		s[n++] = '1';
	s[n++] = '}';
	s[n] = '\0';
	return s;
}

/* ------------------------------------------------------ json_parse_body */

static void
test_parse_ok(void **state)
{
	json_t	*j;

	assert_int_equal(parse(state, "{}"), ERR_OK);
	assert_int_equal(parse_j(state, "{\"a\":1,\"b\":[true,null,1.5],"
	    "\"c\":{\"d\":\"e\"}}", &j), ERR_OK);
	assert_true(json_is_object(j));
	assert_int_equal(json_integer_value(json_object_get(j, "a")), 1);
	assert_int_equal(parse(state, " \n\t{ } \r\n"), ERR_OK);
	assert_int_equal(parse_j(state, "{\"name\":\"张三\"}", &j), ERR_OK);
	assert_string_equal(json_string_value(json_object_get(j, "name")),
	    "张三");
	assert_int_equal(parse_j(state,
	    "{\"e\":\"\\ud83d\\ude00 \\u4e2d \\\" \\\\ \\/\"}", &j), ERR_OK);
	assert_string_equal(json_string_value(json_object_get(j, "e")),
	    "\xf0\x9f\x98\x80 中 \" \\ /");
	/* Big but in range. */
	assert_int_equal(parse(state, "{\"n\":9223372036854775807}"), ERR_OK);
}

static void
test_parse_err_null_ok(void **state)
{
	json_t	*j;

	j = json_parse_body(ARENA(state), exact(state, "{}", 2), 2, NULL,
	    NULL);
	assert_non_null(j);
	j = json_parse_body(ARENA(state), exact(state, "[]", 2), 2, NULL,
	    NULL);
	assert_null(j);
}

static void
test_parse_empty(void **state)
{
	enum crm_err	 err;

	assert_null(json_parse_body(ARENA(state), NULL, 0, &err, NULL));
	assert_int_equal(err, ERR_BAD_JSON);
	assert_int_equal(parse(state, ""), ERR_BAD_JSON);
	assert_int_equal(parse(state, "   "), ERR_BAD_JSON);
	assert_int_equal(parse(state, "\n"), ERR_BAD_JSON);
}

static void
test_parse_invalid(void **state)
{
	assert_int_equal(parse(state, "{"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"a\":}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"a\" 1}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{a:1}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{'a':1}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"a\":1,}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"a\":01}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"a\":NaN}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"a\":\"\\x41\"}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"a\":\"tab\there\"}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"a\":\"open}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"a\":1/*c*/}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "nul"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "\xef\xbb\xbf{}"), ERR_BAD_JSON);
	/* Out of range integers are refused, not wrapped. */
	assert_int_equal(parse(state, "{\"a\":99999999999999999999}"),
	    ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"a\":1e999}"), ERR_BAD_JSON);
}

static void
test_parse_trailing(void **state)
{
	assert_int_equal(parse(state, "{\"a\":1} x"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{}{}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{},"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{}]"), ERR_BAD_JSON);
	/* Bytes after len are not part of the body. */
	assert_int_equal(parse_n(state, "{}xyz", 2, NULL), ERR_OK);
	assert_int_equal(parse_n(state, "{\"a\":1}", 6, NULL), ERR_BAD_JSON);
}

static void
test_parse_top_level(void **state)
{
	assert_int_equal(parse(state, "[1,2]"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "[]"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "[{}]"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "1"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "\"s\""), ERR_BAD_JSON);
	assert_int_equal(parse(state, "null"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "true"), ERR_BAD_JSON);
}

static void
test_parse_depth(void **state)
{
	char	*s;
	json_t	*j, *v;
	size_t	 d;

	s = nested(1);
	assert_int_equal(parse(state, s), ERR_OK);
	free(s);
	s = nested(32);
	assert_int_equal(parse_j(state, s, &j), ERR_OK);
	for (d = 1, v = json_object_get(j, "a"); json_is_array(v);
	    v = json_array_get(v, 0))
		d++;
	assert_int_equal(d, 32);
	free(s);
	s = nested(33);
	assert_int_equal(parse(state, s), ERR_BAD_JSON);
	free(s);
	s = nested(100000);
	assert_int_equal(parse(state, s), ERR_BAD_JSON);
	free(s);
	/* Unbalanced deep opening is refused before jansson recurses. */
	s = malloc(3000);
	assert_non_null(s);
	memset(s, '{', 2999);
	s[2999] = '\0';
	assert_int_equal(parse(state, s), ERR_BAD_JSON);
	/* Brackets inside strings do not count. */
	memset(s, '[', 2999);
	memcpy(s, "{\"a\":\"", 6);
	memcpy(s + 2995, "\"}", 3);
	assert_int_equal(parse(state, s), ERR_OK);
	/* Nor do escaped quotes end a string early. */
	assert_int_equal(parse(state, "{\"a\":\"\\\"[[[[[[[[[[[[[[[[[[[[[[[[["
	    "[[[[[[[[[[[[[[[[\"}"), ERR_OK);
	free(s);
}

static void
test_parse_duplicates(void **state)
{
	assert_int_equal(parse(state, "{\"a\":1,\"a\":2}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"x\":{\"a\":1,\"b\":2,\"a\":3}}"),
	    ERR_BAD_JSON);
	/* Same name in different objects is fine. */
	assert_int_equal(parse(state, "{\"a\":{\"a\":1}}"), ERR_OK);
	/* Escaped spelling of the same key is still a duplicate. */
	assert_int_equal(parse(state, "{\"a\":1,\"\\u0061\":2}"), ERR_BAD_JSON);
}

static void
test_parse_nul(void **state)
{
	assert_int_equal(parse(state, "{\"a\":\"x\\u0000y\"}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"\\u0000\":1}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"a\\u0000b\":1}"), ERR_BAD_JSON);
	assert_int_equal(PARSE_LIT(state, "{\"a\":\"x\0\"}"), ERR_BAD_JSON);
	assert_int_equal(PARSE_LIT(state, "{}\0"), ERR_BAD_JSON);
	assert_int_equal(PARSE_LIT(state, "\0{}"), ERR_BAD_JSON);
}

static void
test_parse_utf8(void **state)
{
	assert_int_equal(parse(state, "{\"a\":\"\xff\"}"), ERR_BAD_UTF8);
	assert_int_equal(parse(state, "{\"a\":\"\xc0\x80\"}"), ERR_BAD_UTF8);
	assert_int_equal(parse(state, "{\"a\":\"\xed\xa0\x80\"}"), ERR_BAD_UTF8);
	assert_int_equal(parse(state, "{\"a\":\"\xf4\x90\x80\x80\"}"),
	    ERR_BAD_UTF8);
	assert_int_equal(parse(state, "{\"\xe4\xb8\":1}"), ERR_BAD_UTF8);
	assert_int_equal(parse(state, "{}\xe4\xb8"), ERR_BAD_UTF8);
	/* Escaped lone surrogates are jansson's to refuse. */
	assert_int_equal(parse(state, "{\"a\":\"\\ud800\"}"), ERR_BAD_JSON);
	assert_int_equal(parse(state, "{\"a\":\"\\udc00x\"}"), ERR_BAD_JSON);
}

static void
test_parse_owned_by_arena(void **state)
{
	json_t	*j;

	assert_int_equal(parse_j(state, "{\"k\":[1,2,3]}", &j), ERR_OK);
	assert_int_equal(j->refcount, 1);
	/* Reset releases it; a second parse after reset works. */
	arena_reset(ARENA(state));
	assert_int_equal(parse_j(state, "{\"k\":1}", &j), ERR_OK);
	/* A refused top-level array is released too (LeakSanitizer). */
	assert_int_equal(parse(state, "[1,[2,[3]]]"), ERR_BAD_JSON);
}

/* ---------------------------------------------------------- json_fields */

static const struct json_field login_spec[] = {
	{ "login",	JF_STRING,	1, 32 },
	{ "password",	JF_STRING,	1, 0 },
	{ "remember",	JF_BOOLEAN,	0, 0 },
	{ "age",	JF_INTEGER,	0, 0 },
	{ "score",	JF_REAL,	0, 0 },
	{ "tags",	JF_ARRAY,	0, 0 },
	{ "meta",	JF_OBJECT,	0, 0 },
};
#define NSPEC	(sizeof(login_spec) / sizeof(login_spec[0]))

/* Run json_fields on text; *bad gets the field at fault. */
static enum crm_err
fields(void **state, const char *text, const char **bad)
{
	json_t		*j;

	assert_int_equal(parse_j(state, text, &j), ERR_OK);
	*bad = "junk";
	return json_fields(j, login_spec, NSPEC, bad);
}

static void
test_fields_ok(void **state)
{
	const char	*bad;

	assert_int_equal(fields(state, "{\"login\":\"zs\",\"password\":\"pw\"}",
	    &bad), ERR_OK);
	assert_null(bad);
	assert_int_equal(fields(state, "{\"login\":\"zs\",\"password\":\"pw\","
	    "\"remember\":false,\"age\":30,\"score\":1.5,\"tags\":[],"
	    "\"meta\":{}}", &bad), ERR_OK);
	assert_null(bad);
	/* null is "absent" for optional fields. */
	assert_int_equal(fields(state, "{\"login\":\"zs\",\"password\":\"pw\","
	    "\"remember\":null,\"age\":null,\"tags\":null}", &bad), ERR_OK);
	/* JF_REAL accepts integers. */
	assert_int_equal(fields(state, "{\"login\":\"zs\",\"password\":\"\","
	    "\"score\":2}", &bad), ERR_OK);
}

static void
test_fields_unknown(void **state)
{
	const char	*bad;

	assert_int_equal(fields(state, "{\"login\":\"zs\",\"password\":\"pw\","
	    "\"admin\":true}", &bad), ERR_UNKNOWN_FIELD);
	assert_string_equal(bad, "admin");
	/* Unknown is reported before missing. */
	assert_int_equal(fields(state, "{\"Login\":\"zs\"}", &bad),
	    ERR_UNKNOWN_FIELD);
	assert_string_equal(bad, "Login");
	assert_int_equal(fields(state, "{\"\":1}", &bad), ERR_UNKNOWN_FIELD);
	assert_string_equal(bad, "");
}

static void
test_fields_missing(void **state)
{
	const char	*bad;

	assert_int_equal(fields(state, "{}", &bad), ERR_MISSING_FIELD);
	assert_string_equal(bad, "login");
	assert_int_equal(fields(state, "{\"login\":\"zs\"}", &bad),
	    ERR_MISSING_FIELD);
	assert_string_equal(bad, "password");
	assert_int_equal(fields(state, "{\"login\":null,\"password\":\"x\"}",
	    &bad), ERR_MISSING_FIELD);
	assert_string_equal(bad, "login");
}

static void
test_fields_type(void **state)
{
	const char	*bad;

	assert_int_equal(fields(state, "{\"login\":1,\"password\":\"x\"}",
	    &bad), ERR_BAD_FIELD);
	assert_string_equal(bad, "login");
	assert_int_equal(fields(state, "{\"login\":[\"a\"],\"password\":\"x\"}",
	    &bad), ERR_BAD_FIELD);
	assert_int_equal(fields(state, "{\"login\":\"a\",\"password\":\"x\","
	    "\"age\":1.5}", &bad), ERR_BAD_FIELD);
	assert_string_equal(bad, "age");
	assert_int_equal(fields(state, "{\"login\":\"a\",\"password\":\"x\","
	    "\"age\":\"30\"}", &bad), ERR_BAD_FIELD);
	assert_int_equal(fields(state, "{\"login\":\"a\",\"password\":\"x\","
	    "\"age\":true}", &bad), ERR_BAD_FIELD);
	assert_int_equal(fields(state, "{\"login\":\"a\",\"password\":\"x\","
	    "\"score\":\"1\"}", &bad), ERR_BAD_FIELD);
	assert_string_equal(bad, "score");
	assert_int_equal(fields(state, "{\"login\":\"a\",\"password\":\"x\","
	    "\"remember\":\"yes\"}", &bad), ERR_BAD_FIELD);
	assert_string_equal(bad, "remember");
	assert_int_equal(fields(state, "{\"login\":\"a\",\"password\":\"x\","
	    "\"remember\":1}", &bad), ERR_BAD_FIELD);
	assert_int_equal(fields(state, "{\"login\":\"a\",\"password\":\"x\","
	    "\"tags\":{}}", &bad), ERR_BAD_FIELD);
	assert_string_equal(bad, "tags");
	assert_int_equal(fields(state, "{\"login\":\"a\",\"password\":\"x\","
	    "\"meta\":[]}", &bad), ERR_BAD_FIELD);
	assert_string_equal(bad, "meta");
}

static void
test_fields_length(void **state)
{
	const char	*bad;
	char		*s;
	size_t		 n;

	/* 32 bytes fine, 33 not; Chinese counts in bytes (11 x 3 = 33). */
	assert_int_equal(fields(state, "{\"login\":\"0123456789012345678901"
	    "2345678901\",\"password\":\"x\"}", &bad), ERR_OK);
	assert_int_equal(fields(state, "{\"login\":\"0123456789012345678901"
	    "23456789012\",\"password\":\"x\"}", &bad), ERR_BAD_FIELD);
	assert_string_equal(bad, "login");
	assert_int_equal(fields(state, "{\"login\":\"张三张三张三张三张三张\","
	    "\"password\":\"x\"}", &bad), ERR_BAD_FIELD);
	assert_int_equal(fields(state, "{\"login\":\"张三张三张三张三张三\","
	    "\"password\":\"x\"}", &bad), ERR_OK);

	/* maxlen 0 means 4096. */
	s = malloc(4200);
	assert_non_null(s);
	strcpy(s, "{\"login\":\"a\",\"password\":\"");
	n = strlen(s);
	memset(s + n, 'p', 4096);
	strcpy(s + n + 4096, "\"}");
	assert_int_equal(fields(state, s, &bad), ERR_OK);
	memset(s + n, 'p', 4097);
	strcpy(s + n + 4097, "\"}");
	assert_int_equal(fields(state, s, &bad), ERR_BAD_FIELD);
	assert_string_equal(bad, "password");
	free(s);
}

static void
test_fields_misc(void **state)
{
	const struct json_field	 none[1] = { { "x", JF_STRING, 0, 0 } };
	json_t			*j;
	const char		*bad = "junk";

	j = json_array();
	assert_non_null(j);
	assert_int_equal(json_fields(j, login_spec, NSPEC, &bad),
	    ERR_BAD_JSON);
	assert_null(bad);
	json_decref(j);
	assert_int_equal(json_fields(NULL, login_spec, NSPEC, NULL),
	    ERR_BAD_JSON);
	assert_int_equal(parse_j(state, "{}", &j), ERR_OK);
	assert_int_equal(json_fields(j, none, 0, &bad), ERR_OK);
	assert_int_equal(json_fields(j, none, 1, NULL), ERR_OK);
	assert_int_equal(parse_j(state, "{\"a\":1}", &j), ERR_OK);
	assert_int_equal(json_fields(j, none, 0, &bad), ERR_UNKNOWN_FIELD);
	assert_string_equal(bad, "a");
	assert_int_equal(json_fields(j, none, 1, NULL), ERR_UNKNOWN_FIELD);
}

/* ------------------------------------------------------- json_reply_str */

/* json_reply_str(s) into a fresh buf; returns the text. */
static const char *
reply(void **state, const char *s)
{
	struct buf	 b;

	buf_init(&b, ARENA(state), 1 << 20);
	json_reply_str(&b, s);
	assert_false(b.overflow);
	return buf_cstr(&b);
}

/* The literal must read back, through jansson, as want. */
static void
roundtrip(void **state, const char *s, const char *want)
{
	const char	*out = reply(state, s);
	json_error_t	 je;
	json_t		*j;

	j = json_loads(out, JSON_DECODE_ANY, &je);
	assert_non_null(j);
	assert_true(json_is_string(j));
	assert_string_equal(json_string_value(j), want);
	json_decref(j);
}

static void
test_reply_str_escapes(void **state)
{
	assert_string_equal(reply(state, "abc"), "\"abc\"");
	assert_string_equal(reply(state, ""), "\"\"");
	assert_string_equal(reply(state, NULL), "null");
	assert_string_equal(reply(state, "a\"b"), "\"a\\\"b\"");
	assert_string_equal(reply(state, "a\\b"), "\"a\\\\b\"");
	assert_string_equal(reply(state, "\"\\\""), "\"\\\"\\\\\\\"\"");
	assert_string_equal(reply(state, "\n\t\r\b\f"),
	    "\"\\u000a\\u0009\\u000d\\u0008\\u000c\"");
	assert_string_equal(reply(state, "\x01\x1f\x7f"),
	    "\"\\u0001\\u001f\\u007f\"");
	assert_string_equal(reply(state, "</script>/"), "\"</script>/\"");
	roundtrip(state, "a\"b\\c\n\x01", "a\"b\\c\n\x01");
}

static void
test_reply_str_utf8(void **state)
{
	assert_string_equal(reply(state, "客户 张三"), "\"客户 张三\"");
	assert_string_equal(reply(state, "\xf0\x9f\x98\x80"),
	    "\"\xf0\x9f\x98\x80\"");
	roundtrip(state, "北京市朝阳区", "北京市朝阳区");
	/* Invalid bytes become U+FFFD, one per byte. */
	assert_string_equal(reply(state, "a\xff"), "\"a\xef\xbf\xbd\"");
	assert_string_equal(reply(state, "\xe4\xb8"),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_string_equal(reply(state, "\xc0\x80"),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_string_equal(reply(state, "\xed\xa0\x80!"),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!\"");
	assert_string_equal(reply(state, "\xe4\xb8\xad\xe4"),
	    "\"中\xef\xbf\xbd\"");
	roundtrip(state, "x\xf4\x90\x80\x80y",
	    "x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy");
}

static void
test_reply_str_overflow(void **state)
{
	struct buf	 b;

	buf_init(&b, ARENA(state), 8);
	json_reply_str(&b, "0123456789");
	assert_true(b.overflow);
	buf_init(&b, ARENA(state), 8);
	json_reply_str(&b, "012345");
	assert_false(b.overflow);
	assert_string_equal(buf_cstr(&b), "\"012345\"");
}

/* -------------------------------------------------------- json_dump_buf */

static void
test_dump_buf(void **state)
{
	struct buf	 b;
	json_t		*j;

	assert_int_equal(parse_j(state,
	    "{ \"a\" : 1, \"b\" : \"张\", \"c\" : [ true, null ] }", &j),
	    ERR_OK);
	buf_init(&b, ARENA(state), 1024);
	buf_puts(&b, "x=");
	assert_int_equal(json_dump_buf(&b, j), 0);
	assert_string_equal(buf_cstr(&b),
	    "x={\"a\":1,\"b\":\"张\",\"c\":[true,null]}");

	buf_init(&b, ARENA(state), 1024);
	assert_int_equal(json_dump_buf(&b, json_object_get(j, "b")), 0);
	assert_string_equal(buf_cstr(&b), "\"张\"");
	assert_int_equal(json_dump_buf(&b, NULL), -1);
	assert_string_equal(buf_cstr(&b), "\"张\"");
}

static void
test_dump_buf_overflow(void **state)
{
	struct buf	 b;
	json_t		*j;

	assert_int_equal(parse_j(state, "{\"long\":\"0123456789abcdef\"}", &j), ERR_OK);
	buf_init(&b, ARENA(state), 16);
	buf_puts(&b, "ok");
	assert_int_equal(json_dump_buf(&b, j), -1);
	assert_true(b.overflow);
	assert_int_equal(b.len, 2);
	assert_string_equal(buf_cstr(&b), "ok");
	assert_int_equal(json_dump_buf(&b, j), -1);	/* stays refused */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_parse_ok),
		T(test_parse_err_null_ok),
		T(test_parse_empty),
		T(test_parse_invalid),
		T(test_parse_trailing),
		T(test_parse_top_level),
		T(test_parse_depth),
		T(test_parse_duplicates),
		T(test_parse_nul),
		T(test_parse_utf8),
		T(test_parse_owned_by_arena),
		T(test_fields_ok),
		T(test_fields_unknown),
		T(test_fields_missing),
		T(test_fields_type),
		T(test_fields_length),
		T(test_fields_misc),
		T(test_reply_str_escapes),
		T(test_reply_str_utf8),
		T(test_reply_str_overflow),
		T(test_dump_buf),
		T(test_dump_buf_overflow),
#undef T
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
