/*
 * config.c: settings from the environment, with defaults that run the
 * private stack of `make run`.  scripts/stack sets them.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"

struct config cfg;

static const char *
env_str(const char *name, const char *def)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

static long
env_long(const char *name, long def, long min, long max)
{
	const char	*v = getenv(name);
	char		*end;
	long		 n;

	if (v == NULL || *v == '\0')
		return def;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < min || n > max) {
		log_warn("config: %s=%s out of range, using %ld", name, v, def);
		return def;
	}
	return n;
}

/*
 * The map tile address (CUS-MAP), or NULL (no map: pages show coordinates):
 * a path on this site or an http(s) URL with {z}, {x} and {y}, no quotes or
 * spaces (it ends up in a page and in the CSP).
 */
static const char *
map_tiles(const char *url)
{
	if (url == NULL)
		return NULL;
	if ((url[0] == '/' || strncmp(url, "https://", 8) == 0 ||
	    strncmp(url, "http://", 7) == 0) && strstr(url, "{z}") != NULL &&
	    strstr(url, "{x}") != NULL && strstr(url, "{y}") != NULL &&
	    strpbrk(url, " \t\"'<>\\;") == NULL && strlen(url) < 500)
		return url;
	log_warn("config: CRM_MAP_TILE_URL=%s is not a tile address "
	    "(/path/{z}/{x}/{y}.png or http(s)://...): no map", url);
	return NULL;
}

/* Fill cfg from CRM_* variables. */
void
config_load(void)
{
	long	 cores = sysconf(_SC_NPROCESSORS_ONLN);

	cfg.db = env_str("CRM_DB",
	    "host=127.0.0.1 port=5433 dbname=crm user=crm connect_timeout=2");
	cfg.redis_host = env_str("CRM_REDIS_HOST", "127.0.0.1");
	cfg.redis_port = (int)env_long("CRM_REDIS_PORT", 6380, 1, 65535);
	cfg.redis_timeout_ms = (int)env_long("CRM_REDIS_TIMEOUT_MS", 250, 10,
	    10000);
	cfg.listen = env_str("CRM_LISTEN", "127.0.0.1:9001");
	cfg.workers = (int)env_long("CRM_WORKERS", cores > 0 ? cores : 2, 1,
	    256);
	cfg.rules_dir = env_str("CRM_RULES_DIR", "rules");
	cfg.rules_mem = (size_t)env_long("CRM_RULES_MEM", 64L << 20, 1L << 20,
	    1L << 30);
	cfg.rules_budget = env_long("CRM_RULES_BUDGET", 20000000L, 1000L,
	    2000000000L);
	cfg.max_body = (size_t)env_long("CRM_MAX_BODY", 1L << 20, 1024,
	    64L << 20);
	cfg.max_upload = (size_t)env_long("CRM_MAX_UPLOAD", 20L << 20, 1024,
	    256L << 20);
	cfg.public_url = env_str("CRM_PUBLIC_URL", NULL);
	cfg.session_idle = (int)env_long("CRM_SESSION_IDLE", 30 * 60, 10,
	    86400 * 30);
	cfg.session_abs = (int)env_long("CRM_SESSION_ABSOLUTE", 12 * 3600, 10,
	    86400 * 90);
	/* How long Redis may answer for a session before PostgreSQL is asked. */
	cfg.session_cache_ttl = (int)env_long("CRM_SESSION_CACHE_TTL", 60, 1,
	    3600);
	if (cfg.session_cache_ttl > cfg.session_idle)
		cfg.session_cache_ttl = cfg.session_idle;
	cfg.secure_cookie = (int)env_long("CRM_SECURE_COOKIE", 0, 0, 1);
	cfg.origins = env_str("CRM_ORIGINS", "");
	cfg.server_id = env_str("CRM_SERVER_ID", NULL);
	cfg.job_interval = (int)env_long("CRM_JOB_INTERVAL", 300, 0, 86400);
	cfg.map_tiles = map_tiles(env_str("CRM_MAP_TILE_URL", NULL));
	cfg.map_attribution = env_str("CRM_MAP_ATTRIBUTION", NULL);
	/* Seconds a cached report answer lives (report.c); 0: no cache. */
	cfg.report_cache_ttl = (int)env_long("CRM_REPORT_CACHE_TTL", 60, 0,
	    86400);
	cfg.test_txn_delay_ms = (int)env_long("CRM_TEST_TXN_DELAY_MS", 0, 0,
	    5000);
	if (cfg.test_txn_delay_ms > 0)
		log_warn("config: CRM_TEST_TXN_DELAY_MS=%d: every document "
		    "transaction waits up to that long (tests only, never in "
		    "production)", cfg.test_txn_delay_ms);
}
