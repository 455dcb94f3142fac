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
	ERR_DUPLICATE,		/* 409: a customer of that name exists */
	ERR_ALREADY_CLAIMED,	/* 409: someone else claimed it first */
	ERR_LIMIT,		/* 409: a pool or ownership limit */
	ERR_IDEM_KEY,		/* 400: Idempotency-Key missing or malformed */
	ERR_IDEM_REUSED,	/* 422: same key, different request */
	ERR_WEAK_PASSWORD,	/* 422 */
	ERR_LOCKED,		/* 429: too many failed logins */
	ERR_RULE,		/* 500-free: a rule failed; answered as 503 */
	ERR_UNAVAILABLE,	/* 503: database down, try again */
	ERR_INTERNAL,		/* 500: a bug; logged with details */
	ERR_REPORT_INVALID,	/* 422: a report definition names the unknown */
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
 * 256 bytes.  Query strings and form bodies both read '+' as a space.
 * Values are bytes (check http_utf8_valid where text is expected).
 * Cookie parsing follows RFC 6265 section 5.2 loosely (garbage pairs are
 * skipped, not fatal).
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
/* A positive record id (1-18 digits, no sign or leading zero), else 0. */
long long	 http_id(const char *);
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

struct json_t;	/* jansson's json_t; handlers include <jansson.h> */
/*
 * Parse a request body: rejects invalid UTF-8, depth over 32, NUL bytes,
 * and anything not an object.  On failure sets *err and, where known,
 * *field.  The returned value is decref'd with the request arena.
 */
struct json_t	*json_parse_body(struct arena *, const char *, size_t,
		    enum crm_err *err, const char **field);

/*
 * The JSON type a field must have (jansson has no single boolean type,
 * so these are our own).  JF_REAL accepts integers too.
 */
enum json_ftype {
	JF_STRING,
	JF_INTEGER,
	JF_REAL,
	JF_BOOLEAN,
	JF_OBJECT,
	JF_ARRAY,
	JF__MAX
};

/* One allowed member of a request object, for json_fields. */
struct json_field {
	const char	*name;
	enum json_ftype	 type;
	int		 required;
	size_t		 maxlen;	/* strings: max bytes; 0 = 4096 */
};

/*
 * Check obj against spec[0..n): ERR_UNKNOWN_FIELD (a member not in spec),
 * ERR_MISSING_FIELD, ERR_BAD_FIELD (type or length), with *badfield set
 * to the name at fault; ERR_OK otherwise.  null counts as absent for
 * fields not required.
 */
enum crm_err	 json_fields(struct json_t *obj, const struct json_field *spec,
		    size_t n, const char **badfield);
/* Append s as a JSON string literal; NULL gives null. */
void		 json_reply_str(struct buf *, const char *s);
/* Append the compact JSON text of a value; -1 on failure or overflow. */
int		 json_dump_buf(struct buf *, const struct json_t *);

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
 * Call function fn of rule file name; argjson is a JSON array holding the
 * arguments ("[\"pw\", {\"login\": \"x\"}]"), or NULL for none.  When fn
 * names a value that is not a function, the value itself is the result.
 * On success returns 0 and sets *out to the result
 * encoded as JSON text, allocated in the arena.  On failure returns -1 and
 * sets *errmsg (arena) to "rules/name.lua:LINE: message" or a short reason
 * ("instruction budget exceeded", "memory cap exceeded", "not found").
 */
int		 rules_call(struct rules *, struct arena *, const char *name,
		    const char *fn, const char *argjson, char **out,
		    char **errmsg);
/*
 * rules_call for many rows at once, without JSON for the rows: calls
 * fn(args..., rows), args from argjson (a JSON array, or NULL), rows a Lua
 * array of nrows arrays of ncols strings made from cells (row by row; NULL
 * is "").  The result must be an array of nrows tables; for row i (from 0)
 * each(arg, i, vals) is called with vals[k] the member fields[k] of its
 * table: the string itself, or when as_json[k] the value as compact JSON
 * (keys sorted); NULL when the member is nil.  The strings are valid only
 * during that call.  each returns 0, or -1 to stop (the call then fails).
 * Returns 0, or -1 with *errmsg as for rules_call.
 */
typedef int	(*rules_row_fn)(void *arg, size_t i, const char *const *vals);
int		 rules_call_rows(struct rules *, struct arena *,
		    const char *name, const char *fn, const char *argjson,
		    const char *const *cells, size_t nrows, size_t ncols,
		    const char *const *fields, const int *as_json,
		    size_t nfields, rules_row_fn each, void *arg,
		    char **errmsg);
/*
 * The whole value rules/name.lua returns, as JSON text in the arena (a
 * report definition): 0, or -1 with *errmsg as for rules_call.
 */
int		 rules_value(struct rules *, struct arena *, const char *name,
		    char **out, char **errmsg);
/* Load every rule file and run rules/tests; print problems; 0 when clean. */
int		 rules_check(const char *dir, FILE *report);
/* Re-check the files; last load error of a broken one, or NULL (/health). */
const char	*rules_last_error(struct rules *);

/* ------------------------------------------------------------------- db.c */

#include <libpq-fe.h>

/* Every SQL statement the programs run (kcgi-framework db.c). */
enum stmt {
	ST_PING,
	ST_STAFF_AUTH,		/* login -> id, hash, active, locked */
	ST_STAFF_LOGIN_FAIL,
	ST_STAFF_LOGIN_OK,
	ST_STAFF_SET_HASH,
	ST_STAFF_USER,		/* id -> the USER object fields */
	ST_STAFF_SET_LANG,
	ST_STAFF_SET_ACTIVE,
	ST_STAFF_BY_LOGIN,
	ST_STAFF_INSERT,
	ST_DEPT_INSERT,
	ST_DEPT_SET_MANAGER,
	ST_DEPT_BY_NAME,
	ST_DEPT_FIND_NAME,
	ST_SESSION_INSERT,
	ST_SESSION_GET,
	ST_SESSION_TOUCH,
	ST_SESSION_DELETE,
	ST_SESSION_DELETE_OTHERS,
	ST_SESSION_DELETE_USER,
	ST_SESSION_PURGE,
	ST_SESSION_HASHES_OF_USER,
	ST_AUDIT,
	ST_AUDIT_CHAIN_PAGE,
	ST_AUDIT_CHAIN_HEAD,
	ST_IDEM_LOCK,
	ST_IDEM_GET,
	ST_IDEM_PUT,
	ST_IDEM_PUT_NUMBERS,
	ST_SEQ_NEXT,
	ST_SEQ_NEXT_LATE,
	ST_ROUTE_HEAD,
	ST_STAFF_FIRST_BY_ROLE,
	ST_STAFF_ACTIVE_BY_LOGIN,
	ST_STAFF_LOCK,
	ST_STAFF_LIST,
	ST_DOC_INSERT,
	ST_DOC_LOCK,
	ST_DOC_SET_STATUS,
	ST_DOC_JSON,
	ST_DOC_LIST,
	ST_STEP_INSERT,
	ST_STEP_DECIDE,
	ST_STEP_ACTIVATE,
	ST_STEPS_CANCEL,
	ST_STEP_CURRENT,
	ST_TODOS,
	ST_NOTIFY,
	ST_NOTIFY_LIST,
	ST_NOTIFY_READ,
	ST_NOTIFY_READ_DOC,
	ST_NOTIFY_UNREAD,
	ST_CUST_BY_NORM,
	ST_CUST_INSERT,
	ST_CUST_LOCK,
	ST_CUST_SET_OWNER,
	ST_CUST_JSON,
	ST_CUST_UPDATE,
	ST_CUST_LIST_MINE,
	ST_CUST_LIST_SHARED_BY_ME,
	ST_CUST_LIST_SHARED_WITH_ME,
	ST_CUST_LIST_POOL,
	ST_CUST_LIST_ALL,
	ST_CUST_LIST_MANAGED,
	ST_CUST_LIST_MINE_Q,
	ST_CUST_LIST_SHARED_BY_ME_Q,
	ST_CUST_LIST_SHARED_WITH_ME_Q,
	ST_CUST_LIST_POOL_Q,
	ST_CUST_LIST_ALL_Q,
	ST_CUST_LIST_MANAGED_Q,
	ST_CUST_DETAIL,
	ST_CUST_SEES,
	ST_CUST_TIMELINE,
	ST_CUST_OWNED_LOCK,
	ST_OWNED_COUNT,
	ST_CLAIMS_TODAY,
	ST_SHARE_ADD,
	ST_SHARE_CLEAR,
	ST_SHARES_OF,
	ST_CUST_EXISTS,
	ST_CHANGE_LOG,
	ST_POOL_LOG,
	ST_POOL_TRY_LOCK,
	ST_POOL_DUE,
	ST_POOL_RETURN,
	ST_FILE_INSERT,
	ST_FILE_GET,
	ST_FILE_META,
	ST_QR_KEY_CURRENT,
	ST_QR_KEY_GET,
	ST_QR_KEY_CREATE,
	ST_QR_KEY_REVOKE,
	ST_QR_KEY_RETIRE,
	ST_CUST_QR,
	ST_CUST_QR_BUMP,
	ST_VISIT_INSERT,
	ST_CUST_VISITED,
	ST_DEAL_INSERT,
	ST_CUST_DEAL,
	ST_PAY_INSERT,
	ST_CUST_PAID,
	ST_DAILY_EXISTS,
	ST_DAILY_INSERT,
	ST_DAILY_FIGURES,
	ST_ACTIVITY_ADD,
	ST_CUST_VISITS,
	ST_CUST_MONEY,
	ST_TARGET_SCOPE,
	ST_TARGET_CLASH,
	ST_TARGET_INSERT,
	ST_TARGET_PROGRESS,
	ST_TARGET_LIST,
	ST_RECORDS,
	ST_DEPT_TREE,
	ST_DEPT_UPDATE,
	ST_STAFF_UPDATE,
	ST_STAFF_SET_ROLE_MANY,
	ST_ADMIN_COUNT,
	ST_STAFF_LIST_ALL,
	ST_STAFF_DETAIL,
	ST_FILE_TOKEN_OF,
	ST_CUST_SET_LOGO,
	ST_FILE_ID,
	ST_TYPE_UPSERT,
	ST_TYPE_DEACTIVATE_ALL,
	ST_LIST_UPSERT,
	ST_LIST_DEACTIVATE_ALL,
	/* customer import and export (h_import.c, wf_import.c, h_export.c) */
	ST_IMPORT_NEW,
	ST_IMPORT_ROWS_PUT,
	ST_IMPORT_ARCHIVE_DUPS,
	ST_IMPORT_OWNERS,
	ST_IMPORT_CHECKED,
	ST_IMPORT_GET,
	ST_IMPORT_LOCK,
	ST_IMPORT_PENDING,
	ST_IMPORT_DUPS_NOW,
	ST_IMPORT_INSERT,
	ST_IMPORT_KEYS,
	ST_IMPORT_ROW_CHECKS_OFF,
	ST_IMPORT_ROW_CHECKS_ON,
	ST_IMPORT_PROGRESS,
	ST_IMPORT_DONE,
	ST_IMPORT_CUSTOMERS,
	ST_IMPORT_CUSTOM_PLANS,
	ST_IMPORT_PURGE,
	ST_SEARCH_BULK,
	ST_SEARCH_PUT,
	ST_SEARCH_FLUSH_PUT,
	ST_SEARCH_FLUSH,
	ST_SEARCH_FILL_IMPORT,
	ST_SEQ_RESERVE,
	/* user-defined reports (h_reports.c) */
	ST_REPORT_GET,
	ST_REPORT_LIST,
	ST_REPORT_INSERT,
	ST_REPORT_UPDATE,
	ST__MAX
};

struct db;
/* A connection that (re)connects itself and prepares every statement. */
struct db	*db_open(const char *conninfo);
void		 db_close(struct db *);
/* Connect and prepare when needed: 0 when usable, -1 when down. */
int		 db_ensure(struct db *);
int		 db_up(struct db *);	/* last known state, no I/O */
/*
 * Run statement st with n text parameters (NULL = SQL null).  Returns the
 * result (freed with the arena) for PGRES_TUPLES_OK / COMMAND_OK, else
 * NULL with *err: ERR_UNAVAILABLE (connection lost: the caller answers
 * 503), ERR_CONFLICT (unique or exclusion violation, *sqlstate set),
 * ERR_VALIDATION (other integrity violation) or ERR_INTERNAL (logged).
 */
PGresult	*db_exec(struct db *, struct arena *, enum stmt, int n,
		    const char *const *params, enum crm_err *err);
/*
 * db_exec with parameter lengths and formats (1 = binary, for bytea) and
 * results in binary (binary_result 1) when asked.
 */
PGresult	*db_exec_fmt(struct db *, struct arena *, enum stmt, int n,
		    const char *const *params, const int *lengths,
		    const int *formats, int binary_result, enum crm_err *err);
/*
 * Run a statement that is not in stmts[]: only report.c's compiled report
 * statements (built from whitelisted fragments, values as $n, every
 * parameter text).  Prepared once per connection and text; as db_exec.
 */
#define DB_DYN_MAX 256
PGresult	*db_exec_dynamic(struct db *, struct arena *, const char *sql,
		    int n, const char *const *params, enum crm_err *err);
#define DB_ARGS(...) \
	(int)(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *)), \
	(const char *const[]){ __VA_ARGS__ }
/*
 * db_exec in two halves, so the caller can work while the server runs
 * the statement: db_exec_send sends it (ERR_OK or the failure to send);
 * db_exec_wait reads its result as db_exec returns it.  A call on the
 * connection in between reads (and drops) the result first.
 */
enum crm_err	 db_exec_send(struct db *, enum stmt, int n,
		    const char *const *params);
PGresult	*db_exec_wait(struct db *, struct arena *, enum stmt,
		    enum crm_err *);
/* COPY ... FROM STDIN texts (db.c copies[]). */
enum copy {
	CP_IMPORT_ROWS,
	CP__MAX
};
/*
 * Send len bytes of COPY text-format data (tab-separated lines) with the
 * COPY of cp, inside the caller's transaction, without waiting for the
 * server to store them: the next call on the connection (db_exec*,
 * db_copy_in, db_commit...) reads the answer first and fails with the
 * COPY's error if it had one.  ERR_OK, or the failure to send.
 */
enum crm_err	 db_copy_in(struct db *, enum copy, const char *data,
		    size_t len);
/* Transaction control; db_rollback is a no-op outside a transaction. */
enum crm_err	 db_begin(struct db *);
enum crm_err	 db_commit(struct db *);
void		 db_rollback(struct db *);
enum crm_err	 db_savepoint(struct db *);
enum crm_err	 db_rollback_to_savepoint(struct db *);
/* Run a whole SQL script (migrations): 0, or -1 with *msg (malloc'd). */
int		 db_script(struct db *, const char *sql, char **msg);
PGconn		*db_conn(struct db *);	/* for crmctl only */
const char	*db_sqlstate(struct db *);	/* of the last failure */
/* Value of row r, column c, or NULL for SQL null. */
const char	*db_get(const PGresult *, int r, int c);
long long	 db_getll(const PGresult *, int r, int c);
int		 db_true(const PGresult *, int r, int c);

/* ---------------------------------------------------------------- cache.c */

struct cache;
struct redisReply;
/* A Redis connection with connect and command timeouts (milliseconds). */
struct cache	*cache_open(const char *host, int port, int timeout_ms);
void		 cache_close(struct cache *);
int		 cache_up(struct cache *);	/* tries to connect if down */
/*
 * Run one command given as argv with lengths.  The reply is freed with the
 * arena.  NULL when Redis is down or answered an error: the context is
 * dropped and reconnected at most once a second afterwards, so a dead
 * Redis costs each request at most one timeout.
 */
struct redisReply *cache_cmd(struct cache *, struct arena *, int argc,
		    const char **argv, const size_t *lens);
/* DEL that reports whether the key is surely gone (0) or not (-1). */
int		 cache_del_sure(struct cache *, struct arena *, const char *key);
/* Convenience for NUL-terminated arguments. */
struct redisReply *cache_cmdv(struct cache *, struct arena *, int argc,
		    const char **argv);

/* --------------------------------------------------------------- config.c */

struct config {
	const char	*db;		/* libpq conninfo (CRM_DB) */
	const char	*redis_host;	/* CRM_REDIS_HOST */
	int		 redis_port;	/* CRM_REDIS_PORT */
	int		 redis_timeout_ms; /* CRM_REDIS_TIMEOUT_MS */
	const char	*listen;	/* CRM_LISTEN, ":9001" or a unix path */
	int		 workers;	/* CRM_WORKERS, default = cores */
	const char	*rules_dir;	/* CRM_RULES_DIR */
	size_t		 rules_mem;	/* CRM_RULES_MEM: bytes per Lua state */
	long		 rules_budget;	/* CRM_RULES_BUDGET: instructions/call */
	size_t		 max_body;	/* CRM_MAX_BODY */
	size_t		 max_upload;	/* CRM_MAX_UPLOAD: /api/v1/files */
	const char	*public_url;	/* CRM_PUBLIC_URL: in QR codes */
	int		 session_idle;	/* CRM_SESSION_IDLE seconds */
	int		 session_abs;	/* CRM_SESSION_ABSOLUTE seconds */
	int		 session_cache_ttl; /* CRM_SESSION_CACHE_TTL seconds */
	int		 secure_cookie;	/* CRM_SECURE_COOKIE=1 behind TLS */
	const char	*origins;	/* CRM_ORIGINS: extra allowed Origins */
	const char	*server_id;	/* CRM_SERVER_ID, default host:pid */
	int		 job_interval;	/* CRM_JOB_INTERVAL seconds, 0 = no jobs */
	const char	*map_tiles;	/* CRM_MAP_TILE_URL .../{z}/{x}/{y}.png */
	const char	*map_attribution; /* CRM_MAP_ATTRIBUTION */
	int		 report_cache_ttl; /* CRM_REPORT_CACHE_TTL s, 0 = off */
	/* CRM_TEST_TXN_DELAY_MS: tests only (tests/load/txn-kill.test.mjs),
	 * 0 = off: sleep up to this long inside every document transaction,
	 * before it commits, so a SIGKILL can land inside it. */
	int		 test_txn_delay_ms;
};
extern struct config cfg;
/* Fill cfg from the environment (defaults for everything). */
void		 config_load(void);

/* ------------------------------------------------------------------ auth.c */

/* argon2id string for pw (crypto_pwhash_str), malloc'd; NULL on error. */
char		*auth_hash(const char *pw);
/* 0 when pw matches hash; sets *rehash when the parameters are outdated. */
int		 auth_verify(const char *hash, const char *pw, int *rehash);
/* n random bytes as unpadded base64url into the arena. */
char		*auth_token(struct arena *, size_t n);
/* Constant-time comparison of two equal-length strings: 0 when equal. */
int		 auth_equal(const char *, const char *);
/* SHA-256 of s as 64 hex digits into the arena. */
char		*auth_sha256_hex(struct arena *, const char *s);


/* -------------------------------------------------------------- migrate.c */

int		 migrate_run(const char *conninfo, const char *dir, FILE *out);

/* ------------------------------------------------------------------- qr.c */

/*
 * Signed QR tokens for customers (CARD-QR).  A token names a customer and
 * the version of its code, signed with HMAC-SHA256 under a key with an id
 * (keys rotate; a revoked key, or a customer's bumped version, makes old
 * printed codes fail).  URL-safe text, no padding.
 */
#define QR_KEYLEN 32
/* A token for (customer, version) under key kid; in the arena. */
char	*qr_token(struct arena *, int kid, const unsigned char *key,
	    long long customer, int version);
/*
 * Read a token without trusting it: 0 and the fields, or -1 when it is
 * malformed.  The caller finds the key by *kid and then calls
 * qr_token_verify.
 */
int	 qr_token_parse(const char *tok, int *kid, long long *customer,
	    int *version);
/* 0 when tok's signature is right under key (constant time), else -1. */
int	 qr_token_verify(const char *tok, const unsigned char *key);
/* Append a PNG (8-bit grey) / an SVG of a QR code of text to b; 0 or -1. */
int	 qr_png(struct buf *b, const char *text, int scale);
int	 qr_svg(struct buf *b, const char *text, int scale);

/* ------------------------------------------------------------------ img.c */

/* What an uploaded photo says about itself (EXIF 2.3). */
struct img_info {
	int	 width;		/* as stored, before EXIF orientation */
	int	 height;
	int	 has_time;
	char	 taken_at[32];	/* "YYYY-MM-DD HH:MM:SS" as the camera wrote it */
	int	 has_gps;
	double	 lat;
	double	 lng;
};

enum img_err {
	IMG_OK,
	IMG_NOT_JPEG,		/* not a JPEG by its content */
	IMG_CORRUPT,		/* truncated or undecodable */
	IMG_DIMENSIONS,		/* too many pixels or a side too long */
	IMG__MAX
};

/*
 * Check that data is a JPEG we accept, by content (SOI marker, a header
 * libturbojpeg can read, width and height at most 12000 and at most 50
 * million pixels) and read its EXIF capture time and GPS position.
 */
enum img_err	 img_inspect(const unsigned char *data, size_t len,
		    struct img_info *);
/*
 * Decode and re-encode as a baseline JPEG at most max_side pixels on its
 * longer side, quality q, with no metadata (EXIF, GPS, comments are
 * dropped).  The EXIF orientation is applied to the pixels, so *w x *h
 * is the upright size.  *out is allocated in the arena.
 */
enum img_err	 img_reencode(struct arena *, const unsigned char *data,
		    size_t len, int max_side, int q, unsigned char **out,
		    size_t *outlen, int *w, int *h);

/* ------------------------------------------------------ csv.c, xlsx.c */

/* One row of an imported sheet: cells as UTF-8 text, 1-based row number. */
struct sheet_row {
	size_t		  rowno;
	size_t		  ncells;
	const char	**cells;	/* NUL-terminated, UTF-8 */
};

/* Called for each row; return 0 to go on, -1 to stop the reading. */
typedef int	(*sheet_row_fn)(void *arg, const struct sheet_row *);

enum sheet_err {
	SHEET_OK,
	SHEET_STOPPED,		/* the callback asked to stop */
	SHEET_ENCODING,		/* neither UTF-8 nor GB18030 */
	SHEET_FORMAT,		/* not a CSV / not an xlsx workbook */
	SHEET_TOO_BIG,		/* rows, cells, cell size or unpacked size caps */
	SHEET__MAX
};

/*
 * Read a CSV file (RFC 4180; UTF-8 with or without BOM, or GB18030 as
 * Chinese Excel saves it, detected and converted) row by row.
 */
enum sheet_err	 csv_read(struct arena *, const char *data, size_t len,
		    size_t max_rows, sheet_row_fn, void *arg);
/*
 * Read the first worksheet of an .xlsx (libzip + expat, streamed; shared
 * strings, inline strings, numbers, booleans, dates as YYYY-MM-DD when the
 * cell's style is a date format), with caps on entries, unpacked size and
 * ratio (zip bombs), and no DTDs or external entities.
 */
enum sheet_err	 xlsx_read(struct arena *, const char *data, size_t len,
		    size_t max_rows, sheet_row_fn, void *arg);
/*
 * Write one worksheet (header row + rows) as an .xlsx into b (libxlsxwriter).
 * Every cell is written as text; a cell starting with = + - @ tab or CR is
 * neutralised (prefixed with an apostrophe-like quote prefix) so no
 * spreadsheet runs it as a formula.  0, or -1.
 */
int		 xlsx_write(struct buf *b, const char *sheet, size_t ncols,
		    const char *const *header, size_t nrows,
		    const char *const *cells);

/* --------------------------------------------------------------- report.c */

/*
 * The report compiler (RPT-*, docs/rules.md "Reports").  A definition is
 * checked against closed tables of sources, fields, measures and filters,
 * and compiled into one parameterised statement whose parameters are:
 * $1 reader id, $2 reader role, $3 language ("en"/"zh-CN"), $4 sort key
 * ("key" or "-key"), $5 limit, $6 offset, then one text parameter per
 * filter in enum rpfilter order (NULL = not applied).
 */
enum rpfilter {
	RPF_FROM, RPF_TO, RPF_REGION, RPF_TYPE, RPF_DEPARTMENT, RPF_STAFF,
	RPF_STATUS, RPF_STAGE, RPF_SOURCE, RPF_CUSTOMER, RPF_Q, RPF__MAX
};
#define RP_FILTER0	7		/* $n of the first filter */
#define RP_NPARAMS	(RP_FILTER0 - 1 + RPF__MAX)
#define REPORT_MAXCOLS	40
enum rtype { RT_TEXT, RT_DATE, RT_DATETIME, RT_INT, RT_MONEY, RT__MAX };
enum rmeasure { RM_NONE, RM_COUNT, RM_SUM, RM_MAX, RM_MIN, RM_SHARE, RM__MAX };

struct rfield;
struct rsource;
struct rcol {
	const char		*key;
	const char		*label[LANG__MAX];
	const struct rfield	*f;	/* NULL for count / share */
	int			 measure;	/* enum rmeasure */
	int			 month;	/* 1..12: a pivot column */
	enum rtype		 type;
	const char		*drill;	/* this column's drill report, or NULL */
};
/* A checked definition; strings live in the arena it was parsed into. */
struct report {
	const char		*name;
	const char		*title[LANG__MAX];
	int			 stat;	/* 0 query, 1 statistics */
	int			 mine;	/* only the reader's own records */
	unsigned		 roles;	/* bit i: roles salesperson, manager,
					   director, admin may read it */
	const struct rsource	*src;
	struct rcol		 cols[REPORT_MAXCOLS];
	size_t			 ncols;
	int			 pivot;
	int			 has[RPF__MAX];	/* declared filters */
	const char		*defaults[RPF__MAX];
	int			 forder[RPF__MAX];	/* as declared */
	size_t			 nfilters;
	const char		*sort;
	const char		*chart;
	const char		*category;
	const char		*series;
	const char		*orient;
	const char		*values[REPORT_MAXCOLS];
	size_t			 nvalues;
	const char		*drill;
};
/* Why a definition was refused, in both languages, and the item at fault. */
struct rerr {
	char	 en[320];
	char	 zh[320];
	char	 field[64];
};
/* Where each column is in a result row of report_sql (-1: absent). */
struct rlayout {
	int		 sum[REPORT_MAXCOLS];
	int		 disp[REPORT_MAXCOLS];
	int		 raw[REPORT_MAXCOLS];
	int		 link;
	const char	*link_type;	/* "customer", "document" or NULL */
	int		 rn;	/* the row's number on the page; NULL: none */
};

/* Check def (named name) into rp: 0, or -1 with e filled. */
int		 report_parse(struct arena *, const char *name,
		    struct json_t *def, struct report *rp, struct rerr *e);
/* The statement of rp (in the arena), or NULL when it is too long. */
char		*report_sql(struct arena *, const struct report *);
/*
 * The same statement over the month roll-ups (sql/0010), or NULL when rp
 * has none; report_rollup_ok: 1 when the effective filter values eff
 * (RPF__MAX of them, NULL = not set) let it answer exactly (whole months,
 * no filter on the records).
 */
char		*report_sql_rollup(struct arena *, const struct report *);
int		 report_rollup_ok(const struct report *, const char *const *);
void		 report_layout(const struct report *, struct rlayout *);
int		 report_key_ok(const char *);
int		 report_date_ok(const char *);	/* a real YYYY-MM-DD */
int		 report_role_ok(const struct report *, const char *role);
/* The filter a row value of column c drills with, or -1. */
int		 report_col_filter(const struct rcol *);
const char	*report_filter_name(int);
int		 report_filter_by_name(const char *);	/* -1 when unknown */
/* {"name","type","list","default"} of a filter for the page. */
struct json_t	*report_filter_json(int, const char *def);
const char	*report_type_name(enum rtype);
/* A default (today, month_start, ..., me, or a literal) made concrete. */
const char	*report_default(struct arena *, const char *def, long long me);
/* GET /reports/sources: every source with its fields and filters. */
struct json_t	*report_sources_json(enum lang);
/* Sorted names of rules/reports/NAME.lua. */
struct json_t	*report_builtin_names(const char *rules_dir);
/* The table rules/reports/NAME.lua returns, or NULL with *err (arena). */
struct json_t	*report_builtin_def(struct rules *, struct arena *,
		    const char *name, char **err);
/*
 * Check every rules/reports file and rules/portal.lua, printing TAP lines
 * numbered from *num + 1 (crmctl rules check); the number of failures.
 */
int		 report_check(const char *dir, FILE *out, int *num);
/*
 * The report result cache (Redis): the current generation (NULL when Redis
 * is away: do not cache), and its bump after any committed change.
 */
const char	*report_cache_gen(struct cache *, struct arena *);
void		 report_cache_bump(struct cache *, struct arena *);

/* ------------------------------------------- the worker and its requests */

/* What a worker holds for its whole life (STYLE.md "Memory"). */
struct worker {
	struct db	*db;
	struct cache	*cache;
	struct rules	*rules;
	struct arena	 a;	/* the request arena, reset after each answer */
};

/* The logged-in user of a request. */
struct user {
	long long	 id;
	const char	*login;
	const char	*name;
	const char	*role;	/* salesperson, manager, director, admin */
	long long	 dept_id;	/* 0 when none */
	const char	*dept_name;
	enum lang	 lang;
};

/* The answer being built: status, extra header lines, body. */
struct reply {
	int		 status;
	struct buf	 hdr;	/* "Name: value\r\n" lines */
	struct buf	 body;
	const char	*ctype;
	const char	*cache;	/* Cache-Control; NULL = no-store */
	enum crm_err	 err;	/* for the access log */
};

#define CTX_MAXARGS 4
#define CTX_MAXSTALE 16

struct ctx {
	struct worker	*w;
	struct arena	*a;
	struct req	 req;
	struct reply	 rep;
	enum lang	 lang;
	struct user	*user;		/* NULL when not logged in */
	const char	*sess_hash;	/* hex SHA-256 of the cookie token */
	const char	*csrf;		/* the session's CSRF token */
	struct json_t	*body;		/* parsed JSON body, or NULL */
	const char	*args[CTX_MAXARGS]; /* '*' segments of the route */
	const char	*errfield;	/* set by ctx_fail for the answer */
	const char	*errmsg;
	struct json_t	*errextra;	/* merged into the error object */
	/* Cached keys to drop again once the transaction committed. */
	const char	*stale[CTX_MAXSTALE];
	size_t		 nstale;
	/*
	 * Numbers given at commit (wf.c, idem.c): the document (and the new
	 * customer) inserted with a placeholder number, 0 when none.
	 */
	long long	 late_doc, late_cust;
	const char	*late_doc_ph, *late_cust_ph;
	/* The limit check of a new customer, made then too (wf_customer.c). */
	long long	 late_owner;
	/*
	 * The request's first addition to the activity figures, written by
	 * the statement that stores the answer (ST_ACTIVITY_ADD's
	 * parameters; [0] NULL when none): the person's row of the day is
	 * then locked only until the commit that follows (wf_field.c).
	 */
	const char	*late_act[9];
};

/*
 * Record why a step failed (field and message in the user's language, both
 * may be NULL for the generic message) and return e, so a workflow step
 * can "return ctx_fail(...)" and its caller answers with reply_fail.
 */
enum crm_err	 ctx_fail(struct ctx *, enum crm_err e, const char *field,
		    const char *msg);
/* Answer the failure recorded by ctx_fail (or e's generic message). */
void		 reply_fail(struct ctx *, enum crm_err e);
/* A message formatted in the request's language, in the arena. */
#define CTX_PRINTF(c, zh, en, ...) ((c)->lang == LANG_EN ? \
	arena_printf((c)->a, en, __VA_ARGS__) : \
	arena_printf((c)->a, zh, __VA_ARGS__))
/* "zh" or "en" text of a {zh, en} pair in the request's language. */
const char	*ctx_text(struct ctx *, const char *zh, const char *en);

/* ---------------------------------------------------------------- reply.c */

void	 reply_header(struct ctx *, const char *, ...) CRM_PRINTF(2, 3);
/* Answer status with the JSON value v (stolen: decref'd here). */
void	 reply_json(struct ctx *, int status, struct json_t *v);
void	 reply_json_with(struct ctx *, int status, struct json_t *v,
	    const char *key, const char *json);
/* Answer with no body (204). */
void	 reply_empty(struct ctx *, int status);
/* Answer the error e with its message in the request's language. */
void	 reply_err(struct ctx *, enum crm_err e, const char *field);
/* Same with a message of the caller's (already in the right language). */
void	 reply_errmsg(struct ctx *, enum crm_err e, const char *field,
	    const char *msg);

/* --------------------------------------------------------------- router.c */

/* Route one parsed request to its handler; always leaves an answer. */
void	 router_dispatch(struct ctx *);

/* -------------------------------------------------------------- session.c */

/*
 * Find the session of the request's cookie: Redis first, PostgreSQL
 * behind it.  Sets ctx->user, ctx->sess_hash, ctx->csrf.  Returns ERR_OK,
 * ERR_UNAUTHENTICATED or ERR_UNAVAILABLE.
 */
enum crm_err	 session_load(struct ctx *);
/* Start a new session for staff id: cookie header, ctx->csrf. */
enum crm_err	 session_start(struct ctx *, long long staff_id);
/* End the request's session (logout). */
enum crm_err	 session_end(struct ctx *);
/* End one session given the hex hash of its token. */
enum crm_err	 session_end_hash(struct ctx *, const char *hash);
/* End every session of staff id except keep_hash (may be NULL). */
enum crm_err	 session_end_user(struct ctx *, long long staff_id,
		    const char *keep_hash);
/* Drop the cached copies of a user's sessions (after a user change). */
void		 session_uncache_user(struct ctx *, long long staff_id);
/* Load a user row; NULL with *err when missing or the database is down. */
struct user	*session_user(struct ctx *, long long staff_id,
		    enum crm_err *err);
/* The USER JSON object of docs/api.md. */
struct json_t	*session_user_json(const struct user *);
/* Write an audit_log row (errors logged, not fatal). */
void		 audit(struct ctx *, const char *action, const char *object,
		    const char *object_id, struct json_t *detail);

/* --------------------------------------------------------------- audit.c */

/*
 * Walk the audit log's hash chain and print one line to out: intact, or
 * the first row altered or removed.  Returns 0 intact, 1 broken, -1 when
 * the log cannot be read.
 */
int		 audit_verify(struct worker *, FILE *out);

/* ------------------------------------------------------------------ wf.c */

/* A document (单据) being submitted, decided or applied. */
struct doc {
	long long	 id;		/* 0 until inserted */
	const char	*number;
	const char	*kind;
	long long	 applicant_id;
	const char	*applicant_role;
	long long	 customer_id;	/* 0 when none (yet) */
	struct json_t	*data;		/* owned by the request arena */
	struct json_t	*result;	/* what apply reports back, or NULL */
	const char	*norm;		/* customer_new: name folded by check */
};

/*
 * A document kind: its checks that need the database (inside the
 * transaction, before routing) and its effect on the archive (inside the
 * transaction of the final approval).  Both return ERR_OK or a ctx_fail.
 * New kinds are new rows of the table in wf.c and a wf_*.c file; the
 * engine itself does not change.
 */
struct wf_kind {
	const char	*name;
	enum crm_err	(*check)(struct ctx *, struct doc *);
	enum crm_err	(*apply)(struct ctx *, struct doc *);
	int		 number_first;	/* apply needs the document number */
};

/* The kind named name, or NULL. */
const struct wf_kind *wf_kind(const char *name);
/*
 * Submit a document of kind with data for the request's user: validate
 * with rules/forms.lua, check, route with rules/routing.lua, insert, and
 * apply at once when the route has no steps.  Runs inside the caller's
 * transaction.  On success d is filled and *applied says whether it was.
 */
enum crm_err	 wf_submit(struct ctx *, const struct wf_kind *,
		    struct json_t *data, struct doc *d, int *applied);
/* Approve, reject or send back the current step of document id. */
enum crm_err	 wf_decide(struct ctx *, long long id, const char *action,
		    const char *comment, struct doc *d);
/* The applicant withdraws a pending document. */
enum crm_err	 wf_withdraw(struct ctx *, long long id, struct doc *d);
/* The document as JSON for answers (with its steps). */
struct json_t	*wf_doc_json(struct ctx *, long long id);
/* Call rules/file.lua fn with the JSON array args (stolen); NULL on error. */
struct json_t	*rules_json(struct ctx *, const char *file, const char *fn,
		    struct json_t *args);
/*
 * Drop a cached copy (Redis key) that the request's transaction makes old:
 * now, and again by ctx_stale_flush once the transaction committed, so a
 * read between the two cannot cache the old value for long.
 */
void		 ctx_stale(struct ctx *, const char *key);
void		 ctx_stale_flush(struct ctx *);
/* Insert a notification for staff (kind todo, reminder, result). */
void		 notify(struct ctx *, long long staff_id, const char *kind,
		    long long document_id, long long customer_id,
		    struct json_t *detail);

/*
 * A document submitted in this request (and the customer it created) got
 * a placeholder number, so that the per-day counter row, which serialises
 * every writer, is locked only right before the commit.  Take the numbers
 * now (rules/numbering.lua), write them into the answer built in c->rep
 * and return them for the statement that stores the answer (idem.c).
 * *doc and *cust stay NULL when there is nothing to number.
 */
enum crm_err	 wf_late_numbers(struct ctx *, const char **doc,
		    const char **cust);
/*
 * The owner's limit of a new customer (c->late_owner), checked with the
 * person's row locked right before the numbers are taken, so that the lock
 * that serialises one person's new customers is held only until the commit.
 */
enum crm_err	 wf_customer_late_check(struct ctx *);

/* ---------------------------------------------------------- wf_customer.c */

enum crm_err	 wf_customer_new_check(struct ctx *, struct doc *);
enum crm_err	 wf_customer_new_apply(struct ctx *, struct doc *);
enum crm_err	 wf_claim_check(struct ctx *, struct doc *);
enum crm_err	 wf_claim_apply(struct ctx *, struct doc *);
enum crm_err	 wf_transfer_check(struct ctx *, struct doc *);
enum crm_err	 wf_transfer_apply(struct ctx *, struct doc *);
enum crm_err	 wf_change_check(struct ctx *, struct doc *);
enum crm_err	 wf_change_apply(struct ctx *, struct doc *);
enum crm_err	 cust_visible(struct ctx *, long long, const char **);

/* ------------------------------------------------------------- wf_field.c */

/*
 * The file a document's field names by its token: one the applicant
 * uploaded (of that kind, unless NULL).  *id: its id text, NULL when the
 * field is absent.  ERR_VALIDATION (field = key) otherwise.
 */
enum crm_err	 wf_doc_file(struct ctx *, struct doc *, const char *key,
		    const char *kind, const char **id);
enum crm_err	 wf_visit_check(struct ctx *, struct doc *);
enum crm_err	 wf_visit_apply(struct ctx *, struct doc *);
enum crm_err	 wf_deal_check(struct ctx *, struct doc *);
enum crm_err	 wf_deal_apply(struct ctx *, struct doc *);
enum crm_err	 wf_payment_check(struct ctx *, struct doc *);
enum crm_err	 wf_payment_apply(struct ctx *, struct doc *);
enum crm_err	 wf_daily_check(struct ctx *, struct doc *);
enum crm_err	 wf_daily_apply(struct ctx *, struct doc *);
/* Count a new customer (claim 0) or a claim (1) in today's figures. */
enum crm_err	 wf_count_new(struct ctx *, long long staff, int claim);

/* ------------------------------------------------------------ wf_target.c */

enum crm_err	 wf_target_check(struct ctx *, struct doc *);
enum crm_err	 wf_target_apply(struct ctx *, struct doc *);

/* ------------------------------------------------------------ wf_import.c */

/* customer_import: the pre-checked rows of an import, in one transaction. */
enum crm_err	 wf_import_check(struct ctx *, struct doc *);
enum crm_err	 wf_import_apply(struct ctx *, struct doc *);
/* Delete the staged rows of one applied import: *n rows; *more: one was left. */
enum crm_err	 import_purge(struct ctx *, long *n, int *more);
/* Run rules/FILE.lua FN on the arena a (chunk memory); NULL on error. */
struct json_t	*import_rules(struct ctx *, struct arena *a, const char *file,
		    const char *fn, struct json_t *args);
/* {applicant: {id, role, login, department}} as rules see it. */
struct json_t	*import_rule_ctx(struct ctx *);

/* ----------------------------------------------------------------- pool.c */

/*
 * The return of idle customers to the public pool (WF-RECLAIM), by the
 * policy of rules/pool.lua.  at: "YYYY-MM-DD" (the end of that day) or
 * NULL (now).  With dry_run, lists who would return and why, changing
 * nothing.  Otherwise returns them, logs each with its reason, notifies
 * the owners, and warns the owners of customers due within the warning
 * period; only one server at a time runs it (advisory lock).  *out gets
 * {"returned": [...], "warned": [...], "ran": bool}.
 */
enum crm_err	 pool_run(struct ctx *, const char *at, int dry_run,
		    struct json_t **out);

/* ----------------------------------------------------------------- idem.c */

/*
 * Idempotency keys.  Every POST that creates or decides a document carries
 * Idempotency-Key.  idem_begin_or_reply opens the transaction, takes an
 * advisory lock on (user, key) so two copies of one request run one after
 * the other, and answers a repeat with the first answer (or refuses the
 * key reused with another body): it returns 1 when it answered (no
 * transaction left open), 0 to go on inside the open transaction.
 * idem_commit stores the answer built in c->rep with the key and commits.
 */
int		 idem_begin_or_reply(struct ctx *);
enum crm_err	 idem_commit(struct ctx *);

/* ------------------------------------------------------------- handlers */

void	 h_health(struct ctx *);
void	 h_session_new(struct ctx *);
void	 h_session_delete(struct ctx *);
void	 h_me(struct ctx *);
void	 h_me_password(struct ctx *);
void	 h_me_lang(struct ctx *);
void	 h_config(struct ctx *);
void	 h_menu(struct ctx *);
void	 h_forms(struct ctx *);
void	 h_documents_new(struct ctx *);
void	 h_documents_list(struct ctx *);
void	 h_documents_get(struct ctx *);
void	 h_documents_decide(struct ctx *);
void	 h_documents_withdraw(struct ctx *);
void	 h_todos(struct ctx *);
void	 h_customers_list(struct ctx *);
void	 h_customers_get(struct ctx *);
void	 h_customers_timeline(struct ctx *);
enum stmt	 cust_list_stmt(const char *, const char *, const char *);
void	 h_no_delete(struct ctx *);
void	 h_files_upload(struct ctx *);
void	 h_files_get(struct ctx *);
void	 h_qr_image(struct ctx *);
void	 h_qr_resolve(struct ctx *);
void	 h_qr_revoke(struct ctx *);
void	 h_daily_summary(struct ctx *);
void	 h_customers_activity(struct ctx *);
void	 h_targets_progress(struct ctx *);
void	 h_targets_list(struct ctx *);
void	 h_records(struct ctx *);
void	 h_departments(struct ctx *);
void	 h_departments_new(struct ctx *);
void	 h_departments_update(struct ctx *);
void	 h_staff_new(struct ctx *);
void	 h_staff_get(struct ctx *);
void	 h_staff_update(struct ctx *);
void	 h_roles_assign(struct ctx *);
void	 h_staff_list(struct ctx *);
void	 h_notifications(struct ctx *);
void	 h_notifications_read(struct ctx *);
void	 h_reports_list(struct ctx *);
void	 h_report_get(struct ctx *);
void	 h_report_export(struct ctx *);
void	 h_report_definition(struct ctx *);
void	 h_report_sources(struct ctx *);
void	 h_reports_new(struct ctx *);
void	 h_report_update(struct ctx *);
void	 h_portal(struct ctx *);
void	 h_import_template(struct ctx *);
void	 h_import_upload(struct ctx *);
void	 h_import_get(struct ctx *);
void	 h_import_customers(struct ctx *);
void	 h_export_customers(struct ctx *);

#endif /* CRM_EXTERN_H */
