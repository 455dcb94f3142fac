/*
 * migrate.c: numbered schema migrations (sql/NNNN_name.sql).
 *
 * Each file is applied once, in its own transaction, in name order, and
 * recorded with its SHA-256; a recorded file whose text has changed is
 * refused (applied history must never be rewritten: add a new file).  A
 * PostgreSQL advisory lock keeps two servers from migrating at once.
 * These statements run before the schema exists, so they cannot be
 * prepared with the rest in db.c; they live here, parameterised.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"

#define MIGRATE_LOCK	"7240001"

static int
name_ok(const char *n)
{
	size_t	 len = strlen(n);

	return len > 9 && strspn(n, "0123456789") == 4 && n[4] == '_' &&
	    strcmp(n + len - 4, ".sql") == 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*p = NULL;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1)) != NULL) {
		if (fread(p, 1, (size_t)n, f) != (size_t)n) {
			free(p);
			p = NULL;
		} else {
			p[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return p;
}

static int
exec_ok(PGconn *conn, const char *sql, int n, const char *const *params,
    const char *what)
{
	PGresult	*res;
	int		 ok;

	/* Without parameters, PQexec: a file holds many statements. */
	res = n == 0 ? PQexec(conn, sql) :
	    PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "migrate: %s: %s", what,
		    PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
}

/*
 * Apply the pending migrations of dir over conninfo.  Prints one line per
 * applied file to out.  Returns 0, or -1 after printing the reason.
 */
int
migrate_run(const char *conninfo, const char *dir, FILE *out)
{
	PGconn		*conn;
	PGresult	*res;
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, path[4096], hex[65];
	unsigned char	 h[crypto_hash_sha256_BYTES];
	size_t		 n = 0, i, len;
	char		*sql;
	int		 rc = -1, applied = 0;

	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "migrate: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "migrate: cannot open %s\n", dir);
		goto done;
	}
	while ((de = readdir(d)) != NULL) {
		if (!name_ok(de->d_name))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);

	if (exec_ok(conn, "select pg_advisory_lock(" MIGRATE_LOCK ")", 0,
	    NULL, "lock") == -1)
		goto done;
	if (exec_ok(conn, "create table if not exists schema_migrations ("
	    "name text primary key, checksum text not null, "
	    "applied_at timestamptz not null default now())", 0, NULL,
	    "bookkeeping") == -1)
		goto done;
	for (i = 0; i < n; i++) {
		const char	*p[2];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((sql = slurp(path, &len)) == NULL) {
			fprintf(stderr, "migrate: cannot read %s\n", path);
			goto done;
		}
		crypto_hash_sha256(h, (unsigned char *)sql, len);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		p[0] = names[i];
		p[1] = hex;
		res = PQexecParams(conn, "select checksum from "
		    "schema_migrations where name = $1", 1, NULL, p, NULL,
		    NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			fprintf(stderr, "migrate: %s",
			    PQresultErrorMessage(res));
			PQclear(res);
			free(sql);
			goto done;
		}
		if (PQntuples(res) == 1) {
			int same = strcmp(PQgetvalue(res, 0, 0), hex) == 0;

			PQclear(res);
			free(sql);
			if (!same) {
				fprintf(stderr, "migrate: %s was changed after "
				    "it was applied; add a new migration "
				    "instead\n", names[i]);
				goto done;
			}
			continue;
		}
		PQclear(res);
		if (exec_ok(conn, "begin", 0, NULL, "begin") == -1 ||
		    exec_ok(conn, sql, 0, NULL, names[i]) == -1 ||
		    exec_ok(conn, "insert into schema_migrations (name, "
		    "checksum) values ($1, $2)", 2, p, "record") == -1 ||
		    exec_ok(conn, "commit", 0, NULL, "commit") == -1) {
			free(sql);
			(void)exec_ok(conn, "rollback", 0, NULL, "rollback");
			goto done;
		}
		free(sql);
		fprintf(out, "migrate: applied %s\n", names[i]);
		applied++;
	}
	if (applied == 0)
		fprintf(out, "migrate: up to date (%zu migrations)\n", n);
	rc = 0;
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	PQfinish(conn);
	return rc;
}
