/*
 * bare_fcgi.c: the ceilings of `make bench` (scripts/bench).  A bare libfcgi
 * responder with crmd's process model (pre-forked workers accepting on one
 * socket, one PostgreSQL and one Redis connection per worker, statements
 * prepared once), doing as little as a request can:
 *
 *   /bare/hello        nothing: a fixed JSON answer
 *   /bare/redis        one Redis GET
 *   /bare/pk?id=N      one prepared primary-key SELECT (a customer as JSON)
 *   /bare/list?id=N    one prepared 20-row index-range list as JSON
 *   /bare/insert?id=N  one INSERT (autocommit, synchronous commit as the
 *                      server is configured)
 *
 * Usage: bare_fcgi 127.0.0.1:PORT WORKERS   (BENCH_DB: libpq conninfo,
 * BENCH_REDIS_PORT: Redis on 127.0.0.1).  SIGTERM stops it and its workers.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <hiredis/hiredis.h>
#include <libpq-fe.h>

static const char *const sql[] = {
	"select row_to_json(c)::text from customers c where c.id = $1",
	"select coalesce(json_agg(x), '[]')::text from (select id, number, "
	"name, type_code, owner_id, visit_count, last_visit_at from customers "
	"where id >= $1 order by id limit 20) x",
	"insert into bench_insert (n, note) values ($1, 'bench')",
};

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *
query_id(FCGX_Request *r, char *buf, size_t len)
{
	const char	*q = FCGX_GetParam("QUERY_STRING", r->envp), *p;
	size_t		 n;

	if (q == NULL || (p = strstr(q, "id=")) == NULL)
		return "1";
	p += 3;
	n = strspn(p, "0123456789");
	if (n == 0 || n >= len)
		return "1";
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

static void
answer(FCGX_Request *r, int status, const char *body)
{
	FCGX_FPrintF(r->out, "Status: %d\r\nContent-Type: application/json\r\n"
	    "Content-Length: %lu\r\n\r\n%s", status, (unsigned long)strlen(body),
	    body);
}

static void
pg_answer(FCGX_Request *r, PGconn *pg, const char *name, const char *id)
{
	PGresult	*res;
	const char	*params[1] = { id };
	ExecStatusType	 st;

	res = PQexecPrepared(pg, name, 1, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK)
		answer(r, 200, PQntuples(res) ? PQgetvalue(res, 0, 0) : "null");
	else if (st == PGRES_COMMAND_OK)
		answer(r, 200, "{\"ok\":true}");
	else {
		fprintf(stderr, "bare_fcgi: %s", PQresultErrorMessage(res));
		answer(r, 500, "{\"error\":\"db\"}");
	}
	PQclear(res);
}

static int
worker(int sock)
{
	FCGX_Request	 r;
	PGconn		*pg;
	redisContext	*rd;
	redisReply	*rep;
	const char	*conninfo = getenv("BENCH_DB"), *rport, *uri;
	char		 name[8], idbuf[24], body[600];
	size_t		 i;

	pg = PQconnectdb(conninfo ? conninfo : "dbname=crm");
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "bare_fcgi: %s", PQerrorMessage(pg));
		return 1;
	}
	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		PGresult *res;

		snprintf(name, sizeof(name), "b%zu", i);
		res = PQprepare(pg, name, sql[i], 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			fprintf(stderr, "bare_fcgi: prepare: %s",
			    PQresultErrorMessage(res));
			return 1;
		}
		PQclear(res);
	}
	rport = getenv("BENCH_REDIS_PORT");
	rd = redisConnect("127.0.0.1", rport ? atoi(rport) : 6379);
	if (rd == NULL || rd->err) {
		fprintf(stderr, "bare_fcgi: redis: %s\n", rd ? rd->errstr : "?");
		return 1;
	}
	FCGX_InitRequest(&r, sock, 0);
	while (!stop && FCGX_Accept_r(&r) >= 0) {
		uri = FCGX_GetParam("DOCUMENT_URI", r.envp);
		if (uri == NULL)
			uri = "";
		if (strcmp(uri, "/bare/hello") == 0)
			answer(&r, 200, "{\"ok\":true}");
		else if (strcmp(uri, "/bare/redis") == 0) {
			rep = redisCommand(rd, "GET bench:key");
			if (rep != NULL && rep->type == REDIS_REPLY_STRING) {
				snprintf(body, sizeof(body), "{\"value\":\"%s\"}",
				    rep->str);
				answer(&r, 200, body);
			} else
				answer(&r, 500, "{\"error\":\"redis\"}");
			if (rep != NULL)
				freeReplyObject(rep);
		} else if (strcmp(uri, "/bare/pk") == 0)
			pg_answer(&r, pg, "b0", query_id(&r, idbuf,
			    sizeof(idbuf)));
		else if (strcmp(uri, "/bare/list") == 0)
			pg_answer(&r, pg, "b1", query_id(&r, idbuf,
			    sizeof(idbuf)));
		else if (strcmp(uri, "/bare/insert") == 0)
			pg_answer(&r, pg, "b2", query_id(&r, idbuf,
			    sizeof(idbuf)));
		else
			answer(&r, 404, "{\"error\":\"not_found\"}");
		FCGX_Finish_r(&r);
	}
	PQfinish(pg);
	redisFree(rd);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct sigaction sa;
	pid_t		*kids;
	int		 sock, n, i;

	if (argc != 3 || (n = atoi(argv[2])) < 1 || n > 256) {
		fprintf(stderr, "usage: bare_fcgi 127.0.0.1:PORT WORKERS\n");
		return 2;
	}
	if (FCGX_Init() != 0 || (sock = FCGX_OpenSocket(argv[1], 1024)) < 0) {
		fprintf(stderr, "bare_fcgi: cannot listen on %s\n", argv[1]);
		return 1;
	}
	if ((kids = calloc((size_t)n, sizeof(*kids))) == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		if ((kids[i] = fork()) == -1)
			return 1;
		if (kids[i] == 0)
			_exit(worker(sock));
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stop) {
		if (wait(NULL) == -1 && errno == ECHILD)
			break;
	}
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	free(kids);
	return 0;
}
