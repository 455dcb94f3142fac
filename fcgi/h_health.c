/*
 * h_health.c: GET /api/v1/health, for people and load balancers.
 * 200 when PostgreSQL answers (Redis down is "degraded": the service
 * works without it), 503 when it does not.
 */
#include <string.h>
#include <unistd.h>

#include <hiredis/hiredis.h>
#include <jansson.h>

#include "extern.h"

void
h_health(struct ctx *c)
{
	enum crm_err	 e;
	redisReply	*r;
	const char	*argv[1] = { "PING" };
	const char	*rerr;
	int		 pg, rd;
	char		 host[128];

	pg = db_exec(c->w->db, c->a, ST_PING, 0, NULL, &e) != NULL;
	r = cache_cmdv(c->w->cache, c->a, 1, argv);
	rd = r != NULL && r->type == REDIS_REPLY_STATUS;
	rerr = rules_last_error(c->w->rules);
	if (gethostname(host, sizeof(host)) != 0)
		strcpy(host, "?");
	host[sizeof(host) - 1] = '\0';
	reply_json(c, pg ? 200 : 503, json_pack(
	    "{s:s, s:s, s:s, s:s, s:{s:b, s:s?}}",
	    "status", !pg ? "down" : rd ? "ok" : "degraded",
	    "postgres", pg ? "up" : "down", "redis", rd ? "up" : "down",
	    "server", cfg.server_id ? cfg.server_id :
	    arena_printf(c->a, "%s:%d", host, (int)getppid()),
	    "rules", "ok", rerr == NULL, "error", rerr));
	if (!pg)
		reply_header(c, "Retry-After: 2");
}
