/*
 * server.c: crmd, the FastCGI application server.
 *
 * A prefork master (like nginx's and PostgreSQL's postmaster) opens the
 * FastCGI socket, forks cfg.workers workers and replaces any that dies.
 * SIGTERM/SIGINT: the workers finish the request in hand and exit, then
 * the master exits (workers still busy after 20 s are killed).  SIGHUP:
 * every worker re-opens its rules state before its next request.
 *
 * A worker holds one PostgreSQL connection, one Redis connection and one
 * Lua state for its whole life (each re-opened by itself after a failure)
 * and one arena that is reset after every answer.  One access-log line per
 * request: method, path, status, milliseconds, user.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <jansson.h>

#include "extern.h"

#define MAXWORKERS	256

static volatile sig_atomic_t	 got_term, got_hup, got_chld;
static pid_t			 workers[MAXWORKERS + 1]; /* + the jobs process */
static int			 nslots;	/* workers, plus 1 with jobs */

/* ------------------------------------------------------------- the worker */

static void
worker_sig(int sig)
{
	if (sig == SIGTERM || sig == SIGINT) {
		/*
		 * SIGTERM is blocked while a request is handled, so this
		 * runs only while waiting in accept: leave at once.
		 */
		_exit(0);
	}
	if (sig == SIGHUP)
		got_hup = 1;
}

/* Read the body (CONTENT_LENGTH bytes, already checked against the cap). */
static enum crm_err
read_body(struct ctx *c, FCGX_Stream *in)
{
	size_t	 n = c->req.content_length;
	int	 got;

	if (n == 0) {
		c->req.body = arena_strdup(c->a, "");
		c->req.bodylen = 0;
		return c->req.body ? ERR_OK : ERR_INTERNAL;
	}
	if ((c->req.body = arena_alloc(c->a, n + 1)) == NULL)
		return ERR_TOO_LARGE;
	got = FCGX_GetStr(c->req.body, (int)n, in);
	if (got < 0 || (size_t)got != n)
		return ERR_BAD_REQUEST;
	c->req.body[n] = '\0';
	c->req.bodylen = n;
	return ERR_OK;
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/*
 * Write the answer.  The head is built with our own buffer: libfcgi's
 * FCGX_FPrintF has its own printf that does not know every conversion.
 */
static void
write_reply(struct ctx *c, FCGX_Stream *out)
{
	struct reply	*r = &c->rep;
	struct buf	 head;
	size_t		 blen = r->status == 204 ? 0 : r->body.len;

	buf_init(&head, c->a, 64 * 1024);
	buf_printf(&head, "Status: %d %s\r\n", r->status, reason(r->status));
	if (r->ctype != NULL)
		buf_printf(&head, "Content-Type: %s\r\n", r->ctype);
	buf_printf(&head, "Cache-Control: %s\r\nContent-Length: %zu\r\n",
	    r->cache ? r->cache : "no-store", blen);
	buf_write(&head, r->hdr.data, r->hdr.len);
	buf_puts(&head, "\r\n");
	FCGX_PutStr(head.data, (int)head.len, out);
	if (blen && strcmp(c->req.method ? c->req.method : "", "HEAD") != 0)
		FCGX_PutStr(r->body.data, (int)blen, out);
}

/* 1 when the request is an upload (POST /api/v1/files or /api/v1/imports). */
static int
upload_path(char *const *envp)
{
	const char	*uri = NULL, *method = NULL;

	for (; *envp != NULL; envp++) {
		if (strncmp(*envp, "DOCUMENT_URI=", 13) == 0)
			uri = *envp + 13;
		else if (strncmp(*envp, "REQUEST_METHOD=", 15) == 0)
			method = *envp + 15;
	}
	return uri != NULL && method != NULL && strcmp(method, "POST") == 0 &&
	    (strcmp(uri, "/api/v1/files") == 0 ||
	    strcmp(uri, "/api/v1/imports") == 0);
}

static void
handle(struct worker *w, FCGX_Request *fr)
{
	struct ctx	 c;
	struct timespec	 t0, t1;
	enum crm_err	 e;
	long		 us;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&c, 0, sizeof(c));
	c.w = w;
	c.a = &w->a;
	buf_init(&c.rep.hdr, c.a, 16 * 1024);
	buf_init(&c.rep.body, c.a, 64 * 1024 * 1024);
	c.lang = LANG_ZH;
	/* Uploads have their own, larger cap (nginx has the same). */
	e = http_req_from_params(c.a, fr->envp, upload_path(fr->envp) ?
	    cfg.max_upload : cfg.max_body, &c.req);
	if (e == ERR_OK)
		c.lang = i18n_from_accept(c.req.accept_language);
	if (e == ERR_OK)
		e = read_body(&c, fr->in);
	if (e != ERR_OK)
		reply_err(&c, e, NULL);
	else
		router_dispatch(&c);
	/* A handler that failed half-way never leaves a transaction open. */
	db_rollback(w->db);
	/*
	 * A failure because PostgreSQL went away under the request is not a
	 * bug: the client is told to try again (nothing was committed).
	 */
	if (c.rep.status == 500 && !db_up(w->db))
		reply_err(&c, ERR_UNAVAILABLE, NULL);
	write_reply(&c, fr->out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (t1.tv_sec - t0.tv_sec) * 1000000L +
	    (t1.tv_nsec - t0.tv_nsec) / 1000;
	log_info("access %s %s %d %ld.%03ldms %s%s%s",
	    c.req.method ? c.req.method : "-",
	    c.req.path ? c.req.path : "-", c.rep.status, us / 1000, us % 1000,
	    c.user ? c.user->login : "-",
	    c.rep.err != ERR_OK ? " " : "",
	    c.rep.err != ERR_OK ? crm_errcode(c.rep.err) : "");
	arena_reset(c.a);
}

static void
worker_open_rules(struct worker *w)
{
	if (w->rules != NULL)
		rules_close(w->rules);
	w->rules = rules_open(cfg.rules_dir, cfg.rules_mem, cfg.rules_budget);
	if (w->rules == NULL)
		log_err("rules: cannot open %s", cfg.rules_dir);
}

static void
worker_main(int listen_fd)
{
	struct worker		 w;
	FCGX_Request		 fr;
	struct sigaction	 sa;
	sigset_t		 term, old;

	memset(&w, 0, sizeof(w));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = worker_sig;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/*
	 * SIGHUP only sets a flag: restart the interrupted read, or libfcgi
	 * takes EINTR on a kept connection for an error and drops the
	 * request nginx already sent.
	 */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_flags = 0;
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);

	arena_init(&w.a, 256 * 1024 * 1024);
	w.db = db_open(cfg.db);
	w.cache = cache_open(cfg.redis_host, cfg.redis_port,
	    cfg.redis_timeout_ms);
	if (w.db == NULL || w.cache == NULL)
		_exit(1);
	worker_open_rules(&w);
	(void)db_ensure(w.db);
	(void)cache_up(w.cache);
	if (FCGX_InitRequest(&fr, listen_fd, 0) != 0)
		_exit(1);
	for (;;) {
		if (FCGX_Accept_r(&fr) < 0) {
			if (errno == EINTR)
				continue;
			log_err("worker: accept failed: %s", strerror(errno));
			sleep(1);
			continue;
		}
		sigprocmask(SIG_BLOCK, &term, &old);
		if (got_hup) {
			got_hup = 0;
			worker_open_rules(&w);
		}
		if (w.rules == NULL)
			worker_open_rules(&w);
		handle(&w, &fr);
		FCGX_Finish_r(&fr);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
}

/* ------------------------------------------------------- the jobs process */

#define IMPORT_PURGE_MAX	4	/* applied imports' staged rows per run */

/*
 * The periodic jobs (returning idle customers to the pool, warnings).
 * Every server runs this process; the jobs themselves take a PostgreSQL
 * advisory lock, so in a cluster they run once at a time, and each run
 * only does what is due, so running it on two servers does nothing twice.
 */
static void
jobs_main(void)
{
	struct worker		 w;
	struct ctx		 c;
	struct sigaction	 sa;
	json_t			*out;
	enum crm_err		 e;
	unsigned		 wait = 5;
	long			 purged;
	int			 i, more;

	memset(&w, 0, sizeof(w));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	arena_init(&w.a, 256 * 1024 * 1024);
	w.db = db_open(cfg.db);
	w.cache = cache_open(cfg.redis_host, cfg.redis_port,
	    cfg.redis_timeout_ms);
	if (w.db == NULL || w.cache == NULL)
		_exit(1);
	worker_open_rules(&w);
	for (;;) {
		sleep(wait);
		wait = (unsigned)cfg.job_interval;
		memset(&c, 0, sizeof(c));
		c.w = &w;
		c.a = &w.a;
		c.lang = LANG_ZH;
		if (w.rules == NULL)
			worker_open_rules(&w);
		for (i = 0, more = 1; i < IMPORT_PURGE_MAX && more; i++)
			if (import_purge(&c, &purged, &more) != ERR_OK)
				more = 0;
			else if (purged > 0)
				log_info("jobs: imports: %ld staged rows "
				    "deleted", purged);
		e = pool_run(&c, NULL, 0, &out);
		ctx_stale_flush(&c);	/* warnings sent: unread counts */
		if (e != ERR_OK)
			log_warn("jobs: pool: %s", crm_errcode(e));
		else {
			/* Owners changed: cached reports are old (report.c). */
			if (json_array_size(json_object_get(out, "returned")) > 0)
				report_cache_bump(w.cache, &w.a);
			if (json_is_true(json_object_get(out, "ran")))
				log_info("jobs: pool: %zu returned, %zu warned",
				    json_array_size(json_object_get(out,
				    "returned")), json_array_size(
				    json_object_get(out, "warned")));
			json_decref(out);
		}
		arena_reset(&w.a);
	}
}

/* ------------------------------------------------------------- the master */

static void
master_sig(int sig)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		got_term = 1;
		break;
	case SIGHUP:
		got_hup = 1;
		break;
	case SIGCHLD:
		got_chld = 1;
		break;
	default:
		break;
	}
}

static pid_t
spawn(int listen_fd, int jobs)
{
	pid_t	 pid;

	if ((pid = fork()) == -1) {
		log_err("master: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (jobs) {
			close(listen_fd);
			jobs_main();
		}
		worker_main(listen_fd);
		_exit(0);
	}
	return pid;
}

static void
signal_workers(int sig)
{
	int	 i;

	for (i = 0; i < nslots; i++)
		if (workers[i] > 0)
			kill(workers[i], sig);
}

static int
live_workers(void)
{
	int	 i, n = 0;

	for (i = 0; i < nslots; i++)
		n += workers[i] > 0;
	return n;
}

/* Reap dead workers; returns how many died. */
static int
reap(void)
{
	pid_t	 pid;
	int	 st, i, n = 0;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < nslots; i++)
			if (workers[i] == pid)
				workers[i] = 0;
		if (!got_term) {
			if (WIFSIGNALED(st))
				log_warn("master: worker %d killed by signal %d",
				    (int)pid, WTERMSIG(st));
			else
				log_warn("master: worker %d exited with %d",
				    (int)pid, WEXITSTATUS(st));
		}
		n++;
	}
	return n;
}

int
main(int argc, char *argv[])
{
	struct sigaction	 sa;
	sigset_t		 mask, old;
	time_t			 deadline, last_spawn = 0;
	int			 listen_fd, i;

	(void)argc;
	(void)argv;
	config_load();
	if (cfg.workers > MAXWORKERS)
		cfg.workers = MAXWORKERS;
	nslots = cfg.workers + (cfg.job_interval > 0);
	if (FCGX_Init() != 0) {
		log_err("crmd: FCGX_Init failed");
		return 1;
	}
	if ((listen_fd = FCGX_OpenSocket(cfg.listen, 1024)) < 0) {
		log_err("crmd: cannot listen on %s", cfg.listen);
		return 1;
	}
	json_object_seed(0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = master_sig;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	log_info("crmd: listening on %s with %d workers", cfg.listen,
	    cfg.workers);

	/* Signals are only taken in sigsuspend, so no wake-up is lost. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &old);
	while (!got_term) {
		got_chld = 0;
		(void)reap();
		for (i = 0; i < nslots && !got_term; i++) {
			if (workers[i] > 0)
				continue;
			/* A worker dying at once must not spin the CPU. */
			if (last_spawn == time(NULL) && live_workers() == 0)
				sleep(1);
			sigprocmask(SIG_SETMASK, &old, NULL);
			workers[i] = spawn(listen_fd, i == cfg.workers);
			sigprocmask(SIG_BLOCK, &mask, NULL);
			last_spawn = time(NULL);
		}
		if (got_hup) {
			got_hup = 0;
			log_info("master: SIGHUP: workers reload the rules");
			signal_workers(SIGHUP);
		}
		if (!got_term && !got_chld)
			sigsuspend(&old);
	}

	log_info("master: draining %d workers", live_workers());
	signal_workers(SIGTERM);
	deadline = time(NULL) + 20;
	while (live_workers() > 0 && time(NULL) < deadline) {
		(void)reap();
		if (live_workers() > 0)
			usleep(50 * 1000);
	}
	if (live_workers() > 0) {
		log_warn("master: killing workers still busy");
		signal_workers(SIGKILL);
		while (reap() > 0 || live_workers() > 0)
			usleep(10 * 1000);
	}
	log_info("master: stopped");
	return 0;
}
