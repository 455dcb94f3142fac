/*
 * db.c: the PostgreSQL connection of a worker (or of crmctl) and every SQL
 * statement the programs run, prepared once per connection.
 *
 * No SQL is ever built from input: handlers name a statement and pass
 * parameters as text (libpq testlibpq3.c).  A lost connection is noticed
 * on the failing call, answered as "unavailable", and re-opened (with all
 * statements prepared again) by the next db_ensure, at most twice a second
 * so a dead server does not turn every request into a connect storm.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extern.h"

static const char *const stmts[ST__MAX] = {
	[ST_PING] = "select 1",
	[ST_STAFF_AUTH] =
	    "select id, password_hash, active, "
	    "(failed_logins >= $2::int and "
	    " last_failed_at > now() - make_interval(secs => $3::int)) "
	    "from staff where login = $1",
	[ST_STAFF_LOGIN_FAIL] =
	    "update staff set failed_logins = case when last_failed_at > "
	    "now() - make_interval(secs => $2::int) then failed_logins + 1 "
	    "else 1 end, last_failed_at = now() where id = $1",
	[ST_STAFF_LOGIN_OK] =
	    "update staff set failed_logins = 0, last_failed_at = null "
	    "where id = $1 and failed_logins <> 0",
	[ST_STAFF_SET_HASH] =
	    "update staff set password_hash = $2, password_changed_at = now(), "
	    "updated_at = now() where id = $1",
	[ST_STAFF_USER] =
	    "select s.id, s.login, s.name, s.role, s.lang, s.department_id, "
	    "d.name, s.password_hash from staff s "
	    "left join departments d on d.id = s.department_id "
	    "where s.id = $1 and s.active",
	[ST_STAFF_SET_LANG] =
	    "update staff set lang = $2, updated_at = now() where id = $1",
	[ST_STAFF_SET_ACTIVE] =
	    "update staff set active = $2, updated_at = now() where id = $1",
	[ST_STAFF_BY_LOGIN] = "select id from staff where login = $1",
	[ST_STAFF_INSERT] =
	    "insert into staff (login, password_hash, name, role, "
	    "department_id, position, mobile, gender, max_customers) "
	    "values ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
	    "on conflict (login) do nothing returning id",
	[ST_DEPT_INSERT] =
	    "insert into departments (parent_id, name) values ($1, $2) "
	    "returning id",
	[ST_DEPT_SET_MANAGER] =
	    "update departments set manager_id = $2 where id = $1",
	[ST_DEPT_BY_NAME] =
	    "select id from departments where name = $1 and "
	    "parent_id is not distinct from $2::bigint",
	[ST_SESSION_INSERT] =
	    "insert into sessions (token_hash, staff_id, csrf_token, "
	    "user_agent, remote_addr) values (decode($1, 'hex'), $2, $3, "
	    "left($4, 200), $5)",
	[ST_SESSION_GET] =
	    "select s.staff_id, s.csrf_token, "
	    "extract(epoch from s.created_at)::bigint from sessions s "
	    "join staff st on st.id = s.staff_id and st.active "
	    "where s.token_hash = decode($1, 'hex') "
	    "and s.last_seen > now() - make_interval(secs => $2::int) "
	    "and s.created_at > now() - make_interval(secs => $3::int)",
	[ST_SESSION_TOUCH] =
	    "update sessions set last_seen = now() "
	    "where token_hash = decode($1, 'hex') "
	    "and last_seen < now() - interval '60 seconds'",
	[ST_SESSION_DELETE] =
	    "delete from sessions where token_hash = decode($1, 'hex')",
	[ST_SESSION_DELETE_OTHERS] =
	    "delete from sessions where staff_id = $1 and "
	    "token_hash <> decode($2, 'hex') "
	    "returning encode(token_hash, 'hex')",
	[ST_SESSION_DELETE_USER] =
	    "delete from sessions where staff_id = $1 "
	    "returning encode(token_hash, 'hex')",
	[ST_SESSION_PURGE] =
	    "delete from sessions where "
	    "last_seen < now() - make_interval(secs => $1::int) "
	    "or created_at < now() - make_interval(secs => $2::int)",
	[ST_SESSION_HASHES_OF_USER] =
	    "select encode(token_hash, 'hex') from sessions where staff_id = $1",
	[ST_AUDIT] =
	    "insert into audit_log (staff_id, action, object, object_id, "
	    "detail, remote_addr) values ($1, $2, $3, $4, $5::jsonb, $6)",
	[ST_TYPE_UPSERT] =
	    "insert into customer_types (code, parent_code, name_zh, name_en, "
	    "sort, active) values ($1, $2, $3, $4, $5, true) "
	    "on conflict (code) do update set parent_code = excluded.parent_code, "
	    "name_zh = excluded.name_zh, name_en = excluded.name_en, "
	    "sort = excluded.sort, active = true",
	[ST_TYPE_DEACTIVATE_ALL] = "update customer_types set active = false",
	[ST_LIST_UPSERT] =
	    "insert into list_items (list, code, name_zh, name_en, sort, active) "
	    "values ($1, $2, $3, $4, $5, true) on conflict (list, code) do "
	    "update set name_zh = excluded.name_zh, name_en = excluded.name_en, "
	    "sort = excluded.sort, active = true",
	[ST_LIST_DEACTIVATE_ALL] = "update list_items set active = false",
};

struct db {
	char		*conninfo;
	PGconn		*conn;
	int		 up;
	struct timespec	 last_try;
	char		 sqlstate[6];
};

/* A handle; nothing is connected until db_ensure. */
struct db *
db_open(const char *conninfo)
{
	struct db	*db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	if ((db->conninfo = strdup(conninfo)) == NULL) {
		free(db);
		return NULL;
	}
	return db;
}

/* Close the connection and free the handle. */
void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->conninfo);
	free(db);
}

static void
db_drop(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	db->up = 0;
}

static int
db_prepare_all(struct db *db)
{
	PGresult	*res;
	char		 name[16];
	int		 i;

	for (i = 0; i < ST__MAX; i++) {
		if (stmts[i] == NULL)
			abort();	/* a statement without SQL: a bug */
		snprintf(name, sizeof(name), "s%d", i);
		res = PQprepare(db->conn, name, stmts[i], 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			log_err("db: prepare %d: %s", i,
			    PQresultErrorMessage(res));
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

/*
 * Make the connection usable: connect (connect_timeout comes with the
 * conninfo) and prepare every statement.  Returns 0 or -1 when the server
 * cannot be reached; tries at most every 500 ms.
 */
int
db_ensure(struct db *db)
{
	struct timespec	 now;
	long		 ms;

	if (db->conn != NULL && db->up && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - db->last_try.tv_sec) * 1000 +
	    (now.tv_nsec - db->last_try.tv_nsec) / 1000000;
	if (db->last_try.tv_sec != 0 && ms < 500 && ms >= 0)
		return -1;
	db->last_try = now;
	db_drop(db);
	db->conn = PQconnectdb(db->conninfo);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		log_warn("db: connect: %s", PQerrorMessage(db->conn));
		db_drop(db);
		return -1;
	}
	if (db_prepare_all(db) == -1) {
		db_drop(db);
		return -1;
	}
	db->up = 1;
	log_info("db: connected");
	return 0;
}

/* Last known state of the connection, without I/O. */
int
db_up(struct db *db)
{
	return db->conn != NULL && db->up;
}

static void
db_clear(void *p)
{
	PQclear(p);
}

/* Classify a failed result; drops the connection when it is gone. */
static enum crm_err
db_fail(struct db *db, PGresult *res, enum stmt st)
{
	const char	*state;

	state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
	if (PQstatus(db->conn) != CONNECTION_OK || state == NULL ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0) {
		log_warn("db: connection lost (stmt %d): %s", (int)st,
		    PQerrorMessage(db->conn));
		db_drop(db);
		return ERR_UNAVAILABLE;
	}
	if (strcmp(state, "23505") == 0 || strcmp(state, "23P01") == 0)
		return ERR_CONFLICT;
	if (strncmp(state, "23", 2) == 0 || strcmp(state, "22P02") == 0 ||
	    strcmp(state, "22001") == 0 || strcmp(state, "22003") == 0)
		return ERR_VALIDATION;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return ERR_CONFLICT;	/* serialization failure, deadlock */
	/* The user gets a short message; the log gets the details. */
	log_err("db: stmt %d failed: SQLSTATE %s: %s", (int)st, state,
	    PQresultErrorMessage(res));
	return ERR_INTERNAL;
}

/* See extern.h. */
PGresult *
db_exec(struct db *db, struct arena *a, enum stmt st, int n,
    const char *const *params, enum crm_err *err)
{
	PGresult	*res;
	char		 name[16];
	ExecStatusType	 rs;

	if ((unsigned)st >= ST__MAX)
		abort();
	if (db_ensure(db) == -1) {
		*err = ERR_UNAVAILABLE;
		return NULL;
	}
	snprintf(name, sizeof(name), "s%d", (int)st);
	res = PQexecPrepared(db->conn, name, n, params, NULL, NULL, 0);
	rs = PQresultStatus(res);
	if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
		if (arena_cleanup_add(a, db_clear, res) == -1) {
			*err = ERR_INTERNAL;
			return NULL;
		}
		*err = ERR_OK;
		return res;
	}
	*err = db_fail(db, res, st);
	PQclear(res);
	return NULL;
}

static enum crm_err
db_simple(struct db *db, const char *sql)
{
	PGresult	*res;
	enum crm_err	 e = ERR_OK;

	if (db_ensure(db) == -1)
		return ERR_UNAVAILABLE;
	res = PQexec(db->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		e = db_fail(db, res, ST__MAX);
	PQclear(res);
	return e;
}

/* Start a transaction. */
enum crm_err
db_begin(struct db *db)
{
	return db_simple(db, "begin");
}

/* Commit; a failed commit (serialization, lost connection) is returned. */
enum crm_err
db_commit(struct db *db)
{
	return db_simple(db, "commit");
}

/* Roll back whatever transaction is open (none: nothing happens). */
void
db_rollback(struct db *db)
{
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK)
		return;
	if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		(void)db_simple(db, "rollback");
}

/* Run a multi-statement script; on failure *msg gets a malloc'd reason. */
int
db_script(struct db *db, const char *sql, char **msg)
{
	PGresult	*res;
	int		 rc = 0;

	*msg = NULL;
	if (db_ensure(db) == -1) {
		*msg = strdup("database unavailable");
		return -1;
	}
	res = PQexec(db->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		*msg = strdup(PQresultErrorMessage(res));
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* The raw connection (crmctl's migration lock); NULL when down. */
PGconn *
db_conn(struct db *db)
{
	return db_ensure(db) == 0 ? db->conn : NULL;
}

/* SQLSTATE of the last failure, "" when none. */
const char *
db_sqlstate(struct db *db)
{
	return db->sqlstate;
}

/* Text of a value, or NULL for SQL null. */
const char *
db_get(const PGresult *res, int r, int c)
{
	if (PQgetisnull(res, r, c))
		return NULL;
	return PQgetvalue(res, r, c);
}

/* A value as a number (0 for null or garbage: only for trusted columns). */
long long
db_getll(const PGresult *res, int r, int c)
{
	const char	*s = db_get(res, r, c);

	return s ? strtoll(s, NULL, 10) : 0;
}
