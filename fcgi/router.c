/*
 * router.c: the table of every API route, and the checks every request
 * passes before its handler runs: method, session, CSRF token and Origin
 * on state-changing requests, JSON body.
 */
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "extern.h"

#define RF_AUTH		0x01	/* needs a session */
#define RF_BODY		0x02	/* takes a JSON object body */
#define RF_NOCSRF	0x04	/* state-changing but no session yet (login) */

enum route {
	R_HEALTH,
	R_SESSION_NEW,
	R_SESSION_DELETE,
	R_ME,
	R_ME_PASSWORD,
	R_ME_LANG,
	R_CONFIG,
	R_MENU,
	R_FORMS,
	R_STAFF,
	R_DOCS_NEW,
	R_DOCS_LIST,
	R_DOCS_GET,
	R_DOCS_DECIDE,
	R_DOCS_WITHDRAW,
	R_TODOS,
	R_CUST_LIST,
	R_CUST_GET,
	R_CUST_TIMELINE,
	R_NOTIFY,
	R_NOTIFY_READ,
	R_CUST_DELETE,
	R_DOCS_DELETE,
	R_FILES_UPLOAD,
	R_FILES_GET,
	R_QR_RESOLVE,
	R_QR_REVOKE,
	R_DAILY_SUMMARY,
	R_CUST_ACTIVITY,
	R_TARGETS_PROGRESS,
	R_TARGETS_LIST,
	R_RECORDS,
	R_DEPARTMENTS,
	R_DEPARTMENTS_NEW,
	R_DEPARTMENTS_UPDATE,
	R_STAFF_NEW,
	R_STAFF_GET,
	R_STAFF_UPDATE,
	R_ROLES_ASSIGN,
	R_IMPORT_TEMPLATE,
	R_IMPORT_UPLOAD,
	R_IMPORT_GET,
	R_IMPORT_CUSTOMERS,
	R_EXPORT_CUSTOMERS,
	R_REPORTS_LIST,
	R_REPORTS_NEW,
	R_REPORT_SOURCES,	/* before R_REPORT_GET, which takes any name */
	R_REPORT_GET,
	R_REPORT_UPDATE,
	R_REPORT_EXPORT,
	R_REPORT_DEFINITION,
	R_PORTAL,
	R_QR_IMAGE,	/* last: its pattern takes any /customers/N/x */
	R__MAX
};

/* '*' in a path matches one non-empty segment, passed in ctx->args. */
static const struct route_def {
	const char	*method;
	const char	*path;
	unsigned	 flags;
	void		(*fn)(struct ctx *);
} routes[R__MAX] = {
	[R_HEALTH] = { "GET", "/api/v1/health", 0, h_health },
	[R_SESSION_NEW] = { "POST", "/api/v1/session", RF_BODY | RF_NOCSRF,
	    h_session_new },
	[R_SESSION_DELETE] = { "DELETE", "/api/v1/session", RF_AUTH,
	    h_session_delete },
	[R_ME] = { "GET", "/api/v1/me", RF_AUTH, h_me },
	[R_ME_PASSWORD] = { "PUT", "/api/v1/me/password", RF_AUTH | RF_BODY,
	    h_me_password },
	[R_ME_LANG] = { "PUT", "/api/v1/me/lang", RF_AUTH | RF_BODY,
	    h_me_lang },
	[R_CONFIG] = { "GET", "/api/v1/config", RF_AUTH, h_config },
	[R_MENU] = { "GET", "/api/v1/menu", RF_AUTH, h_menu },
	[R_FORMS] = { "GET", "/api/v1/forms/*", RF_AUTH, h_forms },
	[R_STAFF] = { "GET", "/api/v1/staff", RF_AUTH, h_staff_list },
	[R_DOCS_NEW] = { "POST", "/api/v1/documents", RF_AUTH | RF_BODY,
	    h_documents_new },
	[R_DOCS_LIST] = { "GET", "/api/v1/documents", RF_AUTH,
	    h_documents_list },
	[R_DOCS_GET] = { "GET", "/api/v1/documents/*", RF_AUTH,
	    h_documents_get },
	[R_DOCS_DECIDE] = { "POST", "/api/v1/documents/*/decision",
	    RF_AUTH | RF_BODY, h_documents_decide },
	[R_DOCS_WITHDRAW] = { "POST", "/api/v1/documents/*/withdraw", RF_AUTH,
	    h_documents_withdraw },
	[R_TODOS] = { "GET", "/api/v1/todos", RF_AUTH, h_todos },
	[R_CUST_LIST] = { "GET", "/api/v1/customers", RF_AUTH,
	    h_customers_list },
	[R_CUST_GET] = { "GET", "/api/v1/customers/*", RF_AUTH,
	    h_customers_get },
	[R_CUST_TIMELINE] = { "GET", "/api/v1/customers/*/timeline", RF_AUTH,
	    h_customers_timeline },
	[R_NOTIFY] = { "GET", "/api/v1/notifications", RF_AUTH,
	    h_notifications },
	[R_NOTIFY_READ] = { "POST", "/api/v1/notifications/read",
	    RF_AUTH | RF_BODY, h_notifications_read },
	/* Nothing in the archive is ever deleted (PLT-NODELETE): say so. */
	[R_CUST_DELETE] = { "DELETE", "/api/v1/customers/*", RF_AUTH,
	    h_no_delete },
	[R_DOCS_DELETE] = { "DELETE", "/api/v1/documents/*", RF_AUTH,
	    h_no_delete },
	[R_FILES_UPLOAD] = { "POST", "/api/v1/files", RF_AUTH,
	    h_files_upload },
	[R_FILES_GET] = { "GET", "/api/v1/files/*", RF_AUTH, h_files_get },
	[R_REPORTS_LIST] = { "GET", "/api/v1/reports", RF_AUTH,
	    h_reports_list },
	[R_REPORTS_NEW] = { "POST", "/api/v1/reports", RF_AUTH | RF_BODY,
	    h_reports_new },
	[R_REPORT_SOURCES] = { "GET", "/api/v1/reports/sources", RF_AUTH,
	    h_report_sources },
	[R_REPORT_GET] = { "GET", "/api/v1/reports/*", RF_AUTH, h_report_get },
	[R_REPORT_UPDATE] = { "PUT", "/api/v1/reports/*", RF_AUTH | RF_BODY,
	    h_report_update },
	[R_REPORT_EXPORT] = { "GET", "/api/v1/reports/*/export", RF_AUTH,
	    h_report_export },
	[R_REPORT_DEFINITION] = { "GET", "/api/v1/reports/*/definition",
	    RF_AUTH, h_report_definition },
	[R_PORTAL] = { "GET", "/api/v1/portal", RF_AUTH, h_portal },
	[R_QR_IMAGE] = { "GET", "/api/v1/customers/*/*", RF_AUTH, h_qr_image },
	[R_QR_RESOLVE] = { "GET", "/api/v1/qr/resolve", RF_AUTH,
	    h_qr_resolve },
	[R_QR_REVOKE] = { "POST", "/api/v1/customers/*/qr/revoke", RF_AUTH,
	    h_qr_revoke },
	[R_DAILY_SUMMARY] = { "GET", "/api/v1/daily-summary", RF_AUTH,
	    h_daily_summary },
	[R_CUST_ACTIVITY] = { "GET", "/api/v1/customers/*/activity", RF_AUTH,
	    h_customers_activity },
	[R_TARGETS_PROGRESS] = { "GET", "/api/v1/targets/progress", RF_AUTH,
	    h_targets_progress },
	[R_TARGETS_LIST] = { "GET", "/api/v1/targets", RF_AUTH,
	    h_targets_list },
	[R_RECORDS] = { "GET", "/api/v1/records", RF_AUTH, h_records },
	[R_DEPARTMENTS] = { "GET", "/api/v1/departments", RF_AUTH,
	    h_departments },
	[R_DEPARTMENTS_NEW] = { "POST", "/api/v1/departments",
	    RF_AUTH | RF_BODY, h_departments_new },
	[R_DEPARTMENTS_UPDATE] = { "PUT", "/api/v1/departments/*",
	    RF_AUTH | RF_BODY, h_departments_update },
	[R_STAFF_NEW] = { "POST", "/api/v1/staff", RF_AUTH | RF_BODY,
	    h_staff_new },
	[R_STAFF_GET] = { "GET", "/api/v1/staff/*", RF_AUTH, h_staff_get },
	[R_STAFF_UPDATE] = { "PUT", "/api/v1/staff/*", RF_AUTH | RF_BODY,
	    h_staff_update },
	/* Customer import (a raw .csv/.xlsx body) and exports. */
	[R_IMPORT_TEMPLATE] = { "GET", "/api/v1/imports/template", RF_AUTH,
	    h_import_template },
	[R_IMPORT_UPLOAD] = { "POST", "/api/v1/imports", RF_AUTH,
	    h_import_upload },
	[R_IMPORT_GET] = { "GET", "/api/v1/imports/*", RF_AUTH, h_import_get },
	[R_IMPORT_CUSTOMERS] = { "GET", "/api/v1/imports/*/customers", RF_AUTH,
	    h_import_customers },
	[R_EXPORT_CUSTOMERS] = { "GET", "/api/v1/exports/customers", RF_AUTH,
	    h_export_customers },
	[R_ROLES_ASSIGN] = { "POST", "/api/v1/roles/assign", RF_AUTH | RF_BODY,
	    h_roles_assign },
};

/* Match path against pattern; fill args for '*' segments. */
static int
route_match(const char *pat, const char *path, const char **args,
    struct arena *a)
{
	size_t	 n, nargs = 0;

	while (*pat != '\0' && *path != '\0') {
		if (*pat == '*') {
			n = strcspn(path, "/");
			if (n == 0 || nargs == CTX_MAXARGS)
				return 0;
			args[nargs++] = arena_strndup(a, path, n);
			path += n;
			pat++;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	return *pat == '\0' && *path == '\0';
}

static int
is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

/*
 * Origin check for state-changing requests (CSRF defence in depth beside
 * the token, OWASP "Verifying Origin").  A browser always sends Origin on
 * a cross-site POST; its absence means a same-origin or non-browser client,
 * which the token check still covers.
 */
static int
origin_ok(const struct ctx *c)
{
	const char	*o = c->req.origin, *host = c->req.host, *p;
	size_t		 n;

	if (o == NULL)
		return 1;
	if (host != NULL) {
		p = strncmp(o, "https://", 8) == 0 ? o + 8 :
		    strncmp(o, "http://", 7) == 0 ? o + 7 : NULL;
		if (p != NULL && strcmp(p, host) == 0)
			return 1;
	}
	/* CRM_ORIGINS: space-separated list of exact origins. */
	n = strlen(o);
	for (p = cfg.origins; *p != '\0'; ) {
		size_t	 len = strcspn(p, " ");

		if (len == n && strncmp(p, o, n) == 0)
			return 1;
		p += len;
		p += strspn(p, " ");
	}
	return 0;
}

/* See extern.h. */
void
router_dispatch(struct ctx *c)
{
	const struct route_def	*r = NULL;
	enum crm_err		 e;
	const char		*field = NULL;
	int			 i, path_known = 0;

	for (i = 0; i < R__MAX; i++) {
		if (!route_match(routes[i].path, c->req.path, c->args, c->a))
			continue;
		path_known = 1;
		if (strcmp(routes[i].method, c->req.method) == 0 ||
		    (strcmp(c->req.method, "HEAD") == 0 &&
		     strcmp(routes[i].method, "GET") == 0)) {
			r = &routes[i];
			break;
		}
	}
	if (r == NULL) {
		if (path_known) {
			reply_err(c, ERR_METHOD, NULL);
			return;
		}
		reply_err(c, ERR_NOT_FOUND, NULL);
		return;
	}

	/* The session decides the language before any error is written. */
	if (r->flags & RF_AUTH) {
		e = session_load(c);
		if (e != ERR_OK) {
			reply_err(c, e, NULL);
			return;
		}
	}
	if (!is_safe_method(c->req.method)) {
		if (!origin_ok(c)) {
			log_warn("csrf: origin %s refused for %s", c->req.origin,
			    c->req.path);
			reply_err(c, ERR_CSRF, NULL);
			return;
		}
		if (!(r->flags & RF_NOCSRF) && (c->csrf == NULL ||
		    c->req.csrf_token == NULL ||
		    strlen(c->req.csrf_token) != strlen(c->csrf) ||
		    auth_equal(c->req.csrf_token, c->csrf) != 0)) {
			reply_err(c, ERR_CSRF, NULL);
			return;
		}
	}
	if (r->flags & RF_BODY) {
		if (!http_is_json(c->req.content_type)) {
			reply_err(c, ERR_UNSUPPORTED_TYPE, NULL);
			return;
		}
		c->body = json_parse_body(c->a, c->req.body, c->req.bodylen,
		    &e, &field);
		if (c->body == NULL) {
			reply_err(c, e, field);
			return;
		}
	}
	r->fn(c);
	/* Its transaction has ended: drop what it made old once more. */
	ctx_stale_flush(c);
	/* A change that succeeded (and committed) makes cached reports old. */
	if (!is_safe_method(c->req.method) && c->rep.status >= 200 &&
	    c->rep.status < 300 && c->user != NULL)
		report_cache_bump(c->w->cache, c->a);
}
