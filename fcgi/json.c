/*
 * json.c: request bodies in, JSON text out, over jansson.
 *
 * A body is checked before jansson sees it (RFC 8259: UTF-8 only, no NUL,
 * nesting at most JSON_MAXDEPTH), parsed with duplicate keys refused, and
 * the value registered on the request arena so it is released with the
 * request.  json_fields checks an object against a handler's list of
 * allowed members.  The writers append to the request's struct buf.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extern.h"

#define JSON_MAXDEPTH	32	/* containers nested, the top object is 1 */
#define JSON_MAXSTR	4096	/* default cap on a string field, bytes */

static void
json_decref_cb(void *arg)
{
	json_decref(arg);
}

/*
 * 1 when no array or object in s[0..len) is nested deeper than
 * JSON_MAXDEPTH.  Run before jansson so a body of a million '[' never
 * reaches its recursive parser (whose own limit is 2048).  Brackets inside
 * strings do not count; for text that is not JSON the answer does not
 * matter, since jansson refuses it anyway.
 */
static int
json_depth_ok(const char *s, size_t len)
{
	size_t	 i, depth = 0;
	int	 instr = 0;

	for (i = 0; i < len; i++) {
		if (instr) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				instr = 0;
			continue;
		}
		switch (s[i]) {
		case '"':
			instr = 1;
			break;
		case '[':
		case '{':
			if (++depth > JSON_MAXDEPTH)
				return 0;
			break;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
	}
	return 1;
}

/*
 * Parse a request body of len bytes (not NUL-terminated).  Refused, with
 * *err set: an empty body, a NUL byte anywhere, nesting deeper than 32,
 * syntax errors, trailing garbage, duplicate keys, \u0000 or lone
 * surrogate escapes (jansson refuses these without JSON_ALLOW_NUL), and a
 * top level that is not an object: ERR_BAD_JSON; invalid UTF-8:
 * ERR_BAD_UTF8; memory: ERR_INTERNAL.  *field is set to NULL (no parse
 * error here is tied to one member).  err and field may be NULL.
 * Returns the object, owned by the arena (json_decref'd when it is
 * reset; callers json_incref anything they keep longer), or NULL.
 */
json_t *
json_parse_body(struct arena *a, const char *body, size_t len,
    enum crm_err *errp, const char **fieldp)
{
	json_error_t	 je;
	json_t		*j = NULL;
	enum crm_err	 err = ERR_OK;

	if (fieldp != NULL)
		*fieldp = NULL;
	if (body == NULL || len == 0)
		err = ERR_BAD_JSON;
	else if (memchr(body, '\0', len) != NULL)
		err = ERR_BAD_JSON;
	else if (!http_utf8_valid(body, len))
		err = ERR_BAD_UTF8;
	else if (!json_depth_ok(body, len))
		err = ERR_BAD_JSON;
	else if ((j = json_loadb(body, len, JSON_REJECT_DUPLICATES,
	    &je)) == NULL)
		err = json_error_code(&je) == json_error_out_of_memory ?
		    ERR_INTERNAL : ERR_BAD_JSON;
	else if (arena_cleanup_add(a, json_decref_cb, j) == -1) {
		/* arena_cleanup_add has already released j. */
		j = NULL;
		err = ERR_INTERNAL;
	} else if (!json_is_object(j)) {
		j = NULL;	/* still freed by the arena */
		err = ERR_BAD_JSON;
	}
	if (errp != NULL)
		*errp = err;
	return j;
}

/* 1 when v has the JSON type t asks for. */
static int
json_ftype_ok(const json_t *v, enum json_ftype t)
{
	switch (t) {
	case JF_STRING:
		return json_is_string(v);
	case JF_INTEGER:
		return json_is_integer(v);
	case JF_REAL:
		return json_is_number(v);
	case JF_BOOLEAN:
		return json_is_boolean(v);
	case JF_OBJECT:
		return json_is_object(v);
	case JF_ARRAY:
		return json_is_array(v);
	default:
		abort();
	}
}

/*
 * Check the members of obj against spec[0..n) (names must be distinct).
 * In this order: a member whose name is not in spec is ERR_UNKNOWN_FIELD
 * (first such member in document order); then, in spec order, a required
 * field absent or null is ERR_MISSING_FIELD (null means "no value" for
 * every field: a form sending null for an empty input gets the "required"
 * message), a value of the wrong type or a string longer than maxlen
 * bytes (0: 4096) is ERR_BAD_FIELD.  A field not required may be absent
 * or null.  *badfield (when not NULL) gets the member's name, owned by obj
 * or spec, or NULL.  obj not an object is ERR_BAD_JSON.
 */
enum crm_err
json_fields(json_t *obj, const struct json_field *spec, size_t n,
    const char **badfield)
{
	const char	*key;
	json_t		*v;
	size_t		 i, max;

	if (badfield != NULL)
		*badfield = NULL;
	if (!json_is_object(obj))
		return ERR_BAD_JSON;
	json_object_foreach(obj, key, v) {
		for (i = 0; i < n; i++)
			if (strcmp(spec[i].name, key) == 0)
				break;
		if (i == n) {
			if (badfield != NULL)
				*badfield = key;
			return ERR_UNKNOWN_FIELD;
		}
	}
	for (i = 0; i < n; i++) {
		v = json_object_get(obj, spec[i].name);
		if (v == NULL || json_is_null(v)) {
			if (!spec[i].required)
				continue;
			if (badfield != NULL)
				*badfield = spec[i].name;
			return ERR_MISSING_FIELD;
		}
		max = spec[i].maxlen ? spec[i].maxlen : JSON_MAXSTR;
		if (!json_ftype_ok(v, spec[i].type) ||
		    (spec[i].type == JF_STRING &&
		     json_string_length(v) > max)) {
			if (badfield != NULL)
				*badfield = spec[i].name;
			return ERR_BAD_FIELD;
		}
	}
	return ERR_OK;
}

/* Length of the UTF-8 sequence a lead byte announces; 0 if none. */
static size_t
json_utf8_seqlen(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/*
 * Append s to b as a JSON string literal (RFC 8259 section 7): '"' and
 * '\\' escaped, control bytes and DEL as \u00XX, valid UTF-8 passed
 * through as it is.  A byte that does not start a valid UTF-8 sequence
 * becomes U+FFFD, so the answer is valid JSON whatever s holds.  NULL
 * appends null.
 */
void
json_reply_str(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	static const char	 repl[] = "\xef\xbf\xbd";	/* U+FFFD */
	size_t			 i, k, len, start;
	unsigned char		 c;
	char			 esc[6];

	if (s == NULL) {
		buf_puts(b, "null");
		return;
	}
	len = strlen(s);
	buf_putc(b, '"');
	for (start = i = 0; i < len; ) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80 && (k = json_utf8_seqlen(c)) != 0 &&
		    k <= len - i && http_utf8_valid(s + i, k)) {
			i += k;
			continue;
		}
		buf_write(b, s + start, i - start);
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, c);
		} else if (c >= 0x80)
			buf_write(b, repl, sizeof(repl) - 1);
		else {
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			buf_write(b, esc, sizeof(esc));
		}
		start = ++i;
	}
	buf_write(b, s + start, i - start);
	buf_putc(b, '"');
}

static int
json_buf_cb(const char *p, size_t n, void *arg)
{
	struct buf	*b = arg;

	buf_write(b, p, n);
	return b->overflow ? -1 : 0;
}

/*
 * Append the compact encoding of v (any JSON value) to b, UTF-8 as it is.
 * Returns 0, or -1 when v is NULL, jansson fails or b overflows; then b
 * is cut back to its old length (an overflow stays marked).
 */
int
json_dump_buf(struct buf *b, const json_t *v)
{
	size_t	 old = b->len;

	if (v == NULL || b->overflow)
		return -1;
	if (json_dump_callback(v, json_buf_cb, b,
	    JSON_COMPACT | JSON_ENCODE_ANY) == -1 || b->overflow) {
		b->len = old;
		if (b->data != NULL)
			b->data[old] = '\0';
		return -1;
	}
	return 0;
}
