/*
 * http.c: parsers for the parts of a request that arrive as bytes from
 * outside: the FastCGI params (FastCGI 1.0 section 6.2, with the names
 * nginx's fastcgi_params gives them), the query string and form bodies
 * (RFC 3986 section 2.1 percent-encoding, WHATWG URL Standard section 5.1
 * "application/x-www-form-urlencoded parsing"), the Cookie header (RFC
 * 6265 section 5.2, loosely) and UTF-8 validation (RFC 3629 section 4).
 *
 * Every parser takes a pointer and a length and never reads past it: no
 * input is assumed to be NUL-terminated.  Everything produced lives in the
 * request arena.  Limits are fixed here so a hostile request costs a
 * bounded amount of work and memory.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extern.h"

#define HTTP_MAXPAIRS	256		/* pairs in a query, form or Cookie */
#define HTTP_MAXKEY	256		/* bytes of a decoded key */
#define HTTP_MAXPARAMS	512		/* FastCGI params examined */
#define HTTP_MAXPARAM	(64 * 1024)	/* bytes of one param value used */
#define HTTP_MAXMETHOD	16

/* The FastCGI params read into struct req (names as nginx sends them). */
enum param {
	P_METHOD,
	P_DOCUMENT_URI,
	P_REQUEST_URI,
	P_QUERY,
	P_COOKIE,
	P_CONTENT_TYPE,
	P_CONTENT_LENGTH,
	P_ACCEPT_LANGUAGE,
	P_ORIGIN,
	P_HOST,
	P_CSRF_TOKEN,
	P_IDEMPOTENCY_KEY,
	P_REMOTE_ADDR,
	P_USER_AGENT,
	P_HTTPS,
	P__MAX
};

static const char *const param_names[P__MAX] = {
	"REQUEST_METHOD",		/* P_METHOD */
	"DOCUMENT_URI",			/* P_DOCUMENT_URI */
	"REQUEST_URI",			/* P_REQUEST_URI */
	"QUERY_STRING",			/* P_QUERY */
	"HTTP_COOKIE",			/* P_COOKIE */
	"CONTENT_TYPE",			/* P_CONTENT_TYPE */
	"CONTENT_LENGTH",		/* P_CONTENT_LENGTH */
	"HTTP_ACCEPT_LANGUAGE",		/* P_ACCEPT_LANGUAGE */
	"HTTP_ORIGIN",			/* P_ORIGIN */
	"HTTP_HOST",			/* P_HOST */
	"HTTP_X_CSRF_TOKEN",		/* P_CSRF_TOKEN */
	"HTTP_IDEMPOTENCY_KEY",		/* P_IDEMPOTENCY_KEY */
	"REMOTE_ADDR",			/* P_REMOTE_ADDR */
	"HTTP_USER_AGENT",		/* P_USER_AGENT */
	"HTTPS",			/* P_HTTPS */
};

static int
http_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode src[0..len) (RFC 3986 section 2.1) into a new
 * NUL-terminated string in the arena; with plus != 0 a '+' becomes a space
 * as in application/x-www-form-urlencoded.  A '%' not followed by two hex
 * digits ("%zz", a trailing "%4") makes the whole input invalid: unlike
 * WHATWG, which passes such bytes through, we refuse, so that one string
 * never has two readings.  Decoded NUL bytes are kept; *outlen (when not
 * NULL) gets the decoded length.  Returns NULL on a bad escape or when the
 * arena refuses memory.
 */
char *
http_urldecode(struct arena *a, const char *src, size_t len, int plus,
    size_t *outlen)
{
	char	*out;
	size_t	 i, o;
	int	 hi, lo;

	if (len == SIZE_MAX || (out = arena_alloc(a, len + 1)) == NULL)
		return NULL;
	for (i = o = 0; i < len; i++) {
		if (src[i] == '%') {
			if (len - i < 3 ||
			    (hi = http_hexval((unsigned char)src[i + 1])) < 0 ||
			    (lo = http_hexval((unsigned char)src[i + 2])) < 0)
				return NULL;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (plus && src[i] == '+')
			out[o++] = ' ';
		else
			out[o++] = src[i];
	}
	out[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	return out;
}

/*
 * The application/x-www-form-urlencoded parser (WHATWG URL section 5.1)
 * shared by query strings and form bodies: split on '&', skip empty
 * pieces, split each piece on its first '=' (no '=' gives an empty value),
 * decode both sides with '+' as space.  Stricter than WHATWG where
 * ambiguity could hurt: bad escapes, keys over HTTP_MAXKEY bytes, keys
 * with a decoded NUL and more than HTTP_MAXPAIRS pairs are errors.
 */
static int
http_parse_urlencoded(struct arena *a, const char *s, size_t len,
    struct kvlist *out)
{
	struct kv	*v;
	const char	*amp, *eq;
	size_t		 i, end, kend, n, npairs, klen, vlen;
	char		*key, *val;

	out->v = NULL;
	out->n = 0;

	/* Count first so the array is sized once and the cap is checked
	 * before any decoding work. */
	for (npairs = 0, i = 0; i < len; i = end + 1) {
		amp = memchr(s + i, '&', len - i);
		end = amp != NULL ? (size_t)(amp - s) : len;
		if (end > i && ++npairs > HTTP_MAXPAIRS)
			return -1;
	}
	if (npairs == 0)
		return 0;
	if ((v = arena_calloc(a, npairs, sizeof(*v))) == NULL)
		return -1;

	for (n = 0, i = 0; i < len; i = end + 1) {
		amp = memchr(s + i, '&', len - i);
		end = amp != NULL ? (size_t)(amp - s) : len;
		if (end == i)
			continue;
		eq = memchr(s + i, '=', end - i);
		kend = eq != NULL ? (size_t)(eq - s) : end;
		/* Each escape is 3 bytes: cheap refusal before decoding. */
		if (kend - i > 3 * HTTP_MAXKEY)
			return -1;
		key = http_urldecode(a, s + i, kend - i, 1, &klen);
		if (key == NULL || klen > HTTP_MAXKEY ||
		    memchr(key, '\0', klen) != NULL)
			return -1;
		if (eq != NULL)
			val = http_urldecode(a, s + kend + 1, end - kend - 1,
			    1, &vlen);
		else
			val = http_urldecode(a, "", 0, 1, &vlen);
		if (val == NULL)
			return -1;
		v[n].key = key;
		v[n].val = val;
		v[n].vlen = vlen;
		n++;
	}
	out->v = v;
	out->n = n;
	return 0;
}

/*
 * Parse a query string (QUERY_STRING, which nginx passes raw) into out.
 * Same rules as a form body, '+' included: HTML forms submitted with GET
 * put their fields in the query encoded that way, and a literal '+' is
 * always sent as %2B by browsers' encoders.  Empty pieces ("a=1&&b=2")
 * are skipped; "a" gives a="" and "=x" gives ""="x" (as WHATWG does).
 * Returns 0, or -1 (out left empty) on a bad escape, a key over 256 bytes
 * or with a decoded NUL, more than 256 pairs, or arena exhaustion.  All
 * strings live in the arena.
 */
int
http_parse_query(struct arena *a, const char *s, size_t len,
    struct kvlist *out)
{
	return http_parse_urlencoded(a, s, len, out);
}

/*
 * Parse an application/x-www-form-urlencoded body (WHATWG URL section
 * 5.1) into out.  Same rules and results as http_parse_query.
 */
int
http_parse_form(struct arena *a, const char *s, size_t len,
    struct kvlist *out)
{
	return http_parse_urlencoded(a, s, len, out);
}

static int
http_is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* 1 when s[0..len) holds a control byte (RFC 5234 CTL). */
static int
http_has_ctl(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

/*
 * Parse a Cookie header (RFC 6265 section 5.2, applied to the header a
 * browser sends): split on ';', trim spaces and tabs around names and
 * values, split on the first '='.  A piece is skipped, not fatal, when it
 * has no '=', an empty name, a name over 256 bytes, or a control byte in
 * the name or value: a garbage cookie set by some other application on
 * the domain must not lock the user out.  A value wrapped in double
 * quotes loses them; values are not percent-decoded (RFC 6265 gives them
 * no encoding).  Pairs after the 256th are ignored.  Duplicate names are
 * all kept in order, so http_kv_get returns the first, which RFC 6265
 * section 5.4 makes the one with the longest path.  Returns 0, or -1 (out
 * empty) when the arena refuses memory.
 */
int
http_parse_cookies(struct arena *a, const char *s, size_t len,
    struct kvlist *out)
{
	struct kv	*v;
	const char	*semi, *eq;
	size_t		 i, end, max, n, ns, ne, vs, ve;
	char		*key, *val;

	out->v = NULL;
	out->n = 0;
	if (len == 0)
		return 0;

	for (max = 1, i = 0; i < len && max < HTTP_MAXPAIRS; i++)
		if (s[i] == ';')
			max++;
	if ((v = arena_calloc(a, max, sizeof(*v))) == NULL)
		return -1;

	for (n = 0, i = 0; i < len && n < max; i = end + 1) {
		semi = memchr(s + i, ';', len - i);
		end = semi != NULL ? (size_t)(semi - s) : len;
		if ((eq = memchr(s + i, '=', end - i)) == NULL)
			continue;
		ns = i;
		ne = (size_t)(eq - s);
		vs = ne + 1;
		ve = end;
		while (ns < ne && http_is_wsp(s[ns]))
			ns++;
		while (ne > ns && http_is_wsp(s[ne - 1]))
			ne--;
		while (vs < ve && http_is_wsp(s[vs]))
			vs++;
		while (ve > vs && http_is_wsp(s[ve - 1]))
			ve--;
		if (ne == ns || ne - ns > HTTP_MAXKEY)
			continue;
		if (ve - vs >= 2 && s[vs] == '"' && s[ve - 1] == '"') {
			vs++;
			ve--;
		}
		if (http_has_ctl(s + ns, ne - ns) ||
		    http_has_ctl(s + vs, ve - vs))
			continue;
		if ((key = arena_strndup(a, s + ns, ne - ns)) == NULL ||
		    (val = arena_strndup(a, s + vs, ve - vs)) == NULL)
			return -1;
		v[n].key = key;
		v[n].val = val;
		v[n].vlen = ve - vs;
		n++;
	}
	if (n > 0) {
		out->v = v;
		out->n = n;
	}
	return 0;
}

/*
 * The value of the first pair named key, or NULL.  The string belongs to
 * the list's arena.
 */
const char *
http_kv_get(const struct kvlist *l, const char *key)
{
	size_t	 i;

	if (l == NULL || key == NULL)
		return NULL;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].val;
	return NULL;
}

/*
 * 1 when s[0..len) is well-formed UTF-8 (RFC 3629 section 4, Unicode
 * table 3-7), else 0.  Refused: overlong forms (C0 80, E0 80 80, F0 80 80
 * 80), UTF-16 surrogates (ED A0 80 .. ED BF BF), code points over
 * U+10FFFF (F4 90 80 80 and up, F5..FF), stray continuation bytes and
 * sequences cut short by the end of input.  NUL is valid UTF-8; callers
 * that mind test for it separately.
 */
int
http_utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, k, need;
	unsigned char		 c, lo, hi;

	for (i = 0; i < len; ) {
		c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf)
			need = 1;
		else if (c == 0xe0) {
			need = 2;
			lo = 0xa0;		/* overlong below U+0800 */
		} else if (c == 0xed) {
			need = 2;
			hi = 0x9f;		/* surrogates */
		} else if (c >= 0xe1 && c <= 0xef)
			need = 2;
		else if (c == 0xf0) {
			need = 3;
			lo = 0x90;		/* overlong below U+10000 */
		} else if (c >= 0xf1 && c <= 0xf3)
			need = 3;
		else if (c == 0xf4) {
			need = 3;
			hi = 0x8f;		/* over U+10FFFF */
		} else
			return 0;
		if (len - i <= need)
			return 0;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (k = 2; k <= need; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
		i += need + 1;
	}
	return 1;
}

/* Copy a param value into the arena; NULL for absent or empty values. */
static int
http_param_dup(struct arena *a, const char *val, size_t len,
    const char **out)
{
	*out = NULL;
	if (val == NULL || len == 0)
		return 0;
	if ((*out = arena_strndup(a, val, len)) == NULL)
		return -1;
	return 0;
}

/*
 * CONTENT_LENGTH as RFC 9110 section 8.6 writes it: one or more digits,
 * nothing else.  Returns ERR_OK, ERR_BAD_REQUEST for anything else (sign,
 * space, letters) or ERR_TOO_LARGE when the number passes maxbody or
 * size_t.
 */
static enum crm_err
http_content_length(const char *s, size_t len, size_t maxbody, size_t *out)
{
	size_t	 i, n = 0, d;

	*out = 0;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return ERR_BAD_REQUEST;
	for (i = 0; i < len; i++) {
		d = (size_t)(s[i] - '0');
		if (n > (SIZE_MAX - d) / 10)
			return ERR_TOO_LARGE;
		n = n * 10 + d;
	}
	if (n > maxbody)
		return ERR_TOO_LARGE;
	*out = n;
	return ERR_OK;
}

/* 1 when the method is a plausible token: 1 to 16 upper-case letters. */
static int
http_method_ok(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > HTTP_MAXMETHOD)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return 1;
}

/*
 * Fill r from the FastCGI params (FastCGI 1.0 section 6.2: "NAME=value"
 * strings, as libfcgi leaves them in FCGX_Request.envp).  Only the first
 * HTTP_MAXPARAMS entries are looked at (more is ERR_BAD_REQUEST) and a
 * value we use may be at most HTTP_MAXPARAM bytes (else ERR_BAD_REQUEST),
 * so a request with thousands of headers costs little.  When a name
 * repeats, the first wins.  Absent or empty values leave the field NULL
 * (nginx sends CONTENT_TYPE and QUERY_STRING empty when there are none).
 * The path is DOCUMENT_URI, or, when nginx was not told to send it, the
 * part of REQUEST_URI before '?', percent-decoded (no '+' rule; a bad
 * escape or a decoded NUL is ERR_BAD_REQUEST).  The method must be 1 to
 * 16 upper-case letters.  CONTENT_LENGTH must be digits only; a number
 * over maxbody (or over SIZE_MAX) is ERR_TOO_LARGE.  A malformed query
 * string is ERR_BAD_REQUEST; malformed cookies are dropped.
 *
 * Returns ERR_OK, ERR_BAD_REQUEST, ERR_TOO_LARGE, or ERR_INTERNAL when
 * the arena refuses memory.  On failure r->accept_language is still set
 * when it was sent, so the error can be answered in the client's
 * language; nothing else in r may be used.  Every string is a copy in
 * the arena; the body is not read here.
 */
enum crm_err
http_req_from_params(struct arena *a, char *const *envp, size_t maxbody,
    struct req *r)
{
	const char	*val[P__MAX];
	size_t		 vlen[P__MAX], nlen[P__MAX];
	const char	*e, *q;
	char		*path;
	size_t		 i, plen;
	int		 p;
	enum crm_err	 err;

	memset(r, 0, sizeof(*r));
	memset(val, 0, sizeof(val));
	memset(vlen, 0, sizeof(vlen));
	for (p = 0; p < P__MAX; p++)
		nlen[p] = strlen(param_names[p]);

	for (i = 0; envp != NULL && envp[i] != NULL; i++) {
		if (i == HTTP_MAXPARAMS)
			return ERR_BAD_REQUEST;
		e = envp[i];
		for (p = 0; p < P__MAX; p++) {
			/* strncmp stops at the NUL of a short entry. */
			if (strncmp(e, param_names[p], nlen[p]) != 0 ||
			    e[nlen[p]] != '=')
				continue;
			if (val[p] == NULL) {
				val[p] = e + nlen[p] + 1;
				vlen[p] = strnlen(val[p], HTTP_MAXPARAM + 1);
				if (vlen[p] > HTTP_MAXPARAM)
					return ERR_BAD_REQUEST;
			}
			break;
		}
	}

	/* Plain copies first, so an error can still use the language. */
	if (http_param_dup(a, val[P_ACCEPT_LANGUAGE], vlen[P_ACCEPT_LANGUAGE],
	    &r->accept_language) == -1 ||
	    http_param_dup(a, val[P_CONTENT_TYPE], vlen[P_CONTENT_TYPE],
	    &r->content_type) == -1 ||
	    http_param_dup(a, val[P_ORIGIN], vlen[P_ORIGIN],
	    &r->origin) == -1 ||
	    http_param_dup(a, val[P_HOST], vlen[P_HOST], &r->host) == -1 ||
	    http_param_dup(a, val[P_CSRF_TOKEN], vlen[P_CSRF_TOKEN],
	    &r->csrf_token) == -1 ||
	    http_param_dup(a, val[P_IDEMPOTENCY_KEY], vlen[P_IDEMPOTENCY_KEY],
	    &r->idempotency_key) == -1 ||
	    http_param_dup(a, val[P_REMOTE_ADDR], vlen[P_REMOTE_ADDR],
	    &r->remote_addr) == -1 ||
	    http_param_dup(a, val[P_USER_AGENT], vlen[P_USER_AGENT],
	    &r->user_agent) == -1 ||
	    http_param_dup(a, val[P_QUERY], vlen[P_QUERY],
	    &r->query_raw) == -1)
		return ERR_INTERNAL;
	r->https = val[P_HTTPS] != NULL && strcasecmp(val[P_HTTPS], "on") == 0;

	if (val[P_METHOD] == NULL ||
	    !http_method_ok(val[P_METHOD], vlen[P_METHOD]))
		return ERR_BAD_REQUEST;
	if (http_param_dup(a, val[P_METHOD], vlen[P_METHOD],
	    &r->method) == -1)
		return ERR_INTERNAL;

	if (vlen[P_DOCUMENT_URI] > 0) {
		if ((path = arena_strndup(a, val[P_DOCUMENT_URI],
		    vlen[P_DOCUMENT_URI])) == NULL)
			return ERR_INTERNAL;
		plen = vlen[P_DOCUMENT_URI];
	} else if (vlen[P_REQUEST_URI] > 0) {
		q = memchr(val[P_REQUEST_URI], '?', vlen[P_REQUEST_URI]);
		plen = q != NULL ? (size_t)(q - val[P_REQUEST_URI]) :
		    vlen[P_REQUEST_URI];
		path = http_urldecode(a, val[P_REQUEST_URI], plen, 0, &plen);
		if (path == NULL || memchr(path, '\0', plen) != NULL)
			return ERR_BAD_REQUEST;
	} else
		return ERR_BAD_REQUEST;
	if (plen == 0 || path[0] != '/')
		return ERR_BAD_REQUEST;
	r->path = path;

	if (vlen[P_CONTENT_LENGTH] > 0 &&
	    (err = http_content_length(val[P_CONTENT_LENGTH],
	    vlen[P_CONTENT_LENGTH], maxbody, &r->content_length)) != ERR_OK)
		return err;

	if (r->query_raw != NULL && http_parse_query(a, r->query_raw,
	    vlen[P_QUERY], &r->query) == -1)
		return ERR_BAD_REQUEST;
	if (val[P_COOKIE] != NULL && http_parse_cookies(a, val[P_COOKIE],
	    vlen[P_COOKIE], &r->cookies) == -1) {
		r->cookies.v = NULL;
		r->cookies.n = 0;
	}
	return ERR_OK;
}

/*
 * 1 when content_type names application/json (RFC 8259 section 11),
 * compared case-insensitively, with or without parameters
 * ("application/json; charset=utf-8"), else 0.  NULL gives 0.
 * "application/json-seq" or "application/jsonx" are not JSON here.
 */
int
http_is_json(const char *ct)
{
	static const char	 mt[] = "application/json";

	if (ct == NULL)
		return 0;
	while (http_is_wsp(*ct))
		ct++;
	if (strncasecmp(ct, mt, sizeof(mt) - 1) != 0)
		return 0;
	ct += sizeof(mt) - 1;
	while (http_is_wsp(*ct))
		ct++;
	return *ct == '\0' || *ct == ';';
}

/*
 * A record id from a path segment or query value: 1 to 18 decimal digits
 * without sign or leading zero.  Returns the id, or 0 for anything else
 * (the caller answers 404 or 400).
 */
long long
http_id(const char *s)
{
	size_t	 n;

	if (s == NULL || *s < '1' || *s > '9' || (n = strlen(s)) > 18 ||
	    strspn(s, "0123456789") != n)
		return 0;
	return strtoll(s, NULL, 10);
}
