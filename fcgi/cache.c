/*
 * cache.c: the Redis connection of a worker (hiredis).
 *
 * Redis holds copies only (sessions, counters); PostgreSQL is the truth.
 * So every failure here is survivable: the context is freed (hiredis
 * contexts are unusable after an error), the caller falls back to
 * PostgreSQL, and a reconnect is tried at most once a second.  Connect and
 * command timeouts bound how long a stopped Redis can hold a request.
 *
 * A failure can also lose an invalidation: a DEL skipped while the context
 * is down, or a command sent to a stopped Redis that runs only when it
 * resumes, in any order with the other clients' commands (a SET of a count
 * read during the stall may land after the DEL that should have removed
 * it).  So a worker that saw a failure forgets every cached copy (the key
 * families of cache_forget) before it uses Redis again; PostgreSQL rebuilds
 * them.  The forget is the worker's first command after the failure, so it
 * runs after what was queued during the stall (unless Redis resumes within
 * the very command timeout it was sent in; then a stale copy lives until
 * the next worker that failed forgets, or until it expires).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "extern.h"

struct cache {
	char		*host;
	int		 port;
	struct timeval	 tv;
	redisContext	*c;
	time_t		 last_try;
	int		 warned;
	int		 refused;	/* the last connect was refused */
	int		 dirty;		/* failed since the last forget */
};

/*
 * The families of cached copies (sessions, unread counts, report answers,
 * not the report generation "rpt:gen", which must only grow): removed
 * after a failure.  A new family of copies must be listed here.  SCAN
 * inside the script: one round trip, the keys of one family at a time.
 */
static const char forget_lua[] =
    "local n = 0 "
    "for _, p in ipairs(ARGV) do "
    "  local cur = '0' "
    "  repeat "
    "    local r = redis.call('SCAN', cur, 'MATCH', p, 'COUNT', 1000) "
    "    cur = r[1] "
    "    for _, k in ipairs(r[2]) do redis.call('UNLINK', k) n = n + 1 end "
    "  until cur == '0' "
    "end "
    "return n";
static const char *const forget_argv[] = { "EVAL", forget_lua, "0",
    "sess:*", "unread:*", "rpt:*:*" };

/* A handle; connects lazily. */
struct cache *
cache_open(const char *host, int port, int timeout_ms)
{
	struct cache	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->host = strdup(host)) == NULL) {
		free(c);
		return NULL;
	}
	c->port = port;
	c->tv.tv_sec = timeout_ms / 1000;
	c->tv.tv_usec = (timeout_ms % 1000) * 1000;
	return c;
}

static void
cache_drop(struct cache *c)
{
	if (c->c != NULL)
		redisFree(c->c);
	c->c = NULL;
}

/* Close and free. */
void
cache_close(struct cache *c)
{
	if (c == NULL)
		return;
	cache_drop(c);
	free(c->host);
	free(c);
}

/* 1 when connected (connecting first if allowed), else 0. */
int
cache_up(struct cache *c)
{
	time_t	 now;

	if (c->c != NULL)
		return 1;
	now = time(NULL);
	if (now == c->last_try)
		return 0;
	c->last_try = now;
	c->c = redisConnectWithTimeout(c->host, c->port, c->tv);
	c->refused = c->c != NULL && c->c->err == REDIS_ERR_IO &&
	    strstr(c->c->errstr, "refused") != NULL;
	if (c->c == NULL || c->c->err) {
		if (!c->warned)
			log_warn("cache: connect %s:%d: %s", c->host, c->port,
			    c->c ? c->c->errstr : "out of memory");
		c->warned = 1;
		c->dirty = 1;
		cache_drop(c);
		/* A connect timeout may end in the next second: no second try
		 * within the same request. */
		c->last_try = time(NULL);
		return 0;
	}
	if (redisSetTimeout(c->c, c->tv) != REDIS_OK) {
		c->dirty = 1;
		cache_drop(c);
		return 0;
	}
	if (c->warned)
		log_info("cache: connected again");
	c->warned = 0;
	return 1;
}

static void
cache_free_reply(void *p)
{
	freeReplyObject(p);
}

/*
 * After a failure: remove the cached copies (see the top of the file).
 * Returns 0 when done (or not needed), -1 when Redis failed again.
 */
static int
cache_forget(struct cache *c)
{
	size_t		 lens[sizeof(forget_argv) / sizeof(forget_argv[0])];
	size_t		 i;
	redisReply	*r;

	if (!c->dirty)
		return 0;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		lens[i] = strlen(forget_argv[i]);
	r = redisCommandArgv(c->c, (int)(sizeof(lens) / sizeof(lens[0])),
	    (const char **)forget_argv, lens);
	if (r == NULL) {
		log_warn("cache: forget: %s", c->c->errstr);
		cache_drop(c);
		c->last_try = time(NULL);
		return -1;
	}
	if (r->type == REDIS_REPLY_INTEGER)
		log_info("cache: back after a failure: %lld cached copies "
		    "dropped", (long long)r->integer);
	else
		log_warn("cache: forget: %s", r->type == REDIS_REPLY_ERROR ?
		    r->str : "unexpected reply");
	freeReplyObject(r);
	c->dirty = 0;
	return 0;
}

/* See extern.h. */
struct redisReply *
cache_cmd(struct cache *c, struct arena *a, int argc, const char **argv,
    const size_t *lens)
{
	redisReply	*r;

	if (!cache_up(c) || cache_forget(c) == -1)
		return NULL;
	r = redisCommandArgv(c->c, argc, argv, lens);
	if (r == NULL) {
		log_warn("cache: %s: %s", argv[0], c->c->errstr);
		c->dirty = 1;
		cache_drop(c);
		c->last_try = time(NULL);
		return NULL;
	}
	if (arena_cleanup_add(a, cache_free_reply, r) == -1)
		return NULL;
	if (r->type == REDIS_REPLY_ERROR) {
		log_warn("cache: %s: %s", argv[0], r->str);
		return NULL;
	}
	return r;
}

/* cache_cmd for NUL-terminated arguments. */
struct redisReply *
cache_cmdv(struct cache *c, struct arena *a, int argc, const char **argv)
{
	size_t	 lens[16];
	int	 i;

	if (argc > 16)
		abort();
	for (i = 0; i < argc; i++)
		lens[i] = strlen(argv[i]);
	return cache_cmd(c, a, argc, argv, lens);
}

/*
 * Delete key, and be sure of it: returns 0 when the key is gone (deleted,
 * or Redis is down and refuses connections, so it holds nothing we could
 * read back: it runs without persistence), -1 when it may still be there
 * (a timeout: Redis stalled).  Ending a session uses this, so a logout
 * during a Redis stall never leaves a usable copy behind.
 */
int
cache_del_sure(struct cache *c, struct arena *a, const char *key)
{
	const char	*argv[2] = { "DEL", key };
	redisReply	*r;

	if (c->c == NULL) {
		c->last_try = 0;	/* try now, whatever the throttle */
		if (!cache_up(c))
			return c->refused ? 0 : -1;
	}
	r = cache_cmdv(c, a, 2, argv);
	if (r != NULL)
		return 0;
	return c->refused ? 0 : -1;
}
