/*
 * extern.h: declarations shared between the files of crmd and crmctl.
 *
 * One prefix per file (arena_, buf_, http_, json_, db_, cache_, rules_,
 * session_, auth_, i18n_, log_).  Everything not declared here is static in
 * its own file.  Two lifetimes exist: the worker (struct worker: PostgreSQL
 * connection, Redis context, Lua state) and the request (struct req, whose
 * memory is one arena freed when the answer has been sent).
 */
#ifndef CRM_EXTERN_H
#define CRM_EXTERN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#ifdef __GNUC__
#define CRM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CRM_PRINTF(a, b)
#endif

/* ---------------------------------------------------------------- arena.c */

/*
 * A request arena: bump allocation in chunks, plus cleanups run (in reverse
 * order) when the arena is reset, so a PGresult or redisReply is released
 * on every path (nginx ngx_pool_cleanup_add).
 */
struct arena_chunk;
struct arena_cleanup;
struct arena {
	struct arena_chunk	*head;
	struct arena_cleanup	*cleanups;
	size_t			 used;	/* bytes handed out, for limits */
	size_t			 cap;	/* 0 = no cap */
};

void	 arena_init(struct arena *, size_t cap);
void	*arena_alloc(struct arena *, size_t);	/* NULL when over cap */
void	*arena_calloc(struct arena *, size_t, size_t);
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_printf(struct arena *, const char *, ...) CRM_PRINTF(2, 3);
int	 arena_cleanup_add(struct arena *, void (*)(void *), void *);
void	 arena_reset(struct arena *);	/* run cleanups, keep one chunk */
void	 arena_free(struct arena *);	/* run cleanups, free everything */

/* ------------------------------------------------------------------ buf.c */

/*
 * A bounded, binary-safe string builder (kcgi kcgi_buf, Redis sds).  Its
 * memory comes from an arena.  Once a write would pass max, the buffer is
 * marked overflowed and further writes are ignored; callers check
 * buf->overflow once at the end.
 */
struct buf {
	struct arena	*a;
	char		*data;	/* always NUL-terminated when len > 0 */
	size_t		 len;
	size_t		 size;
	size_t		 max;
	int		 overflow;
};

void	 buf_init(struct buf *, struct arena *, size_t max);
void	 buf_write(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, int);
void	 buf_printf(struct buf *, const char *, ...) CRM_PRINTF(2, 3);
const char *buf_cstr(struct buf *);	/* "" for an empty buffer */

/* ------------------------------------------------------------------ log.c */

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };
extern int log_verbosity;	/* messages above this level are dropped */
void	 log_msg(enum log_level, const char *, ...) CRM_PRINTF(2, 3);
#define	 log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define	 log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define	 log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)

/* ----------------------------------------------------------------- i18n.c */

enum lang { LANG_ZH, LANG_EN, LANG__MAX };

/*
 * Every error the API can answer (kcgi enum kcgi_err).  The code string,
 * HTTP status and both messages live in one table in i18n.c.
 */
enum crm_err {
	ERR_OK,
	ERR_BAD_JSON,		/* 400: body is not valid JSON */
	ERR_BAD_UTF8,		/* 400: invalid UTF-8 */
	ERR_BAD_FIELD,		/* 400: wrong type or malformed value */
	ERR_UNKNOWN_FIELD,	/* 400: field not allowed here */
	ERR_MISSING_FIELD,	/* 400: required field absent */
	ERR_BAD_REQUEST,	/* 400: malformed request */
	ERR_UNAUTHENTICATED,	/* 401: no or expired session */
	ERR_BAD_LOGIN,		/* 401: wrong login or password */
	ERR_CSRF,		/* 403: missing or wrong CSRF token / origin */
	ERR_FORBIDDEN,		/* 403: role may not do this */
	ERR_NOT_FOUND,		/* 404 */
	ERR_METHOD,		/* 405 */
	ERR_CONFLICT,		/* 409 */
	ERR_TOO_LARGE,		/* 413 */
	ERR_UNSUPPORTED_TYPE,	/* 415 */
	ERR_VALIDATION,		/* 422: a rule refused the data */
	ERR_WEAK_PASSWORD,	/* 422 */
	ERR_LOCKED,		/* 429: too many failed logins */
	ERR_RULE,		/* 500-free: a rule failed; answered as 503 */
	ERR_UNAVAILABLE,	/* 503: database down, try again */
	ERR_INTERNAL,		/* 500: a bug; logged with details */
	ERR__MAX
};

const char	*crm_strerror(enum crm_err, enum lang);	/* user message */
const char	*crm_errcode(enum crm_err);		/* "bad_json" */
int		 crm_errstatus(enum crm_err);		/* 400 */
enum lang	 i18n_from_accept(const char *accept_language);
enum lang	 i18n_from_name(const char *);		/* "en", "zh-CN" */
const char	*i18n_name(enum lang);

/* ----------------------------------------------------------------- http.c */

/* One name=value pair from a query string, form body or Cookie header. */
struct kv {
	const char	*key;
	const char	*val;	/* NUL-terminated; vlen for binary-safe use */
	size_t		 vlen;
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
};

/*
 * Pure parsers over untrusted bytes: they never read past len, never
 * allocate outside the arena, and return -1 on malformed input (bad percent
 * escape, too many pairs) with nothing half-filled.  Caps: 256 pairs, keys
 * 256 bytes.  Cookie parsing follows RFC 6265 section 5.2 loosely (garbage
 * pairs are skipped, not fatal).
 */
int		 http_parse_query(struct arena *, const char *, size_t,
		    struct kvlist *);
int		 http_parse_form(struct arena *, const char *, size_t,
		    struct kvlist *);
int		 http_parse_cookies(struct arena *, const char *, size_t,
		    struct kvlist *);
const char	*http_kv_get(const struct kvlist *, const char *);
/* Percent-decode src into the arena; '+' as space when plus != 0. */
char		*http_urldecode(struct arena *, const char *, size_t, int plus,
		    size_t *outlen);
/* 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int		 http_utf8_valid(const char *, size_t);


/*
 * A request as the FastCGI params describe it (FastCGI 1.0 section 6.2,
 * names as nginx's fastcgi_params sends them).  Every string lives in the
 * request arena.  Absent headers are NULL.
 */
struct req {
	const char	*method;	/* REQUEST_METHOD */
	const char	*path;		/* DOCUMENT_URI: decoded path, no query */
	const char	*query_raw;	/* QUERY_STRING */
	struct kvlist	 query;
	struct kvlist	 cookies;	/* HTTP_COOKIE */
	const char	*content_type;	/* CONTENT_TYPE, parameters kept */
	size_t		 content_length; /* CONTENT_LENGTH; 0 when absent */
	const char	*accept_language;
	const char	*origin;	/* HTTP_ORIGIN */
	const char	*host;		/* HTTP_HOST */
	const char	*csrf_token;	/* HTTP_X_CSRF_TOKEN */
	const char	*idempotency_key; /* HTTP_IDEMPOTENCY_KEY */
	const char	*remote_addr;
	const char	*user_agent;
	int		 https;		/* HTTPS=on */
	char		*body;		/* NUL-terminated copy, bodylen bytes */
	size_t		 bodylen;
};

/*
 * Fill r from a NULL-terminated "NAME=value" params array.  Returns
 * ERR_OK, ERR_BAD_REQUEST (no method, no path, path not starting with '/',
 * unparsable CONTENT_LENGTH, malformed query string) or ERR_TOO_LARGE
 * (CONTENT_LENGTH over maxbody).  Cookies that do not parse are ignored.
 * The body is not read here.
 */
enum crm_err	 http_req_from_params(struct arena *, char *const *envp,
		    size_t maxbody, struct req *r);
/* 1 when the content type is application/json (any parameters). */
int		 http_is_json(const char *content_type);

/* ----------------------------------------------------------------- json.c */

struct json_t;
/*
 * Parse a request body: rejects invalid UTF-8, depth over 32, NUL bytes,
 * and anything not an object.  On failure sets *err and, where known,
 * *field.  The returned value is decref'd with the request arena.
 */
struct json_t	*json_parse_body(struct arena *, const char *, size_t,
		    enum crm_err *err, const char **field);

/* ---------------------------------------------------------------- rules.c */

struct rules;	/* one per worker: the Lua state and the loaded files */

/*
 * The Lua host.  Each rule file rules/NAME.lua is loaded as text in its own
 * environment (reads fall back to a frozen library of string, table, math,
 * utf8 and crm.*; writes to unknown globals raise), with an instruction
 * budget and a memory cap per call.  A file is re-read when its mtime or
 * size changes; when the new text fails to load, the last good version
 * stays active and the error (file:line) is logged and kept for health.
 */
struct rules	*rules_open(const char *dir, size_t mem_cap, long instr_budget);
void		 rules_close(struct rules *);
/*
 * Call function fn of rule file name with one argument given as JSON text
 * (argjson may be NULL).  On success returns 0 and sets *out to the result
 * encoded as JSON text, allocated in the arena.  On failure returns -1 and
 * sets *errmsg (arena) to "rules/name.lua:LINE: message" or a short reason
 * ("instruction budget exceeded", "memory cap exceeded", "not found").
 */
int		 rules_call(struct rules *, struct arena *, const char *name,
		    const char *fn, const char *argjson, char **out,
		    char **errmsg);
/* Load every rule file and run rules/tests; print problems; 0 when clean. */
int		 rules_check(const char *dir, FILE *report);
/* Last load error for any file, or NULL (for /health). */
const char	*rules_last_error(struct rules *);

/* ------------------------------------------------------------------- db.c */

#endif /* CRM_EXTERN_H */
